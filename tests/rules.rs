//! Every rule of SPEC 5: a planted defect that triggers it (and nothing
//! else), and near misses that must not. The base is the clean `basic`
//! fixture.

mod common;

use common::TestSite;

type Found = Vec<(String, String, u64)>;

fn basic() -> TestSite {
    TestSite::fixture("basic")
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
    assert_eq!(basic().codes(), vec![]);
}

// --- links ---

#[test]
fn link_to_a_missing_file() {
    let site = basic().edited(FORV, "(drift.md)", "(drfit.md)");
    assert_eq!(site.codes(), one("SD301", FORV, 17));
    let d = &site.check_json()[0];
    assert_eq!(d["column"], 42, "the column of the link's `[`");
    assert_eq!(d["hint"], "did you mean `instruktioner/drift.md`?");
}

#[test]
fn link_to_a_missing_id() {
    let site = basic().edited(DRIFT, "(id:plan-lon#", "(id:plan-lön#");
    assert_eq!(site.codes(), one("SD302", DRIFT, 17));
}

#[test]
fn link_to_a_missing_heading() {
    let site = basic().edited(DRIFT, "#2-mål)", "#2-mal)");
    assert_eq!(site.codes(), one("SD303", DRIFT, 13));
    let site = basic().edited(DRIFT, "#driftgodkännande)", "#Driftgodkännande)");
    assert_eq!(site.codes(), one("SD303", DRIFT, 17));
}

#[test]
fn link_that_leaves_content() {
    let site = basic().edited(FORV, "(drift.md)", "(../../styrdok.toml)");
    assert_eq!(site.codes(), one("SD304", FORV, 17));
    let site = basic().edited(FORV, "(drift.md)", "(/README.md)");
    assert_eq!(site.codes(), one("SD304", FORV, 17));
}

#[test]
fn link_to_a_stricter_classification_is_a_warning() {
    let site = basic().edited(
        "content/policy.md",
        "Mål för arbetet.",
        "Mål för arbetet. Se [Drift](instruktioner/drift.md).",
    );
    assert_eq!(site.codes(), one("SD305", "content/policy.md", 22));
    assert_eq!(site.check_json()[0]["severity"], "warning");
}

#[test]
fn links_that_are_fine_as_a_commonmark_parser_reads_them() {
    let site = basic().with("rules/commonmark_links");
    // The same file with a byte order mark and CRLF line ends.
    let lankar = site.read("content/lankar.md").replace('\n', "\r\n");
    site.write("content/lankar.md", format!("\u{feff}{lankar}").as_bytes());
    assert_eq!(site.codes(), vec![]);
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
    assert_eq!(site.codes(), vec![]);
}

#[test]
fn a_missing_attachment_is_a_missing_file() {
    let site = basic().edited(FORV, "(drift.md)", "(../bilagor/saknas.pdf)");
    assert_eq!(site.codes(), one("SD301", FORV, 17));
}

// --- hierarchy ---

#[test]
fn duplicate_ids() {
    let site = basic().with("rules/duplicate_id");
    assert_eq!(site.codes(), one("SD201", "content/kopia.md", 8));
}

#[test]
fn unknown_and_cyclic_and_orphaned_parents() {
    let site = basic().with("rules/broken_parents");
    assert_eq!(
        site.codes(),
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
    let policy = basic().read("content/policy.md");
    let site = basic().file(
        "content/policy2.md",
        &policy.replace("id: policy", "id: policy-2"),
    );
    assert_eq!(site.codes(), one("SD206", "content/policy2.md", 3));
    // A repealed old policy is fine.
    let site = basic().file(
        "content/policy2.md",
        &policy
            .replace("id: policy", "id: policy-2")
            .replace("status: fastställd", "status: upphävd\nupphävd: 2026-06-01"),
    );
    assert_eq!(site.codes(), vec![]);
}

// --- instructions and plans ---

#[test]
fn an_instruction_missing_an_area() {
    let site = basic().edited(DRIFT, "## Jour och beredskap", "## Jourtjänst");
    assert_eq!(site.codes(), one("SD401", DRIFT, 1));
}

#[test]
fn areas_are_covered_by_names_aliases_numbers_and_joined_headings() {
    let site = basic().with("rules/areas_key_outside_table");
    assert_eq!(
        site.codes()[0].0,
        "SD002",
        "a key outside its table is unknown"
    );
    let site = basic().with("rules/areas_aliases");
    let site = site.edited(
        "content/instruktioner/anvandare.md",
        "## E-post",
        "## 4.1 E-POST och användning av internet",
    );
    let site = site.edited(DRIFT, "## Jour och beredskap", "## Jour  och beredskap!");
    assert_eq!(site.codes(), vec![]);
}

#[test]
fn a_plan_missing_a_section() {
    let site = basic().edited(PLAN, "## Systembeskrivning", "## Beskrivning");
    assert_eq!(site.codes(), one("SD501", PLAN, 1));
}

#[test]
fn a_plan_naming_an_unknown_system_leaves_its_system_without_plan() {
    let site = basic().edited(PLAN, "system: lon", "system: lönn");
    assert_eq!(
        site.codes(),
        vec![
            ("SD502".into(), PLAN.into(), 5),
            ("SD504".into(), REG.into(), 1)
        ]
    );
}

#[test]
fn an_adopted_plan_without_approval() {
    let site = basic().edited(
        PLAN,
        "driftgodkännande:\n  datum: 2026-05-12\n  beslutat_av: Personalchef\n",
        "",
    );
    assert_eq!(site.codes(), one("SD503", PLAN, 1));
    // A draft is not approved yet, and that is fine.
    let site = site.edited(PLAN, "status: fastställd", "status: utkast");
    assert_eq!(site.codes(), vec![]);
}

#[test]
fn a_critical_system_without_a_plan() {
    let site = basic().edited(REG, "  samhällsviktigt: false", "  samhällsviktigt: true");
    assert_eq!(site.codes(), one("SD504", REG, 7));
}

#[test]
fn a_system_without_an_owner() {
    let site = basic().edited(REG, "  systemägare: Kommunikationschef\n", "");
    assert_eq!(site.codes(), one("SD505", REG, 7));
    let site = basic().edited(
        REG,
        "  systemägare: Kommunikationschef\n",
        "  systemägare:\n",
    );
    assert_eq!(site.codes(), one("SD505", REG, 9));
}

#[test]
fn a_site_without_register_has_no_systems() {
    let site = basic().remove(REG);
    assert_eq!(site.codes(), one("SD502", PLAN, 5));
}

// --- review ---

#[test]
fn revision_dates_against_today() {
    let site = basic().edited(
        FORV,
        "nästa_revision: 2027-04-30",
        "nästa_revision: 2026-10-01",
    );
    assert_eq!(site.codes(), one("SD601", FORV, 11));
    let site = basic().edited(
        FORV,
        "nästa_revision: 2027-04-30",
        "nästa_revision: 2026-12-27",
    );
    assert_eq!(site.codes(), one("SD602", FORV, 11));
    let site = basic().edited(
        FORV,
        "nästa_revision: 2027-04-30",
        "nästa_revision: 2026-12-28",
    );
    assert_eq!(
        site.codes(),
        vec![],
        "31 days ahead is outside the default window of 30"
    );
    // A repealed document is not followed up.
    let site = basic().edited(
        FORV,
        "nästa_revision: 2027-04-30",
        "nästa_revision: 2020-01-01",
    );
    let site = site.edited(
        FORV,
        "status: fastställd",
        "status: upphävd\nupphävd: 2026-11-01",
    );
    assert_eq!(site.codes(), vec![]);
}

#[test]
fn a_stale_threat_analysis() {
    let site = basic().edited(
        PLAN,
        "hotbild_analyserad: 2026-04-28",
        "hotbild_analyserad: 2025-11-26",
    );
    assert_eq!(site.codes(), one("SD603", PLAN, 12));
    let site = basic().edited(
        PLAN,
        "hotbild_analyserad: 2026-04-28",
        "hotbild_analyserad: 2025-11-27",
    );
    assert_eq!(
        site.codes(),
        vec![],
        "exactly twelve months is not older than twelve"
    );
}

#[test]
fn an_annual_goal_lacking_one_of_the_five_points() {
    let site = basic().with("rules/annual_goal");
    assert_eq!(site.codes(), one("SD604", "content/mal.md", 19));
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
    let site = basic().edited(FORV, "(drift.md)", "(drfit.md)");
    let site = site.edited(
        FORV,
        "nästa_revision: 2027-04-30",
        "nästa_revision: 2026-10-01",
    );
    let site = site.edited(DRIFT, "#2-mål)", "#2-mal)");
    let site = site.edited(DRIFT, "dokumentägare: IT-chef\n", "");
    let site = site.edited(PLAN, "## Driftgodkännande", "## Godkännande");
    let site = site.edited(
        PLAN,
        "hotbild_analyserad: 2026-04-28",
        "hotbild_analyserad: 2025-01-01",
    );
    let site = site.edited(REG, "  systemägare: Kommunikationschef\n", "");
    let site = site.edited("content/policy.md", "klassning: öppen", "klassning: hemlig");
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        site.codes(),
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
    // Every diagnostic whole, as JSON and as a person reads it.
    insta::assert_snapshot!("multi_defect_check_json", site.check_json_text());
    insta::assert_snapshot!(
        "multi_defect_check_human",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn unsafe_raw_html_and_urls_are_warned_about_and_removed() {
    let site = basic().edited(FORV,
        "Loggar sparas i ett år.",
        "Loggar sparas i ett år. <span onclick=\"stjäl()\">klicka</span> [länk](javascript:alert(1))\n\n<script>alert('x')</script>\n\n<iframe src=\"https://example.org\"></iframe>\n\n<div class=\"ruta\">Ruta</div>",
    );
    assert_eq!(
        site.codes(),
        vec![
            ("SD701".into(), FORV.into(), 17),
            ("SD702".into(), FORV.into(), 17),
            ("SD701".into(), FORV.into(), 19),
            ("SD701".into(), FORV.into(), 21),
        ]
    );
    site.build();
    let page = site.body("instruktioner/forvaltning.html").to_lowercase();
    for bad in ["<script", "onclick", "javascript:", "<iframe", "stjäl"] {
        assert!(!page.contains(bad), "{bad} reached the page");
    }
    assert!(
        page.contains("<div class=\"ruta\">ruta</div>") && page.contains("länk"),
        "safe HTML and link text stay"
    );
}
