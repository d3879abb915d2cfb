//! The overview pages: area coverage (area × instruction) and follow-up.

mod common;

use common::TestSite;

#[test]
fn the_coverage_table_links_each_area_to_its_heading_and_marks_gaps() {
    let site = TestSite::fixture("basic");
    site.build();
    let page = site.output("omraden.html");
    assert!(page.contains("<th scope=\"row\">Bemanning</th>"), "{page}");
    assert!(
        page.contains(
            "<a href=\"instruktioner/drift.html#jour-och-beredskap\">✓ Jour och beredskap</a>"
        ),
        "{page}"
    );
    assert!(
        page.contains("<a href=\"instruktioner/forvaltning.html#loggning\">✓ Loggning</a>"),
        "{page}"
    );
    insta::assert_snapshot!(site.main("omraden.html"));
    // A gap shows on the page of a site built despite it (check --strict aside,
    // a gap is an error, so build the page from a site whose instruction is repealed).
    site.edit(
        "content/instruktioner/drift.md",
        "status: remiss",
        "status: upphävd\nupphävd: 2026-11-01",
    );
    site.build();
    let page = site.output("omraden.html");
    assert!(page.contains("✗ instruktionen saknas"), "{page}");
}

#[test]
fn the_follow_up_page_lists_what_is_due_and_missing() {
    let site = TestSite::fixture("basic");
    site.edit(
        "content/instruktioner/forvaltning.md",
        "nästa_revision: 2027-04-30",
        "nästa_revision: 2026-11-01",
    );
    site.edit(
        "content/instruktioner/anvandare.md",
        "nästa_revision: 2027-04-30",
        "nästa_revision: 2026-12-10",
    );
    site.edit(
        "content/planer/lon.md",
        "hotbild_analyserad: 2026-04-28",
        "hotbild_analyserad: 2025-01-15",
    );
    site.edit(
        "content/planer/lon.md",
        "status: fastställd",
        "status: remiss",
    );
    site.edit(
        "content/planer/lon.md",
        "driftgodkännande:\n  datum: 2026-05-12\n  beslutat_av: Personalchef\n",
        "",
    );
    let site = site.with("pages/annual_goal");
    site.build();
    let page = site.output("uppfoljning.html");
    assert!(
        page.contains("Läget den <strong>2026-11-27</strong>"),
        "{page}"
    );
    let overdue = page.find("Försenad, 26 dagar sedan").expect("overdue row");
    let soon = page.find("Snart, 13 dagar kvar").expect("soon row");
    assert!(overdue < soon, "sorted by date");
    let approval = &page[page.find("utan driftgodkännande").expect("section")..];
    assert!(approval.contains("Systemsäkerhetsplan Lön"), "{approval}");
    assert!(page.contains("Inaktuell (äldre än 12 månader)"), "{page}");
    assert!(
        page.contains("Utbilda all personal") && page.contains("Sluttiden har passerats"),
        "{page}"
    );
    // The tables whole: what is due, plans, goals.
    insta::assert_snapshot!(site.main("uppfoljning.html"));
}
