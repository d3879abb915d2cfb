//! Every page kind of the default theme, in both languages: a site in git
//! with two tags, built. A page view that lacks a variable its template
//! prints fails the build (Tera refuses an undefined variable, SD007), so
//! this test guards the views of `src/render/` against the templates.

mod common;

use common::git::git;
use common::TestSite;

/// Commits everything in the site at `date`.
fn commit(site: &TestSite, message: &str, date: &str) {
    git(site.path())
        .at(date)
        .run(&["add", "-A"])
        .run(&["commit", "-q", "-m", message]);
}

const GOALS: &str = "---
titel: Årliga mål 2026
typ: årsmål
id: mål-2026
status: fastställd
version: \"1.0\"
dokumentägare: IT-säkerhetssamordnare
fastställd: 2026-01-26
fastställd_av: Kommunstyrelsen
nästa_revision: 2027-01-31
klassning: öppen
överordnad: policy
mål:
  - vad: Införa flerfaktorsautentisering.
    sluttid: 2026-06-30
    resurser: Två tekniker.
    uppföljning: Varje månad.
    information: På intranätet.
    status: pågår
---

Målen för året.
";

fn document(id: &str, klassning: &str) -> String {
    format!(
        "---\ntitel: Rutin {id}\ntyp: dokument\nid: {id}\nstatus: utkast\nversion: \"0.1\"\n\
         dokumentägare: IT-chef\nnästa_revision: 2027-01-01\nklassning: {klassning}\n\
         överordnad: policy\n---\n\nText.\n"
    )
}

const SECRET_PLAN: &str = "---
titel: Systemsäkerhetsplan Webb
typ: systemsäkerhetsplan
id: plan-webb
system: webb
status: utkast
version: \"0.1\"
dokumentägare: Kommunikationschef
nästa_revision: 2027-05-31
hotbild_analyserad: 2026-04-28
klassning: konfidentiell
överordnad: policy
---

## Systembeskrivning

Webbplatsen.

## Driftgodkännande

Inte ännu.
";

/// The basic fixture in git: v1.0, then v1.1 (an edit, a removal, a
/// restricted plan, a document that became publishable), a rename, and an
/// uncommitted edit.
fn site_in_git(language: &str) -> TestSite {
    let site = TestSite::fixture("basic");
    let config = std::fs::read_to_string(site.path().join("styrdok.toml")).expect("config");
    let site = site
        .file(
            "styrdok.toml",
            &format!("language = \"{language}\"\n{config}"),
        )
        .file("content/arsmal/2026.md", GOALS)
        .file(
            "content/rutiner/rutin.md",
            &document("rutin", "konfidentiell"),
        )
        .file("content/rutiner/gammal.md", &document("gammal", "öppen"))
        .file(
            "content/README.md",
            "# Styrdokument\n\nSe [planerna](planer/).\n",
        )
        .file(
            "content/planer/README.md",
            "---\nbeskrivning: En plan per system.\n---\n\n# Planer\n\nTillbaka till [start](../).\n",
        );
    git(site.path())
        .at("2026-01-01T10:00:00+01:00")
        .run(&["init", "-q"]);
    commit(&site, "Första versionen", "2026-01-01T10:00:00+01:00");
    git(site.path())
        .at("2026-01-01T10:00:00+01:00")
        .run(&["tag", "v1.0"]);
    let site = site
        .remove("content/rutiner/gammal.md")
        .file("content/planer/webb.md", SECRET_PLAN);
    site.edit("content/rutiner/rutin.md", "konfidentiell", "intern");
    site.edit(
        "content/instruktioner/drift.md",
        "version: \"0.9\"",
        "version: \"1.0\"",
    );
    commit(&site, "Andra versionen", "2026-02-01T10:00:00+01:00");
    git(site.path())
        .at("2026-02-01T10:00:00+01:00")
        .run(&["tag", "v1.1"]);
    let date = "2026-03-01T10:00:00+01:00";
    git(site.path())
        .at(date)
        .run(&["mv", "content/arsmal/2026.md", "content/arsmal/mal-2026.md"]);
    commit(&site, "Byt namn på målen", date);
    site.edit(
        "content/instruktioner/forvaltning.md",
        "---\n\n",
        "---\n\nÄndrat.\n\n",
    );
    site
}

/// Each page kind, by a page of it, and a text that shows the page's less
/// common parts were rendered.
const PAGES: &[(&str, &str)] = &[
    ("index.html", "class=\"doc-group\""),
    ("index.html", "class=\"doc-body start-intro\""),
    ("planer/index.html", "class=\"folder-docs\""),
    ("hierarki.html", "<figure"),
    ("uppfoljning.html", "Införa flerfaktorsautentisering."),
    ("omraden.html", "class=\"coverage\""),
    ("sok.html", "id=\"search-form\""),
    ("systemregister.html", "<span class=\"restricted\""),
    ("arsmal/mal-2026.html", "class=\"goals\""),
    ("instruktioner/drift.html", "class=\"backlinks\""),
    ("historik/rutiner/rutin.html", "<li class=\"restricted\">"),
    ("historik/arsmal/mal-2026.html", " arsmal/2026.md</span>"),
    (
        "historik/instruktioner/forvaltning.html",
        "class=\"uncommitted\"",
    ),
    ("versioner/index.html", "href=\"v1.1/andringar.html\""),
    ("versioner/v1.1/andringar.html", "Rutin gammal"),
    ("versioner/v1.1/instruktioner/drift.html", "banner-version"),
];

#[test]
fn every_page_kind_renders_in_both_languages() {
    for language in ["sv", "en"] {
        let site = site_in_git(language);
        site.build();
        for (page, marker) in PAGES {
            let html = site.output(page);
            assert!(
                html.contains(&format!("<html lang=\"{language}\">")),
                "{language} {page}"
            );
            assert!(
                html.contains(marker),
                "{language} {page} lacks {marker:?}:\n{html}"
            );
        }
    }
}
