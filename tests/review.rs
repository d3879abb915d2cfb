//! `styrdok review`: review sites of a branch against main, in real git
//! repositories made in temp dirs (git makes them; styrdok reads them
//! in-process).

mod common;

use common::git::{git, PER};
use common::server::{next_event, Server};
use common::{between, left_on_disk_with, TestSite};

const DRIFT: &str = "content/instruktioner/drift.md";
const USERS: &str = "content/instruktioner/anvandare.md";
const REGISTER: &str = "content/systemregister.yaml";

const NEW_ROUTINE: &str = "---
titel: Rutin för loggranskning
typ: dokument
id: loggrutin
status: fastställd
version: \"1.0\"
dokumentägare: IT-chef
fastställd: 2026-05-01
fastställd_av: IT-chef
nästa_revision: 2027-05-31
överordnad: policy
---

## Rutin

Loggarna granskas varje vecka.
";

/// The basic fixture on `main`, and a branch `andring` checked out with
/// one commit that edits Drift's body, changes Användare's owner, adds a
/// routine, renames Förvaltning, removes the Lön plan and edits the
/// register (a system's owner, a new system).
fn branch() -> TestSite {
    let site = TestSite::fixture("basic");
    let d = site.path();
    git(d).init_with_commit("Första versionen");
    git(d).run(&["checkout", "-q", "-b", "andring"]);
    site.edit(
        DRIFT,
        "Driften bemannas dygnet runt.",
        "Driften bemannas dygnet runt av två tekniker.",
    );
    site.edit(
        USERS,
        "dokumentägare: IT-säkerhetssamordnare",
        "dokumentägare: Kommundirektör",
    );
    site.write("content/rutiner/logg.md", NEW_ROUTINE.as_bytes());
    git(d).run(&[
        "mv",
        "content/instruktioner/forvaltning.md",
        "content/instruktioner/forvaltning-2026.md",
    ]);
    git(d).run(&["rm", "-q", "content/planer/lon.md"]);
    site.edit(
        REGISTER,
        "systemägare: Kommunikationschef",
        "systemägare: Webbredaktör",
    );
    let text = site.read(REGISTER);
    site.write(
        REGISTER,
        format!("{text}- id: etjanst\n  namn: E-tjänsteplattform\n  systemägare: Digitaliseringschef\n  samhällsviktigt: false\n  klassning: intern\n").as_bytes(),
    );
    git(d)
        .by(PER)
        .at("2026-06-01T09:00:00+02:00")
        .run(&["add", "-A"])
        .run(&["commit", "-q", "-m", "Ändringar att granska"]);
    site
}

/// A file of the review site.
fn review_output(site: &TestSite, rel: &str) -> String {
    std::fs::read_to_string(site.path().join("output-review").join(rel))
        .unwrap_or_else(|e| panic!("output-review/{rel}: {e}"))
}

/// Runs `review ARGS`, asserting success; its stderr.
fn review(site: &TestSite, args: &[&str]) -> String {
    let mut all = vec!["review"];
    all.extend_from_slice(args);
    let out = site.run(&all);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "review {args:?} failed:\n{stderr}");
    stderr
}

/// The start page's rows of documents: (kind, title).
fn doc_rows(page: &str) -> Vec<(String, String)> {
    let table = between(page, "<table class=\"review-docs\">", "</table>\n  </div>");
    table
        .split("<tr class=\"review-")
        .skip(1)
        .map(|row| {
            let kind = row[..row.find('"').expect("kind")].to_string();
            let link = &row[row.find("<a href=").expect("link")..];
            let title = between(link, ">", "</a>")[1..].to_string();
            (kind, title)
        })
        .collect()
}

#[test]
fn a_branch_review_lists_exactly_what_it_touches() {
    let site = branch();
    let stderr = review(&site, &["--base", "main"]);
    assert!(stderr.contains("5 documents touched"), "{stderr}");
    let start = review_output(&site, "granskning/index.html");
    let mut rows = doc_rows(&start);
    rows.sort();
    assert_eq!(
        rows,
        vec![
            ("added".into(), "Rutin för loggranskning".into()),
            (
                "changed".into(),
                "IT-säkerhetsinstruktion: Användare".into()
            ),
            ("changed".into(), "IT-säkerhetsinstruktion: Drift".into()),
            ("removed".into(), "Systemsäkerhetsplan Lön".into()),
            (
                "renamed".into(),
                "IT-säkerhetsinstruktion: Förvaltning".into()
            ),
        ],
        "{start}"
    );
    // Metadata as fields, the register as rows and fields.
    assert!(
        start.contains("<li><code>dokumentägare</code>: <del>IT-säkerhetssamordnare</del> → <ins>Kommundirektör</ins></li>"),
        "{start}"
    );
    let register = between(&start, "review-register-heading", "</section>");
    assert!(
        register.contains("Webbplats (webb)") && register.contains("<ins>Webbredaktör</ins>"),
        "{register}"
    );
    assert!(
        register.contains("E-tjänsteplattform (etjanst)") && register.contains("review-added"),
        "{register}"
    );
    assert!(
        !register.contains("Lönesystem"),
        "unchanged systems are not listed: {register}"
    );
    // What the change does to the rules: the critical system lost its plan.
    let rules = between(&start, "review-rules-heading", "</section>");
    assert!(rules.contains("SD504") && rules.contains("lon"), "{rules}");
    let problems = between(&start, "review-problems-heading", "</section>");
    assert!(
        problems.contains("SD302"),
        "the link to the removed plan: {problems}"
    );
    insta::assert_snapshot!(between(&start, "<main", "</main>"));
}

#[test]
fn each_touched_page_switches_between_clean_and_marked() {
    let site = branch();
    review(&site, &[]);
    let marked = review_output(&site, "granskning/instruktioner/drift.html");
    assert!(marked.contains("<ins> av två tekniker</ins>"), "{marked}");
    assert!(
        marked.contains("href=\"../../instruktioner/drift.html\">Ren sida</a>"),
        "{marked}"
    );
    let clean = review_output(&site, "instruktioner/drift.html");
    assert!(
        clean.contains(
            "href=\"../granskning/instruktioner/drift.html\">Med ändringar markerade</a>"
        ),
        "{clean}"
    );
    assert!(!clean.contains("<ins>"), "the clean page is clean");
    // A page the change does not touch has the site's banner only.
    let policy = review_output(&site, "policy.html");
    assert!(policy.contains("banner-review") && !policy.contains("banner-review-doc"));
    // The removed plan: its old text, all of it struck.
    let removed = review_output(&site, "granskning/planer/lon.html");
    assert!(
        removed.contains("<del>Lönesystemet betalar ut lön.</del>"),
        "{removed}"
    );
    // The renamed file's marked page names both paths.
    let renamed = review_output(&site, "granskning/instruktioner/forvaltning-2026.html");
    assert!(
        renamed.contains("<code>instruktioner/forvaltning.md</code> → <code>instruktioner/forvaltning-2026.md</code>"),
        "{renamed}"
    );
    // The review site is a complete site: the head's pages are all there.
    for page in [
        "index.html",
        "rutiner/logg.html",
        "systemregister.html",
        "assets/style.css",
    ] {
        assert!(
            site.path().join("output-review").join(page).is_file(),
            "{page}"
        );
    }
    assert!(!site.path().join("output-review/planer/lon.html").exists());
}

#[test]
fn problems_introduced_and_resolved_against_the_base_and_a_head_revision() {
    let site = TestSite::fixture("basic");
    let d = site.path();
    site.edit(
        DRIFT,
        "[policyn](../policy.md#2-mål)",
        "[policyn](../saknas.md)",
    );
    git(d).init_with_commit("Med en trasig länk");
    git(d).run(&["checkout", "-q", "-b", "lagning"]);
    site.edit(
        DRIFT,
        "[policyn](../saknas.md)",
        "[policyn](../policy.md#2-mål)",
    );
    git(d).commit_all("Lagar länken");
    git(d).run(&["checkout", "-q", "main"]);
    // Not committed anywhere: a review of `lagning` must not show it.
    site.edit(USERS, "Skicka aldrig", "OBEKRAFTAD-ANDRING skicka aldrig");
    review(&site, &["--base", "main", "--head", "lagning"]);
    let start = review_output(&site, "granskning/index.html");
    let resolved = between(&start, "Problem som ändringen löser", "</section>");
    assert!(
        resolved.contains("SD301") && resolved.contains("saknas.md"),
        "{resolved}"
    );
    let introduced = between(
        &start,
        "Problem som ändringen inför",
        "Problem som ändringen löser",
    );
    assert!(introduced.contains("Inga."), "{introduced}");
    assert_eq!(doc_rows(&start).len(), 1, "{start}");
    assert!(
        start.contains("Granskad revision: <strong>lagning</strong>"),
        "{start}"
    );
    assert!(left_on_disk_with(d, &["OBEKRAFTAD-ANDRING"]).is_empty());
}

#[test]
fn a_confidential_change_shows_only_in_a_review_allowed_to_show_it() {
    let site = TestSite::fixture("basic").file(
        "content/planer/xq7-gammal.md",
        "---
titel: Gammal plan XQ7-GAMMAL
typ: dokument
id: xq7-gammal
status: fastställd
version: \"1.0\"
dokumentägare: XQ7-chef
fastställd: 2026-01-10
fastställd_av: XQ7-chef
nästa_revision: 2027-01-31
överordnad: policy
klassning: konfidentiell
---

Hemlig text XQ7-GAMMAL-TEXT.
",
    );
    let d = site.path();
    git(d).init_with_commit("Första versionen XQ7-MEDDELANDE");
    git(d).run(&["checkout", "-q", "-b", "hemligt"]);
    // Deleted on the branch: it was never published, so it is not "removed".
    git(d).run(&["rm", "-q", "content/planer/xq7-gammal.md"]);
    // A published document links to the confidential plan.
    site.edit(
        DRIFT,
        "Driften bemannas dygnet runt.",
        "Driften bemannas dygnet runt, se [planen](id:plan-xq7).",
    );
    site.write(
        "content/planer/hemlig-xq7.md",
        "---
titel: Plan HEMLIG-XQ7
typ: systemsäkerhetsplan
id: plan-xq7
system: webb
status: utkast
version: \"0.1\"
dokumentägare: XQ7-ägare
nästa_revision: 2027-05-31
överordnad: policy
klassning: konfidentiell
---

## Systembeskrivning

Nätet XQ7-NAT når [den saknade](../xq7-saknas.md).

## Driftgodkännande

Inte ännu.
"
        .as_bytes(),
    );
    // A document that becomes confidential on the branch.
    site.edit(
        USERS,
        "överordnad: policy",
        "överordnad: policy\nklassning: konfidentiell",
    );
    site.edit(USERS, "Skicka aldrig", "XQ7-TEXT: skicka aldrig");
    git(d).run(&["add", "-A"]);
    git(d).commit_all("Hemliga ändringar XQ7-MEDDELANDE");
    let markers = ["xq7", "XQ7"];
    review(&site, &["--base", "main"]);
    assert_eq!(left_on_disk_with(d, &markers), Vec::<String>::new());
    let start = review_output(&site, "granskning/index.html");
    // To its readers the instruction is gone: its old text only.
    let mut rows = doc_rows(&start);
    rows.sort();
    assert_eq!(
        rows,
        vec![
            ("changed".into(), "IT-säkerhetsinstruktion: Drift".into()),
            (
                "removed".into(),
                "IT-säkerhetsinstruktion: Användare".into()
            )
        ]
    );

    let wide = d.join("granskning-konfidentiell");
    let wide_arg = wide.to_string_lossy().into_owned();
    review(
        &site,
        &[
            "--base",
            "main",
            "--max-klassning",
            "konfidentiell",
            "-o",
            &wide_arg,
        ],
    );
    let start = std::fs::read_to_string(wide.join("granskning/index.html")).expect("start");
    let mut rows = doc_rows(&start);
    rows.sort();
    assert_eq!(
        rows,
        vec![
            ("added".into(), "Plan HEMLIG-XQ7".into()),
            (
                "changed".into(),
                "IT-säkerhetsinstruktion: Användare".into()
            ),
            ("changed".into(), "IT-säkerhetsinstruktion: Drift".into()),
            ("removed".into(), "Gammal plan XQ7-GAMMAL".into()),
        ]
    );
    assert!(
        start.contains("xq7-saknas.md"),
        "its problem is shown: {start}"
    );
}

#[test]
fn the_base_defaults_to_the_main_branch_and_needs_git() {
    let site = branch();
    let stderr = review(&site, &[]);
    assert!(stderr.contains("review against main ("), "{stderr}");

    let outside = TestSite::fixture("basic");
    let out = outside.run(&["review"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not in git"), "{stderr}");
    assert!(!outside.path().join("output-review").exists());

    let out = site.run(&["review", "--base", "no-such-branch"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`no-such-branch` names no commit"));
}

/// Saves a file as editors do: a temp file beside it, renamed over it.
fn atomic_save(site: &TestSite, rel: &str, text: &str) {
    let path = site.path().join(rel);
    let tmp = path.with_file_name(".review-save.tmp");
    std::fs::write(&tmp, text).expect("write temp");
    std::fs::rename(&tmp, &path).expect("rename");
}

#[test]
fn serve_base_previews_the_review_and_follows_each_edit() {
    let site = TestSite::fixture("basic");
    git(site.path()).init_with_commit("Första versionen");
    git(site.path()).run(&["checkout", "-q", "-b", "andring"]);
    let drift = site.read(DRIFT);
    atomic_save(
        &site,
        DRIFT,
        &drift.replace("dygnet runt.", "dygnet runt, alla dagar."),
    );
    let server = Server::start_with(&site, &["--base", "main"]);
    let mut events = server.events();
    next_event(&mut events, "hello");
    let (status, _, start) = server.get("/granskning/index.html");
    assert_eq!(status, 200);
    assert_eq!(
        doc_rows(&start),
        vec![("changed".into(), "IT-säkerhetsinstruktion: Drift".into())]
    );
    let (_, _, marked) = server.get("/granskning/instruktioner/drift.html");
    assert!(marked.contains("alla dagar</ins>"), "{marked}");

    // Another document edited: it joins the review, with its banner.
    let users = site.read(USERS);
    atomic_save(
        &site,
        USERS,
        &users.replace("Skicka aldrig", "Skicka under inga villkor"),
    );
    next_event(&mut events, "reload");
    let (_, _, start) = server.get("/granskning/index.html");
    assert_eq!(doc_rows(&start).len(), 2, "{start}");
    let (_, _, page) = server.get("/instruktioner/anvandare.html");
    assert!(page.contains("banner-review-doc"), "{page}");

    // Drift back as on main: it leaves the review, its marked page too.
    atomic_save(&site, DRIFT, &drift);
    next_event(&mut events, "reload");
    let (_, _, start) = server.get("/granskning/index.html");
    assert_eq!(
        doc_rows(&start),
        vec![(
            "changed".into(),
            "IT-säkerhetsinstruktion: Användare".into()
        )]
    );
    let (status, _, _) = server.get("/granskning/instruktioner/drift.html");
    assert_eq!(status, 404);
    let (_, _, page) = server.get("/instruktioner/drift.html");
    assert!(!page.contains("banner-review-doc"), "{page}");
}

#[test]
fn annual_goals_are_compared_as_rows_and_fields() {
    let goals = "---
titel: Årsmål 2026
typ: årsmål
id: årsmål-2026
status: fastställd
version: \"1.0\"
dokumentägare: IT-säkerhetssamordnare
fastställd: 2026-01-26
fastställd_av: Kommunstyrelsen
nästa_revision: 2027-01-31
överordnad: policy
mål:
  - vad: Införa flerfaktorsautentisering.
    sluttid: 2026-06-30
    resurser: Två tekniker.
    uppföljning: Varje månad.
    information: På intranätet.
    status: pågår
  - vad: Öva ett längre IT-avbrott.
    sluttid: 2026-10-31
    resurser: En arbetsdag.
    uppföljning: Efter övningen.
    information: I ledningsgruppen.
    status: planerat
---

Målen för året.
";
    let site = TestSite::fixture("basic").file("content/arsmal.md", goals);
    git(site.path()).init_with_commit("Årsmålen");
    git(site.path()).run(&["checkout", "-q", "-b", "uppfoljning"]);
    site.edit(
        "content/arsmal.md",
        "    status: pågår",
        "    status: genomfört",
    );
    site.edit(
        "content/arsmal.md",
        "  - vad: Öva ett längre IT-avbrott.\n    sluttid: 2026-10-31\n    resurser: En arbetsdag.\n    uppföljning: Efter övningen.\n    information: I ledningsgruppen.\n    status: planerat\n",
        "  - vad: Utbilda alla chefer.\n    sluttid: 2026-12-31\n    resurser: Tre timmar per chef.\n    uppföljning: Varje kvartal.\n    information: Via förvaltningscheferna.\n    status: planerat\n",
    );
    git(site.path()).commit_all("Uppföljning av målen");
    review(&site, &["--base", "main"]);
    let start = review_output(&site, "granskning/index.html");
    let goals = between(&start, "review-goals-heading", "</section>");
    let rows: Vec<&str> = goals
        .split("<tr class=\"review-")
        .skip(1)
        .map(|r| &r[..r.find('"').expect("kind")])
        .collect();
    // The first goal changed in one field; the second replaced: its old
    // text removed, the new one added, each with its fields.
    assert!(
        goals.contains("Införa flerfaktorsautentisering.")
            && goals.contains("<code>status</code>")
            && goals.contains("<del>pågår</del>")
            && goals.contains("<ins>genomfört</ins>"),
        "{goals}"
    );
    assert_eq!(
        rows.iter().filter(|k| **k == "changed").count(),
        1,
        "{goals}"
    );
    assert_eq!(rows.iter().filter(|k| **k == "added").count(), 6, "{goals}");
    assert_eq!(
        rows.iter().filter(|k| **k == "removed").count(),
        6,
        "{goals}"
    );
    assert!(goals.contains("<ins>Utbilda alla chefer.</ins>"), "{goals}");
    assert!(
        goals.contains("<del>Öva ett längre IT-avbrott.</del>"),
        "{goals}"
    );
    assert!(
        goals.contains("Årsmål 2026"),
        "each goal names its document: {goals}"
    );
}

#[test]
fn what_the_change_does_to_the_rules_is_shown_apart() {
    let site = TestSite::fixture("basic");
    git(site.path()).init_with_commit("Första versionen");
    git(site.path()).run(&["checkout", "-q", "-b", "regler"]);
    // An instruction loses its area, a plan its section, and the policy
    // becomes overdue.
    site.edit(USERS, "## E-post", "## Post");
    site.edit(
        "content/planer/lon.md",
        "## Systembeskrivning",
        "## Beskrivning",
    );
    site.edit(
        "content/policy.md",
        "nästa_revision: 2027-03-31",
        "nästa_revision: 2026-10-01",
    );
    git(site.path()).commit_all("Regler bryts");
    review(&site, &["--base", "main"]);
    let start = review_output(&site, "granskning/index.html");
    let broken = between(
        &start,
        "Regler som ändringen bryter",
        "Regler som ändringen uppfyller",
    );
    for code in ["SD401", "SD501", "SD601"] {
        assert!(broken.contains(code), "{code} in {broken}");
    }
    let others = between(
        &start,
        "Problem som ändringen inför",
        "Problem som ändringen löser",
    );
    assert!(
        others.contains("Inga."),
        "rules are not listed twice: {others}"
    );

    // The same change undone on top: each rule is met again.
    git(site.path()).run(&["checkout", "-q", "main"]);
    review(&site, &["--base", "regler"]);
    let start = review_output(&site, "granskning/index.html");
    let mended = between(&start, "Regler som ändringen uppfyller", "</section>");
    for code in ["SD401", "SD501", "SD601"] {
        assert!(mended.contains(code), "{code} in {mended}");
    }
}

#[test]
fn adopting_a_document_is_a_change_of_version_and_status() {
    let site = TestSite::fixture("basic");
    git(site.path()).init_with_commit("Drift på remiss");
    git(site.path()).run(&["checkout", "-q", "-b", "faststall"]);
    site.edit(
        DRIFT,
        "status: remiss\nversion: \"0.9\"",
        "status: fastställd\nversion: \"1.0\"\nfastställd: 2026-06-01\nfastställd_av: IT-chef",
    );
    // Only the version, nothing else.
    site.edit("content/policy.md", "version: \"2.0\"", "version: \"2.1\"");
    git(site.path()).commit_all("Drift fastställd");
    review(&site, &["--base", "main"]);
    let start = review_output(&site, "granskning/index.html");
    assert_eq!(
        doc_rows(&start),
        vec![
            ("changed".into(), "IT-säkerhetspolicy".into()),
            ("changed".into(), "IT-säkerhetsinstruktion: Drift".into())
        ]
    );
    assert!(start.contains("<del>2.0</del> → <ins>2.1</ins>"), "{start}");
    let row = between(&start, "Drift</a> <span class=\"muted\">(", "</tr>");
    assert!(row.contains("<del>0.9</del> → <ins>1.0</ins>"), "{row}");
    assert!(
        row.contains("<del>Remiss</del> → <ins>Fastställd</ins>"),
        "{row}"
    );
    assert!(row.contains("<li><code>fastställd</code>:"), "{row}");
}

#[test]
fn a_head_whose_configuration_is_broken_is_not_reviewed() {
    let site = branch();
    site.edit("styrdok.toml", "title = \"Testkommun\"", "title = ");
    let out = site.run(&["review", "--base", "main"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("SD001") && stderr.contains("review stopped"),
        "{stderr}"
    );
    assert!(!site.path().join("output-review").exists());
}
