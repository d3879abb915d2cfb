//! What the desktops of document owners bring: files saved with CRLF line
//! endings (Windows editors, git's `core.autocrlf`), and file systems that
//! ignore case (Windows, macOS), where `Drift.md` and `drift.md` are one
//! file. (A build killed in the portable swap Windows uses is in
//! `robustness.rs`.)

mod common;

use common::git::git;
use common::TestSite;

/// Every Markdown and YAML file of the site with CRLF line endings.
fn with_crlf(site: &TestSite) {
    for path in common::walk(&site.path().join("content")) {
        let rel = path
            .strip_prefix(site.path())
            .expect("prefix")
            .to_string_lossy()
            .replace('\\', "/");
        if rel.ends_with(".md") || rel.ends_with(".yaml") {
            let text = site.read(&rel);
            assert!(!text.contains('\r'), "{rel} has LF endings to start with");
            site.write(&rel, text.replace('\n', "\r\n").as_bytes());
        }
    }
}

/// The human output of `check`, as printed.
fn printed(site: &TestSite) -> String {
    let out = site.run(&["check"]);
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn crlf_documents_get_the_diagnostics_lf_ones_do_at_the_same_places() {
    // Front matter errors of every kind, and the basic site with broken
    // links, a heading that is not an area and a missing required area.
    let sites = || {
        let basic = TestSite::fixture("basic")
            .edited(
                "content/instruktioner/drift.md",
                "(../policy.md#2-mål)",
                "(../policy.md#2-mal)",
            )
            .edited(
                "content/instruktioner/drift.md",
                "## Jour och beredskap",
                "## Jour  \n\nSe [x](drfit.md) och [y](#jour-och-beredskap).",
            );
        [TestSite::fixture("check/front_matter_errors"), basic]
    };
    for (lf, crlf) in sites().into_iter().zip(sites()) {
        with_crlf(&crlf);
        let found = crlf.check();
        assert!(found.len() >= 4, "{found:?}");
        assert_eq!(found, lf.check(), "code, file, line and column");
        assert_eq!(printed(&crlf), printed(&lf), "the lines and carets shown");
        assert!(!crlf.check_json_text().contains("\\r"));
    }
}

#[test]
fn a_crlf_site_builds_the_same_bytes_with_no_carriage_return() {
    let lf = TestSite::fixture("basic");
    let crlf = TestSite::fixture("basic");
    with_crlf(&crlf);
    lf.build();
    crlf.build();
    let files = lf.output_files();
    assert_eq!(crlf.output_files(), files);
    for f in &files {
        let bytes = std::fs::read(crlf.path().join("output").join(f)).expect("read");
        assert!(!bytes.contains(&b'\r'), "a carriage return in {f}");
        let same = std::fs::read(lf.path().join("output").join(f)).expect("read");
        assert!(bytes == same, "{f} differs from the LF build's");
    }
    assert!(crlf
        .output("instruktioner/drift.html")
        .contains("id=\"jour-och-beredskap\""));
}

#[test]
fn a_checkout_with_autocrlf_is_no_change_to_the_committed_text() {
    // git stores LF; a Windows checkout with core.autocrlf=true writes
    // CRLF: the text is the one committed, and adopted.
    let site = TestSite::fixture("basic");
    git(site.path()).init_with_commit("Första utkast");
    with_crlf(&site);
    let out = site.run(&["build", "--strict"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("SD606"), "{err}");
    for page in ["historik/policy.html", "historik/instruktioner/drift.html"] {
        assert!(
            !site
                .output(page)
                .contains("Ändringar som inte är incheckade"),
            "{page} shows uncommitted changes"
        );
    }
}

#[test]
fn folders_spelt_in_two_cases_are_one_folder_on_windows_and_reported() {
    let drift = TestSite::fixture("basic").read("content/instruktioner/drift.md");
    let site = TestSite::fixture("basic")
        .file(
            "content/Instruktioner/natverk.md",
            &drift
                .replace("id: drift", "id: natverk")
                .replace("instruktion: drift", "instruktion: användare"),
        )
        .file("content/bilagor/a.pdf", "%PDF a\n")
        .file("content/Bilagor/b.pdf", "%PDF b\n")
        .edited(
            "content/policy.md",
            "## 1 Inledning",
            "[a](bilagor/a.pdf) [b](Bilagor/b.pdf)\n\n## 1 Inledning",
        );
    let json = site.check_json();
    let twins: Vec<(&str, &str)> = json
        .iter()
        .filter(|d| d["code"] == "SD006")
        .map(|d| {
            (
                d["file"].as_str().unwrap_or_default(),
                d["message"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    // `B` sorts before `b`, and `I` before `i`: the first spelling found
    // is the folder's, the other is reported once, at its first file.
    assert_eq!(
        twins,
        [
            (
                "content/bilagor/a.pdf",
                "this attachment lies in the folder `bilagor`, which content/Bilagor/b.pdf spells `Bilagor`: Windows and macOS take them for one folder"
            ),
            (
                "content/instruktioner/anvandare.md",
                "this document lies in the folder `instruktioner`, which content/Instruktioner/natverk.md spells `Instruktioner`: Windows and macOS take them for one folder"
            ),
        ],
        "{json:#?}"
    );
    assert!(json
        .iter()
        .filter(|d| d["code"] == "SD006")
        .all(|d| d["line"] == 1 && d["column"] == 1));
}

#[test]
fn a_link_that_differs_from_the_file_name_in_case_is_an_error_with_the_right_name() {
    let site = TestSite::fixture("basic")
        .file("content/bilagor/blankett.pdf", "%PDF\n")
        .edited(
            "content/policy.md",
            "## 1 Inledning",
            "[a](instruktioner/Drift.md) [b](INSTRUKTIONER/drift.md) [c](bilagor/Blankett.PDF) [d](bilagor/blankett.pdf)\n\n## 1 Inledning",
        );
    let json = site.check_json();
    let missing: Vec<(&str, &str)> = json
        .iter()
        .filter(|d| d["code"] == "SD301")
        .map(|d| {
            (
                d["message"].as_str().unwrap_or_default(),
                d["hint"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    let hint = |name: &str| {
        format!("the file is named `{name}`: links must spell names as the files do, in case too (Windows and macOS ignore case, web servers may not)")
    };
    assert_eq!(
        missing,
        [
            (
                "link to missing file `instruktioner/Drift.md`",
                hint("instruktioner/drift.md").as_str()
            ),
            (
                "link to missing file `INSTRUKTIONER/drift.md`",
                hint("instruktioner/drift.md").as_str()
            ),
            (
                "link to missing file `bilagor/Blankett.PDF`",
                hint("bilagor/blankett.pdf").as_str()
            ),
        ],
        "{json:#?}"
    );
}
