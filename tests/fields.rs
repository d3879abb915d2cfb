//! A site's own front-matter keys (`[fields.<key>]` in styrdok.toml): each
//! type's good values on the page and in print, bad ones located, required
//! and misplaced ones reported, and the declarations themselves checked.

mod common;

use common::TestSite;

const FORVALTNING: &str = "content/instruktioner/forvaltning.md";

/// The keys Swedish municipalities' documents carry, one of each type.
const FIELDS: &str = r#"
[fields.diarienummer]
type = "text"
label = { sv = "Diarienummer", en = "Registration number" }
required = true
types = ["policy", "instruktion"]
show = ["page", "print", "search"]

[fields.beslutsparagraf]
type = "text"
label = "Beslutsparagraf"
show = ["print"]

[fields.giltig_till]
type = "date"
label = { sv = "Giltig till", en = "Valid until" }

[fields.antal_sidor]
type = "number"
label = "Antal sidor"
show = ["page"]

[fields.offentlig]
type = "bool"
label = { sv = "Offentlig handling", en = "Public record" }

[fields."nivå"]
type = "choice"
label = "Nivå"
choices = ["kommungemensam", "förvaltningsspecifik"]

[fields."gäller_för"]
type = "list"
label = { sv = "Gäller för", en = "Applies to" }

[fields."ersätter"]
type = "document"
label = { sv = "Ersätter", en = "Replaces" }
types = ["instruktion"]
"#;

/// The basic fixture with the fields declared, every document that needs
/// a diarienummer given one, and Förvaltning given every field.
fn site() -> TestSite {
    let site = TestSite::fixture("basic");
    let toml = site.read("styrdok.toml");
    site.write("styrdok.toml", format!("{toml}{FIELDS}").as_bytes());
    for (i, doc) in [
        "content/policy.md",
        "content/instruktioner/drift.md",
        "content/instruktioner/anvandare.md",
    ]
    .iter()
    .enumerate()
    {
        site.edit(
            doc,
            "dokumentägare:",
            &format!("diarienummer: KS 2026/{}\ndokumentägare:", 10 + i),
        );
    }
    site.edit(
        FORVALTNING,
        "dokumentägare:",
        "diarienummer: KS 2026/123\nbeslutsparagraf: KS § 57\ngiltig_till: 2028-12-31\nantal_sidor: 12\noffentlig: true\nnivå: kommungemensam\ngäller_för:\n  - Socialförvaltningen\n  - Tekniska förvaltningen\nersätter: drift\ndokumentägare:",
    );
    site
}

#[test]
fn every_field_type_shows_on_the_page_with_its_label() {
    let site = site();
    assert_eq!(site.check(), Vec::new());
    site.build();
    let page = site.output("instruktioner/forvaltning.html");
    let control = common::between(&page, "<dl class=\"meta\">", "</dl>");
    for shown in [
        "<dt>Diarienummer</dt><dd>KS 2026/123</dd>",
        "<dt>Giltig till</dt><dd>2028-12-31</dd>",
        "<dt>Antal sidor</dt><dd>12</dd>",
        "<dt>Offentlig handling</dt><dd>ja</dd>",
        "<dt>Nivå</dt><dd>kommungemensam</dd>",
        "<dt>Gäller för</dt><dd>Socialförvaltningen, Tekniska förvaltningen</dd>",
        "<dt>Ersätter</dt><dd><a href=\"drift.html\">IT-säkerhetsinstruktion: Drift</a></dd>",
    ] {
        assert!(control.contains(shown), "{shown} in {control}");
    }
    // Only in print, only on screen.
    assert!(
        control.contains("<div class=\"field-beslutsparagraf print-only\"><dt>Beslutsparagraf</dt><dd>KS § 57</dd>"),
        "{control}"
    );
    assert!(
        control.contains("<div class=\"field-antal_sidor screen-only\">"),
        "{control}"
    );
    // In the order styrdok.toml declares them.
    let at = |s: &str| control.find(s).unwrap_or_else(|| panic!("{s}"));
    assert!(at("Diarienummer") < at("Giltig till") && at("Giltig till") < at("Ersätter"));
}

#[test]
fn labels_and_values_follow_the_sites_language() {
    let site = site();
    site.edit(
        "styrdok.toml",
        "title = \"Testkommun\"",
        "title = \"Testkommun\"\nlanguage = \"en\"",
    );
    site.build();
    let page = site.output("instruktioner/forvaltning.html");
    assert!(
        page.contains("<dt>Registration number</dt><dd>KS 2026/123</dd>"),
        "{page}"
    );
    assert!(
        page.contains("<dt>Public record</dt><dd>yes</dd>"),
        "{page}"
    );
    assert!(
        page.contains("<dt>Beslutsparagraf</dt>"),
        "one label for both: {page}"
    );
}

#[test]
fn bad_values_are_reported_at_the_value() {
    let site = site();
    for (from, to) in [
        ("giltig_till: 2028-12-31", "giltig_till: 2028-13-31"),
        ("antal_sidor: 12", "antal_sidor: tolv"),
        ("offentlig: true", "offentlig: kanske"),
        ("nivå: kommungemensam", "nivå: kommungemensamt"),
        ("ersätter: drift", "ersätter: dirft"),
    ] {
        site.edit(FORVALTNING, from, to);
    }
    let problems = site.check_json();
    let at = |code: &str| -> (u64, u64, String) {
        let d = problems
            .iter()
            .find(|d| d["code"] == code && d["file"] == FORVALTNING)
            .unwrap_or_else(|| panic!("{code} in {problems:?}"));
        (
            d["line"].as_u64().unwrap_or_default(),
            d["column"].as_u64().unwrap_or_default(),
            d["hint"].as_str().unwrap_or_default().to_string(),
        )
    };
    // Lines of the edited front matter: diarienummer is line 8.
    assert_eq!(at("SD107").0, 10, "the date");
    let wrong: Vec<(u64, u64)> = problems
        .iter()
        .filter(|d| d["code"] == "SD106")
        .map(|d| {
            (
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(wrong, vec![(11, 14), (12, 12)], "the number and the yes/no");
    let (line, col, hint) = at("SD108");
    assert_eq!((line, col), (13, 7), "the choice");
    assert!(hint.contains("did you mean `kommungemensam`?"), "{hint}");
    let (line, col, hint) = at("SD302");
    assert_eq!((line, col), (17, 11), "the document id");
    assert!(hint.contains("`drift`"), "{hint}");
}

#[test]
fn required_misplaced_and_unknown_keys() {
    let site = site();
    // Required for a policy: lacking it is reported at the opening line.
    site.edit("content/policy.md", "diarienummer: KS 2026/10\n", "");
    // `ersätter` is for instructions only.
    site.edit(
        "content/planer/lon.md",
        "dokumentägare:",
        "ersätter: drift\ndokumentägare:",
    );
    // Declared keys are suggested for a misspelled one.
    site.edit(
        "content/instruktioner/drift.md",
        "dokumentägare:",
        "diarenummer: X\ndokumentägare:",
    );
    let problems = site.check_json();
    let find = |code: &str, file: &str| {
        problems
            .iter()
            .find(|d| d["code"] == code && d["file"] == file)
            .unwrap_or_else(|| panic!("{code} in {file}: {problems:?}"))
            .clone()
    };
    let missing = find("SD104", "content/policy.md");
    assert_eq!(missing["line"], 1);
    assert!(missing["message"]
        .as_str()
        .unwrap_or_default()
        .contains("`diarienummer`"));
    let misplaced = find("SD110", "content/planer/lon.md");
    assert_eq!(misplaced["line"], 8);
    let unknown = find("SD105", "content/instruktioner/drift.md");
    assert_eq!(unknown["hint"], "did you mean `diarienummer`?");
}

#[test]
fn declarations_are_checked_at_their_table() {
    let site = TestSite::fixture("basic");
    let toml = site.read("styrdok.toml");
    site.write(
        "styrdok.toml",
        format!("{toml}\n[fields.version]\ntype = \"text\"\nlabel = \"Version\"\n").as_bytes(),
    );
    let problems = site.check();
    let lines = toml.lines().count() as u64;
    assert_eq!(
        problems,
        vec![("SD001".into(), "styrdok.toml".into(), lines + 2, 1)],
        "a built-in key cannot be declared again"
    );
    for (bad, what) in [
        (
            "[fields.\"nivå\"]\ntype = \"choice\"\nlabel = \"Nivå\"\n",
            "choice without choices",
        ),
        (
            "[fields.x]\ntype = \"text\"\nlabel = \"X\"\ntypes = [\"riktlinje\"]\n",
            "unknown type",
        ),
        (
            "[fields.x]\ntype = \"färg\"\nlabel = \"X\"\n",
            "unknown kind",
        ),
        ("[fields.x]\ntype = \"text\"\n", "no label"),
    ] {
        site.write("styrdok.toml", format!("{toml}\n{bad}").as_bytes());
        let codes: Vec<String> = site.check().into_iter().map(|(c, ..)| c).collect();
        assert_eq!(codes, vec!["SD001".to_string()], "{what}");
    }
}

#[test]
fn search_filters_carry_the_published_documents_values_only() {
    let site = site();
    // A confidential document's value must not reach the filter.
    site.edit(
        "content/instruktioner/anvandare.md",
        "diarienummer: KS 2026/12",
        "diarienummer: HEMLIGT-DNR-77\nklassning: konfidentiell",
    );
    site.build();
    let page = site.output("sok.html");
    let select = common::between(&page, "<select name=\"f-diarienummer\"", "</select>");
    assert!(
        select.contains("<option>KS 2026/10</option>")
            && select.contains("<option>KS 2026/11</option>")
            && select.contains("<option>KS 2026/123</option>"),
        "{select}"
    );
    assert!(!page.contains("HEMLIGT"), "{page}");
    // Every file of the split index (see tests/search.rs).
    let index = common::walk(&site.path().join("output/assets/search"))
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("index file"))
        .collect::<String>();
    assert!(
        index.contains("\"diarienummer\":{\"KS 2026/10\":"),
        "{index}"
    );
    assert!(index.contains("\"KS 2026/123\":"), "{index}");
    assert!(!index.contains("HEMLIGT"));
    // Fields that are not search filters make none.
    assert!(!page.contains("f-giltig_till"), "{page}");
}
