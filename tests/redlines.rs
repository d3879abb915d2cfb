//! Redlines that keep the document's structure, from real git repositories:
//! a heading changed, a table cell changed, a paragraph moved, a list item
//! added, the first revision shown plain, document text never markup, and
//! the history page of a long-lived document kept short.

mod common;

use common::git::{git, PER};
use common::{between, TestSite};

const ROUTINE: &str = "content/rutin.md";

const TEXT: &str = "---
titel: Rutin för larm
typ: dokument
status: remiss
version: \"0.1\"
dokumentägare: IT-chef
nästa_revision: 2027-06-30
överordnad: policy
---

## Syfte

Rutinen beskriver hur larm hanteras i kommunens driftmiljö.

## Ansvar

IT-chefen ansvarar för att rutinen följs och revideras varje år.

Larmcentralen tar emot larm dygnet runt och för dem vidare till beredskapen.

## Åtgärder

1. Kvittera larmet i övervakningssystemet.
2. Bedöm hur allvarligt larmet är.
3. Åtgärda felet eller eskalera.

| Larm | Åtgärd |
| --- | --- |
| Brand | Ring 112 |
| Vatten | Stäng ventilen |

## Uppföljning

Alla larm följs upp vid veckomötet.

Avvikelser rapporteras till IT-säkerhetssamordnaren.
";

/// The basic fixture with the routine, in git (one commit).
fn site() -> TestSite {
    let site = TestSite::fixture("basic").file(ROUTINE, TEXT);
    git(site.path()).init_with_commit("Rutin för larm");
    site
}

/// Commits `from` replaced by `to` in the routine and builds.
fn revised(from: &str, to: &str) -> TestSite {
    let site = site();
    site.edit(ROUTINE, from, to);
    git(site.path())
        .by(PER)
        .at("2026-02-01T09:00:00+01:00")
        .commit_all("Reviderad");
    site.build();
    site
}

/// The newest revision's redline on the routine's history page, and its
/// summary line.
fn newest(site: &TestSite) -> (String, String) {
    let page = site.output("historik/rutin.html");
    let rev = between(&page, "<details class=\"revision\"", "\n    </details>");
    let summary = between(rev, "<span class=\"rev-changes\">", "</span>");
    let redline = between(rev, "<div class=\"redline\">", "\n</div>");
    (
        summary
            .trim_start_matches("<span class=\"rev-changes\">")
            .to_string(),
        redline.to_string(),
    )
}

#[test]
fn a_changed_heading_stays_a_heading() {
    let site = revised("## Ansvar\n", "## Ansvar och roller\n");
    let (summary, redline) = newest(&site);
    assert_eq!(summary, "Ändrat i Ansvar och roller · 2 ord tillagda");
    assert!(
        redline.contains("<h2 class=\"rl-changed\">Ansvar<ins> och roller</ins></h2>"),
        "{redline}"
    );
    assert!(!redline.contains(" id="), "no ids in a redline: {redline}");
    insta::assert_snapshot!(redline);
}

#[test]
fn a_changed_cell_is_marked_in_its_table() {
    let site = revised("| Stäng ventilen |", "| Stäng huvudventilen |");
    let (summary, redline) = newest(&site);
    assert_eq!(
        summary,
        "Ändrat i Åtgärder · 1 ord tillagda, 1 ord borttagna"
    );
    // The header row is kept for context, the changed cell marked.
    assert!(
        redline.contains("<tr><th scope=\"col\">Larm</th><th scope=\"col\">Åtgärd</th></tr>"),
        "{redline}"
    );
    assert!(
        redline.contains(
            "<tr class=\"rl-changed\"><td>Vatten</td><td class=\"rl-cell\">Stäng <del>ventilen</del><ins>huvudventilen</ins></td></tr>"
        ),
        "{redline}"
    );
    insta::assert_snapshot!(redline);
}

#[test]
fn a_moved_paragraph_shows_as_moved() {
    let moved = "Larmcentralen tar emot larm dygnet runt och för dem vidare till beredskapen.";
    let site = site();
    site.edit(ROUTINE, &format!("{moved}\n\n"), "");
    site.edit(
        ROUTINE,
        "Alla larm följs upp vid veckomötet.\n",
        &format!("Alla larm följs upp vid veckomötet.\n\n{moved}\n"),
    );
    git(site.path())
        .at("2026-02-01T09:00:00+01:00")
        .commit_all("Flytta larmcentralen");
    site.build();
    let (summary, redline) = newest(&site);
    assert_eq!(summary, "Ändrat i Ansvar, Uppföljning · 1 stycke flyttat");
    assert!(
        !redline.contains("<ins>") && !redline.contains("<del>"),
        "a move is neither inserted nor deleted: {redline}"
    );
    assert!(
        redline.contains("<p class=\"rl-moved\"><span class=\"rl-mark\">Flyttat hit från ”Ansvar”:</span> Larmcentralen"),
        "{redline}"
    );
    assert!(
        redline.contains("<p class=\"rl-moved-away\"><span class=\"rl-mark\">Flyttat härifrån till ”Uppföljning”:</span>"),
        "{redline}"
    );
    insta::assert_snapshot!(redline);
}

#[test]
fn an_added_list_item_is_one_inserted_item() {
    let site = revised(
        "2. Bedöm hur allvarligt larmet är.\n3. Åtgärda",
        "2. Informera systemförvaltaren.\n3. Bedöm hur allvarligt larmet är.\n4. Åtgärda",
    );
    let (summary, redline) = newest(&site);
    assert_eq!(summary, "Ändrat i Åtgärder · 2 ord tillagda");
    assert!(
        redline.contains(
            "<li class=\"rl-depth-0 rl-ins\" value=\"2\"><ins>Informera systemförvaltaren.</ins></li>"
        ),
        "{redline}"
    );
    // The items after it are renumbered, not changed.
    assert_eq!(redline.matches("rl-changed").count(), 0, "{redline}");
    insta::assert_snapshot!(redline);
}

#[test]
fn the_first_revision_is_created_and_shown_plain() {
    let site = site();
    site.build();
    let (summary, redline) = newest(&site);
    assert_eq!(summary, "Skapad, 65 ord");
    assert!(
        !redline.contains("<ins>") && !redline.contains("rl-fold"),
        "{redline}"
    );
    insta::assert_snapshot!(redline);
}

#[test]
fn document_text_in_a_redline_stays_text() {
    let site = revised(
        "Alla larm följs upp vid veckomötet.\n",
        "Alla larm följs upp <script>alert(1)</script> vid veckomötet.\n\n<script>alert(2)</script>\n\n`<b>kod</b>` & mer\n",
    );
    let page = site.output("historik/rutin.html");
    assert!(!page.contains("<script>alert"), "{page}");
    assert!(!page.contains("<b>kod"), "{page}");
    let (_, redline) = newest(&site);
    assert!(
        redline.contains("<ins>&lt;script&gt;alert(1)&lt;/script&gt; </ins>"),
        "{redline}"
    );
    assert!(
        redline.contains("<pre class=\"rl-ins\"><code><ins>&lt;script&gt;alert(2)&lt;/script&gt;</ins></code></pre>"),
        "{redline}"
    );
    assert!(
        redline.contains("&lt;b&gt;kod&lt;/b&gt; &amp; mer"),
        "{redline}"
    );
}

#[test]
fn the_history_of_forty_revisions_stays_short() {
    let site = site();
    let d = site.path();
    for n in 1..=40 {
        let before = if n == 1 {
            "varje år".to_string()
        } else {
            format!("var {}:e månad", n - 1)
        };
        site.edit(ROUTINE, &before, &format!("var {n}:e månad"));
        let date = format!("2026-03-{:02}T09:00:00+01:00", 1 + n % 28);
        git(d).at(&date).commit_all(&format!("Revision {n}"));
    }
    site.build();
    let page = site.output("historik/rutin.html");
    let main = between(&page, "<main", "</main>");
    assert_eq!(main.matches("<details class=\"revision\"").count(), 41);
    // Only the newest redline is open; every fold is closed.
    assert_eq!(main.matches(" open>").count(), 1, "{main}");
    let open = between(main, "<details class=\"revision\" id=", "\n    </details>");
    assert!(open.contains("Revision 40"), "{open}");
    // Each redline shows the one changed paragraph, its heading and one
    // block of context on each side; the rest is folded.
    // (All but the first revision, which is shown whole.)
    for rev in main.split("<details class=\"revision\"").skip(1).take(40) {
        let redline = between(rev, "<div class=\"redline\">", "\n</div>");
        let outside_folds: String = redline
            .split("<details class=\"rl-fold\">")
            .map(|part| part.rsplit("</details>").next().unwrap_or(part))
            .collect();
        let blocks = ["<p", "<h2", "<li", "<tr"]
            .iter()
            .map(|t| outside_folds.matches(t).count())
            .sum::<usize>();
        assert!(blocks <= 3, "{blocks} blocks shown in {redline}");
    }
}
