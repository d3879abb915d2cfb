//! Adopted means adopted, and overdue where people read: in real git
//! repositories, a text changed since its version was adopted is reported
//! at the changed line (SD606) and said on its page; a version adopted
//! again for another text is reported (SD607); outside git, one note says
//! adoption cannot be verified. Overdue revisions show on their document's
//! page and on the start page, with the latest adoptions.

mod common;

use common::git::{git, PER};
use common::{between, TestSite};

const USERS: &str = "content/instruktioner/anvandare.md";
const DRIFT: &str = "content/instruktioner/drift.md";

/// The new section an author adds to the adopted Användare instruction
/// without a new version.
const NEW_SECTION: &str = "## Skrivare\n\nUtskrifter hämtas direkt.\n\n## E-post";

/// The basic fixture in git: one commit, in which the policy (2.0) and the
/// Användare instruction (1.0) are adopted.
fn adopted() -> TestSite {
    let site = TestSite::fixture("basic");
    git(site.path()).init_with_commit("Första versionen");
    site
}

/// The 1-based line of the first line of `rel` that is `text`.
fn line_of(site: &TestSite, rel: &str, text: &str) -> u64 {
    let n = site
        .read(rel)
        .lines()
        .position(|l| l == text)
        .unwrap_or_else(|| panic!("{text:?} not in {rel}"));
    n as u64 + 1
}

fn sd(site: &TestSite, code: &str) -> Vec<(String, String, u64, u64)> {
    site.check().into_iter().filter(|d| d.0 == code).collect()
}

#[test]
fn a_committed_change_to_adopted_text_is_caught_by_strict_check_and_shown_on_the_page() {
    let site = adopted();
    site.edit(USERS, "## E-post", NEW_SECTION);
    git(site.path())
        .by(PER)
        .at("2026-05-02T09:00:00+02:00")
        .commit_all("Skrivare");
    let line = line_of(&site, USERS, "## Skrivare");
    assert_eq!(
        sd(&site, "SD606"),
        vec![("SD606".into(), USERS.into(), line, 1)]
    );
    let json = site.check_json();
    let d = json.iter().find(|d| d["code"] == "SD606").expect("SD606");
    assert_eq!(d["severity"], "warning");
    let message = d["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("version 1.0 was adopted on 2026-04-20")
            && message.contains("later commit"),
        "{message}"
    );
    // A warning: check passes, and fails with --strict.
    assert_eq!(site.run(&["check"]).status.code(), Some(0));
    let strict = site.run(&["check", "--strict"]);
    assert_eq!(strict.status.code(), Some(1));
    let printed = String::from_utf8_lossy(&strict.stderr);
    assert!(printed.contains(&format!("{USERS}:{line}:1")), "{printed}");
    // The published page says so below the title, above the body, and
    // links to the redline of what is not adopted, which is open.
    site.build();
    let page = site.output("instruktioner/anvandare.html");
    let main = between(&page, "<h1>", "<div class=\"doc-body\">");
    let banner = between(main, "<div class=\"banner banner-unadopted\"", "</div>");
    assert!(banner.contains("role=\"note\""), "{banner}");
    assert!(
        banner.contains("Version 1.0 fastställdes 2026-04-20. Texten har ändrats sedan dess, och ändringarna är inte fastställda."),
        "{banner}"
    );
    assert!(
        banner.contains("href=\"#changes-since-adopted\""),
        "{banner}"
    );
    assert!(
        page.contains("<details id=\"changes-since-adopted\" open>"),
        "{page}"
    );
    assert!(
        between(&page, "id=\"changes-since-adopted\"", "</details>").contains("<ins>"),
        "the redline shows the new section"
    );
    // The policy, unchanged since its adoption, has no banner.
    assert!(!site.output("policy.html").contains("banner-unadopted"));
}

#[test]
fn a_change_in_the_work_tree_only_is_caught_too_and_require_adopted_makes_it_an_error() {
    let site = adopted();
    site.edit(
        USERS,
        "Skicka aldrig känslig information okrypterat.",
        "Skicka känslig information okrypterat om det brådskar.",
    );
    let line = line_of(
        &site,
        USERS,
        "Skicka känslig information okrypterat om det brådskar.",
    );
    let json = site.check_json();
    let d: Vec<_> = json.iter().filter(|d| d["code"] == "SD606").collect();
    assert_eq!(d.len(), 1, "{json:?}");
    assert_eq!(
        (d[0]["file"].as_str(), d[0]["line"].as_u64()),
        (Some(USERS), Some(line))
    );
    assert!(
        d[0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("work tree"),
        "{d:?}"
    );
    site.edit(
        "styrdok.toml",
        "[publish]\n",
        "[publish]\nrequire_adopted = true\n",
    );
    let out = site.run(&["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "an error without --strict");
    let json: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("json");
    let d = json.iter().find(|d| d["code"] == "SD606").expect("SD606");
    assert_eq!(d["severity"], "error");
    // Undone, all is well again.
    site.edit(
        USERS,
        "Skicka känslig information okrypterat om det brådskar.",
        "Skicka aldrig känslig information okrypterat.",
    );
    assert_eq!(sd(&site, "SD606"), vec![]);
    assert_eq!(site.run(&["check", "--strict"]).status.code(), Some(0));
}

#[test]
fn a_version_adopted_again_for_a_different_text_is_reported() {
    let site = adopted();
    let d = site.path();
    // Back to consultation with a new section, then adopted again as 1.0.
    site.edit(USERS, "status: fastställd", "status: remiss");
    site.edit(USERS, "## E-post", NEW_SECTION);
    git(d)
        .at("2026-06-01T09:00:00+02:00")
        .commit_all("Remiss: skrivare");
    site.edit(USERS, "status: remiss", "status: fastställd");
    site.edit(USERS, "fastställd: 2026-04-20", "fastställd: 2026-06-15");
    git(d)
        .at("2026-06-15T09:00:00+02:00")
        .commit_all("Fastställd igen");
    let version = line_of(&site, USERS, "version: \"1.0\"");
    assert_eq!(
        sd(&site, "SD607"),
        vec![("SD607".into(), USERS.into(), version, 10)]
    );
    let json = site.check_json();
    let m = json.iter().find(|d| d["code"] == "SD607").expect("SD607")["message"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        m.contains("adopted on 2026-04-20") && m.contains("adopted again on 2026-06-15"),
        "{m}"
    );
    // The text in force is not the one that adopted 1.0 first.
    assert_eq!(
        sd(&site, "SD606"),
        vec![(
            "SD606".into(),
            USERS.into(),
            line_of(&site, USERS, "## Skrivare"),
            1
        )]
    );
    // A new version for the new text: the reuse is history, not reported.
    site.edit(USERS, "version: \"1.0\"", "version: \"1.1\"");
    git(d)
        .at("2026-06-20T09:00:00+02:00")
        .commit_all("Version 1.1");
    assert_eq!(sd(&site, "SD607"), vec![]);
    assert_eq!(sd(&site, "SD606"), vec![]);
}

#[test]
fn outside_git_one_note_says_adoption_cannot_be_verified() {
    let site = TestSite::fixture("basic");
    let note = "adopted documents still have their adopted text cannot be verified";
    for args in [
        &["check"][..],
        &["check", "--strict", "--format", "json"],
        &["build"],
    ] {
        let out = site.run(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.matches(note).count(), 1, "{args:?}: {stderr}");
        assert!(
            !String::from_utf8_lossy(&out.stdout).contains("SD606"),
            "a note, not a problem"
        );
    }
    assert_eq!(site.run(&["check", "--strict"]).status.code(), Some(0));
    // Required, it cannot be: an error at the key.
    site.edit(
        "styrdok.toml",
        "[publish]\n",
        "[publish]\nrequire_adopted = true\n",
    );
    assert_eq!(
        sd(&site, "SD606"),
        vec![("SD606".into(), "styrdok.toml".into(), 14, 1)]
    );
}

/// The basic fixture in git with revision dates around `--today`
/// (2026-11-27): Användare overdue, Drift due soon, Drift adopted later,
/// and a confidential adopted and overdue document whose title holds a
/// marker.
fn follow_up_site() -> TestSite {
    let site = TestSite::fixture("basic").file(
        "content/hemlig.md",
        "---\ntitel: HEMLIG-MARKÖR-5521\ntyp: dokument\nid: hemlig\nstatus: fastställd\nversion: \"3.0\"\ndokumentägare: IT-chef\nfastställd: 2026-11-01\nfastställd_av: IT-chef\nnästa_revision: 2026-11-02\nklassning: konfidentiell\növerordnad: policy\n---\n\nHemligt.\n",
    );
    site.edit(
        USERS,
        "nästa_revision: 2027-04-30",
        "nästa_revision: 2026-10-01",
    );
    let d = site.path();
    git(d).init_with_commit("Första versionen");
    site.edit(
        DRIFT,
        "status: remiss\nversion: \"0.9\"",
        "status: fastställd\nversion: \"1.0\"\nfastställd: 2026-09-01\nfastställd_av: IT-chef",
    );
    site.edit(
        DRIFT,
        "nästa_revision: 2027-06-30",
        "nästa_revision: 2026-12-10",
    );
    git(d)
        .at("2026-09-01T09:00:00+02:00")
        .commit_all("Drift fastställd");
    site
}

#[test]
fn an_overdue_or_near_revision_shows_on_the_document_page_with_its_date() {
    let site = follow_up_site();
    site.build();
    let users = site.output("instruktioner/anvandare.html");
    let top = between(&users, "<h1>", "<div class=\"doc-body\">");
    assert!(
        top.contains(
            "<strong>Revisionen skulle ha gjorts senast 2026-10-01.</strong> Läget den 2026-11-27."
        ),
        "{top}"
    );
    let drift = site.output("instruktioner/drift.html");
    let top = between(&drift, "<h1>", "<div class=\"doc-body\">");
    assert!(
        top.contains(
            "<strong>Revision ska göras senast 2026-12-10.</strong> Läget den 2026-11-27."
        ),
        "{top}"
    );
    assert!(!site.output("policy.html").contains("banner-revision"));
    assert!(site
        .output("uppfoljning.html")
        .contains("Läget den <strong>2026-11-27</strong>"));
}

#[test]
fn the_start_page_lists_what_is_overdue_and_the_latest_adoptions_of_published_documents() {
    let site = follow_up_site();
    // Adopted while confidential, published since without a new adoption:
    // that adoption is not this build's to name.
    let declassified = "content/nedgraderad.md";
    site.write(
        declassified,
        "---\ntitel: Nedgraderad NEDGRADERAD-7731\ntyp: dokument\nid: nedgraderad\nstatus: fastställd\nversion: \"1.0\"\ndokumentägare: IT-chef\nfastställd: 2026-11-20\nfastställd_av: IT-chef\nnästa_revision: 2027-11-20\nklassning: konfidentiell\növerordnad: policy\n---\n\nText.\n".as_bytes(),
    );
    git(site.path())
        .at("2026-11-20T09:00:00+01:00")
        .run(&["add", "-A"])
        .commit_all("Ny");
    site.edit(
        declassified,
        "klassning: konfidentiell",
        "klassning: intern",
    );
    git(site.path())
        .at("2026-11-21T09:00:00+01:00")
        .commit_all("Nedgraderad");
    site.build();
    assert!(site.output("nedgraderad.html").contains("NEDGRADERAD-7731"));
    let index = site.output("index.html");
    let overview = between(&index, "<div class=\"state-overview\">", "\n</div>");
    insta::assert_snapshot!(overview);
    // Nothing of the confidential document, which is overdue and adopted
    // most recently, in this build's start page.
    assert!(!index.contains("HEMLIG-MARKÖR-5521"), "{index}");
    assert!(!overview.contains("NEDGRADERAD-7731"), "{overview}");
    // A build that may publish it lists it: the marker would be seen.
    site.build_with(&["--max-klassning", "konfidentiell"]);
    let index = site.output("index.html");
    let overview = between(&index, "<div class=\"state-overview\">", "\n</div>");
    assert_eq!(
        overview.matches("HEMLIG-MARKÖR-5521").count(),
        2,
        "{overview}"
    );
}

/// The preview (`serve`) shows the banner as soon as the adopted text is
/// edited, before anything is committed.
#[test]
fn the_preview_shows_the_banner_of_an_edited_adopted_text() {
    let site = adopted();
    let opts = site.preview_options();
    let page = |files: &styrdok::serve::Files| {
        files
            .get("instruktioner/anvandare.html")
            .map(|b| String::from_utf8_lossy(&b.to_vec()).into_owned())
            .expect("the page")
    };
    let before = styrdok::serve::build(&opts).expect("preview");
    assert!(!page(&before).contains("banner-unadopted"));
    site.edit(USERS, "## E-post", NEW_SECTION);
    let after = styrdok::serve::build(&opts).expect("preview");
    assert!(
        page(&after).contains("banner-unadopted"),
        "the edited adopted text is marked in the preview"
    );
}
