//! Markdown as readers know it from the forge: GitHub's alerts, footnotes,
//! task lists, strikethrough, abbreviations and a link on every heading, in
//! the HTML of a page built from `tests/fixtures/markdown` (over `basic`),
//! and what the outline, the search index and the plain text leave out.

mod common;

use common::{between, TestSite};

fn site() -> TestSite {
    let site = TestSite::fixture("basic").with("markdown");
    site.build();
    site
}

fn body(site: &TestSite) -> String {
    let page = site.output("rutiner/markdown.html");
    between(&page, "<div class=\"doc-body\">", "\n  </div>").to_string()
}

#[test]
fn alerts_are_notes_titled_in_the_sites_language() {
    let site = site();
    let body = body(&site);
    for (kind, title) in [
        ("note", "Obs"),
        ("tip", "Tips"),
        ("important", "Viktigt"),
        ("warning", "Varning"),
        ("caution", "Se upp"),
    ] {
        let open = format!(
            "<div class=\"markdown-alert markdown-alert-{kind}\" role=\"note\">\n<p class=\"markdown-alert-title\">{title}</p>\n"
        );
        assert!(body.contains(&open), "{kind}: {body}");
    }
    assert!(!body.contains("[!"), "the marker is not text: {body}");
    assert!(!body.contains("<blockquote"), "{body}");
    // In English, GitHub's words.
    let toml = site.read("styrdok.toml");
    site.write(
        "styrdok.toml",
        format!("language = \"en\"\n{toml}").as_bytes(),
    );
    site.build();
    let body = self::body(&site);
    for title in ["Note", "Tip", "Important", "Warning", "Caution"] {
        assert!(
            body.contains(&format!("<p class=\"markdown-alert-title\">{title}</p>")),
            "{title}: {body}"
        );
    }
    assert!(body.contains("<h2 id=\"fn:rubrik\" class=\"footnotes-title\">Footnotes</h2>"));
}

#[test]
fn footnotes_are_numbered_gathered_at_the_end_and_link_back() {
    let site = site();
    let body = body(&site);
    // Numbered as first referred to: [^mfa] is 1 though defined last.
    assert!(
        body.contains(
            "MFA</abbr><sup class=\"footnote-ref\"><a href=\"#fn:1\" id=\"fnref:1\">1</a></sup>"
        ),
        "{body}"
    );
    assert!(
        body.contains("<a href=\"#fn:2\" id=\"fnref:2\">2</a>"),
        "{body}"
    );
    let notes = between(&body, "<section class=\"footnotes\"", "</section>");
    assert!(
        notes.starts_with("<section class=\"footnotes\" aria-labelledby=\"fn:rubrik\">\n<h2 id=\"fn:rubrik\" class=\"footnotes-title\">Fotnoter</h2>"),
        "{notes}"
    );
    let one = between(notes, "<li id=\"fn:1\">", "</li>");
    assert!(one.contains("Multifaktorautentisering med app eller nyckel. <a href=\"#fnref:1\" class=\"footnote-backref\" aria-label=\"Tillbaka till hänvisning 1\">↩</a></p>"), "{one}");
    // A link in a footnote is resolved like any other.
    let two = between(notes, "<li id=\"fn:2\">", "</li>");
    assert!(
        two.contains("<a href=\"../policy.html\">policyn</a>"),
        "{two}"
    );
    // At the very end of the body, after the last heading.
    assert!(body.find("<section class=\"footnotes\"") > body.find("id=\"fn1\""));
    assert!(body.trim_end().ends_with("</section>"), "{body}");
}

#[test]
fn no_id_of_a_footnote_can_be_a_headings() {
    // Headings called "1", "fn-1" and "fn:1": their ids are 1, fn-1 and fn1
    // (a heading's id never has a colon), the footnotes' fn:1 and fnref:1.
    let site = site();
    let page = site.output("rutiner/markdown.html");
    for heading in [
        "<h4 id=\"1\">1 ",
        "<h5 id=\"fn-1\">fn-1 ",
        "<h6 id=\"fn1\">fn:1 ",
    ] {
        assert!(page.contains(heading), "{heading} in {page}");
    }
    let mut ids: Vec<&str> = page
        .split(" id=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    let all = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), all, "every id once: {ids:?}");
    assert!(ids.contains(&"fn:1") && ids.contains(&"fnref:1"), "{ids:?}");
}

#[test]
fn task_lists_are_labelled_disabled_checkboxes_without_bullets() {
    // (The body has raw HTML: the sanitiser writes `disabled=""`.)
    let site = site();
    let body = body(&site);
    assert!(
        body.contains("<ul class=\"contains-task-list\">\n<li class=\"task-list-item\"><label class=\"task-list-label\"><input type=\"checkbox\" class=\"task-list-item-checkbox\" disabled=\"\" checked=\"\"> Appen installerad med <strong>rätt</strong> version</label></li>"),
        "{body}"
    );
    // A nested list stands after its item's label, not in it.
    assert!(
        body.contains(
            "disabled=\"\"> Reservkoder utskrivna</label><ul class=\"contains-task-list\">"
        ),
        "{body}"
    );
}

#[test]
fn strikethrough_is_not_a_redline_deletion() {
    let site = site();
    let body = body(&site);
    assert!(body.contains("<s>byt lösenord var 30:e dag</s>"), "{body}");
    assert!(!body.contains("<del>"), "{body}");
}

#[test]
fn abbreviations_are_marked_where_they_are_words_and_their_definitions_go() {
    let site = site();
    let body = body(&site);
    let mfa = "<abbr title=\"Multifaktorautentisering\">MFA</abbr>";
    // In the text, the heading and a link's text; not in code or the URL,
    // not inside longer words.
    assert!(
        body.contains(&format!("Alla konton kräver {mfa}")),
        "{body}"
    );
    assert!(
        body.contains(&format!(
            "Inloggning med {mfa} <a class=\"heading-link\" href=\"#inloggning-med-mfa\""
        )),
        "{body}"
    );
    assert!(
        body.contains(&format!(
            "<a href=\"https://example.org/MFA-guide\">om {mfa}</a>"
        )),
        "{body}"
    );
    assert!(body.contains("<code>MFA</code>"), "{body}");
    assert!(body.contains("MFAX och XMFA"), "{body}");
    // The definition is no text of the page or of the search index.
    let page = site.output("rutiner/markdown.html");
    assert!(!page.contains("*[MFA]"), "{page}");
    let search = search_index(&site);
    assert!(
        !search.contains("*[MFA]") && !search.contains("]: Multifaktor"),
        "{search}"
    );
    // Raw <abbr> keeps its title and loses the rest.
    assert!(
        body.contains("<abbr title=\"Informationsteknik\">IT</abbr>-tekniker"),
        "{body}"
    );
    assert!(!body.contains("onclick"), "{body}");
}

#[test]
fn headings_h2_to_h6_have_a_link_that_the_outline_and_search_leave_out() {
    let site = site();
    let page = site.output("rutiner/markdown.html");
    for (level, id) in [
        (2, "inloggning-med-mfa"),
        (3, "checklista"),
        (4, "1"),
        (5, "fn-1"),
        (6, "fn1"),
    ] {
        let heading = between(
            &page,
            &format!("<h{level} id=\"{id}\">"),
            &format!("</h{level}>"),
        );
        assert!(
            heading.contains(&format!(
                "<a class=\"heading-link\" href=\"#{id}\" aria-label=\"Länk till avsnittet: "
            )),
            "{heading}"
        );
    }
    assert!(!between(&page, "<h1", "</h1>").contains("heading-link"));
    // The table of contents lists the headings' text alone.
    let toc = between(&page, "<nav class=\"toc toc-inline\"", "</nav>");
    assert!(toc.contains(">Checklista</a>"), "{toc}");
    for link in ["Länk till", ">#<", "heading-link"] {
        assert!(!toc.contains(link), "{link} in {toc}");
    }
    // Nor does the search index pick the link's name up.
    let search = search_index(&site);
    assert!(
        !search.contains("länk till avsnittet") && !search.contains("Länk till avsnittet"),
        "{search}"
    );
}

#[test]
fn the_features_survive_the_sanitiser_of_a_body_with_raw_html() {
    // The fixture's raw <abbr> makes the whole body go through the
    // sanitiser: what the extras write must come out as written.
    let site = site();
    let body = body(&site);
    for kept in [
        "role=\"note\"",
        "<section class=\"footnotes\" aria-labelledby=\"fn:rubrik\">",
        "aria-label=\"Tillbaka till hänvisning 1\"",
        "<label class=\"task-list-label\">",
        "class=\"task-list-item-checkbox\"",
        "aria-label=\"Länk till avsnittet: Checklista\"",
    ] {
        assert!(body.contains(kept), "{kept} in {body}");
    }
}

#[test]
fn the_plain_text_of_history_and_redlines_has_no_definitions() {
    let source = std::fs::read_to_string("tests/fixtures/markdown/content/rutiner/markdown.md")
        .expect("fixture");
    let text = styrdok::history::plain_text(&source);
    assert!(!text.contains("*[MFA]"), "{text}");
    assert!(text.contains("Alla konton kräver MFA"), "{text}");
}

#[test]
fn the_body_with_every_feature_snapshot() {
    let site = site();
    insta::assert_snapshot!(body(&site));
}

/// Every file of the search index (`output/assets/search/`), joined.
fn search_index(site: &TestSite) -> String {
    let dir = site.path().join("output/assets/search");
    let files = common::walk(&dir);
    assert!(!files.is_empty(), "no search index in {}", dir.display());
    files
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("index file"))
        .collect()
}
