//! The split search index (`assets/search/`): an entry that names every
//! term chunk, a fragment per document, filters; whole words, stems,
//! compound parts and hyphenated words joined; the same bytes for the same
//! input. What the browser does with it is in tests/browser/search.test.mjs.

mod common;

use common::TestSite;
use serde_json::Value;
use std::collections::BTreeMap;

/// Every file of the index, by path under `assets/search/`.
fn index_files(site: &TestSite) -> BTreeMap<String, Vec<u8>> {
    let dir = site.path().join("output/assets/search");
    common::walk(&dir)
        .into_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(&dir)
                .expect("prefix")
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(&p).expect("read"))
        })
        .collect()
}

/// The data a chunk script registers, and the name it registers it under.
fn registered(text: &str) -> (String, Value) {
    let rest = text
        .strip_prefix("STYRDOK_SEARCH_CHUNK(\"")
        .expect("a registration");
    let (name, data) = rest.split_once("\",").expect("a name");
    let data = data.strip_suffix(");\n").expect("the call's end");
    (name.to_string(), serde_json::from_str(data).expect("JSON"))
}

fn entry(files: &BTreeMap<String, Vec<u8>>) -> Value {
    let text = String::from_utf8(files["index.js"].clone()).expect("UTF-8");
    let json = text
        .strip_prefix("window.STYRDOK_SEARCH=")
        .and_then(|t| t.strip_suffix(";\n"))
        .expect("the entry's form");
    serde_json::from_str(json).expect("JSON")
}

/// Every term entry of every chunk: (term, kind).
fn terms(files: &BTreeMap<String, Vec<u8>>) -> Vec<(String, u64)> {
    files
        .iter()
        .filter(|(p, _)| p.starts_with("t-"))
        .flat_map(|(_, bytes)| {
            let (_, data) = registered(std::str::from_utf8(bytes).expect("UTF-8"));
            data.as_array()
                .expect("entries")
                .iter()
                .map(|e| {
                    (
                        e[0].as_str().expect("term").to_string(),
                        e[1].as_u64().expect("kind"),
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

const BACKUP: &str = "---\ntitel: Rutin för säkerhetskopiering\ntyp: dokument\nstatus: fastställd\nversion: \"1.0\"\ndokumentägare: Driftchef\nfastställd: 2026-01-10\nfastställd_av: IT-chef\nnästa_revision: 2027-01-10\növerordnad: drift\n---\n\n## Kopiering av e-post\n\nSäkerhetskopieringen av lösenorden sker varje natt.\n";

fn site() -> TestSite {
    TestSite::fixture("basic").file("content/rutiner/backup.md", BACKUP)
}

#[test]
fn the_entry_names_every_chunk_and_each_document_has_a_fragment() {
    for extra in [0, 9, 17] {
        fragments_of(extra);
    }
}

/// The basic site and `extra` routines more: groups of fragments full and
/// not, documents' and pages' in one file.
fn fragments_of(extra: usize) {
    let mut site = site().file("content/README.md", "# Start\n\nStartsidans text.\n");
    for n in 0..extra {
        site = site.file(
            &format!("content/rutiner/r{n}.md"),
            &BACKUP
                .replace("Rutin för säkerhetskopiering", &format!("Rutin {n}"))
                .replace("## Kopiering av e-post", &format!("## Avsnitt {n}")),
        );
    }
    site.build();
    let files = index_files(&site);
    let entry = entry(&files);
    assert_eq!(entry["lang"], "sv");
    let chunks = entry["chunks"].as_array().expect("chunks");
    assert!(!chunks.is_empty());
    // Each chunk named exists and registers itself under its name; no
    // chunk is left unnamed; first keys ascend.
    let mut firsts = Vec::new();
    for c in chunks {
        let name = c[1].as_str().expect("name");
        let text = String::from_utf8(files[&format!("t-{name}.js")].clone()).expect("UTF-8");
        assert_eq!(registered(&text).0, name);
        firsts.push(c[0].as_str().expect("key").to_string());
    }
    assert!(firsts.windows(2).all(|w| w[0] < w[1]), "{firsts:?}");
    assert_eq!(
        files.keys().filter(|p| p.starts_with("t-")).count(),
        chunks.len()
    );
    // The fragments of eight documents in a row share a file (`search.js`
    // asks for `d/<n / 8>.js`), each registered under its own name.
    let docs = entry["docs"].as_u64().expect("docs") as usize;
    let fragments: Vec<&String> = files.keys().filter(|p| p.starts_with("d/")).collect();
    assert_eq!(fragments.len(), docs.div_ceil(8));
    let all: Vec<(String, Value)> = (0..docs)
        .map(|n| {
            let file = std::str::from_utf8(&files[&format!("d/{}.js", n / 8)]).expect("UTF-8");
            let line = file
                .lines()
                .find(|l| l.starts_with(&format!("STYRDOK_SEARCH_CHUNK(\"d{n}\",")))
                .unwrap_or_else(|| panic!("d{n} in d/{}.js", n / 8));
            registered(&format!("{line}\n"))
        })
        .collect();
    assert_eq!(
        fragments
            .iter()
            .map(|f| std::str::from_utf8(&files[*f])
                .expect("UTF-8")
                .lines()
                .count())
            .sum::<usize>(),
        docs
    );
    let routine = all
        .into_iter()
        .find(|(_, d)| d["u"] == "rutiner/backup.html")
        .expect("the routine's fragment");
    assert_eq!(routine.1["t"], "Rutin för säkerhetskopiering");
    assert_eq!(routine.1["o"], "Driftchef");
    assert_eq!(routine.1["s"][0][0], "Kopiering av e-post");
    assert_eq!(
        routine.1["s"][0][2],
        "Säkerhetskopieringen av lösenorden sker varje natt."
    );
}

#[test]
fn words_are_indexed_whole_by_stem_as_compound_parts_and_hyphens_joined() {
    let site = site();
    site.build();
    let terms = terms(&index_files(&site));
    let has = |t: &str, k: u64| terms.iter().any(|(a, b)| a == t && *b == k);
    let (whole, stem, part) = (0, 1, 2);
    assert!(has("säkerhetskopieringen", whole));
    assert!(
        has("säkerhetskopiering", stem),
        "the stem of säkerhetskopieringen"
    );
    assert!(has("lösenord", stem), "the stem of lösenorden");
    assert!(has("kopieringen", part) && has("kopiering", part));
    assert!(has("epost", whole) && has("post", whole) && has("e", whole));
    // Short words have no parts; no term is a stem of nothing.
    assert!(!terms
        .iter()
        .any(|(t, k)| *k == part && t.chars().count() < 4));
    assert!(!has("", stem));
}

#[test]
fn an_english_site_ships_the_stems_of_its_words() {
    let site = site().file(
        "content/rutiner/en.md",
        &BACKUP.replace(
            "Säkerhetskopieringen av lösenorden",
            "Passwords are changed",
        ),
    );
    let config = site.read("styrdok.toml");
    site.write(
        "styrdok.toml",
        format!("language = \"en\"\n{config}").as_bytes(),
    );
    site.build();
    let files = index_files(&site);
    assert_eq!(entry(&files)["lang"], "en");
    let stems: Vec<(String, String)> = files
        .iter()
        .filter(|(p, _)| p.starts_with("t-"))
        .flat_map(|(_, b)| {
            registered(std::str::from_utf8(b).expect("UTF-8"))
                .1
                .as_array()
                .expect("entries")
                .clone()
        })
        .filter(|e| e[1] == 3)
        .map(|e| {
            (
                e[0].as_str().unwrap_or("").to_string(),
                e[2].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert!(
        stems.contains(&("passwords".into(), "password".into())),
        "{stems:?}"
    );
    assert!(
        stems.contains(&("changed".into(), "chang".into())),
        "{stems:?}"
    );
}

#[test]
fn the_built_in_filters_are_the_type_and_the_owner() {
    let site = site();
    site.build();
    let page = site.output("sok.html");
    let types = common::between(&page, "<select name=\"f-typ\"", "</select>");
    assert!(
        types.contains("<option>Dokument</option>")
            && types.contains("<option>IT-säkerhetspolicy</option>"),
        "{types}"
    );
    let owners = common::between(&page, "<select name=\"f-dokumentägare\"", "</select>");
    assert!(owners.contains("<option>Driftchef</option>"), "{owners}");
    let files = index_files(&site);
    let name = entry(&files)["filters"]
        .as_str()
        .expect("filters")
        .to_string();
    let (_, filters) =
        registered(std::str::from_utf8(&files[&format!("filters-{name}.js")]).expect("UTF-8"));
    assert!(filters["typ"]["Dokument"].is_string(), "{filters}");
    assert!(
        filters["dokumentägare"]["Driftchef"].is_string(),
        "{filters}"
    );
}

#[test]
fn the_same_input_gives_the_same_index_bytes() {
    let (a, b) = (site(), site());
    a.build();
    b.build();
    let first = index_files(&a);
    assert!(first.len() > 3);
    assert_eq!(first, index_files(&b));
    // And again in the same place, over the previous output.
    a.build();
    assert_eq!(first, index_files(&a));
}

/// The stems `search.js` must give too (tests/browser/search.test.mjs
/// checks its port against the same file): every word of the example site
/// and a few of each Swedish ending.
#[test]
fn the_stems_shared_with_the_browser_are_rust_stemmers_swedish() {
    let s = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::Swedish);
    let file = common::fixture_dir("search").join("stems-sv.tsv");
    let pairs = std::fs::read_to_string(file).expect("stems");
    let mut n = 0;
    for line in pairs.lines() {
        let (word, stem) = line.split_once('\t').expect("word and stem");
        assert_eq!(s.stem(word), stem, "{word}");
        n += 1;
    }
    assert!(n > 1000, "{n}");
}
