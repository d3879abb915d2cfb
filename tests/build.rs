//! `styrdok build` on fixture sites: pages, metadata, links, and an output
//! directory that a failed build leaves alone.

mod common;

use common::TestSite;

#[test]
fn a_valid_site_gets_a_page_per_document_and_the_generated_pages() {
    let site = TestSite::fixture("basic");
    site.build();
    let files = site.output_files();
    for f in [
        "index.html",
        "hierarki.html",
        "systemregister.html",
        "policy.html",
        "instruktioner/drift.html",
        "instruktioner/forvaltning.html",
        "instruktioner/anvandare.html",
        "planer/lon.html",
        "assets/style.css",
    ] {
        assert!(files.contains(&f.to_string()), "missing {f} in {files:?}");
    }
}

#[test]
fn document_pages_carry_their_metadata() {
    let site = TestSite::fixture("basic");
    site.build();
    let plan = site.output("planer/lon.html");
    for expected in [
        "<h1>Systemsäkerhetsplan Lön</h1>",
        "<dt>Version</dt><dd>1.1</dd>",
        "<dt>Dokumentägare</dt><dd>Personalchef</dd>",
        "<dt>Fastställd</dt><dd>2026-05-12</dd>",
        "<dt>Nästa revision</dt><dd>2027-05-31</dd>",
        "<dt>Informationsklass</dt><dd>Intern</dd>",
        "<dt>Driftgodkännande</dt><dd>2026-05-12, beslutat av Personalchef</dd>",
        "<a href=\"../policy.html\">IT-säkerhetspolicy</a>",
        "<a href=\"../systemregister.html#system-lon\">Lönesystem</a>",
    ] {
        assert!(plan.contains(expected), "missing {expected} in:\n{plan}");
    }
    // Every row of the metadata, in order.
    insta::assert_snapshot!(common::between(&plan, "<dl class=\"meta\">", "</section>"));
}

#[test]
fn links_are_rewritten_to_relative_output_urls() {
    let site = TestSite::fixture("basic");
    site.build();
    let drift = site.output("instruktioner/drift.html");
    assert!(
        drift.contains("<a href=\"../policy.html#2-m%C3%A5l\">policyn</a>"),
        "{drift}"
    );
    assert!(
        drift.contains(
            "<a href=\"../planer/lon.html#driftgodk%C3%A4nnande\">lönesystemets plan</a>"
        ),
        "{drift}"
    );
    assert!(drift.contains("<h2 id=\"jour-och-beredskap\">"), "{drift}");
    assert!(drift.contains("<table>"), "tables are on: {drift}");
    assert!(
        drift.contains("type=\"checkbox\""),
        "task lists are on: {drift}"
    );
    let forv = site.output("instruktioner/forvaltning.html");
    assert!(forv.contains("<a href=\"drift.html\">Drift</a>"), "{forv}");
}

#[test]
fn backlinks_and_governed_documents_are_listed() {
    let site = TestSite::fixture("basic");
    site.build();
    let plan = site.output("planer/lon.html");
    let back = &plan[plan.find("Refereras från").expect("backlinks section")..];
    assert!(
        back.contains("<a href=\"../instruktioner/drift.html\">IT-säkerhetsinstruktion: Drift</a>"),
        "{back}"
    );
    let policy = site.output("policy.html");
    assert!(policy.contains("Underordnade dokument"), "{policy}");
}

#[test]
fn the_hierarchy_is_drawn_from_overordnad() {
    let site = TestSite::fixture("basic");
    site.build();
    let page = site.output("hierarki.html");
    assert!(page.contains("<svg"), "{page}");
    // The nested list nests the instructions and the plan under the policy.
    let tree = &page[page.find("<ul class=\"tree\">").expect("tree")..];
    let policy_at = tree.find("policy.html").expect("policy");
    let nested_at = tree.find("<ul>").expect("nested list");
    assert!(policy_at < nested_at);
    assert!(tree[nested_at..].contains("planer/lon.html"));
    // The policy's directive is replaced by the figure.
    let policy = site.output("policy.html");
    assert!(
        policy.contains("<figure class=\"hierarchy\">") && !policy.contains("styrdok:hierarki"),
        "{policy}"
    );
}

#[test]
fn the_register_lists_systems_with_their_plans() {
    let site = TestSite::fixture("basic");
    site.build();
    let reg = site.output("systemregister.html");
    assert!(reg.contains("<tr id=\"system-lon\">"), "{reg}");
    assert!(
        reg.contains("<a href=\"planer/lon.html\">Systemsäkerhetsplan Lön</a>"),
        "{reg}"
    );
    assert!(reg.contains("Kommunikationschef"), "{reg}");
}

#[test]
fn urls_are_relative_and_nothing_is_loaded_from_outside() {
    let site = TestSite::fixture("basic");
    site.build();
    for f in site.output_files().iter().filter(|f| f.ends_with(".html")) {
        let html = site.output(f);
        for attr in [
            "href=\"/",
            "src=\"/",
            "href=\"http",
            "src=\"http",
            "url(http",
            "//fonts.",
        ] {
            assert!(!html.contains(attr), "{f} has {attr}");
        }
    }
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = TestSite::fixture("basic");
    site.build();
    let before = site.output("planer/lon.html");
    let site = site.with("build/broken_plan");
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(site.output("planer/lon.html"), before);
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .expect("read")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("styrdok-new"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn a_build_replaces_pages_of_removed_documents() {
    let site = TestSite::fixture("basic");
    site.build();
    // Förvaltning and the areas it covered.
    let site = site
        .remove("content/instruktioner/forvaltning.md")
        .with("build/forvaltning_removed");
    let out = site.run(&["build"]);
    common::assert_success(&out);
    assert!(!site
        .output_files()
        .contains(&"instruktioner/forvaltning.html".to_string()));
}

#[test]
fn refuses_an_output_directory_it_did_not_create() {
    let site = TestSite::fixture("basic").file("docs/keep.txt", "mine");
    let docs = site.path().join("docs");
    let out = site.run(&["build", "--output", &docs.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did not create"));
    assert_eq!(
        std::fs::read_to_string(site.path().join("docs/keep.txt")).expect("kept"),
        "mine"
    );
}

#[test]
fn english_site_texts_are_selectable() {
    let site = TestSite::fixture("basic");
    let config = site.read("styrdok.toml");
    let site = site.file("styrdok.toml", &format!("language = \"en\"\n{config}"));
    site.build();
    let plan = site.output("planer/lon.html");
    assert!(
        plan.contains("<html lang=\"en\">")
            && plan.contains("Next revision")
            && plan.contains("Referenced from"),
        "{plan}"
    );
}

#[test]
fn a_document_page_snapshot() {
    let site = TestSite::fixture("basic");
    site.build();
    insta::assert_snapshot!(site.main("instruktioner/drift.html"));
}

#[test]
fn two_builds_give_identical_bytes() {
    let a = TestSite::fixture("basic");
    let b = TestSite::fixture("basic");
    a.build();
    b.build();
    let files = a.output_files();
    assert_eq!(files, b.output_files());
    for f in files {
        assert_eq!(a.output(&f), b.output(&f), "{f} differs");
    }
}

#[test]
fn refuses_the_home_directory_the_site_root_and_content_as_output() {
    let site = TestSite::fixture("basic");
    let home = tempfile::tempdir().expect("home");
    std::fs::write(home.path().join(".profile"), "mine").expect("profile");
    let run = |output: &std::path::Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_styrdok"))
            .args(["build", "--today", common::TODAY, "--root"])
            .arg(site.path())
            .arg("--output")
            .arg(output)
            .env("HOME", home.path())
            .env_remove("STYRDOK_LANG")
            .output()
            .expect("run")
    };
    // The site is Swedish: so are the reasons.
    for (dir, why) in [
        (home.path().to_path_buf(), "hemmappen"),
        (site.path().to_path_buf(), "webbplatsens rotmapp"),
        (site.path().join("content"), "innehållsmappen"),
    ] {
        let out = run(&dir);
        assert_eq!(out.status.code(), Some(2), "{dir:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(why),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(
        std::fs::read_to_string(home.path().join(".profile")).expect("kept"),
        "mine"
    );
    assert!(site.path().join("content/policy.md").exists());
}

#[test]
fn no_file_name_becomes_a_script_link() {
    let doc = |title: &str| {
        format!("---\ntitel: {title}\ntyp: dokument\nstatus: utkast\nversion: \"1\"\ndokumentägare: X\nnästa_revision: 2027-06-30\növerordnad: policy\n---\n\nText.\n")
    };
    let site = TestSite::fixture("basic")
        .file("content/javascript:alert(1).md", &doc("Skript"))
        .file("content/rutiner/a:b.md", &doc("Kolon"))
        .file(
            "content/rutiner/om.md",
            &format!(
                "{}\n<!-- styrdok:hierarki -->\n",
                doc("Om").replace("Text.", "Se [kolon](./a:b.md).")
            ),
        );
    site.build();
    let mut scanned = 0;
    for f in site.output_files() {
        let text = std::fs::read_to_string(site.path().join("output").join(&f)).unwrap_or_default();
        let lower = text.to_lowercase();
        for bad in ["href=\"javascript:", "href=\"a:b", "href='javascript:"] {
            assert!(!lower.contains(bad), "{f} has {bad}");
        }
        scanned += 1;
    }
    assert!(scanned > 10);
    // Every list of documents links it as a path: the navigation, the
    // start page and the hierarchy drawing (SVG and its text alternative).
    let start = site.output("index.html");
    assert!(
        start.contains("href=\"javascript%3Aalert(1).html\""),
        "{start}"
    );
    let figure = site.output("hierarki.html");
    assert!(
        figure.contains("class=\"node\" href=\"javascript%3Aalert(1).html\""),
        "{figure}"
    );
    let om = site.output("rutiner/om.html");
    assert!(om.contains("href=\"a%3Ab.html\""), "{om}");
    assert!(
        om.contains("href=\"../javascript%3Aalert(1).html\""),
        "{om}"
    );
}
