//! What every page carries besides its own content: the breadcrumb trail
//! through the hierarchy, when the page last changed and by whom (from
//! git), the on-page contents beside the text, and the print margins'
//! running header and page numbers.

mod common;

use common::git::{git, PER};
use common::{between, TestSite};

/// `text` between `start` and `end`, both left out.
fn inside<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    &between(text, start, end)[start.len()..]
}

/// The basic site in git: everything by Åsa, then the Lön plan by Per.
fn site_in_git() -> TestSite {
    let site = TestSite::fixture("basic");
    git(site.path()).init_with_commit("Första versionen");
    site.edit(
        "content/planer/lon.md",
        "## Systembeskrivning",
        "## Systembeskrivning\n\nLönesystemet körs hos leverantören.",
    );
    git(site.path())
        .by(PER)
        .at("2026-03-02T09:00:00+01:00")
        .commit_all("Driftmiljön beskriven");
    site
}

/// The breadcrumb trail of a page, as its items' text.
fn crumbs(html: &str) -> Vec<String> {
    let nav = between(html, "<nav class=\"breadcrumbs\"", "</nav>");
    nav.split("<li")
        .skip(1)
        .map(|li| {
            let text = li.split_once('>').map_or("", |(_, t)| t);
            let mut plain = String::new();
            let mut inside = false;
            for c in text.chars() {
                match c {
                    '<' => inside = true,
                    '>' => inside = false,
                    _ if !inside => plain.push(c),
                    _ => {}
                }
            }
            plain.trim().to_string()
        })
        .collect()
}

#[test]
fn a_document_is_reached_through_the_documents_that_govern_it() {
    let site = site_in_git();
    site.build();
    let plan = site.output("planer/lon.html");
    assert_eq!(
        crumbs(&plan),
        ["Start", "IT-säkerhetspolicy", "Systemsäkerhetsplan Lön"]
    );
    assert!(plan.contains("<li aria-current=\"page\">Systemsäkerhetsplan Lön</li>"));
    assert!(
        between(&plan, "<nav class=\"breadcrumbs\"", "</nav>").contains("href=\"../policy.html\"")
    );
    // Its history page leads back to it; the start page has no trail.
    let history = site.output("historik/planer/lon.html");
    let trail = crumbs(&history);
    assert_eq!(
        trail[..3],
        ["Start", "IT-säkerhetspolicy", "Systemsäkerhetsplan Lön"]
    );
    assert!(!site.output("index.html").contains("class=\"breadcrumbs\""));
    assert_eq!(crumbs(&site.output("systemregister.html"))[0], "Start");
}

#[test]
fn every_page_says_when_it_last_changed_and_by_whom() {
    let site = site_in_git();
    site.build();
    let changed = |page: &str| {
        let html = site.output(page);
        inside(&html, "<p class=\"page-changed\">", "</p>").to_string()
    };
    // The plan: Per's commit; the policy: Åsa's first one.
    assert_eq!(
        changed("planer/lon.html"),
        "Senast ändrad <time datetime=\"2026-03-02\">2026-03-02</time> av Per Ek."
    );
    assert_eq!(
        changed("policy.html"),
        "Senast ändrad <time datetime=\"2026-01-10\">2026-01-10</time> av Åsa Öberg."
    );
    // Pages made of every document: the newest change of any.
    for page in [
        "index.html",
        "hierarki.html",
        "uppfoljning.html",
        "systemregister.html",
    ] {
        assert!(
            changed(page).contains("2026-03-02</time> av Per Ek."),
            "{page}"
        );
    }
    // A change not yet committed is said to be so.
    site.edit("content/policy.md", "## ", "Nytt stycke.\n\n## ");
    site.build();
    assert!(
        changed("policy.html").ends_with("av Åsa Öberg. Ändringar efter det är inte incheckade.")
    );
}

#[test]
fn a_site_outside_git_claims_no_change_date() {
    let site = TestSite::fixture("basic");
    site.build();
    assert!(!site.output("policy.html").contains("page-changed"));
}

#[test]
fn a_restricted_revision_lends_no_date_or_author() {
    let site = site_in_git();
    // The plan becomes confidential in a commit by Per: this build, which
    // publishes up to `intern`, leaves it out, and no page may name the
    // commit's author or date.
    site.edit(
        "content/planer/lon.md",
        "id: plan-lon",
        "id: plan-lon\nklassning: konfidentiell",
    );
    git(site.path())
        .by(PER)
        .at("2026-04-23T09:00:00+01:00")
        .commit_all("Planen konfidentiell");
    site.build_with(&["--max-klassning", "intern"]);
    for page in ["index.html", "policy.html", "hierarki.html"] {
        let html = site.output(page);
        assert!(!html.contains("2026-04-23"), "{page}");
        assert!(
            !html.contains("2026-03-02"),
            "{page} names the plan's change"
        );
    }
}

#[test]
fn the_contents_are_listed_beside_the_text_and_above_it() {
    let site = site_in_git();
    site.build();
    let plan = site.output("planer/lon.html");
    let aside = between(&plan, "<nav class=\"toc-aside\"", "</nav>");
    let inline = between(&plan, "<nav class=\"toc toc-inline\"", "</nav>");
    for nav in [aside, inline] {
        assert!(nav.contains("href=\"#systembeskrivning\""), "{nav}");
    }
    // The aside is outside <main>, after it; the inline list inside.
    let main_end = plan.find("</main>").expect("as set up");
    assert!(plan.find("<nav class=\"toc-aside\"").expect("as set up") > main_end);
    assert!(
        plan.find("<nav class=\"toc toc-inline\"")
            .expect("as set up")
            < main_end
    );
}

#[test]
fn printed_pages_carry_the_running_header_and_page_numbers() {
    let site = TestSite::fixture("basic").edited(
        "content/planer/lon.md",
        "titel: Systemsäkerhetsplan Lön",
        "titel: 'Plan \"Lön\" </style><script>x</script> \\ 2'",
    );
    site.build();
    let plan = site.output("planer/lon.html");
    let head = between(&plan, "<head>", "</head>");
    assert!(head.contains(
        "@page { @bottom-right { content: \"Sida \" counter(page) \" av \" counter(pages); } }"
    ));
    let style = inside(head, "@top-left { content: \"", "\"; }");
    assert_eq!(
        style,
        "Plan \\22 Lön\\22  \\3c \\2f style\\3e \\3c script\\3e x\\3c \\2f script\\3e  \\5c  2 \\b7  Version 1\\2e 1 \\b7  Fastställd"
    );
    // The title cannot end the style element or open a script.
    assert_eq!(head.matches("</style>").count(), 2);
    assert!(!head.contains("<script>"));
}

#[test]
fn an_english_site_numbers_its_printed_pages_in_english() {
    let site = TestSite::fixture("basic");
    let config = site.read("styrdok.toml");
    let site = site.file("styrdok.toml", &format!("language = \"en\"\n{config}"));
    site.build();
    let plan = site.output("planer/lon.html");
    assert!(plan.contains("content: \"Page \" counter(page) \" of \" counter(pages);"));
    assert!(plan.contains("\\b7  Version 1\\2e 1 \\b7  Adopted\"; }"));
}

#[test]
fn start_and_folder_pages_count_their_own_text_as_a_change() {
    let site = site_in_git();
    site.write(
        "content/planer/README.md",
        b"# Planerna\n\nKommunens systemsakerhetsplaner.\n",
    );
    site.write(
        "content/README.md",
        b"# Informationssakerhet\n\nStartsidans text.\n",
    );
    git(site.path())
        .by(PER)
        .at("2026-05-05T09:00:00+01:00")
        .run(&["add", "-A"])
        .run(&["commit", "-q", "-m", "Mappsidor"]);
    site.build();
    for page in ["planer/index.html", "index.html"] {
        let html = site.output(page);
        assert_eq!(
            inside(&html, "<p class=\"page-changed\">", "</p>"),
            "Senast ändrad <time datetime=\"2026-05-05\">2026-05-05</time> av Per Ek.",
            "{page}"
        );
    }
    // A page made of every document still goes by the documents.
    let register = site.output("systemregister.html");
    assert!(inside(&register, "<p class=\"page-changed\">", "</p>").contains("2026-03-02"));
}

/// A version takes the parse of a body the version before had too: each
/// must still link and index that body as its own. The policy's body is
/// the same at both tags; between them the document it links to by id is
/// renamed, and the policy's title changes.
#[test]
fn versions_that_share_a_body_link_and_index_it_each_as_its_own() {
    let site = site_in_git();
    site.edit(
        "content/policy.md",
        "Policyn konkretiseras i instruktioner.",
        "Policyn konkretiseras i instruktioner, till exempel [driften](id:drift).",
    );
    git(site.path())
        .at("2026-04-01T09:00:00+01:00")
        .commit_all("Länk till driften")
        .run(&["tag", "v1"]);
    git(site.path()).run(&[
        "mv",
        "content/instruktioner/drift.md",
        "content/instruktioner/drift-och-jour.md",
    ]);
    site.edit(
        "content/instruktioner/forvaltning.md",
        "[Drift](drift.md)",
        "[Drift](drift-och-jour.md)",
    );
    site.edit(
        "content/policy.md",
        "titel: IT-säkerhetspolicy",
        "titel: IT-säkerhetspolicy 2027",
    );
    git(site.path())
        .at("2026-05-01T09:00:00+01:00")
        .commit_all("Drift och jour")
        .run(&["tag", "v2"]);
    site.build();
    let policy = |v: &str| site.output(&format!("versioner/{v}/policy.html"));
    assert!(policy("v1").contains("href=\"instruktioner/drift.html\""));
    assert!(policy("v2").contains("href=\"instruktioner/drift-och-jour.html\""));
    assert!(!policy("v2").contains("href=\"instruktioner/drift.html\""));
    // Each version's search index has the policy under its own title:
    // its results (the fragments) and its words (the terms' chunks).
    let index = |v: &str, prefix: &str| -> String {
        let dir = site
            .path()
            .join(format!("output/versioner/{v}/assets/search"));
        let mut all = String::new();
        for dir in [dir.clone(), dir.join("d")] {
            for e in std::fs::read_dir(&dir).expect("search index") {
                let path = e.expect("entry").path();
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
                if path.is_file() && name.starts_with(prefix) {
                    all.push_str(&std::fs::read_to_string(&path).expect("read"));
                }
            }
        }
        all
    };
    let title = |t: &str| format!("{{\"t\":\"{t}\",");
    assert!(index("v1", "").contains(&title("IT-säkerhetspolicy")));
    assert!(index("v2", "").contains(&title("IT-säkerhetspolicy 2027")));
    assert!(!index("v2", "").contains(&title("IT-säkerhetspolicy")));
    assert!(!index("v1", "t-").contains("[\"2027\","));
    assert!(index("v2", "t-").contains("[\"2027\","));
}

#[test]
fn a_version_says_when_its_pages_last_changed_before_its_tag() {
    let site = site_in_git();
    site.write(
        "content/planer/README.md",
        b"# Planerna\n\nKommunens systemsakerhetsplaner.\n",
    );
    git(site.path())
        .at("2026-04-01T09:00:00+01:00")
        .run(&["add", "-A"])
        .run(&["commit", "-q", "-m", "Mappsida"])
        .run(&["tag", "v1.0"]);
    // After the tag Per changes the plan again: the version must not say so.
    site.edit(
        "content/planer/lon.md",
        "## Systembeskrivning",
        "## Systembeskrivning\n\nLeverantören sköter säkerhetskopieringen.",
    );
    git(site.path())
        .by(PER)
        .at("2026-06-15T09:00:00+01:00")
        .commit_all("Säkerhetskopiering");
    site.build();
    let changed = |page: &str| {
        let html = site.output(page);
        inside(&html, "<p class=\"page-changed\">", "</p>").to_string()
    };
    let stamp = |date: &str, who: &str| {
        format!("Senast ändrad <time datetime=\"{date}\">{date}</time> av {who}.")
    };
    assert_eq!(changed("planer/lon.html"), stamp("2026-06-15", "Per Ek"));
    assert_eq!(
        changed("versioner/v1.0/planer/lon.html"),
        stamp("2026-03-02", "Per Ek")
    );
    assert_eq!(
        changed("versioner/v1.0/policy.html"),
        stamp("2026-01-10", "Åsa Öberg")
    );
    // A folder page: its own text, newer than its documents.
    assert_eq!(
        changed("versioner/v1.0/planer/index.html"),
        stamp("2026-04-01", "Åsa Öberg")
    );
    // A page made of every document: the newest change before the tag.
    assert_eq!(
        changed("versioner/v1.0/hierarki.html"),
        stamp("2026-03-02", "Per Ek")
    );
}
