//! A document's whole life: drafts left out of a default build (and shown
//! by `--drafts`, `[publish] drafts` and `serve`), repealed documents with
//! their replacement and archive, and dates that cannot be right.

mod common;

use common::git::{git, ASA};
use common::server::Server;
use common::{between, TestSite};

const FORV: &str = "content/instruktioner/forvaltning.md";
const OLD: &str = "content/rutiner/gammal.md";

/// The basic site with a repealed routine (`gammal-rutin`, replaced by
/// `ny-rutin`) that the Förvaltning instruction still links to.
fn repealed_site() -> TestSite {
    let site = TestSite::fixture("basic").with("lifecycle/repealed");
    let forv = site.read(FORV);
    site.file(
        FORV,
        &format!("{forv}\nLoggar granskas enligt [rutinen](../rutiner/gammal.md).\n"),
    )
}

/// The documents' navigation of a page.
fn nav(page: &str) -> &str {
    between(page, "<nav class=\"doc-nav\"", "</nav>")
}

#[test]
fn a_repealed_document_says_so_and_moves_to_the_archive() {
    let site = repealed_site();
    let link_line = site.read(FORV).lines().count() as u64;
    // The link from a document in force is a warning naming the replacement.
    let diags = site.check_json();
    let got: Vec<(String, String, u64)> = site.codes();
    assert_eq!(
        got,
        vec![("SD306".to_string(), FORV.to_string(), link_line)],
        "{diags:#?}"
    );
    let hint = diags[0]["hint"].as_str().unwrap_or_default();
    assert!(
        hint.contains("`ny-rutin`") && hint.contains("[Ny rutin för loggning](id:ny-rutin)"),
        "{hint}"
    );
    // No review warnings although its nästa_revision (2026-01-31) has passed.
    site.build();
    let page = site.main("rutiner/gammal.html");
    assert!(
        page.contains(
            "<strong>Upphävd 2026-06-01</strong>, ersatt av <a href=\"ny.html\">Ny rutin för loggning</a>."
        ),
        "{page}"
    );
    assert!(!page.contains("inte fastställt"), "{page}");
    // Gone from the navigation's groups, listed last under its own heading.
    let policy = site.output("policy.html");
    let (groups, archive) = nav(&policy)
        .split_once("<h2>Upphävda dokument</h2>")
        .expect("archive group");
    assert!(!groups.contains("gammal.html"), "{groups}");
    assert!(groups.contains("rutiner/ny.html"), "{groups}");
    assert!(archive.contains("rutiner/gammal.html"), "{archive}");
    // Gone from the hierarchy figure and list, and from the follow-up.
    let index = site.output("index.html");
    let figure = between(&index, "<svg", "</svg>");
    assert!(
        !figure.contains("Gammal rutin") && figure.contains("Ny rutin"),
        "{figure}"
    );
    assert!(!site.main("hierarki.html").contains("Gammal rutin"));
    assert!(!site.main("uppfoljning.html").contains("Gammal rutin"));
    // On the start page, under the archive heading and in no other group.
    let start = site.main("index.html");
    let (before, after) = start.split_once("id=\"arkiv\"").expect("archive");
    assert!(!before.contains("gammal.html"), "{before}");
    assert!(after.contains("href=\"rutiner/gammal.html\""), "{after}");
    // The nav's long-list link and the archive agree on the anchor.
    assert!(after.starts_with(">Upphävda dokument</h2>"), "{after}");

    // In English.
    let config = site.read("styrdok.toml");
    site.write(
        "styrdok.toml",
        format!("language = \"en\"\n{config}").as_bytes(),
    );
    site.build();
    let page = site.main("rutiner/gammal.html");
    assert!(
        page.contains(
            "<strong>Repealed 2026-06-01</strong>, replaced by <a href=\"ny.html\">Ny rutin för loggning</a>."
        ),
        "{page}"
    );
    assert!(nav(&site.output("policy.html")).contains("<h2>Repealed documents</h2>"));
}

#[test]
fn the_replacement_must_exist_and_the_repeal_needs_a_date() {
    let site = repealed_site().edited(OLD, "ersatt_av: ny-rutin", "ersatt_av: ny-rutim");
    let diags = site.check_json();
    let got = site.check();
    assert!(
        got.contains(&("SD207".to_string(), OLD.to_string(), 11, 12)),
        "{diags:#?}"
    );
    let d = diags.iter().find(|d| d["code"] == "SD207").expect("SD207");
    assert_eq!(d["hint"], "did you mean `ny-rutin`?");
    // The link is still reported, now without a replacement to suggest.
    let link = diags.iter().find(|d| d["code"] == "SD306").expect("SD306");
    assert!(
        link["hint"]
            .as_str()
            .is_some_and(|h| h.contains("without a replacement")),
        "{link:#?}"
    );
    // Replaced by itself.
    let site = repealed_site().edited(OLD, "ersatt_av: ny-rutin", "ersatt_av: gammal-rutin");
    assert!(site
        .codes()
        .contains(&("SD207".to_string(), OLD.to_string(), 11)));
    // `upphävd` is required with the status, and belongs to it alone.
    let site = repealed_site().edited(OLD, "upphävd: 2026-06-01\n", "");
    assert!(site
        .codes()
        .contains(&("SD104".to_string(), OLD.to_string(), 1)));
    let site = repealed_site().edited(
        "content/rutiner/ny.md",
        "status: fastställd",
        "status: fastställd\nersatt_av: gammal-rutin",
    );
    assert!(site
        .codes()
        .contains(&("SD110".to_string(), "content/rutiner/ny.md".to_string(), 6)));
}

/// Strings of a draft: its title, id, file name, body, a heading, and the
/// name and bytes of the attachment only it links to.
const DRAFT: [&str; 8] = [
    "UTKASTTITEL5811",
    "utkast-id-5812",
    "utkastfil5813",
    "UTKASTTEXT5814",
    "utkastrubrik5815",
    "utkastbilaga5816",
    "UTKASTBILAGA5817",
    "UTKASTMEDDELANDE5818",
];

/// The basic site (its remiss instruction too) with a draft routine that
/// links to an attachment and to an adopted routine, which links back;
/// drafts left to the default. In git, with the draft in two tags and a
/// commit that changed both routines.
fn draft_site() -> TestSite {
    let site = TestSite::fixture("basic").with("lifecycle/drafts").edited(
        "styrdok.toml",
        "drafts = true",
        "drafts = false",
    );
    let g = git(site.path());
    g.init_with_commit("Rutiner").run(&["tag", "v1.0"]);
    site.edit(
        "content/rutiner/utkastfil5813.md",
        "inte räcker",
        "inte räcker längre",
    );
    site.edit(
        "content/rutiner/publicerad.md",
        "varje kvartal",
        "varje månad",
    );
    g.by(ASA)
        .at("2026-06-01T10:00:00+02:00")
        .commit_all("Rutiner: UTKASTMEDDELANDE5818")
        .run(&["tag", "v1.1"]);
    site
}

#[test]
fn drafts_leave_no_trace_in_a_default_build() {
    let site = draft_site();
    // A build with drafts first: what it leaves beside the output must go.
    let out = site.run(&["build", "--drafts"]);
    common::assert_success(&out);
    let found = common::left_on_disk_with(site.path(), &DRAFT);
    assert!(
        found.contains(&"output/rutiner/utkastfil5813.html".to_string())
            && found.contains(&"output/bilagor/utkastbilaga5816.pdf".to_string())
            && found
                .iter()
                .any(|f| f.starts_with("output/versioner/v1.0/rutiner/utkastfil5813")),
        "{found:?}"
    );
    let out = site.run(&["build"]);
    common::assert_success(&out);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("2 drafts (utkast, remiss) left out"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The drafts build's output, now beside the output as the spare, is
    // removed; and again after a second build, which reuses the spare.
    for _ in 0..2 {
        assert_eq!(
            common::left_on_disk_with(site.path(), &DRAFT),
            Vec::<String>::new()
        );
        site.build();
    }
    // The link to it is plain text marked not yet adopted, not restricted.
    let page = site.main("rutiner/publicerad.html");
    assert!(
        page.contains(
            "<span class=\"not-adopted\" title=\"Ej fastställt: dokumentet är ett utkast och publiceras inte i denna utgåva\">kommande rutinen</span>"
        ),
        "{page}"
    );
    assert!(!page.contains("class=\"restricted\""), "{page}");
    // The remiss instruction is left out too; the message of the commit
    // that changed the draft is withheld from the adopted routine's history.
    assert!(!site.path().join("output/instruktioner/drift.html").exists());
    let history = site.main("historik/rutiner/publicerad.html");
    assert!(history.contains("Meddelandet visas inte"), "{history}");
}

#[test]
fn drafts_are_published_when_asked_for_and_previewed_by_serve() {
    let site = draft_site();
    // `[publish] drafts = true` as `--drafts`.
    let site = site.edited("styrdok.toml", "drafts = false", "drafts = true");
    site.build();
    let page = site.main("rutiner/utkastfil5813.html");
    assert!(
        page.contains("<strong>Utkast.</strong> Detta dokument är inte fastställt."),
        "{page}"
    );
    assert!(site
        .path()
        .join("output/bilagor/utkastbilaga5816.pdf")
        .is_file());
    let linking = site.main("rutiner/publicerad.html");
    assert!(
        linking.contains("href=\"utkastfil5813.html#utkastrubrik5815\""),
        "{linking}"
    );
    // `serve` shows drafts, with the preview banner, whatever the
    // configuration says.
    let site = site.edited("styrdok.toml", "drafts = true", "drafts = false");
    let server = Server::start(&site);
    let (status, _, body) = server.get("/rutiner/utkastfil5813.html");
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains("FÖRHANDSGRANSKNING") && body.contains("UTKASTTEXT5814"),
        "{body}"
    );
    let (status, _, _) = server.get("/bilagor/utkastbilaga5816.pdf");
    assert_eq!(status, 200);
}

#[test]
fn dates_that_cannot_be_right_are_errors_at_their_value() {
    let impossible = |site: &TestSite| -> Vec<(String, String, u64, u64)> {
        site.check()
            .into_iter()
            .filter(|d| d.0 == "SD111")
            .collect()
    };
    let sd111 =
        |file: &str, line: u64, col: u64| ("SD111".to_string(), file.to_string(), line, col);
    // Adopted after today (2026-11-27).
    let site =
        TestSite::fixture("basic").edited(FORV, "fastställd: 2026-04-20", "fastställd: 2026-12-01");
    assert_eq!(impossible(&site), vec![sd111(FORV, 9, 13)]);
    let json = site.check_json();
    assert!(json[0]["message"]
        .as_str()
        .is_some_and(|m| m.contains("after today (2026-11-27)")));
    // Followed up before it was adopted.
    let site = TestSite::fixture("basic").edited(
        FORV,
        "nästa_revision: 2027-04-30",
        "nästa_revision: 2026-04-01",
    );
    assert_eq!(impossible(&site), vec![sd111(FORV, 11, 17)]);
    // A threat analysis made in the future.
    let plan = "content/planer/lon.md";
    let site = TestSite::fixture("basic").edited(
        plan,
        "hotbild_analyserad: 2026-04-28",
        "hotbild_analyserad: 2026-12-24",
    );
    assert_eq!(impossible(&site), vec![sd111(plan, 12, 21)]);
    // Repealed before it was adopted, and repealed in the future.
    let site = repealed_site().edited(OLD, "upphävd: 2026-06-01", "upphävd: 2024-12-31");
    assert_eq!(impossible(&site), vec![sd111(OLD, 10, 10)]);
    let site = repealed_site().edited(OLD, "upphävd: 2026-06-01", "upphävd: 2027-01-01");
    assert_eq!(impossible(&site), vec![sd111(OLD, 10, 10)]);
    // Each stops a build.
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
}
