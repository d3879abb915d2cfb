//! `styrdok check`: every front matter problem at its file, line and column,
//! all of them in one run; JSON and human output; exit codes.

mod common;

use common::TestSite;

/// A site of one policy and an empty styrdok.toml, for the cases that
/// generate their files.
fn site() -> TestSite {
    TestSite::fixture("check/policy_only")
}

/// `tests/fixtures/check/<case>`: that policy and the case's documents.
fn case(name: &str) -> TestSite {
    TestSite::fixture(&format!("check/{name}"))
}

fn doc(front: &str) -> String {
    format!("---\n{front}---\n\nText.\n")
}

const VALID_DOC: &str = "titel: Rutin\ntyp: dokument\nstatus: utkast\nversion: \"0.1\"\ndokumentägare: IT-chef\nnästa_revision: 2027-06-30\növerordnad: policy\n";

#[test]
fn a_clean_site_has_no_diagnostics_and_exits_zero() {
    let site = case("clean");
    assert_eq!(site.check(), vec![]);
    assert_eq!(site.run(&["check"]).status.code(), Some(0));
}

#[test]
fn each_kind_of_front_matter_error_is_reported_at_its_line() {
    let site = case("front_matter_errors");
    let got = site.check();
    let expected: Vec<(String, String, u64, u64)> = [
        // an unknown key
        ("SD105", "content/a.md", 9, 1),
        // a bad enum value
        ("SD108", "content/b.md", 3, 6),
        // a bad date
        ("SD107", "content/c.md", 7, 17),
        // a wrong type (a list for text)
        ("SD106", "content/d.md", 5, 10),
        // a missing key: at the opening line
        ("SD104", "content/e.md", 1, 1),
        // a YAML syntax error on line 3
        ("SD103", "content/f.md", 4, 1),
        // no closing delimiter
        ("SD102", "content/g.md", 1, 1),
        // no front matter at all
        ("SD101", "content/h.md", 1, 1),
        // status fastställd without its date and adopter
        ("SD104", "content/i.md", 1, 1),
        ("SD104", "content/i.md", 1, 1),
    ]
    .iter()
    .map(|(c, f, l, col)| (c.to_string(), f.to_string(), *l, *col))
    .collect();
    assert_eq!(got, expected);
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    // Each message and hint as printed.
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stderr));
}

#[test]
fn crlf_and_bom_files_keep_their_line_numbers() {
    // The document with the unknown key on line 9, with a byte order mark
    // and CRLF line ends.
    let lf = std::fs::read_to_string(common::fixture_dir(
        "check/front_matter_errors/content/a.md",
    ))
    .expect("fixture");
    let text = format!("\u{feff}{}", lf.replace('\n', "\r\n"));
    let site = site().file("content/a.md", &text);
    assert_eq!(
        site.check(),
        vec![("SD105".to_string(), "content/a.md".to_string(), 9, 1)]
    );
}

#[test]
fn duplicate_ids_and_broken_hierarchy_are_reported() {
    let site = case("hierarchy");
    let got = site.check();
    let codes: Vec<(&str, &str, u64)> = got
        .iter()
        .map(|(c, f, l, _)| (c.as_str(), f.as_str(), *l))
        .collect();
    assert_eq!(
        codes,
        vec![
            ("SD201", "content/b.md", 3),
            ("SD203", "content/c.md", 8),
            ("SD204", "content/d.md", 9),
            ("SD204", "content/e.md", 9),
        ]
    );
}

#[test]
fn json_output_has_exactly_the_contract_shape() {
    let site = case("json_shape");
    let diags = site.check_json();
    assert_eq!(diags.len(), 1);
    let d = diags[0].as_object().expect("object");
    let mut keys: Vec<&str> = d.keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(
        keys,
        vec!["code", "column", "file", "hint", "line", "message", "severity"]
    );
    assert_eq!(d["severity"], "error");
    assert_eq!(d["file"], "content/a.md");
}

#[test]
fn human_output_snapshot() {
    let site = case("human_output");
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stderr));
}

#[test]
fn warnings_pass_unless_strict() {
    // nästa_revision within 30 days: a warning.
    let site = case("revision_due");
    assert_eq!(
        site.check(),
        vec![("SD602".to_string(), "content/a.md".to_string(), 7, 17)]
    );
    assert_eq!(site.run(&["check"]).status.code(), Some(0));
    assert_eq!(site.run(&["check", "--strict"]).status.code(), Some(1));
    let strict = site.run(&["check", "--strict", "--format", "json"]);
    assert!(String::from_utf8_lossy(&strict.stdout).contains("\"severity\": \"error\""));
}

#[test]
fn config_errors_name_the_key_and_stop_the_run() {
    let site = case("bad_config");
    let got = site.check_json();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["code"], "SD002");
    assert_eq!(got[0]["line"], 3);
    assert!(got[0]["message"]
        .as_str()
        .unwrap_or_default()
        .contains("max_klasning"));
}

#[test]
fn usage_errors_exit_two() {
    let site = site();
    assert_eq!(
        site.run(&["check", "--format", "xml"]).status.code(),
        Some(2)
    );
    let missing = common::styrdok(&["check"], &site.path().join("nowhere"));
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no styrdok.toml"));
}

/// Runs the binary in `dir` without `--root`.
fn run_in(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_styrdok"))
        .args(args)
        .args(["--today", common::TODAY])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run styrdok")
}

#[test]
fn check_inside_content_finds_the_site_root_above() {
    let site = case("from_inside_content");
    let out = run_in(&site.path().join("content/bilagor"), &["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("content/trasig.md:1:1") && stderr.contains("SD101"),
        "{stderr}"
    );
    // A directory with no site above it is still an error that says so.
    let lone = tempfile::tempdir().expect("temp dir");
    let out = run_in(lone.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    // Without `--lang` or a site, in Swedish.
    assert!(String::from_utf8_lossy(&out.stderr).contains("det finns ingen styrdok.toml"));
}

#[test]
fn output_on_the_command_line_is_relative_to_the_current_directory() {
    let site = site();
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let root = site.path().to_string_lossy().into_owned();
    let out = run_in(
        elsewhere.path(),
        &["build", "--root", &root, "--output", "publicerat"],
    );
    common::assert_success(&out);
    assert!(elsewhere.path().join("publicerat/index.html").is_file());
    assert!(!site.path().join("publicerat").exists());
}

#[test]
fn an_unreadable_file_is_shown_at_its_line_in_human_output() {
    let site = site();
    site.write(
        "content/latin1.md",
        b"---\ntitel: X\n---\n\nrad fyra\nrad fem \xe5\xe4\xf6\n",
    );
    let out = site.run(&["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("error[SD004]"), "{stderr}");
    assert!(stderr.contains("--> content/latin1.md:6:9"), "{stderr}");
    let json = site.check_json();
    let d = json.iter().find(|d| d["code"] == "SD004").expect("SD004");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(6), Some(9))
    );
}

fn code_files(site: &TestSite) -> Vec<(String, String, String)> {
    site.check_json()
        .iter()
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap_or_default().to_string();
            (s("code"), s("file"), s("severity"))
        })
        .collect()
}

#[test]
fn an_attachment_cannot_replace_a_generated_page() {
    let mut site = site().file("content/rutiner/larm.md", &doc(VALID_DOC));
    let raw = "<script>alert(document.cookie)</script>";
    let collisions = [
        "content/index.html",
        "content/sok.html",
        "content/hierarki.html",
        "content/assets/search-index.js",
        "content/assets/style.css",
        "content/historik/policy.html",
        "content/versioner/index.html",
        "content/pdf/policy.pdf",
        "content/granskning/index.html",
        "content/rutiner/larm.html",
        "content/Policy.HTML",
    ];
    let active = [
        "content/bilagor/ritning.svg",
        "content/bilagor/Sida.HTM",
        "content/bilagor/sida.xhtml",
        "content/bilagor/skript.js",
        "content/bilagor/modul.MJS",
        "content/bilagor/data.xml",
    ];
    for rel in collisions.iter().chain(&active) {
        site = site.file(rel, raw);
    }
    let found = code_files(&site);
    for rel in collisions {
        assert!(
            found.contains(&("SD006".into(), rel.into(), "error".into())),
            "{rel}: {found:?}"
        );
    }
    for rel in active {
        assert!(
            found.contains(&("SD011".into(), rel.into(), "error".into())),
            "{rel}: {found:?}"
        );
    }
    let human = site.run(&["check"]);
    assert_eq!(human.status.code(), Some(1));
    let text = String::from_utf8_lossy(&human.stdout).to_string()
        + &String::from_utf8_lossy(&human.stderr);
    assert!(
        text.contains("this attachment and content/rutiner/larm.md would be written to the same file `rutiner/larm.html`"),
        "{text}"
    );
    assert_eq!(site.run(&["build"]).status.code(), Some(1));
    assert!(!site.path().join("output").exists());
}

#[test]
fn names_that_cannot_be_published_are_reported() {
    // 254 bytes: the page's name, `.html` for `.md`, would be 256.
    let long = format!("content/{}.md", "l".repeat(251));
    let site = site()
        .file("content/klocka\u{7}.md", &doc(VALID_DOC))
        .file("content/bilaga\u{1b}[31m.pdf", "%PDF\n")
        .file("content/v\u{202e}fdp.exe", "MZ")
        .file(&long, &doc(VALID_DOC))
        .file("content/a:b.md", &doc(VALID_DOC));
    let found = code_files(&site);
    for rel in [
        "content/klocka\u{7}.md",
        "content/bilaga\u{1b}[31m.pdf",
        "content/v\u{202e}fdp.exe",
        long.as_str(),
    ] {
        assert!(
            found.contains(&("SD009".into(), rel.into(), "error".into())),
            "{rel:?}: {found:?}"
        );
    }
    assert!(
        found.contains(&("SD009".into(), "content/a:b.md".into(), "warning".into())),
        "{found:?}"
    );
    // Printed for a terminal, a name's control characters are escaped.
    let human = site.run(&["check"]);
    assert!(!human.stdout.contains(&0x1b) && !human.stderr.contains(&0x1b));
    // A check error, not a failure to write half-way.
    assert_eq!(site.run(&["build"]).status.code(), Some(1));
}

#[test]
fn twins_that_a_file_share_folds_into_one_are_reported() {
    let site = site()
        .file("content/ra\u{30a}pport.pdf", "NFD")
        .file("content/r\u{e5}pport.pdf", "NFC")
        .file("content/Bilaga.pdf", "stor")
        .file("content/bilaga.pdf", "liten")
        .file(
            "content/fo\u{308}rvaring.md",
            &doc(&format!("{VALID_DOC}id: nfd\n")),
        )
        .file(
            "content/f\u{f6}rvaring.md",
            &doc(&format!("{VALID_DOC}id: nfc\n")),
        );
    let found = code_files(&site);
    for rel in [
        "content/r\u{e5}pport.pdf",
        "content/bilaga.pdf",
        "content/f\u{f6}rvaring.md",
    ] {
        assert!(
            found.contains(&("SD006".into(), rel.into(), "error".into())),
            "{rel}: {found:?}"
        );
    }
    for rel in ["content/ra\u{30a}pport.pdf", "content/Bilaga.pdf"] {
        assert!(
            !found.iter().any(|(c, f, _)| c == "SD006" && f == rel),
            "the first of the twins is not the problem: {found:?}"
        );
    }
}
