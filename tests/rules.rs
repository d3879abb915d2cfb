//! Every rule of SPEC 5: a planted defect that triggers it (and nothing
//! else), and near misses that must not. The base is the clean `basic`
//! fixture.

mod common;

use common::TestSite;

type Found = Vec<(String, String, u64)>;

fn basic() -> TestSite {
    TestSite::fixture("basic")
}

/// Replaces `from` by `to` in a file of the site (which must contain it).
fn plant(site: TestSite, rel: &str, from: &str, to: &str) -> TestSite {
    let path = site.path().join(rel);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{rel} lacks {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
    site
}

fn found(site: &TestSite) -> Found {
    site.check()
        .into_iter()
        .map(|(c, f, l, _)| (c, f, l))
        .collect()
}

fn one(code: &str, file: &str, line: u64) -> Found {
    vec![(code.to_string(), file.to_string(), line)]
}

const DRIFT: &str = "content/instruktioner/drift.md";
const FORV: &str = "content/instruktioner/forvaltning.md";
const PLAN: &str = "content/planer/lon.md";
const REG: &str = "content/systemregister.yaml";

#[test]
fn the_base_fixture_is_clean() {
    assert_eq!(found(&basic()), vec![]);
}

// --- links ---

#[test]
fn link_to_a_missing_file() {
    let site = plant(basic(), FORV, "(drift.md)", "(drfit.md)");
    assert_eq!(found(&site), one("SD301", FORV, 17));
    let d = &site.check_json()[0];
    assert_eq!(d["column"], 42, "the column of the link's `[`");
    assert_eq!(d["hint"], "did you mean `instruktioner/drift.md`?");
}

#[test]
fn link_to_a_missing_id() {
    let site = plant(basic(), DRIFT, "(id:plan-lon#", "(id:plan-lön#");
    assert_eq!(found(&site), one("SD302", DRIFT, 17));
}

#[test]
fn link_to_a_missing_heading() {
    let site = plant(basic(), DRIFT, "#2-mål)", "#2-mal)");
    assert_eq!(found(&site), one("SD303", DRIFT, 13));
    let site = plant(basic(), DRIFT, "#driftgodkännande)", "#Driftgodkännande)");
    assert_eq!(found(&site), one("SD303", DRIFT, 17));
}

#[test]
fn link_that_leaves_content() {
    let site = plant(basic(), FORV, "(drift.md)", "(../../styrdok.toml)");
    assert_eq!(found(&site), one("SD304", FORV, 17));
    let site = plant(basic(), FORV, "(drift.md)", "(/README.md)");
    assert_eq!(found(&site), one("SD304", FORV, 17));
}

#[test]
fn link_to_a_stricter_classification_is_a_warning() {
    let site = plant(
        basic(),
        "content/policy.md",
        "Mål för arbetet.",
        "Mål för arbetet. Se [Drift](instruktioner/drift.md).",
    );
    assert_eq!(found(&site), one("SD305", "content/policy.md", 22));
    assert_eq!(site.check_json()[0]["severity"], "warning");
}

#[test]
fn links_that_are_fine_as_a_commonmark_parser_reads_them() {
    let site = basic()
        .file("content/mina dokument/a b.md", "---\ntitel: A\ntyp: dokument\nstatus: utkast\nversion: \"1\"\ndokumentägare: X\nnästa_revision: 2027-06-30\növerordnad: policy\nklassning: öppen\n---\n\n## Första rubriken\n\n## Första rubriken\n\n## *Betonad* `kod`\n\n[Samma sida](#första-rubriken-1) och [kod](#betonad-kod).\n")
        .file("content/bilagor/rutin.pdf", "%PDF-1.4\n")
        .file(
            "content/lankar.md",
            "\u{feff}---\r\ntitel: Länkar\r\ntyp: dokument\r\nstatus: utkast\r\nversion: \"1\"\r\ndokumentägare: X\r\nnästa_revision: 2027-06-30\r\növerordnad: policy\r\nklassning: öppen\r\n---\r\n\r\n## Säkerhetskopiering & återläsning\r\n\r\n\
             [procent](policy.md#2-m%C3%A5l) [vinkel](<mina dokument/a b.md#första-rubriken>) [kodad](mina%20dokument/a%20b.md)\r\n\
             [pdf](bilagor/rutin.pdf) [extern](https://example.org/saknas.md) [post](mailto:it@example.org)\r\n\
             [här](#säkerhetskopiering--återläsning) [ref][r] `[kod](saknas.md)`\r\n\r\n\
             ```\r\n[block](saknas.md)\r\n```\r\n\r\n[r]: id:policy#1-inledning\r\n",
        );
    assert_eq!(found(&site), vec![]);
    site.build();
    let page = site.output("lankar.html");
    assert!(page.contains("href=\"policy.html#2-m%C3%A5l\""), "{page}");
    assert!(
        page.contains("href=\"mina%20dokument/a%20b.html#f%C3%B6rsta-rubriken\""),
        "{page}"
    );
    assert!(page.contains("href=\"bilagor/rutin.pdf\""), "{page}");
    assert!(
        page.contains("href=\"https://example.org/saknas.md\""),
        "{page}"
    );
    assert!(page.contains("href=\"policy.html#1-inledning\""), "{page}");
    assert!(site
        .output_files()
        .contains(&"bilagor/rutin.pdf".to_string()));
}

#[test]
fn decomposed_file_names_and_headings_match_composed_links() {
    let site = basic()
        .file("content/fo\u{308}rvaring.md", "---\ntitel: F\ntyp: dokument\nstatus: utkast\nversion: \"1\"\ndokumentägare: X\nnästa_revision: 2027-06-30\növerordnad: policy\nklassning: öppen\n---\n\n## Fo\u{308}rvaring av datamedia\n")
        .file("content/l.md", "---\ntitel: L\ntyp: dokument\nstatus: utkast\nversion: \"1\"\ndokumentägare: X\nnästa_revision: 2027-06-30\növerordnad: policy\nklassning: öppen\n---\n\n[F](förvaring.md#förvaring-av-datamedia)\n");
    assert_eq!(found(&site), vec![]);
}

#[test]
fn a_missing_attachment_is_a_missing_file() {
    let site = plant(basic(), FORV, "(drift.md)", "(../bilagor/saknas.pdf)");
    assert_eq!(found(&site), one("SD301", FORV, 17));
}

// --- hierarchy ---

const DOC: &str = "---\ntitel: D\ntyp: dokument\nstatus: utkast\nversion: \"1\"\ndokumentägare: X\nnästa_revision: 2027-06-30\n";

#[test]
fn duplicate_ids() {
    let site = basic().file(
        "content/kopia.md",
        &format!("{DOC}id: drift\növerordnad: policy\n---\n"),
    );
    assert_eq!(found(&site), one("SD201", "content/kopia.md", 8));
}

#[test]
fn unknown_and_cyclic_and_orphaned_parents() {
    let site = basic()
        .file(
            "content/a.md",
            &format!("{DOC}id: a\növerordnad: policyn\n---\n"),
        )
        .file("content/b.md", &format!("{DOC}id: b\növerordnad: c\n---\n"))
        .file("content/c.md", &format!("{DOC}id: c\növerordnad: b\n---\n"))
        .file("content/d.md", &format!("{DOC}id: d\n---\n"))
        .file("content/e.md", &format!("{DOC}id: e\növerordnad: d\n---\n"));
    assert_eq!(
        found(&site),
        vec![
            ("SD203".into(), "content/a.md".into(), 9),
            ("SD204".into(), "content/b.md".into(), 9),
            ("SD204".into(), "content/c.md".into(), 9),
            ("SD104".into(), "content/d.md".into(), 1),
            ("SD205".into(), "content/e.md".into(), 9),
        ]
    );
}

#[test]
fn a_second_policy() {
    let policy = std::fs::read_to_string(basic().path().join("content/policy.md")).expect("policy");
    let site = basic().file(
        "content/policy2.md",
        &policy.replace("id: policy", "id: policy-2"),
    );
    assert_eq!(found(&site), one("SD206", "content/policy2.md", 3));
    // A repealed old policy is fine.
    let site = basic().file(
        "content/policy2.md",
        &policy
            .replace("id: policy", "id: policy-2")
            .replace("status: fastställd", "status: upphävd"),
    );
    assert_eq!(found(&site), vec![]);
}

// --- instructions and plans ---

#[test]
fn an_instruction_missing_an_area() {
    let site = plant(basic(), DRIFT, "## Jour och beredskap", "## Jourtjänst");
    assert_eq!(found(&site), one("SD401", DRIFT, 1));
}

#[test]
fn areas_are_covered_by_names_aliases_numbers_and_joined_headings() {
    let site = basic().file("styrdok.toml", "\"användare\" = []\n[areas]\nforvaltning = [\"Loggning\"]\ndrift = [{ name = \"Bemanning\", aliases = [\"Jour och beredskap\"] }]\n\"användare\" = [\"E-post\", \"Användning av Internet\"]\n[plan]\nsections = [\"Systembeskrivning\", \"Driftgodkännande\"]\n");
    assert_eq!(
        found(&site)[0].0,
        "SD002",
        "a key outside its table is unknown"
    );
    let site = basic()
        .file("styrdok.toml", "[areas]\nforvaltning = [\"Loggning\"]\ndrift = [{ name = \"Bemanning\", aliases = [\"Jour och beredskap\"] }]\n\"användare\" = [\"E-post\", \"Användning av Internet\"]\n[plan]\nsections = [\"Systembeskrivning\", \"Driftgodkännande\"]\n");
    let site = plant(
        site,
        "content/instruktioner/anvandare.md",
        "## E-post",
        "## 4.1 E-POST och användning av internet",
    );
    let site = plant(
        site,
        DRIFT,
        "## Jour och beredskap",
        "## Jour  och beredskap!",
    );
    assert_eq!(found(&site), vec![]);
}

#[test]
fn a_plan_missing_a_section() {
    let site = plant(basic(), PLAN, "## Systembeskrivning", "## Beskrivning");
    assert_eq!(found(&site), one("SD501", PLAN, 1));
}

#[test]
fn a_plan_naming_an_unknown_system_leaves_its_system_without_plan() {
    let site = plant(basic(), PLAN, "system: lon", "system: lönn");
    assert_eq!(
        found(&site),
        vec![
            ("SD502".into(), PLAN.into(), 5),
            ("SD504".into(), REG.into(), 1)
        ]
    );
}

#[test]
fn an_adopted_plan_without_approval() {
    let site = plant(
        basic(),
        PLAN,
        "driftgodkännande:\n  datum: 2026-05-12\n  beslutat_av: Personalchef\n",
        "",
    );
    assert_eq!(found(&site), one("SD503", PLAN, 1));
    // A draft is not approved yet, and that is fine.
    let site = plant(site, PLAN, "status: fastställd", "status: utkast");
    assert_eq!(found(&site), vec![]);
}

#[test]
fn a_critical_system_without_a_plan() {
    let site = plant(
        basic(),
        REG,
        "  samhällsviktigt: false",
        "  samhällsviktigt: true",
    );
    assert_eq!(found(&site), one("SD504", REG, 7));
}

#[test]
fn a_system_without_an_owner() {
    let site = plant(basic(), REG, "  systemägare: Kommunikationschef\n", "");
    assert_eq!(found(&site), one("SD505", REG, 7));
    let site = plant(
        basic(),
        REG,
        "  systemägare: Kommunikationschef\n",
        "  systemägare:\n",
    );
    assert_eq!(found(&site), one("SD505", REG, 9));
}

#[test]
fn a_site_without_register_has_no_systems() {
    let site = basic().remove(REG);
    assert_eq!(found(&site), one("SD502", PLAN, 5));
}

// --- review ---

#[test]
fn revision_dates_against_today() {
    let site = plant(
        basic(),
        FORV,
        "nästa_revision: 2027-04-30",
        "nästa_revision: 2026-10-01",
    );
    assert_eq!(found(&site), one("SD601", FORV, 11));
    let site = plant(
        basic(),
        FORV,
        "nästa_revision: 2027-04-30",
        "nästa_revision: 2026-12-27",
    );
    assert_eq!(found(&site), one("SD602", FORV, 11));
    let site = plant(
        basic(),
        FORV,
        "nästa_revision: 2027-04-30",
        "nästa_revision: 2026-12-28",
    );
    assert_eq!(
        found(&site),
        vec![],
        "31 days ahead is outside the default window of 30"
    );
    // A repealed document is not followed up.
    let site = plant(
        basic(),
        FORV,
        "nästa_revision: 2027-04-30",
        "nästa_revision: 2020-01-01",
    );
    let site = plant(site, FORV, "status: fastställd", "status: upphävd");
    assert_eq!(found(&site), vec![]);
}

#[test]
fn a_stale_threat_analysis() {
    let site = plant(
        basic(),
        PLAN,
        "hotbild_analyserad: 2026-04-28",
        "hotbild_analyserad: 2025-11-26",
    );
    assert_eq!(found(&site), one("SD603", PLAN, 12));
    let site = plant(
        basic(),
        PLAN,
        "hotbild_analyserad: 2026-04-28",
        "hotbild_analyserad: 2025-11-27",
    );
    assert_eq!(
        found(&site),
        vec![],
        "exactly twelve months is not older than twelve"
    );
}

#[test]
fn an_annual_goal_lacking_one_of_the_five_points() {
    let goals = "---\ntitel: Mål 2026\ntyp: årsmål\nstatus: fastställd\nversion: \"1\"\ndokumentägare: X\nfastställd: 2026-01-10\nfastställd_av: KS\nnästa_revision: 2027-01-31\növerordnad: policy\nklassning: öppen\nmål:\n  - vad: Utbilda all personal\n    sluttid: 2026-06-30\n    resurser: 200 timmar\n    uppföljning: Kvartalsvis\n    information: Intranätet\n    status: pågår\n  - vad: Öva kontinuitet\n    sluttid: 2026-10-31\n    uppföljning: Efter övningen\n    status: planerat\n---\n";
    let site = basic().file("content/mal.md", goals);
    assert_eq!(found(&site), one("SD604", "content/mal.md", 19));
    let msg = site.check_json()[0]["message"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        msg.contains("`resurser`") && msg.contains("`information`"),
        "{msg}"
    );
}

// --- all at once ---

#[test]
fn every_problem_of_a_multi_defect_site_in_one_run() {
    let site = plant(basic(), FORV, "(drift.md)", "(drfit.md)");
    let site = plant(
        site,
        FORV,
        "nästa_revision: 2027-04-30",
        "nästa_revision: 2026-10-01",
    );
    let site = plant(site, DRIFT, "#2-mål)", "#2-mal)");
    let site = plant(site, DRIFT, "dokumentägare: IT-chef\n", "");
    let site = plant(site, PLAN, "## Driftgodkännande", "## Godkännande");
    let site = plant(
        site,
        PLAN,
        "hotbild_analyserad: 2026-04-28",
        "hotbild_analyserad: 2025-01-01",
    );
    let site = plant(site, REG, "  systemägare: Kommunikationschef\n", "");
    let site = plant(
        site,
        "content/policy.md",
        "klassning: öppen",
        "klassning: hemlig",
    );
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        found(&site),
        vec![
            ("SD104".into(), DRIFT.into(), 1),
            ("SD303".into(), DRIFT.into(), 12),
            // The renamed section of the plan breaks the link to it, too.
            ("SD303".into(), DRIFT.into(), 16),
            ("SD601".into(), FORV.into(), 11),
            ("SD301".into(), FORV.into(), 17),
            ("SD501".into(), PLAN.into(), 1),
            ("SD603".into(), PLAN.into(), 12),
            ("SD108".into(), "content/policy.md".into(), 11),
            ("SD505".into(), REG.into(), 7),
        ]
    );
}

#[test]
fn unsafe_raw_html_and_urls_are_warned_about_and_removed() {
    let site = plant(
        basic(),
        FORV,
        "Loggar sparas i ett år.",
        "Loggar sparas i ett år. <span onclick=\"stjäl()\">klicka</span> [länk](javascript:alert(1))\n\n<script>alert('x')</script>\n\n<iframe src=\"https://example.org\"></iframe>\n\n<div class=\"ruta\">Ruta</div>",
    );
    assert_eq!(
        found(&site),
        vec![
            ("SD701".into(), FORV.into(), 17),
            ("SD702".into(), FORV.into(), 17),
            ("SD701".into(), FORV.into(), 19),
            ("SD701".into(), FORV.into(), 21),
        ]
    );
    site.build();
    let html = site.output("instruktioner/forvaltning.html").to_lowercase();
    let page = &html[html.find("<div class=\"doc-body\">").expect("body")
        ..html.find("doc-history").expect("end of body")];
    for bad in ["<script", "onclick", "javascript:", "<iframe", "stjäl"] {
        assert!(!page.contains(bad), "{bad} reached the page");
    }
    assert!(
        page.contains("<div class=\"ruta\">ruta</div>") && page.contains("länk"),
        "safe HTML and link text stay"
    );
}
