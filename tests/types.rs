//! A site's own document types (`[types.<name>]` in styrdok.toml): their
//! labels wherever types show, their place in the hierarchy, required
//! sections and review date, and `styrdok new dokument --typ`.

mod common;

use common::{between, TestSite};

const TYPES: &str = r#"
[types.riktlinje]
label = { sv = "Riktlinje", en = "Guideline" }
plural = { sv = "Riktlinjer", en = "Guidelines" }
parents = ["policy"]
sections = ["Syfte", { name = "Ansvar", aliases = ["Roller och ansvar"] }]

[types.rutin]
label = "Rutin"
plural = "Rutiner"
parents = ["riktlinje"]
review_date = false

[fields.diarienummer]
type = "text"
label = "Diarienummer"
types = ["riktlinje"]
required = true

[fields.beslutsparagraf]
type = "text"
label = "Beslutsparagraf"
types = ["riktlinje"]
"#;

const GUIDELINE: &str = "---
titel: Riktlinje för behörigheter
typ: riktlinje
id: riktlinje-behorighet
status: fastställd
version: \"1.0\"
diarienummer: KS 2026/412
beslutsparagraf: KS § 57
dokumentägare: IT-chef
fastställd: 2026-03-01
fastställd_av: Kommunstyrelsen
nästa_revision: 2027-03-31
överordnad: policy
---

## Syfte

Riktlinjen anger hur behörigheter beställs och tas bort.

## Roller och ansvar

Chefen beställer, IT-enheten lägger upp.
";

const ROUTINE: &str = "---
titel: Rutin för borttag av behörighet
typ: rutin
id: rutin-borttag
status: fastställd
version: \"1.0\"
dokumentägare: IT-chef
fastställd: 2026-03-10
fastställd_av: IT-chef
överordnad: riktlinje-behorighet
---

Behörigheten tas bort samma dag som anställningen upphör.
";

fn site() -> TestSite {
    let site = TestSite::fixture("basic")
        .file("content/riktlinjer/behorighet.md", GUIDELINE)
        .file("content/rutiner/borttag.md", ROUTINE);
    let toml = site.read("styrdok.toml");
    site.write("styrdok.toml", format!("{toml}{TYPES}").as_bytes());
    site
}

#[test]
fn own_types_check_and_show_everywhere_types_show() {
    let site = site();
    assert_eq!(site.check(), Vec::new(), "a rutin needs no review date");
    site.build();
    let page = site.output("riktlinjer/behorighet.html");
    assert!(
        page.contains("<article class=\"doc doc-riktlinje\">"),
        "{page}"
    );
    assert!(
        page.contains("<p class=\"doc-kicker\">Riktlinje</p>"),
        "{page}"
    );
    assert!(
        page.contains("<dt>Diarienummer</dt><dd>KS 2026/412</dd>"),
        "{page}"
    );
    assert!(
        page.contains("<dt>Beslutsparagraf</dt><dd>KS § 57</dd>"),
        "{page}"
    );
    // The navigation, the start page and the hierarchy know the types, in
    // the order styrdok.toml declares them, after the instructions.
    let index = site.output("index.html");
    let nav = between(&index, "class=\"doc-nav\"", "</nav>");
    let at = |s: &str| nav.find(s).unwrap_or_else(|| panic!("{s} in {nav}"));
    assert!(
        at("IT-säkerhetsinstruktioner") < at("Riktlinjer") && at("Riktlinjer") < at("Rutiner"),
        "{nav}"
    );
    assert!(
        index.contains("<h2 id=\"group-riktlinje\">Riktlinjer</h2>"),
        "{index}"
    );
    assert!(
        index.contains("<h2 id=\"group-rutin\">Rutiner</h2>"),
        "{index}"
    );
    let hierarchy = site.output("hierarki.html");
    assert!(
        hierarchy.contains(
            "Riktlinje för behörigheter</a> <span class=\"muted\">(Riktlinje, Fastställd)</span>"
        ),
        "{hierarchy}"
    );
    assert!(
        hierarchy.contains("Riktlinje: Riktlinje för behörigheter"),
        "the figure: {hierarchy}"
    );
    // The split index (see tests/search.rs): the document's fragment.
    let search = common::walk(&site.path().join("output/assets/search"))
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("index file"))
        .collect::<String>();
    assert!(
        search.contains("\"t\":\"Riktlinje för behörigheter\",\"k\":\"Riktlinje\""),
        "{search}"
    );
    // Backlinks of the policy group the guideline under its plural.
    let routine = site.output("rutiner/borttag.html");
    assert!(
        routine.contains("<p class=\"doc-kicker\">Rutin</p>"),
        "{routine}"
    );
}

#[test]
fn labels_follow_the_sites_language() {
    let site = site();
    site.edit(
        "styrdok.toml",
        "title = \"Testkommun\"",
        "title = \"Testkommun\"\nlanguage = \"en\"",
    );
    site.build();
    let page = site.output("riktlinjer/behorighet.html");
    assert!(
        page.contains("<p class=\"doc-kicker\">Guideline</p>"),
        "{page}"
    );
    assert!(site.output("index.html").contains(">Guidelines</h2>"));
}

#[test]
fn sections_parents_and_review_dates_are_the_types_rules() {
    let site = site();
    site.edit(
        "content/riktlinjer/behorighet.md",
        "## Roller och ansvar",
        "## Vem gör vad",
    );
    site.edit(
        "content/riktlinjer/behorighet.md",
        "nästa_revision: 2027-03-31\n",
        "",
    );
    site.edit(
        "content/rutiner/borttag.md",
        "överordnad: riktlinje-behorighet",
        "överordnad: policy",
    );
    let problems = site.check_json();
    let got: Vec<(String, String, u64)> = problems
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["file"].as_str().unwrap_or_default().to_string(),
                d["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("SD104".into(), "content/riktlinjer/behorighet.md".into(), 1),
            ("SD501".into(), "content/riktlinjer/behorighet.md".into(), 1),
            ("SD205".into(), "content/rutiner/borttag.md".into(), 10),
        ],
        "{problems:?}"
    );
    let section = &problems[1];
    assert!(section["message"]
        .as_str()
        .unwrap_or_default()
        .contains("`Ansvar`"));
    assert!(section["hint"]
        .as_str()
        .unwrap_or_default()
        .contains("[types.riktlinje]"));
    let parent = &problems[2];
    assert!(parent["hint"]
        .as_str()
        .unwrap_or_default()
        .contains("allows: riktlinje"));
}

#[test]
fn an_unknown_type_suggests_the_sites_own() {
    let site = site();
    site.edit("content/rutiner/borttag.md", "typ: rutin", "typ: rutinn");
    let problems = site.check_json();
    let bad = problems
        .iter()
        .find(|d| d["code"] == "SD108")
        .expect("SD108");
    assert_eq!(bad["line"], 3);
    let hint = bad["hint"].as_str().unwrap_or_default();
    assert!(
        hint.starts_with("did you mean `rutin`?") && hint.contains("`riktlinje`"),
        "{hint}"
    );
}

#[test]
fn declarations_of_types_are_checked() {
    let site = TestSite::fixture("basic");
    let toml = site.read("styrdok.toml");
    for (bad, what) in [
        (
            "[types.policy]\nlabel = \"P\"\nplural = \"P\"\nsections = [\"Mål\"]\n",
            "rules for a built-in type",
        ),
        (
            "[types.rutin]\nlabel = \"R\"\nplural = \"R\"\nparents = [\"riktlinje\"]\n",
            "an unknown parent",
        ),
        ("[types.rutin]\nlabel = \"R\"\n", "no plural"),
    ] {
        site.write("styrdok.toml", format!("{toml}\n{bad}").as_bytes());
        let got: Vec<(String, u64)> = site
            .check()
            .into_iter()
            .map(|(c, _, l, _)| (c, l))
            .collect();
        assert_eq!(got.len(), 1, "{what}: {got:?}");
        assert_eq!(got[0].0, "SD001", "{what}");
    }
}

#[test]
fn new_dokument_of_an_own_type_has_its_sections() {
    let site = site();
    site.edit("styrdok.toml", "required = true\n", "");
    let out = site.run(&[
        "new",
        "dokument",
        "riktlinje-loggning",
        "--typ",
        "riktlinje",
        "--titel",
        "Riktlinje för loggning",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = site.read("content/riktlinje/riktlinje-loggning.md");
    assert!(text.contains("typ: riktlinje\n"), "{text}");
    assert!(
        text.contains("\n## Syfte\n") && text.contains("\n## Ansvar\n"),
        "{text}"
    );
    assert_eq!(site.check(), Vec::new(), "the new document checks clean");

    let out = site.run(&[
        "new",
        "dokument",
        "rutin-x",
        "--typ",
        "rutin",
        "--parent",
        "riktlinje-behorighet",
    ]);
    assert!(out.status.success());
    let text = site.read("content/rutin/rutin-x.md");
    assert!(
        !text.contains("nästa_revision"),
        "a rutin has no review date: {text}"
    );

    let out = site.run(&["new", "dokument", "y", "--typ", "okänd"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("riktlinje, rutin"));
}

#[test]
fn a_built_in_type_takes_the_sites_own_labels() {
    let site = TestSite::fixture("basic");
    let toml = site.read("styrdok.toml");
    site.write(
        "styrdok.toml",
        format!("{toml}\n[types.policy]\nlabel = \"Informationssäkerhetspolicy\"\nplural = \"Policyer\"\n").as_bytes(),
    );
    assert_eq!(site.check(), Vec::new());
    site.build();
    let policy = site.output("policy.html");
    assert!(
        policy.contains("<p class=\"doc-kicker\">Informationssäkerhetspolicy</p>"),
        "{policy}"
    );
    // Still the built-in type: its class, its group, its rules.
    assert!(
        policy.contains("<article class=\"doc doc-policy\">"),
        "{policy}"
    );
    let index = site.output("index.html");
    assert!(
        index.contains("<h2 id=\"group-0\">Policyer</h2>"),
        "{index}"
    );
}
