//! The hierarchy figure as the seed's "Bild 1 Styrande dokument" draws it:
//! the policy on top, the instructions in one row below it, the documents
//! each one governs grouped under it, every document with its status in
//! words, in natural order ("Plan 2" before "Plan 10"); compact with 50
//! plans; documents of the site's own types and documents whose governing
//! document is not published still in it.

mod common;

use common::{between, TestSite};

/// A plan of the `basic` fixture's kind for system `id`, titled `title`.
fn plan(id: &str, title: &str, status: &str) -> String {
    format!(
        "---
titel: {title}
typ: systemsäkerhetsplan
id: plan-{id}
system: {id}
status: {status}
version: \"1.0\"
dokumentägare: Personalchef
fastställd: 2026-05-12
fastställd_av: Personalchef
nästa_revision: 2027-05-31
hotbild_analyserad: 2026-04-28
överordnad: policy
driftgodkännande:
  datum: 2026-05-12
  beslutat_av: Personalchef
---

## Systembeskrivning

Systemet.

## Driftgodkännande

Godkänt.
"
    )
}

/// The `basic` fixture with plans for the systems `ids`, titled by `title`.
fn with_plans(ids: &[String], title: &dyn Fn(&str) -> String) -> TestSite {
    let mut site = TestSite::fixture("basic");
    let mut register = site.read("content/systemregister.yaml");
    for id in ids {
        site = site.file(
            &format!("content/planer/{id}.md"),
            &plan(id, &title(id), "fastställd"),
        );
        register.push_str(&format!(
            "\n- id: {id}\n  namn: System {id}\n  systemägare: Personalchef\n  samhällsviktigt: true\n  klassning: intern\n  leverantör: Test AB\n"
        ));
    }
    site.write("content/systemregister.yaml", register.as_bytes());
    site
}

/// The drawing (`<svg role="img">…</svg>`) of the figure on the start page.
fn drawing(site: &TestSite) -> String {
    let index = site.output("index.html");
    between(&index, "<svg class=\"hierarchy-svg\"", "</svg>").to_string()
}

/// The number after `attr="` at the first `start` in `s`.
fn number(s: &str, start: &str, attr: &str) -> u32 {
    let from = &s[s.find(start).unwrap_or_else(|| panic!("{start} in {s}"))..];
    let at = from.find(&format!(" {attr}=\"")).expect("attribute") + attr.len() + 3;
    from[at..]
        .split('"')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("a number")
}

#[test]
fn the_figure_draws_the_policy_on_top_and_the_instructions_in_one_row() {
    let site = TestSite::fixture("basic");
    site.build();
    let svg = drawing(&site);
    assert!(
        svg.contains("role=\"img\" aria-labelledby=\"hierarchy-title\""),
        "{svg}"
    );
    assert!(svg.contains("<title id=\"hierarchy-title\">Styrande dokument</title>"));
    let policy_y = number(&svg, "<g class=\"doc level-policy\">", "y");
    let rows: Vec<&str> = svg
        .split("<g class=\"doc level-instruction\">")
        .skip(1)
        .collect();
    assert_eq!(rows.len(), 3, "three instruction boxes: {svg}");
    let ys: Vec<u32> = rows.iter().map(|r| number(r, "<rect", "y")).collect();
    let xs: Vec<u32> = rows.iter().map(|r| number(r, "<rect", "x")).collect();
    assert!(
        ys.iter().all(|&y| y == ys[0] && y > policy_y),
        "one row below the policy: {ys:?}"
    );
    assert!(
        xs[0] < xs[1] && xs[1] < xs[2],
        "side by side, in the policy's order: {xs:?}"
    );
    // Förvaltning, Drift, Användare, each under its type's name.
    let order: Vec<&str> = ["Förvaltning", "Drift", "Användare"]
        .into_iter()
        .filter(|k| rows.iter().any(|r| r.contains(&format!(">{k}</text>"))))
        .collect();
    assert_eq!(order.len(), 3, "{svg}");
    for (row, kind) in rows.iter().zip(["Förvaltning", "Drift", "Användare"]) {
        assert!(row.contains(&format!(">{kind}</text>")), "{kind} in {row}");
    }
}

#[test]
fn every_document_shows_its_status_in_words() {
    // Drift is out for consultation (remiss) in the fixture, the rest adopted.
    let site = TestSite::fixture("basic");
    site.build();
    let svg = drawing(&site);
    let drift = svg
        .split("<g class=\"doc level-instruction\">")
        .find(|b| b.contains(">Drift</text>"))
        .and_then(|b| b.split("</g>").next())
        .expect("Drift's box");
    assert!(drift.contains(">Remiss</text>"), "{drift}");
    let policy = between(&svg, "<g class=\"doc level-policy\">", "</g>");
    assert!(policy.contains(">Fastställd</text>"), "{policy}");
    assert!(svg.contains("<tspan class=\"h-status\" fill=\"#3d4651\"> · Fastställd</tspan>"));
    // A draft's box is also dashed, not told by colour alone.
    assert!(drift.contains("stroke-dasharray"), "{drift}");
    // The links and the list say it too.
    let index = site.output("index.html");
    assert!(
        index.contains("aria-label=\"IT-säkerhetsinstruktion: Drift (Remiss)\""),
        "{index}"
    );
    let list = between(&index, "<ul class=\"hierarchy-list\">", "</figure>");
    assert!(
        list.contains(">IT-säkerhetsinstruktion: Drift</a> <span class=\"muted\">(Remiss)</span>"),
        "{list}"
    );
}

#[test]
fn plans_are_grouped_under_their_document_in_natural_order() {
    let ids: Vec<String> = ["10", "2", "1", "11"]
        .iter()
        .map(|n| format!("s{n}"))
        .collect();
    let site = with_plans(&ids, &|id| {
        format!("Systemsäkerhetsplan System {}", &id[1..])
    });
    site.build();
    let svg = drawing(&site);
    // One group box for all the plans, not a box each.
    let groups: Vec<&str> = svg
        .split("<g class=\"group\">")
        .skip(1)
        .filter(|g| g.contains("Systemsäkerhetsplaner"))
        .collect();
    assert_eq!(groups.len(), 1, "{svg}");
    let group = groups[0];
    assert!(
        group.contains(">Systemsäkerhetsplaner (5)</text>"),
        "{group}"
    );
    // Natural order: 1, 2, 10, 11 (then Lön), not 1, 10, 11, 2.
    let at = |s: &str| {
        group
            .find(&format!(">{s}<"))
            .unwrap_or_else(|| panic!("{s} in {group}"))
    };
    assert!(
        at("System 1") < at("System 2")
            && at("System 2") < at("System 10")
            && at("System 10") < at("System 11"),
        "{group}"
    );
    // Under the policy: below the instructions' row.
    let row_y = number(&svg, "<g class=\"doc level-instruction\">", "y");
    assert!(number(group, "<rect", "y") > row_y, "{svg}");
    // The same order in the navigation and in the list of the hierarchy page.
    let page = site.main("hierarki.html");
    let at = |s: &str| {
        page.find(&format!(">Systemsäkerhetsplan {s}</a>"))
            .unwrap_or_else(|| panic!("{s} in {page}"))
    };
    assert!(at("System 2") < at("System 10"), "{page}");
}

#[test]
fn fifty_plans_make_a_figure_of_bounded_height() {
    let ids: Vec<String> = (1..=50).map(|n| format!("sys{n}")).collect();
    let site = with_plans(&ids, &|id| {
        format!("Systemsäkerhetsplan System {}", &id[3..])
    });
    site.build();
    let svg = drawing(&site);
    let height = number(&svg, "<svg", "height");
    let width = number(&svg, "<svg", "width");
    // 51 plans in three columns of 17 lines of 22 units (374) under a
    // policy box, a row of instructions and a heading (about 250 units):
    // under 720, so the figure, drawn at most 720 px wide, is no taller than
    // wide and fits a 900-px window. One box per plan would need 51 × 22
    // units for the plans alone (1,122).
    assert_eq!(width, 720);
    assert!(height <= 720, "height {height} with 50 plans");
    assert!(svg.contains(">Systemsäkerhetsplaner (51)</text>"), "{svg}");
    // Every plan is linked, with its full title.
    let index = site.output("index.html");
    let links = between(&index, "<svg class=\"hierarchy-links\"", "</svg>");
    for n in 1..=50 {
        assert!(
            links.contains(&format!("href=\"planer/sys{n}.html\" aria-label=\"Systemsäkerhetsplan System {n} (Fastställd)\"")),
            "plan {n}: {links}"
        );
    }
    // The same input gives the same bytes.
    site.build();
    assert_eq!(site.output("index.html"), index);
}

#[test]
fn own_types_and_documents_without_a_published_parent_have_a_place() {
    let guideline = "---
titel: Riktlinje för behörigheter
typ: riktlinje
id: riktlinje-behorighet
status: utkast
version: \"0.1\"
dokumentägare: IT-chef
nästa_revision: 2027-03-31
överordnad: drift
---

Text.
";
    // Its governing document is confidential and not published.
    let secret = "---
titel: Hemlig rutin
typ: dokument
id: hemlig
status: fastställd
version: \"1.0\"
dokumentägare: IT-chef
fastställd: 2026-03-10
fastställd_av: IT-chef
nästa_revision: 2027-03-31
klassning: konfidentiell
överordnad: policy
---

Text.
";
    let child = "---
titel: Bilaga till hemlig rutin
typ: dokument
id: bilaga
status: fastställd
version: \"1.0\"
dokumentägare: IT-chef
fastställd: 2026-03-10
fastställd_av: IT-chef
nästa_revision: 2027-03-31
överordnad: hemlig
---

Text.
";
    let site = TestSite::fixture("basic")
        .file("content/riktlinjer/behorighet.md", guideline)
        .file("content/rutiner/hemlig.md", secret)
        .file("content/rutiner/bilaga.md", child);
    let toml = site.read("styrdok.toml");
    site.write(
        "styrdok.toml",
        format!("{toml}\n[types.riktlinje]\nlabel = \"Riktlinje\"\nplural = \"Riktlinjer\"\nparents = [\"instruktion\"]\n").as_bytes(),
    );
    site.build();
    let svg = drawing(&site);
    assert!(!svg.contains("Hemlig rutin"), "{svg}");
    // The guideline in a group of its type in Drift's column.
    let drift = svg
        .split("<g class=\"doc level-instruction\">")
        .find(|b| b.contains(">Drift</text>"))
        .expect("Drift's box");
    let guidelines = svg
        .split("<g class=\"group\">")
        .find(|g| g.contains(">Riktlinjer (1)</text>"))
        .expect("a group of guidelines");
    assert_eq!(
        number(guidelines, "<rect", "x"),
        number(drift, "<rect", "x")
    );
    // In a narrow column its title takes two lines rather than being cut.
    assert!(
        guidelines.contains(">Riktlinje för</text>")
            && guidelines.contains(
                ">behörigheter<tspan class=\"h-status\" fill=\"#3d4651\"> · Utkast</tspan>"
            ),
        "{guidelines}"
    );
    // The appendix, whose parent is not published, in a group at the bottom.
    let unplaced = svg
        .split("<g class=\"group\">")
        .find(|g| g.contains("Utan överordnat dokument i figuren (1)"))
        .expect("a group of documents without a governing one");
    assert!(unplaced.contains("Bilaga till hemlig rutin"), "{unplaced}");
}
