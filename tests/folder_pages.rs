//! Start and folder pages from content: `content/index.md` or
//! `content/README.md` is the start page's text above the generated
//! overview, `index.md` or `README.md` in a folder is that folder's page,
//! links to them work as in a forge, and their front matter is optional.

mod common;

use common::{between, left_on_disk_with, TestSite};

fn basic() -> TestSite {
    TestSite::fixture("basic")
}

/// The start page from its top to the generated overview.
fn start_intro(site: &TestSite) -> String {
    between(
        &site.output("index.html"),
        "<main",
        "<div class=\"state-overview\">",
    )
    .to_string()
}

/// The `href` of the first link whose text is `text` on a built page.
fn href_of(html: &str, text: &str) -> String {
    let end = html
        .find(&format!("\">{text}</a>"))
        .unwrap_or_else(|| panic!("no link {text:?} in {html}"));
    let start = html[..end].rfind("href=\"").expect("href") + 6;
    html[start..end].to_string()
}

#[test]
fn a_root_index_md_is_the_start_pages_text_above_the_overview() {
    let site = basic().file(
        "content/index.md",
        "# Välkommen till Testkommun\n\nHär finns [policyn](policy.md#2-mål) och [planen](planer/lon.md).\n\n## Kontakt\n\nIT-säkerhetssamordnaren.\n",
    );
    assert_eq!(site.codes(), vec![]);
    site.build();
    let intro = start_intro(&site);
    insta::assert_snapshot!(intro);
    // The heading that opens the text is the page's title, shown once.
    assert_eq!(intro.matches("<h1>").count(), 1, "{intro}");
    let index = site.output("index.html");
    let text = index.find("IT-säkerhetssamordnaren.").expect("intro");
    let overview = index.find("class=\"doc-group\"").expect("overview");
    assert!(text < overview, "the text comes above the overview");
    // No page of its own: it is the start page.
    assert!(!site
        .output_files()
        .iter()
        .any(|f| f.ends_with("index.md") || f == "index/index.html"));
}

#[test]
fn a_root_readme_md_is_the_start_pages_text_too() {
    let site = basic().file(
        "content/README.md",
        "---\ntitel: Styrdokument i Testkommun\n---\n\nText [om drift](instruktioner/drift.md).\n",
    );
    assert_eq!(site.codes(), vec![]);
    site.build();
    let intro = start_intro(&site);
    assert!(
        intro.contains("<h1>Styrdokument i Testkommun</h1>"),
        "{intro}"
    );
    assert!(
        intro.contains("<a href=\"instruktioner/drift.html\">om drift</a>"),
        "{intro}"
    );
    // Without one, the start page has the site's title and its own lead.
    let plain = basic();
    plain.build();
    let intro = start_intro(&plain);
    assert!(
        intro.contains("<h1>Testkommun</h1>") && intro.contains("class=\"lead\""),
        "{intro}"
    );
}

#[test]
fn two_pages_for_one_folder_are_an_error_naming_both() {
    let site = basic()
        .file("content/index.md", "Ett.\n")
        .file("content/README.md", "Två.\n")
        .file("content/planer/README.md", "Planer.\n")
        .file("content/planer/Index.md", "Planer igen.\n");
    let json = site.check_json();
    let found: Vec<(&str, &str, &str)> = json
        .iter()
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap_or_default();
            (s("code"), s("file"), s("message"))
        })
        .collect();
    assert_eq!(
        found,
        vec![
            (
                "SD006",
                "content/index.md",
                "this file and content/README.md are both the page of the content directory (the start page); a folder has one page"
            ),
            (
                "SD006",
                "content/planer/README.md",
                "this file and content/planer/Index.md are both the page of folder `planer`; a folder has one page"
            ),
        ]
    );
    assert_eq!(site.run(&["build"]).status.code(), Some(1));
}

#[test]
fn a_page_where_styrdok_writes_its_own_files_is_an_error() {
    let site = basic().file("content/versioner/README.md", "Versioner.\n");
    assert_eq!(
        site.codes(),
        vec![("SD006".into(), "content/versioner/README.md".into(), 1)]
    );
}

#[test]
fn a_folder_page_lists_exactly_its_published_documents() {
    let site = basic()
        .with("folder_pages/confidential")
        .edited(
            "content/planer/README.md",
            "klassning: konfidentiell",
            "klassning: intern",
        )
        .file(
            "content/planer/arkiv/gammal.md",
            &std::fs::read_to_string(common::fixture_dir("basic").join("content/planer/lon.md"))
                .expect("plan")
                .replace("id: plan-lon", "id: plan-gammal")
                .replace("Systemsäkerhetsplan Lön", "Gammal plan"),
        );
    site.build();
    let page = site.main("planer/index.html");
    insta::assert_snapshot!(page);
    let docs = between(&page, "class=\"folder-docs\"", "</section>");
    assert!(
        docs.contains("href=\"lon.html\">Systemsäkerhetsplan Lön</a>"),
        "{docs}"
    );
    // Not a document of a subfolder, and nothing of the confidential plan.
    assert!(!docs.contains("Gammal plan"), "{docs}");
    assert_eq!(
        left_on_disk_with(
            site.path(),
            &["Mimer", "plan-mimer", "hemlig.html", "hemlig.md"]
        ),
        Vec::<String>::new()
    );
    // A build that may publish it lists it.
    site.build_with(&["--max-klassning", "konfidentiell"]);
    let docs = site.main("planer/index.html");
    assert!(
        docs.contains("href=\"hemlig.html\">Systemsäkerhetsplan Mimer</a>"),
        "{docs}"
    );
}

#[test]
fn links_to_pages_resolve_as_in_a_forge() {
    let site = basic().with("folder_pages/wiki").edited(
        "content/instruktioner/drift.md",
        "\n## ",
        "\nSe [start](../README.md), [mappen](./), [startmappen](../), [planerna](../planer/), [planerna igen](../planer/README.md#om-planerna), [planmappen](../planer).\n\n## ",
    );
    assert_eq!(site.codes(), vec![]);
    site.build();
    let drift = site.output("instruktioner/drift.html");
    for (text, href) in [
        ("start", "../index.html"),
        ("mappen", "index.html"),
        ("startmappen", "../index.html"),
        ("planerna", "../planer/index.html"),
        ("planerna igen", "../planer/index.html#om-planerna"),
        ("planmappen", "../planer/index.html"),
    ] {
        assert_eq!(href_of(&drift, text), href, "{text}");
    }
    let planer = site.output("planer/index.html");
    for (text, href) in [
        ("startsidan", "../index.html"),
        ("start", "../index.html"),
        ("själv", "#om-planerna"),
        ("instruktionerna", "../instruktioner/index.html"),
    ] {
        assert_eq!(href_of(&planer, text), href, "{text}");
    }
    let start = site.output("index.html");
    assert_eq!(
        href_of(&start, "instruktionerna"),
        "instruktioner/index.html"
    );
    assert_eq!(href_of(&start, "plan"), "planer/index.html#om-planerna");
    let instruktioner = site.output("instruktioner/index.html");
    assert_eq!(
        href_of(&instruktioner, "Drift"),
        "drift.html#jour-och-beredskap"
    );
    // The start page lists the folders' pages.
    let folders = between(&start, "id=\"folders-heading\"", "</section>");
    assert!(
        folders.contains("href=\"instruktioner/index.html\">instruktioner</a>"),
        "{folders}"
    );
    assert!(
        folders.contains("href=\"planer/index.html\">Planer</a>"),
        "{folders}"
    );
}

#[test]
fn a_link_to_a_folder_without_a_page_is_an_error_at_its_line() {
    let site = basic().edited(
        "content/policy.md",
        "Mål för arbetet.",
        "Mål för arbetet.\n\nSe [instruktionerna](instruktioner/) och [planerna](planer/README.md).",
    );
    let found = site.check();
    assert_eq!(
        found,
        vec![
            ("SD301".into(), "content/policy.md".into(), 24, 4),
            ("SD301".into(), "content/policy.md".into(), 24, 42),
        ]
    );
    let json = site.check_json();
    assert_eq!(
        json[0]["message"],
        "link to folder `instruktioner/`, which has no page"
    );
    assert_eq!(
        json[0]["hint"],
        "add `content/instruktioner/README.md` as the folder's page, or link to a document in it, e.g. `instruktioner/drift.md`"
    );
    // From a page to a heading it lacks, and to a missing file.
    let site = basic()
        .with("folder_pages/wiki")
        .edited("content/README.md", "#om-planerna", "#om-planer")
        .edited("content/planer/README.md", "(../)", "(../saknas.md)");
    assert_eq!(
        site.codes(),
        vec![
            ("SD303".into(), "content/README.md".into(), 8),
            ("SD301".into(), "content/planer/README.md".into(), 4),
        ]
    );
}

#[test]
fn a_confidential_page_leaves_no_trace() {
    let site = basic()
        .with("folder_pages/confidential")
        .file(
            "content/README.md",
            "---\nklassning: konfidentiell\n---\n\n# Startsidan Kvasir\n\nOm Kvasir.\n",
        )
        .edited(
            "content/policy.md",
            "Mål för arbetet.",
            "Mål för arbetet. Se [mappen](planer/).",
        );
    // Linking an `öppen` document to it is worth a warning.
    let codes = site.codes();
    assert!(
        codes.contains(&("SD305".into(), "content/policy.md".into(), 22)),
        "{codes:?}"
    );
    site.build();
    assert!(!site
        .output_files()
        .contains(&"planer/index.html".to_string()));
    assert_eq!(
        left_on_disk_with(site.path(), &["Kvasir", "Mimer", "plan-mimer"]),
        Vec::<String>::new()
    );
    let policy = site.output("policy.html");
    assert!(
        policy.contains("<span class=\"restricted\" title=\"Begränsad åtkomst: sidan publiceras inte i denna utgåva\">mappen</span>"),
        "{policy}"
    );
    let intro = start_intro(&site);
    assert!(intro.contains("<h1>Testkommun</h1>"), "{intro}");
    // With the class allowed, both pages are there.
    site.build_with(&["--max-klassning", "konfidentiell"]);
    assert!(site
        .output("planer/index.html")
        .contains("Text om larmcentralen Kvasir."));
    assert!(start_intro(&site).contains("<h1>Startsidan Kvasir</h1>"));
}

#[test]
fn a_pages_front_matter_takes_three_keys() {
    let site = basic().file(
        "content/planer/README.md",
        "---\ntitel: Planer\ntitle: Planer\ntyp: dokument\nklassning: intren\n---\n\nText.\n",
    );
    let json = site.check_json();
    let found: Vec<(&str, u64, u64, &str)> = json
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default(),
                d["line"].as_u64().unwrap_or_default(),
                d["column"].as_u64().unwrap_or_default(),
                d["hint"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            ("SD105", 3, 1, "did you mean `titel`?"),
            ("SD105", 4, 1, "`typ` is a key of governing documents; a start or folder page (index.md, README.md) takes only `titel`, `beskrivning`, `klassning`. To make this a governing document, give the file another name"),
            ("SD108", 5, 12, "did you mean `intern`? (expected one of `öppen`, `intern`, `konfidentiell`)"),
        ]
    );
    // Printed with the line it points at.
    let human = site.run(&["check"]);
    let stderr = String::from_utf8_lossy(&human.stderr);
    assert!(
        stderr.contains(" --> content/planer/README.md:3:1"),
        "{stderr}"
    );
}

#[test]
fn a_wiki_style_corpus_builds_with_its_start_and_folder_pages() {
    let site = basic().with("folder_pages/wiki");
    assert_eq!(site.codes(), vec![]);
    site.build();
    let files = site.output_files();
    for page in [
        "index.html",
        "planer/index.html",
        "instruktioner/index.html",
    ] {
        assert!(files.contains(&page.to_string()), "{page}: {files:?}");
    }
    let planer = site.main("planer/index.html");
    assert!(
        planer.contains("<h1>Planer</h1>") && planer.matches("<h1>").count() == 1,
        "{planer}"
    );
    let instruktioner = site.main("instruktioner/index.html");
    // No title of its own: the folder's name.
    assert!(
        instruktioner.contains("<h1>instruktioner</h1>"),
        "{instruktioner}"
    );
    let docs = between(&instruktioner, "class=\"folder-docs\"", "</section>");
    let order: Vec<usize> = ["forvaltning.html", "drift.html", "anvandare.html"]
        .iter()
        .map(|d| docs.find(&format!("href=\"{d}\"")).expect(d))
        .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "hierarchy order: {docs}"
    );
    // The pages' text is searched too.
    let index = common::walk(&site.path().join("output/assets/search"))
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("index file"))
        .collect::<String>();
    assert!(
        index.contains("{\"t\":\"Planer\",\"k\":\"Mapp\",\"u\":\"planer/index.html\""),
        "{index}"
    );
    assert!(index.contains("[\"driftgodkännande\",0,"), "{index}");
}

#[test]
fn a_commit_to_a_page_without_front_matter_keeps_its_message() {
    use common::git::git;
    let site = basic().with("folder_pages/wiki");
    let g = git(site.path());
    g.run(&["init", "-q"])
        .run(&["add", "-A"])
        .run(&["commit", "-q", "-m", "Sidor och dokument"]);
    site.build();
    let history = site.output("historik/policy.html");
    assert!(history.contains("Sidor och dokument"), "{history}");
}

#[test]
fn the_preview_rebuilds_pages_as_a_full_build_does() {
    use styrdok::serve::{watch::Change, Rendered};
    let site = basic().with("folder_pages/wiki");
    let opts = site.preview_options();
    let mut builder = styrdok::serve::Builder::default();
    let (first, _) = builder.build(&opts, None).expect("first build");
    // The search index's files and bytes.
    let index_of = |files: &styrdok::serve::Files| {
        let mut index: Vec<(String, Vec<u8>)> = files
            .iter()
            .filter(|(p, _)| p.starts_with("assets/search/"))
            .map(|(p, b)| (p.clone(), b.to_vec()))
            .collect();
        index.sort();
        index
    };
    let mut last_index = index_of(&first);
    let steps: Vec<(&str, &str, &str, bool)> = vec![
        // Text only: the page alone (and the search index) is rendered.
        (
            "content/planer/README.md",
            "Systemsäkerhetsplanerna.",
            "Planerna för systemen.",
            true,
        ),
        (
            "content/README.md",
            "Styrande dokument",
            "De styrande dokumenten",
            true,
        ),
        // A new heading a document can link to.
        (
            "content/planer/README.md",
            "## Om planerna",
            "## Om planerna\n\nText.\n\n## Ny rubrik",
            true,
        ),
        (
            "content/instruktioner/drift.md",
            "\n## ",
            "\n[Ny](../planer/#ny-rubrik)\n\n## ",
            false,
        ),
        // The title, shown where the page is listed.
        ("content/planer/README.md", "# Planer", "# Planerna", false),
        // Front matter.
        (
            "content/instruktioner/index.md",
            "De tre",
            "---\ntitel: Instruktionerna\n---\n\nDe tre",
            false,
        ),
    ];
    for (n, (rel, from, to, alone)) in steps.into_iter().enumerate() {
        site.edit(rel, from, to);
        let paths = [site.path().join(rel)];
        let (files, rendered) = builder
            .build(&opts, Some((Change::Content, &paths)))
            .unwrap_or_else(|d| panic!("step {n}: {d:?}"));
        if alone {
            assert!(
                matches!(rendered, Rendered::Pages(k) if k <= 2),
                "step {n}: {rendered:?}"
            );
        }
        // Pages only: the search index follows, as the preview serves it
        // right after the reload; until then the index is the one before.
        let files = match rendered {
            Rendered::Pages(_) => {
                assert_eq!(index_of(&files), last_index, "step {n}: the index before");
                builder.refresh_search().expect("the index made again")
            }
            Rendered::All(_) => {
                assert!(
                    builder.refresh_search().is_none(),
                    "step {n}: rendered whole"
                );
                files
            }
        };
        let full = styrdok::serve::build(&opts).expect("full build");
        last_index = index_of(&files);
        let mut a: Vec<&String> = files.keys().collect();
        let mut b: Vec<&String> = full.keys().collect();
        a.sort();
        b.sort();
        assert_eq!(a, b, "step {n}: the same files");
        for (path, body) in &full {
            assert!(
                files[path].to_vec() == body.to_vec(),
                "step {n}: {path} differs"
            );
        }
    }
    // A page added, then removed: everything.
    let rel = "content/arsmal/README.md";
    for add in [true, false] {
        if add {
            site.write(rel, "# Mål\n\nÅrets mål.\n".as_bytes());
        } else {
            std::fs::remove_file(site.path().join(rel)).expect("remove");
        }
        let paths = [site.path().join(rel)];
        let (files, rendered) = builder
            .build(&opts, Some((Change::Content, &paths)))
            .expect("build");
        assert!(matches!(rendered, Rendered::All(_)), "{add}: {rendered:?}");
        assert_eq!(files.contains_key("arsmal/index.html"), add);
        let full = styrdok::serve::build(&opts).expect("full build");
        assert_eq!(files.len(), full.len());
    }
}

#[test]
fn a_review_names_nothing_of_a_confidential_page() {
    use common::git::git;
    let site = basic().with("folder_pages/confidential");
    git(site.path()).init_with_commit("Början");
    // On the branch: a broken link in the confidential page, and one to it.
    site.edit(
        "content/planer/README.md",
        "Text om",
        "[Saknas](kvasir-saknas.md). Text om",
    );
    site.edit(
        "content/policy.md",
        "Mål för arbetet.",
        "Mål för arbetet. Se [planerna](planer/).",
    );
    let out = site.run(&["review", "--base", "main"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let leaks: Vec<String> = left_on_disk_with(site.path(), &["Kvasir", "Mimer", "plan-mimer"])
        .into_iter()
        .filter(|f| f.starts_with("output-review/"))
        .collect();
    assert_eq!(leaks, Vec::<String>::new());
}
