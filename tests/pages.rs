//! The overview pages: area coverage (area × instruction) and follow-up.

mod common;

use common::TestSite;

fn replace(site: &TestSite, rel: &str, from: &str, to: &str) {
    let path = site.path().join(rel);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{rel} lacks {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

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
    // A gap shows on the page of a site built despite it (check --strict aside,
    // a gap is an error, so build the page from a site whose instruction is repealed).
    replace(
        &site,
        "content/instruktioner/drift.md",
        "status: remiss",
        "status: upphävd",
    );
    site.build();
    let page = site.output("omraden.html");
    assert!(page.contains("✗ instruktionen saknas"), "{page}");
}

#[test]
fn the_follow_up_page_lists_what_is_due_and_missing() {
    let site = TestSite::fixture("basic");
    replace(
        &site,
        "content/instruktioner/forvaltning.md",
        "nästa_revision: 2027-04-30",
        "nästa_revision: 2026-11-01",
    );
    replace(
        &site,
        "content/instruktioner/anvandare.md",
        "nästa_revision: 2027-04-30",
        "nästa_revision: 2026-12-10",
    );
    replace(
        &site,
        "content/planer/lon.md",
        "hotbild_analyserad: 2026-04-28",
        "hotbild_analyserad: 2025-01-15",
    );
    replace(
        &site,
        "content/planer/lon.md",
        "status: fastställd",
        "status: remiss",
    );
    replace(
        &site,
        "content/planer/lon.md",
        "driftgodkännande:\n  datum: 2026-05-12\n  beslutat_av: Personalchef\n",
        "",
    );
    let site = site.file(
        "content/mal.md",
        "---\ntitel: Mål 2026\ntyp: årsmål\nstatus: utkast\nversion: \"1\"\ndokumentägare: X\nnästa_revision: 2027-01-31\növerordnad: policy\nklassning: öppen\nmål:\n  - vad: Utbilda all personal\n    sluttid: 2026-06-30\n    resurser: 200 timmar\n    uppföljning: Kvartalsvis\n    information: Intranätet\n    status: pågår\n---\n",
    );
    site.build();
    let page = site.output("uppfoljning.html");
    assert!(
        page.contains("Läget per <strong>2026-11-27</strong>"),
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
}
