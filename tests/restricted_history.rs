//! Past revisions and versions keep their own class: text, commit messages
//! and file names of a revision or tag above the publishing limit never
//! reach the output, even when the document is published today.

mod common;

use common::git::git;
use common::TestSite;

/// Every marker is a variation of this word (searched ignoring case).
const MARKER: &str = "hemligmarkor";

/// What the builds left on disk (the output, the spare and the manifests
/// beside it) whose name or bytes hold the marker.
fn leaks(site: &TestSite) -> Vec<String> {
    let files = common::walk(&site.path().join("output")).len();
    assert!(files > 10, "the output was found: {files}");
    common::left_on_disk_with(site.path(), &[MARKER])
}

const DRIFT: &str = "content/instruktioner/drift.md";
const SECRET_FILE: &str = "content/hemlig-HEMLIGMARKOR-NAMN.md";

/// A routine of many lines, so that git pairs its two files as a rename.
fn routine(extra: &str, klassning: &str) -> String {
    let mut s = format!(
        "---\ntitel: Rutin för larm\ntyp: dokument\nstatus: remiss\nversion: \"0.1\"\ndokumentägare: IT-chef\nnästa_revision: 2027-06-30\növerordnad: policy\n{klassning}---\n\n## Larm\n\n"
    );
    for n in 1..=12 {
        s.push_str(&format!(
            "Steg {n}: larmet kontrolleras enligt lista {n}.\n\n"
        ));
    }
    s.push_str(extra);
    s
}

/// The basic fixture in git:
/// 1. everything, Drift adopted as 1.0 (intern), tag v0.9;
/// 2. Drift confidential and adopted as 1.1 with secret text, a
///    confidential routine added, tag v1.0;
/// 3. Drift intern again (secret text gone, a new sentence), the routine
///    moved to `rutin.md` and made intern, tag v1.1.
fn repo(language: &str) -> TestSite {
    let site = TestSite::fixture("basic");
    let d = site.path();
    if !language.is_empty() {
        let config = site.read("styrdok.toml");
        site.write(
            "styrdok.toml",
            format!("language = \"{language}\"\n{config}").as_bytes(),
        );
    }
    site.edit(
        DRIFT,
        "status: remiss\nversion: \"0.9\"",
        "status: fastställd\nversion: \"1.0\"\nfastställd: 2026-02-01\nfastställd_av: IT-chef",
    );
    git(d)
        .at("2026-01-10T10:00:00+01:00")
        .init_with_commit("Första utkast")
        .run(&["tag", "v0.9"]);
    site.edit(
        DRIFT,
        "version: \"1.0\"",
        "version: \"1.1\"\nklassning: konfidentiell",
    );
    site.edit(
        DRIFT,
        "Driften bemannas dygnet runt.",
        "Driften bemannas dygnet runt. Larmkoden är HEMLIGMARKOR-TEXT-1.",
    );
    site.write(
        SECRET_FILE,
        routine(
            "Nyckeln HEMLIGMARKOR-TEXT-2 ligger i kassaskåpet.\n",
            "klassning: konfidentiell\n",
        )
        .as_bytes(),
    );
    git(d)
        .at("2026-02-01T10:00:00+01:00")
        .run(&["add", "-A"])
        .run(&[
            "commit",
            "-q",
            "-m",
            "Larmkod HEMLIGMARKOR-MEDDELANDE-1\n\nBrödtext HEMLIGMARKOR-MEDDELANDE-2",
        ])
        .run(&["tag", "v1.0"]);
    site.edit(DRIFT, "\nklassning: konfidentiell", "");
    site.edit(DRIFT, "status: fastställd", "status: remiss");
    site.edit(
        DRIFT,
        " Larmkoden är HEMLIGMARKOR-TEXT-1.",
        " Jouren nås på växeln.",
    );
    let march = git(d).at("2026-03-01T10:00:00+01:00");
    march.run(&["rm", "-q", SECRET_FILE]);
    site.write("content/rutin.md", routine("", "").as_bytes());
    march
        .run(&["add", "-A"])
        .run(&["commit", "-q", "-m", "Åter intern, rutinen publiceras"])
        .run(&["tag", "v1.1"]);
    site
}

#[test]
fn restricted_past_revisions_leave_no_trace() {
    let site = repo("");
    site.build();
    assert_eq!(leaks(&site), Vec::<String>::new());
    let page = site.output("historik/instruktioner/drift.html");
    assert!(
        page.contains("Åter intern, rutinen publiceras") && page.contains("Första utkast"),
        "{page}"
    );
    assert!(
        page.contains("En revision med begränsat innehåll"),
        "the restricted revision is an entry without content: {page}"
    );
    // The redline of the published revision is against the previous published one.
    assert!(
        page.contains("dygnet runt. <ins>Jouren nås på växeln. </ins>Se"),
        "{page}"
    );
    // Changes since the last adopted version: 1.0, the last adopted that is published.
    let doc = site.output("instruktioner/drift.html");
    assert!(
        doc.contains("Ändringar sedan senast fastställda version (Version 1.0)"),
        "{doc}"
    );
    assert!(doc.contains("<ins>Jouren nås på växeln. </ins>"), "{doc}");
    // v1.0 had Drift confidential: no page there, and v1.1's change log
    // lists it as new, with no redline against the restricted text.
    let files = site.output_files();
    assert!(!files.contains(&"versioner/v1.0/instruktioner/drift.html".to_string()));
    assert!(files.contains(&"versioner/v0.9/instruktioner/drift.html".to_string()));
    let log = site.output("versioner/v1.1/andringar.html");
    let added = &log[log.find("Tillagda dokument").expect("added")..];
    let added = &added[..added.find("</section>").expect("end")];
    assert!(added.contains("IT-säkerhetsinstruktion: Drift"), "{log}");
    // The restricted revision's row and entry, and the redline across it.
    insta::assert_snapshot!(site.main("historik/instruktioner/drift.html"));
}

#[test]
fn a_confidential_rename_source_gives_no_link_text_or_message() {
    let site = repo("");
    site.build();
    assert_eq!(leaks(&site), Vec::<String>::new());
    let page = site.output("historik/rutin.html");
    assert!(page.contains("Åter intern, rutinen publiceras"), "{page}");
    assert!(!page.contains("Flyttad från"), "{page}");
    // The first published revision is shown as created, its text plain:
    // nothing of the restricted revision before it.
    assert!(
        page.contains("<span class=\"rev-changes\">Skapad, "),
        "{page}"
    );
    let redline = common::between(&page, "<div class=\"redline\">", "</div>");
    assert!(redline.contains("<h2>Larm</h2>\n<p>Steg 1: "), "{redline}");
    assert!(
        !redline.contains("<del>") && !redline.contains("<ins>"),
        "{redline}"
    );
}

#[test]
fn the_restricted_revision_entry_speaks_the_sites_language() {
    let site = repo("en");
    site.build();
    assert_eq!(leaks(&site), Vec::<String>::new());
    let page = site.output("historik/instruktioner/drift.html");
    assert!(
        page.contains("A revision with restricted content"),
        "{page}"
    );
}

#[test]
fn a_version_whose_class_cannot_be_read_is_not_published() {
    let site = TestSite::fixture("basic");
    let d = site.path();
    let january = git(d).at("2026-01-10T10:00:00+01:00");
    january.run(&["init", "-q", "-b", "main"]);
    let plan = "content/planer/lon.md";
    site.edit(
        plan,
        "överordnad: policy",
        "överordnad: policy\nklassning: konfidentiel",
    );
    site.edit(
        plan,
        "## Systembeskrivning\n",
        "## Systembeskrivning\n\nHEMLIGMARKOR-TEXT-3 om lönerna.\n",
    );
    january
        .run(&["add", "-A"])
        .run(&["commit", "-q", "-m", "Lön"])
        .run(&["tag", "v1.0"]);
    // Broken front matter of another kind in a later tag.
    site.edit(plan, "klassning: konfidentiel", "klassning: [konfidentiell");
    git(d)
        .at("2026-01-11T10:00:00+01:00")
        .commit_all("Lön igen")
        .run(&["tag", "v1.1"]);
    // Today the plan is fine, and intern without the secret.
    site.edit(plan, "klassning: [konfidentiell", "klassning: intern");
    site.edit(plan, "HEMLIGMARKOR-TEXT-3 om lönerna.\n", "Om lönerna.\n");
    git(d).at("2026-01-12T10:00:00+01:00").commit_all("Lagad");
    let out = site.run(&["build"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("in tag v1.0: `konfidentiel` is not a valid value for `klassning`"),
        "{err}"
    );
    assert!(
        err.contains("in tag v1.1: front matter is not valid YAML"),
        "{err}"
    );
    let files = site.output_files();
    assert!(files.contains(&"versioner/v1.0/policy.html".to_string()));
    assert!(!files.contains(&"versioner/v1.0/planer/lon.html".to_string()));
    assert!(!files.contains(&"versioner/v1.1/planer/lon.html".to_string()));
    assert_eq!(leaks(&site), Vec::<String>::new());
}

#[test]
fn uncommitted_changes_to_a_restricted_head_compare_with_a_published_revision() {
    let site = repo("");
    let d = site.path();
    // HEAD: Drift confidential again, with a secret; the work tree: intern.
    site.edit(
        DRIFT,
        "version: \"1.1\"",
        "version: \"1.1\"\nklassning: konfidentiell",
    );
    site.edit(
        DRIFT,
        "Jouren nås på växeln.",
        "Jouren nås på HEMLIGMARKOR-TEXT-4.",
    );
    git(d)
        .at("2026-04-01T10:00:00+02:00")
        .commit_all("Hemligt igen HEMLIGMARKOR-MEDDELANDE-3");
    site.edit(DRIFT, "\nklassning: konfidentiell", "");
    site.edit(
        DRIFT,
        "Jouren nås på HEMLIGMARKOR-TEXT-4.",
        "Jouren nås på telefon.",
    );
    site.build();
    assert_eq!(leaks(&site), Vec::<String>::new());
    let page = site.output("historik/instruktioner/drift.html");
    assert!(page.contains("Ändringar som inte är incheckade"), "{page}");
    assert!(
        page.contains("<del>växeln</del><ins>telefon</ins>"),
        "{page}"
    );
}

/// A confidential plan written in the same commits as intern documents:
/// its commit messages speak of it, so they are shown on no page.
#[test]
fn a_commit_that_also_made_a_restricted_revision_shows_no_message() {
    let site = TestSite::fixture("basic");
    let d = site.path();
    let git = git(d).at("2026-03-01T09:00:00+01:00");
    git.init_with_commit("Start");
    // 1. A confidential routine and a change to Drift in one commit.
    site.write(
        "content/hemlig.md",
        routine("", "klassning: konfidentiell\n").as_bytes(),
    );
    site.edit(
        DRIFT,
        "## Jour och beredskap",
        "## Jour och beredskap\n\nNy rad om jour.",
    );
    git.run(&["add", "-A"]).run(&[
        "commit",
        "-q",
        "-m",
        "Larmrutin HEMLIGMARKOR-GEMENSAM och jour",
    ]);
    // 2. Another confidential file, written with the policy, then deleted:
    //    it is no document today, but was one then.
    site.write(
        "content/borttagen.md",
        routine("", "klassning: konfidentiell\n").as_bytes(),
    );
    site.edit("content/policy.md", "## ", "Inledande mening.\n\n## ");
    git.run(&["add", "-A"])
        .run(&["commit", "-q", "-m", "Policy och HEMLIGMARKOR-BORTTAGEN"]);
    std::fs::remove_file(d.join("content/borttagen.md")).expect("rm");
    git.commit_all("Städning");
    // 3. A revert quotes the message of the commit it reverts.
    git.run(&["revert", "--no-edit", "HEAD~1"]);
    site.build();
    assert_eq!(leaks(&site), Vec::<String>::new());
    let history = site.output("historik/instruktioner/drift.html");
    assert!(
        history.contains("Meddelandet visas inte") && history.contains("Ny rad om jour"),
        "the revision is there, its message is not: {history}"
    );
    // Commits that touched nothing restricted keep their messages.
    let policy = site.output("historik/policy.html");
    assert!(
        policy.contains("Städning") || policy.contains("Start"),
        "{policy}"
    );
}

#[test]
fn the_revisions_data_script_holds_exactly_the_published_revisions() {
    let site = repo("");
    site.build();
    let page = site.output("historik/instruktioner/drift.html");
    let js = site.output("historik/instruktioner/drift.data.js");
    assert!(
        page.contains("<script src=\"drift.data.js\"></script>"),
        "{page}"
    );
    assert!(!js.to_lowercase().contains(MARKER), "{js}");
    let json = js
        .split_once("window.STYRDOK_REVISIONS = ")
        .and_then(|(_, rest)| rest.trim_end().strip_suffix(';'))
        .expect("one assignment");
    let data: serde_json::Value = serde_json::from_str(json).expect("valid JSON");
    let commits: Vec<&str> = data["revisions"]
        .as_array()
        .expect("revisions")
        .iter()
        .map(|r| r["commit"].as_str().expect("commit"))
        .collect();
    // The page's published revisions, newest first; the restricted one is none of them.
    let on_page: Vec<&str> = page
        .match_indices("id=\"rev-")
        .map(|(k, _)| {
            let rest = &page[k + 8..];
            &rest[..rest.find('"').expect("end")]
        })
        .collect();
    assert_eq!(commits.len(), 2, "{js}");
    assert_eq!(commits, on_page);
    let text = data["revisions"][0]["blocks"].to_string();
    assert!(text.contains("Jouren nås på växeln."), "{text}");
}
