//! Revision history and versions from real git repositories made in temp
//! dirs (git is used only to make them; styrdok reads them in-process).

mod common;

use common::git::{git, PER};
use common::TestSite;

const DRIFT: &str = "content/instruktioner/drift.md";

/// The basic fixture in a repository with a few revisions:
/// 1. everything added (Åsa), 2. Drift revised and adopted as 1.0 (Per),
/// 3. Förvaltning renamed (Åsa), 4. Drift edited again (Åsa).
fn repo() -> TestSite {
    let site = TestSite::fixture("basic");
    let d = site.path();
    git(d).init_with_commit("Första utkast");
    site.edit(
        DRIFT,
        "Driften bemannas dygnet runt.",
        "Driften bemannas dygnet runt av två tekniker.",
    );
    site.edit(
        DRIFT,
        "status: remiss\nversion: \"0.9\"",
        "status: fastställd\nversion: \"1.0\"\nfastställd: 2026-02-01\nfastställd_av: IT-chef",
    );
    git(d)
        .by(PER)
        .at("2026-02-01T09:00:00+01:00")
        .commit_all("Drift fastställd");
    git(d).at("2026-03-01T09:00:00+01:00").run(&[
        "mv",
        "content/instruktioner/forvaltning.md",
        "content/instruktioner/forvaltning-2026.md",
    ]);
    git(d)
        .at("2026-03-01T09:00:00+01:00")
        .run(&["commit", "-q", "-m", "Byt namn på Förvaltning"]);
    site.edit(DRIFT, "Två tekniker", "Tre tekniker");
    git(d)
        .at("2026-04-01T09:00:00+02:00")
        .commit_all("Fler tekniker dagtid");
    site
}

#[test]
fn history_pages_list_revisions_newest_first_with_version_and_status() {
    let site = repo();
    site.build();
    let page = site.output("historik/instruktioner/drift.html");
    let rows: Vec<usize> = ["Fler tekniker dagtid", "Drift fastställd", "Första utkast"]
        .iter()
        .map(|m| page.find(m).unwrap_or_else(|| panic!("{m} in {page}")))
        .collect();
    assert!(rows[0] < rows[1] && rows[1] < rows[2], "newest first");
    assert!(
        page.contains("Åsa Öberg") && page.contains("Per Ek"),
        "{page}"
    );
    assert!(page.contains("2026-02-01"), "{page}");
    // The adopting revision is marked.
    let adopted = &page[page.find("<li class=\"adopted\">").expect("adopted row")..];
    assert!(
        adopted[..adopted.find("</summary>").expect("row end")].contains("Drift fastställd"),
        "{adopted}"
    );
    assert!(
        !page.contains("Ändringar som inte är incheckade"),
        "a clean work tree has nothing uncommitted"
    );
    // The whole page: the table of revisions and each one's redline
    // (commit ids are fixed by the fixed authors and dates).
    insta::assert_snapshot!(site.main("historik/instruktioner/drift.html"));
}

#[test]
fn redlines_mark_inserted_and_deleted_words() {
    let site = repo();
    site.build();
    let page = site.output("historik/instruktioner/drift.html");
    assert!(
        page.contains("dygnet runt<ins> av två tekniker</ins>."),
        "{page}"
    );
    assert!(
        page.contains("<del>Två</del><ins>Tre</ins> tekniker"),
        "{page}"
    );
    // The document page shows what changed since it was last adopted (1.0).
    let doc = site.output("instruktioner/drift.html");
    assert!(
        doc.contains("Ändringar sedan senast fastställda version (Version 1.0)"),
        "{doc}"
    );
    assert!(doc.contains("<del>Två</del><ins>Tre</ins>"), "{doc}");
}

#[test]
fn renames_are_followed() {
    let site = repo();
    site.build();
    let page = site.output("historik/instruktioner/forvaltning-2026.html");
    assert!(
        page.contains("Byt namn på Förvaltning") && page.contains("Första utkast"),
        "{page}"
    );
    assert!(
        page.contains("Flyttad från instruktioner/forvaltning.md"),
        "{page}"
    );
}

#[test]
fn uncommitted_changes_show_in_a_local_build() {
    let site = repo();
    site.edit(DRIFT, "Tre tekniker", "Fyra tekniker");
    site.build();
    let page = site.output("historik/instruktioner/drift.html");
    assert!(page.contains("Ändringar som inte är incheckade"), "{page}");
    assert!(page.contains("<del>Tre</del><ins>Fyra</ins>"), "{page}");
}

#[test]
fn merges_count_once() {
    let site = repo();
    let d = site.path();
    git(d)
        .by(PER)
        .at("2026-05-01T09:00:00+02:00")
        .run(&["checkout", "-q", "-b", "gren"]);
    site.edit(
        "content/planer/lon.md",
        "Lönesystemet betalar ut lön.",
        "Lönesystemet betalar ut lön och arvoden.",
    );
    git(d)
        .by(PER)
        .at("2026-05-02T09:00:00+02:00")
        .commit_all("Arvoden i lönesystemet");
    git(d)
        .by(PER)
        .at("2026-05-03T09:00:00+02:00")
        .run(&["checkout", "-q", "main"]);
    site.edit(
        "content/policy.md",
        "Mål för arbetet.",
        "Mål för IT-säkerhetsarbetet.",
    );
    git(d)
        .at("2026-05-03T10:00:00+02:00")
        .commit_all("Policy förtydligad");
    git(d).at("2026-05-04T10:00:00+02:00").run(&[
        "merge",
        "-q",
        "--no-ff",
        "-m",
        "Slå ihop gren",
        "gren",
    ]);
    site.build();
    let plan = site.output("historik/planer/lon.html");
    assert!(plan.contains("Arvoden i lönesystemet"), "{plan}");
    assert!(
        !plan.contains("Slå ihop gren"),
        "the merge is TREESAME to the branch for this file: {plan}"
    );
    let policy = site.output("historik/policy.html");
    assert!(
        policy.contains("Policy förtydligad") && !policy.contains("Slå ihop gren"),
        "{policy}"
    );
}

#[test]
fn a_shallow_clone_warns_and_says_so() {
    let site = repo();
    let tmp = tempfile::tempdir().expect("tmp");
    let clone = tmp.path().join("klon");
    let url = format!("file://{}", site.path().display());
    git(tmp.path())
        .at("2026-06-01T09:00:00+02:00")
        .run(&["clone", "-q", "--depth", "1", &url, "klon"]);
    let out = common::styrdok(&["build"], &clone);
    common::assert_success(&out);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("shallow clone"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = std::fs::read_to_string(clone.join("output/historik/instruktioner/drift.html"))
        .expect("page");
    assert!(page.contains("grund kloning"), "{page}");
    assert!(
        page.contains("Fler tekniker dagtid") && !page.contains("Första utkast"),
        "{page}"
    );
}

#[test]
fn a_site_outside_git_builds_with_a_note() {
    let site = TestSite::fixture("basic");
    site.build();
    let doc = site.output("instruktioner/drift.html");
    assert!(doc.contains("Webbplatsen ligger inte i git"), "{doc}");
    assert!(!site
        .output_files()
        .iter()
        .any(|f| f.starts_with("historik/")));
}

/// `repo()` with tag v1.0 at commit 2, and v1.1 at a later commit where
/// Användare is deleted and a routine is added.
fn tagged() -> TestSite {
    let site = repo();
    git(site.path())
        .at("2026-06-01T09:00:00+02:00")
        .run(&["tag", "v1.0", "HEAD~2"]);
    let site = site
        .remove("content/instruktioner/anvandare.md")
        .with("history/log_review");
    site.edit(
        "styrdok.toml",
        "\"användare\" = [\"E-post\"]",
        "\"användare\" = []",
    );
    let d = site.path();
    git(d)
        .at("2026-06-02T09:00:00+02:00")
        .run(&["add", "-A"])
        .run(&["commit", "-q", "-m", "Användare ersätts, rutin för loggar"]);
    git(d)
        .at("2026-06-03T09:00:00+02:00")
        .run(&["tag", "-a", "v1.1", "-m", "Version 1.1"])
        .run(&["tag", "utkast-1"]);
    site
}

#[test]
fn every_matching_tag_is_a_complete_site_from_git_objects() {
    let site = tagged();
    // Change the work tree after tagging: versions must come from git, not from disk.
    site.edit(DRIFT, "Tre tekniker", "Fem tekniker");
    site.build();
    let files = site.output_files();
    for f in [
        "versioner/v1.0/index.html",
        "versioner/v1.0/instruktioner/drift.html",
        "versioner/v1.0/instruktioner/forvaltning.html",
        "versioner/v1.1/instruktioner/forvaltning-2026.html",
        "versioner/v1.1/rutin.html",
        "versioner/index.html",
    ] {
        assert!(files.contains(&f.to_string()), "missing {f}");
    }
    assert!(
        !files.iter().any(|f| f.starts_with("versioner/utkast-1/")),
        "tags outside the pattern are not built"
    );
    let old = site.output("versioner/v1.0/instruktioner/drift.html");
    assert!(
        old.contains("av två tekniker") && !old.contains("Fem tekniker"),
        "{old}"
    );
    assert!(
        old.contains("arkiverad version") && old.contains("href=\"../../../index.html\""),
        "{old}"
    );
    assert!(
        old.contains("href=\"../../../assets/style.css\""),
        "version pages share the current assets: {old}"
    );
    assert!(!files.contains(&"versioner/v1.1/instruktioner/anvandare.html".to_string()));
}

#[test]
fn change_logs_list_added_changed_and_removed_documents() {
    let site = tagged();
    site.build();
    let log = site.output("versioner/v1.1/andringar.html");
    let section = |h: &str| {
        let start = log.find(h).unwrap_or_else(|| panic!("{h} in {log}"));
        let rest = &log[start..];
        rest[..rest.find("</section>").expect("end")].to_string()
    };
    assert!(
        section("Tillagda dokument").contains("Rutin för loggranskning"),
        "{log}"
    );
    let changed = section("Ändrade dokument");
    assert!(
        changed.contains("IT-säkerhetsinstruktion: Drift")
            && changed.contains("href=\"#andring-drift\""),
        "{changed}"
    );
    assert!(
        section("Borttagna dokument").contains("IT-säkerhetsinstruktion: Användare"),
        "{log}"
    );
    assert!(log.contains("<del>Två</del><ins>Tre</ins>"), "{log}");
    let first = site.output("versioner/v1.0/andringar.html");
    assert!(first.contains("Den första versionen"), "{first}");
    insta::assert_snapshot!(site.main("versioner/v1.1/andringar.html"));
}

/// The commit (8 hex digits, as history pages name revisions) that last
/// changed `path` at `rev`.
fn revision_of(site: &TestSite, rev: &str, path: &str) -> String {
    let full = git(site.path()).output(&["log", "-1", "--format=%H", rev, "--", path]);
    full[..8].to_string()
}

#[test]
fn change_logs_link_each_change_to_its_comparison_in_the_history() {
    let site = tagged();
    site.build();
    let (from, to) = (
        revision_of(&site, "v1.0", DRIFT),
        revision_of(&site, "v1.1", DRIFT),
    );
    let href = format!("../../historik/instruktioner/drift.html#jamfor-{from}-{to}");
    let log = site.output("versioner/v1.1/andringar.html");
    assert!(log.contains(&format!("href=\"{href}\"")), "{href} in {log}");
    // The history page has both ends, so the comparison opens there.
    let data = site.output("historik/instruktioner/drift.data.js");
    assert!(
        data.contains(&format!("\"commit\":\"{from}\""))
            && data.contains(&format!("\"commit\":\"{to}\"")),
        "{data}"
    );

    // The current site no longer publishes Drift: the version is built
    // again, without the link (its key has the links).
    site.edit(
        DRIFT,
        "status: fastställd",
        "klassning: konfidentiell\nstatus: fastställd",
    );
    site.build();
    let log = site.output("versioner/v1.1/andringar.html");
    assert!(log.contains("href=\"#andring-drift\""), "{log}");
    assert!(!log.contains("historik/instruktioner/drift.html"), "{log}");
}

#[test]
fn the_switcher_knows_each_versions_documents() {
    let site = tagged();
    site.build();
    let script = |path: &str, var: &str| -> serde_json::Value {
        let data = site.output(path);
        serde_json::from_str(
            data.trim()
                .trim_start_matches(&format!("window.{var} = "))
                .trim_end_matches(';'),
        )
        .expect("json")
    };
    let json = script("assets/versions-data.js", "STYRDOK_VERSIONS");
    assert_eq!(json["versions"], serde_json::json!(["", "v1.1", "v1.0"]));
    // Every page loads only the names; which versions have a page is in
    // the one list its path hashes to.
    let buckets = json["buckets"].as_u64().expect("buckets") as usize;
    assert!(buckets.is_power_of_two());
    let mut listed = 0;
    for n in 0..buckets {
        let pages = script(&format!("assets/versions/{n}.js"), "STYRDOK_VERSION_PAGES");
        for (page, _) in pages.as_object().expect("map") {
            assert_eq!(styrdok::versions::page_bucket(page, buckets), n, "{page}");
            listed += 1;
        }
    }
    let bucket = |page: &str| {
        let n = styrdok::versions::page_bucket(page, buckets);
        script(&format!("assets/versions/{n}.js"), "STYRDOK_VERSION_PAGES")[page].clone()
    };
    // Användare was in v1.0 only (index 2) and is gone since; the plan is
    // in all three.
    assert_eq!(
        bucket("instruktioner/anvandare.html"),
        serde_json::json!([2])
    );
    assert_eq!(bucket("planer/lon.html"), serde_json::json!([0, 1, 2]));
    assert!(listed >= 5, "{listed} pages listed");
    assert!(site.output("assets/versions-data.js").len() < 200);
    let page = site.output("versioner/v1.0/planer/lon.html");
    assert!(
        page.contains("data-page=\"planer/lon.html\"")
            && page.contains("data-version=\"v1.0\"")
            && page.contains("data-site-root=\"../../../\""),
        "{page}"
    );
}

#[test]
fn built_tags_are_reused() {
    let site = tagged();
    let first = site.run(&["build"]);
    assert!(
        String::from_utf8_lossy(&first.stderr).contains("version v1.0 (1/2): building"),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let before = site.output("versioner/v1.0/instruktioner/drift.html");
    // Without the record of the last build, which would leave the whole
    // output as it is (tests/build_record.rs).
    std::fs::remove_file(site.path().join(".output.styrdok-build")).expect("a record");
    let second = site.run(&["build"]);
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(
        err.contains("version v1.0 (1/2): unchanged, reused")
            && err.contains("version v1.1 (2/2): unchanged, reused"),
        "{err}"
    );
    assert_eq!(
        site.output("versioner/v1.0/instruktioner/drift.html"),
        before
    );
    // A new tag reuses the old ones.
    site.edit("content/rutin.md", "varje vecka", "varje dag");
    git(site.path())
        .by(PER)
        .at("2026-07-01T09:00:00+02:00")
        .commit_all("Daglig granskning")
        .run(&["tag", "v1.2"]);
    let third = site.run(&["build"]);
    let err = String::from_utf8_lossy(&third.stderr);
    assert!(
        err.contains("v1.1 (2/3): unchanged, reused") && err.contains("v1.2 (3/3): building"),
        "{err}"
    );
}

#[test]
fn a_kept_longer_walk_gives_what_a_capped_walk_finds() {
    // The adoption check walks every revision and the history pages then
    // take the newest few of the same walk: they must be what a walk with
    // that cap finds, renames followed, in a repository opened afresh.
    let site = repo();
    let d = site.path();
    let content = d.join("content");
    let tracked: Vec<String> = [
        "instruktioner/drift.md",
        "instruktioner/forvaltning-2026.md",
        "policy.md",
    ]
    .map(String::from)
    .to_vec();
    let ids = |found: &styrdok::git::WalkedHistory| {
        let mut docs: Vec<(String, Vec<(String, String)>)> = found
            .0
            .iter()
            .map(|(p, revs)| {
                let revs = revs
                    .iter()
                    .map(|r| (r.commit.to_string(), r.path.clone()))
                    .collect();
                (p.clone(), revs)
            })
            .collect();
        docs.sort();
        docs
    };
    for cap in [1, 2, 3] {
        let shared = styrdok::git::open(d, &content)
            .expect("open")
            .expect("in git");
        shared
            .history_with_others(&tracked, usize::MAX)
            .expect("walk");
        let kept = shared.history_with_others(&tracked, cap).expect("kept");
        let fresh = styrdok::git::open(d, &content)
            .expect("open")
            .expect("in git");
        let capped = fresh.history_with_others(&tracked, cap).expect("capped");
        assert_eq!(ids(&kept), ids(&capped), "cap {cap}");
        assert!(kept.0.values().all(|r| r.len() <= cap));
        // The renamed document's oldest revision is under its old name.
        let forvaltning = &kept.0["instruktioner/forvaltning-2026.md"];
        if cap >= 2 {
            assert_eq!(forvaltning[1].path, "instruktioner/forvaltning.md");
        }
    }
}
