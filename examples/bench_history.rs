//! Times history extraction on a site in git (see README, "Performance"):
//! the walk over the commits alone, and the whole history stage (walk, blob
//! reads, per-revision text and redlines). Prints the median of N runs.
//!
//!     cargo run --release --example bench_history -- SITE [RUNS]

use std::path::PathBuf;
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().unwrap_or_else(|| ".".into()));
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    let content = root.join("content");
    let loaded =
        styrdok::load::load(&content, "content", styrdok::schema::Schema::none()).expect("load");
    let corpus = loaded.corpus;
    let tracked: Vec<String> = corpus
        .documents
        .iter()
        .map(|d| d.content_path.clone())
        .collect();
    let (mut walk, mut full) = (Vec::new(), Vec::new());
    let mut revisions = 0;
    for _ in 0..runs {
        let repo = styrdok::git::open(&root, &content)
            .expect("open")
            .expect("a git repository");
        let t = Instant::now();
        let raw = repo.history(&tracked, 50).expect("walk");
        walk.push(t.elapsed().as_secs_f64());
        revisions = raw.values().map(Vec::len).sum();
        if std::env::var_os("BENCH_WALK_ONLY").is_some() {
            continue;
        }
        let repo = styrdok::git::open(&root, &content)
            .expect("open")
            .expect("a git repository");
        let t = Instant::now();
        styrdok::history::read(&repo, &corpus, 50, styrdok::model::Policy::everything())
            .expect("history");
        full.push(t.elapsed().as_secs_f64());
    }
    println!(
        "documents: {}, revisions found: {revisions}",
        corpus.documents.len()
    );
    println!("history walk (median of {runs}): {:.3} s", median(walk));
    if !full.is_empty() {
        println!(
            "history stage with redlines (median of {runs}): {:.3} s",
            median(full)
        );
    }
}
