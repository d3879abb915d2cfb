//! Diagnostics in the reader's language: the problems found while a site is
//! read (front matter, the system register, styrdok.toml) in Swedish on a
//! Swedish site and in English with `--lang en`, with the same codes and
//! the same JSON keys, and never a word about "seed".
//!
//! The binary runs here without the harness's `STYRDOK_LANG=en`.

mod common;

use std::process::{Command, Output};

use common::TestSite;

/// The basic site with a problem of each kind the loader reports.
fn site() -> TestSite {
    TestSite::fixture("basic")
        // A missing key: the instruction Drift without `version`.
        .edited(
            "content/instruktioner/drift.md",
            "version: \"0.9\"\n",
            "",
        )
        // A bad value with no near miss.
        .edited(
            "content/instruktioner/drift.md",
            "status: remiss\n",
            "status: remiss\nklassning: hemlig\n",
        )
        // A bad date.
        .edited(
            "content/policy.md",
            "nästa_revision: 2027-03-31",
            "nästa_revision: 2027-13-31",
        )
        // An unknown key with a suggestion.
        .edited(
            "content/instruktioner/anvandare.md",
            "version: \"1.0\"\n",
            "version: \"1.0\"\nklasning: intern\n",
        )
        // A system without an owner (the policy's section 3.2).
        .edited(
            "content/systemregister.yaml",
            "  systemägare: Kommunikationschef\n",
            "",
        )
        // A YAML syntax error.
        .file(
            "content/trasig.md",
            "---\ntitel: [Ett oavslutat\n---\n\nText.\n",
        )
        // An unknown type, with a near miss.
        .file(
            "content/rutin.md",
            "---\ntitel: Rutin\ntyp: instruktio\nid: rutin\nstatus: utkast\nversion: \"0.1\"\ndokumentägare: IT-chef\nnästa_revision: 2027-06-30\növerordnad: policy\n---\n\nText.\n",
        )
}

/// A site whose styrdok.toml declares a field wrongly.
fn config_site() -> TestSite {
    let site = TestSite::fixture("basic");
    let config = site.read("styrdok.toml")
        + "\n[fields.ansvarig]\nlabel = \"Ansvarig\"\ntype = \"choice\"\n";
    site.file("styrdok.toml", &config)
}

/// `styrdok check` with `args`, without the harness's language.
fn check(site: &TestSite, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_styrdok"))
        .arg("--root")
        .arg(site.path())
        .arg("--today")
        .arg(common::TODAY)
        .arg("check")
        .args(args)
        .env_remove("STYRDOK_LANG")
        .env("NO_COLOR", "1")
        .output()
        .expect("run styrdok")
}

/// The human output (diagnostics and summary) of a check.
fn human(site: &TestSite, args: &[&str]) -> String {
    let out = check(site, args);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr)
}

/// The JSON diagnostics of a check.
fn json(site: &TestSite, args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = vec!["--format", "json"];
    all.extend(args);
    let out = check(site, &all);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    match v {
        serde_json::Value::Array(a) => a,
        serde_json::Value::Object(mut o) => match o.remove("diagnostics") {
            Some(serde_json::Value::Array(a)) => a,
            other => panic!("no diagnostics: {other:?}"),
        },
        other => panic!("unexpected JSON: {other}"),
    }
}

#[test]
fn a_swedish_site_reads_its_diagnostics_in_swedish() {
    insta::assert_snapshot!(human(&site(), &[]));
}

#[test]
fn lang_en_reads_them_in_english() {
    insta::assert_snapshot!(human(&site(), &["--lang", "en"]));
}

#[test]
fn a_config_problem_is_in_the_readers_language() {
    let site = config_site();
    let sv = human(&site, &[]);
    assert!(
        sv.contains("`[fields.ansvarig]` är ett val utan `choices`"),
        "{sv}"
    );
    assert!(sv.contains("lägg till `choices = "), "{sv}");
    let en = human(&site, &["--lang", "en"]);
    assert!(
        en.contains("`[fields.ansvarig]` is a choice without `choices`"),
        "{en}"
    );
    let (sv, en) = (json(&site, &[]), json(&site, &["--lang", "en"]));
    assert_eq!(sv.len(), 1);
    assert_eq!(sv[0]["code"], en[0]["code"]);
}

#[test]
fn json_keeps_its_keys_and_codes_in_both_languages() {
    let site = site();
    let sv = json(&site, &[]);
    let en = json(&site, &["--lang", "en"]);
    assert_eq!(sv.len(), en.len());
    assert!(sv.len() >= 7, "{sv:?}");
    for (s, e) in sv.iter().zip(&en) {
        let keys = |v: &serde_json::Value| -> Vec<String> {
            v.as_object().expect("object").keys().cloned().collect()
        };
        assert_eq!(keys(s), keys(e));
        for k in ["code", "severity", "file", "line", "column"] {
            assert_eq!(s[k], e[k], "{k} of {s}");
        }
        assert_ne!(s["message"], e["message"], "{s}");
    }
    for d in sv.iter().chain(&en) {
        for k in ["message", "hint"] {
            let text = d[k].as_str().unwrap_or_default().to_lowercase();
            assert!(!text.contains("seed"), "{d}");
        }
    }
}
