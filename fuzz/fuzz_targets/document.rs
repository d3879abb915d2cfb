//! Front matter + Markdown + link resolution, on up to four documents and a
//! register made from the input (split at NUL bytes): loading, outlines,
//! every link resolved, and each body rendered with its links rewritten.
//! Nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::collections::BTreeMap;

const NAMES: [&str; 5] = ["policy.md", "instruktioner/drift.md", "planer/lon.md", "a b/å.md", "systemregister.yaml"];

fuzz_target!(|data: &[u8]| {
    let mut files = BTreeMap::new();
    for (part, name) in data.split(|&b| b == 0).zip(NAMES) {
        files.insert(name.to_string(), part.to_vec());
    }
    let loaded = styrdok::load::load_memory(files, "content");
    let (graph, diags) = styrdok::resolve::resolve(&loaded.corpus, "content", Some("Tabell"), None);
    for d in loaded.diags.iter().chain(&diags) {
        assert!(d.line >= 1 && d.column >= 1);
    }
    for (i, doc) in loaded.corpus.documents.iter().enumerate() {
        let keep = |_: &str| styrdok::markdown::LinkAction::Keep;
        let html = graph.body_html(i, doc.body(), "Tabell", &keep, &String::new);
        assert!(!html.to_ascii_lowercase().contains("<script"), "raw script reached the output");
    }
});
