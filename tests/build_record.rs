//! The record of the last build (`.output.styrdok-build`): a build that
//! would read exactly what the last one read, into an output still as that
//! one left it, prints what it printed and leaves the output alone; any
//! change anywhere a build reads makes it run, and then its output is the
//! one a cold build writes.

mod common;

use common::git::git;
use common::{copy_dir, walk, TestSite};
use std::path::Path;

/// Every file below `dir` with its bytes, sorted.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walk(dir)
        .into_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(dir)
                .expect("as set up")
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(&p).expect("as set up"))
        })
        .collect();
    files.sort();
    files
}

/// Builds; returns stderr.
fn build(site: &TestSite, extra: &[&str]) -> String {
    let mut args = vec!["build"];
    args.extend_from_slice(extra);
    let out = site.run(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

const UNCHANGED: &str = "nothing changed since the last build";

/// The output equals a cold build's: the same site copied elsewhere, with
/// no record, built once.
fn assert_as_cold(site: &TestSite) {
    let cold = tempfile::tempdir().expect("as set up");
    copy_dir(site.path(), cold.path());
    for leftover in ["output", ".output.styrdok-build", ".output.styrdok-spare"] {
        let p = cold.path().join(leftover);
        let _ = std::fs::remove_dir_all(&p);
        let _ = std::fs::remove_file(&p);
    }
    let out = common::styrdok(&["build"], cold.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains(UNCHANGED));
    let (warm, cold) = (
        tree(&site.path().join("output")),
        tree(&cold.path().join("output")),
    );
    assert_eq!(warm.len(), cold.len());
    for (w, c) in warm.iter().zip(&cold) {
        assert_eq!(w.0, c.0);
        assert!(w.1 == c.1, "{} differs from a cold build's", w.0);
    }
}

#[test]
fn an_unchanged_site_is_not_built_again_and_says_so() {
    let site = TestSite::fixture("basic");
    git(site.path()).init_with_commit("Första versionen");
    let first = build(&site, &[]);
    let page = site.path().join("output/policy.html");
    let written = std::fs::metadata(&page)
        .expect("as set up")
        .modified()
        .expect("as set up");
    let second = build(&site, &[]);
    // The same report, after a line that says nothing was done.
    let (note, rest) = second.split_once('\n').expect("as set up");
    assert!(note.starts_with(UNCHANGED), "{second}");
    assert_eq!(rest, first, "no diagnostics: the same lines");
    assert_eq!(
        std::fs::metadata(&page)
            .expect("as set up")
            .modified()
            .expect("as set up"),
        written
    );
    // Other options are another build.
    for extra in [
        &["--strict"][..],
        &["--today", "2027-01-01"],
        &["--max-klassning", "öppen"],
    ] {
        let out = site.run(&[&["build"][..], extra].concat());
        assert!(
            !String::from_utf8_lossy(&out.stderr).contains(UNCHANGED),
            "{extra:?}"
        );
    }
}

#[test]
fn every_kind_of_change_builds_again_as_a_cold_build_would() {
    let site = TestSite::fixture("basic");
    git(site.path()).init_with_commit("Första versionen");
    build(&site, &[]);
    type Edit = fn(&TestSite);
    let edits: [(&str, Edit); 9] = [
        ("a body", |s| {
            s.edit("content/policy.md", "## ", "Ett nytt stycke.\n\n## ");
        }),
        ("front matter", |s| {
            s.edit(
                "content/planer/lon.md",
                "version: \"1.1\"",
                "version: \"1.2\"",
            );
        }),
        ("a new file", |s| {
            s.write("content/planer/README.md", b"# Planerna\n\nText.\n");
        }),
        ("a removed file", |s| {
            std::fs::remove_file(s.path().join("content/planer/README.md")).expect("as set up");
        }),
        ("the configuration", |s| {
            s.edit(
                "styrdok.toml",
                "title = \"Testkommun\"",
                "title = \"Testkommunen\"",
            );
        }),
        ("a theme", |s| {
            s.write(
                "themes/default/static/style.css",
                b"body { color: black; }\n",
            );
        }),
        ("a commit", |s| {
            git(s.path()).commit_all("Ändringarna");
        }),
        ("a tag", |s| {
            git(s.path()).run(&["tag", "v1.0"]);
        }),
        ("the same length in the same second", |s| {
            s.edit("content/policy.md", "Ett nytt stycke.", "Ett nytt styckE.");
        }),
    ];
    for (what, edit) in edits {
        edit(&site);
        let err = build(&site, &[]);
        assert!(!err.contains(UNCHANGED), "{what}: {err}");
        assert_as_cold(&site);
        assert!(
            build(&site, &[]).contains(UNCHANGED),
            "{what}: then nothing"
        );
    }
}

#[test]
fn an_output_changed_by_hand_is_built_again() {
    let site = TestSite::fixture("basic");
    build(&site, &[]);
    let page = site.path().join("output/policy.html");
    let good = std::fs::read(&page).expect("as set up");
    std::fs::write(&page, b"tampered").expect("as set up");
    assert!(!build(&site, &[]).contains(UNCHANGED));
    assert_eq!(std::fs::read(&page).expect("as set up"), good);
    // An extra file or a removed one too.
    std::fs::write(site.path().join("output/extra.html"), b"x").expect("as set up");
    assert!(!build(&site, &[]).contains(UNCHANGED));
    assert!(!site.path().join("output/extra.html").exists());
    std::fs::remove_file(&page).expect("as set up");
    assert!(!build(&site, &[]).contains(UNCHANGED));
    assert_eq!(std::fs::read(&page).expect("as set up"), good);
}

#[test]
fn a_corrupt_or_foreign_record_is_ignored_with_a_note() {
    let site = TestSite::fixture("basic");
    build(&site, &[]);
    let record = site.path().join(".output.styrdok-build");
    let bytes = std::fs::read(&record).expect("as set up");
    std::fs::write(&record, &bytes[..bytes.len() / 2]).expect("as set up");
    let err = build(&site, &[]);
    assert!(
        err.contains("note: the record of the last build") && err.contains("cannot be read"),
        "{err}"
    );
    assert!(build(&site, &[]).contains(UNCHANGED), "a good record again");
    let text = String::from_utf8(std::fs::read(&record).expect("as set up")).expect("as set up");
    let foreign = text.replacen(
        &format!("styrdok {}", env!("CARGO_PKG_VERSION")),
        "styrdok 0.0.0",
        1,
    );
    assert_ne!(text, foreign);
    std::fs::write(&record, foreign).expect("as set up");
    let err = build(&site, &[]);
    assert!(err.contains("was written by another styrdok"), "{err}");
    // Deleting it costs a build, nothing else.
    std::fs::remove_file(&record).expect("as set up");
    assert!(!build(&site, &[]).contains(UNCHANGED));
    assert_as_cold(&site);
}

#[test]
fn a_stopped_build_leaves_no_record_and_warnings_are_printed_again() {
    let site = TestSite::fixture("basic");
    // A warning (a revision overdue) is counted when nothing changed, not
    // printed: the record keeps no diagnostics, which quote documents of
    // every class.
    site.edit(
        "content/policy.md",
        "nästa_revision: 2027-03-31",
        "nästa_revision: 2026-10-01",
    );
    let first = build(&site, &[]);
    assert!(first.contains("warning[SD"), "{first}");
    let again = build(&site, &[]);
    assert!(again.contains(UNCHANGED), "{again}");
    assert!(!again.contains("warning[SD"), "{again}");
    assert!(
        again.contains("(the last build reported 1 problem here: `styrdok check` shows them)"),
        "{again}"
    );
    let summary = first
        .lines()
        .find(|l| l.starts_with("checked "))
        .expect("as set up");
    assert!(again.contains(summary), "{again}");
    assert!(
        again.ends_with(first.lines().last().expect("as set up"))
            || again
                .trim_end()
                .ends_with(first.trim_end().lines().last().expect("as set up"))
    );
    // An error stops the build: no record, and the next build runs.
    site.edit("content/policy.md", "titel:", "titel: [");
    assert!(!site.run(&["build"]).status.success());
    assert!(!site.path().join(".output.styrdok-build").exists());
    site.edit("content/policy.md", "titel: [", "titel:");
    assert!(!build(&site, &[]).contains(UNCHANGED));
}
