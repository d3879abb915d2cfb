//! Diagnostics in the reader's language: the rules of validation, links,
//! hierarchy and follow-up speak Swedish on a Swedish site (the default)
//! and English with `--lang en` or `language = "en"`, in the words of the
//! policy; codes and JSON keys stay the same.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{TestSite, TODAY};

/// The basic site with one break of each kind these rules report.
fn broken_site() -> TestSite {
    let site = TestSite::fixture("basic");
    // An instruction without the area the policy's chapter 4 requires.
    site.edit(
        "content/instruktioner/drift.md",
        "## Jour och beredskap",
        "## Driftrutiner",
    );
    // A plan without a section.
    site.edit(
        "content/planer/lon.md",
        "## Systembeskrivning",
        "## Om systemet",
    );
    // A broken link, and a missing anchor with a suggestion.
    site.edit(
        "content/instruktioner/forvaltning.md",
        "[Drift](drift.md)",
        "[Drift](driift.md) och [målen](../policy.md#2-mal)",
    );
    // An unknown governing document.
    site.edit(
        "content/instruktioner/anvandare.md",
        "överordnad: policy",
        "överordnad: polisy",
    );
    // An overdue revision, and a link to a stricter document.
    site.edit(
        "content/policy.md",
        "nästa_revision: 2027-03-31",
        "nästa_revision: 2026-10-01",
    );
    site.edit(
        "content/policy.md",
        "Mål för arbetet.",
        "Mål för arbetet. Se [lönesystemets plan](id:plan-lon).",
    );
    site.edit(
        "content/planer/lon.md",
        "överordnad: policy",
        "överordnad: policy\nklassning: intern",
    );
    site
}

/// `styrdok check` with no `STYRDOK_LANG`, plus `args`.
fn check(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_styrdok"))
        .arg("--root")
        .arg(root)
        .args(["--today", TODAY, "check"])
        .args(args)
        .env_remove("STYRDOK_LANG")
        .env_remove("STYRDOK_TODAY")
        .env("NO_COLOR", "1")
        .output()
        .expect("run styrdok")
}

/// The human output, with the temp dir out of it, and without the notes of
/// the run itself (whether the site is in git), which are not these rules'.
fn human(root: &Path, args: &[&str]) -> String {
    let out = check(root, args);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    String::from_utf8_lossy(&out.stderr)
        .replace(&root.display().to_string(), "[ROOT]")
        .lines()
        .filter(|l| !l.starts_with("note: "))
        .map(|l| format!("{l}\n"))
        .collect()
}

fn json(root: &Path, args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let out = check(root, &all);
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

/// Each diagnostic's keys and code, in order.
fn shape(diags: &[serde_json::Value]) -> Vec<(Vec<String>, String)> {
    diags
        .iter()
        .map(|d| {
            let keys = d.as_object().expect("an object").keys().cloned().collect();
            (keys, d["code"].as_str().unwrap_or_default().to_string())
        })
        .collect()
}

fn texts(diags: &[serde_json::Value]) -> Vec<String> {
    diags
        .iter()
        .flat_map(|d| [d["message"].as_str(), d["hint"].as_str()])
        .flatten()
        .map(str::to_string)
        .collect()
}

#[test]
fn a_swedish_site_reports_in_swedish() {
    let site = broken_site();
    insta::assert_snapshot!(human(site.path(), &[]));
}

#[test]
fn lang_en_reports_in_english() {
    let site = broken_site();
    insta::assert_snapshot!(human(site.path(), &["--lang", "en"]));
}

#[test]
fn json_keeps_its_keys_and_codes_in_both_languages() {
    let site = broken_site();
    let sv = json(site.path(), &[]);
    let en = json(site.path(), &["--lang", "en"]);
    assert_eq!(shape(&sv), shape(&en));
    let codes: Vec<String> = shape(&sv).into_iter().map(|(_, c)| c).collect();
    for code in [
        "SD203", "SD301", "SD303", "SD305", "SD401", "SD501", "SD601",
    ] {
        assert!(codes.iter().any(|c| c == code), "{code} in {codes:?}");
    }
    assert_ne!(texts(&sv), texts(&en));
    for text in texts(&sv).iter().chain(&texts(&en)) {
        assert!(!text.to_lowercase().contains("seed"), "{text}");
    }
    let sv = texts(&sv).join("\n");
    assert!(
        sv.contains("saknar området `Bemanning` som policyns kapitel 4 kräver"),
        "{sv}"
    );
    assert!(sv.contains("policyns kapitel 5"), "{sv}");
}

#[test]
fn an_english_site_speaks_english_without_lang() {
    let site = broken_site();
    site.edit(
        "styrdok.toml",
        "title = \"Testkommun\"",
        "title = \"Testkommun\"\nlanguage = \"en\"",
    );
    let out = human(site.path(), &[]);
    assert!(
        out.contains("lacks the area `Bemanning` that the policy's chapter 4 requires"),
        "{out}"
    );
    assert!(!out.contains("saknar"), "{out}");
    // `--lang` overrides the site's language.
    let sv = human(site.path(), &["--lang", "sv"]);
    assert!(sv.contains("policyns kapitel 4"), "{sv}");
}
