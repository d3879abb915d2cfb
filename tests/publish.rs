//! What a published site may contain: nothing of a document above the
//! publishing limit, the same bytes on every build, and a site's own theme
//! over the default one.

mod common;

use common::git::git;
use common::TestSite;

const MARKERS: [&str; 6] = [
    "HEMLIGTITEL4711",
    "hemlig-plan-4712",
    "HEMLIGTEXT4713",
    "hemligrubrik4714",
    "HEMLIGBILAGA4715",
    "hemlignamn4716",
];

/// The basic site with a confidential plan (the markers), an intern
/// routine that links to it and a register that names its system.
fn restricted_site() -> TestSite {
    TestSite::fixture("basic").with("publish/restricted")
}

/// Every file the builds left on disk (the output, and the spare and
/// manifests beside it) whose name or bytes hold one of the markers.
fn leaks(site: &TestSite) -> Vec<String> {
    common::left_on_disk_with(site.path(), &MARKERS)
}

#[test]
fn a_restricted_document_leaves_no_trace() {
    let site = restricted_site();
    let git = git(site.path());
    git.init_with_commit("Alla dokument").run(&["tag", "v1.0"]);
    site.edit("content/planer/hemlig.md", "om larmet", "om larmet, ändrat");
    git.commit_all("Ändring").run(&["tag", "v1.1"]);
    site.build();
    assert_eq!(leaks(&site), Vec::<String>::new());
    // The split search index is among the files searched for markers.
    let index = site
        .output_files()
        .into_iter()
        .filter(|f| f.starts_with("assets/search/"))
        .count();
    assert!(index > 3, "{index} index files");
    // The link renders as plain text marked restricted, and the page exists without it.
    let rutin = site.output("rutin.html");
    assert!(rutin.contains("<span class=\"restricted\""), "{rutin}");
    assert!(rutin.contains("den skyddade planen"), "{rutin}");
    assert!(
        !site.output_files().iter().any(|f| f.contains("hemlig")),
        "{:?}",
        site.output_files()
    );
    // The same site with the limit raised publishes the plan: the markers are findable.
    site.build_with(&["--max-klassning", "konfidentiell"]);
    let found = leaks(&site);
    assert!(
        found.contains(&"output/planer/hemlig.html".to_string())
            && found
                .iter()
                .any(|f| f.starts_with("output/versioner/v1.0/")),
        "{found:?}"
    );
    // Published, the plan's text is in the search index's chunks and its
    // fragment: the check above would see them there.
    assert!(
        found
            .iter()
            .any(|f| f.starts_with("output/assets/search/t-"))
            && found
                .iter()
                .any(|f| f.starts_with("output/assets/search/d/")),
        "{found:?}"
    );
}

#[test]
fn the_limit_comes_from_the_configuration_too() {
    let site = restricted_site();
    let config = site.read("styrdok.toml");
    let site = site.file(
        "styrdok.toml",
        &config.replace("[publish]\n", "[publish]\nmax_klassning = \"öppen\"\n"),
    );
    site.build();
    // Only öppen documents: the policy.
    let pages: Vec<String> = site
        .output_files()
        .into_iter()
        .filter(|f| f.ends_with(".html") && !f.starts_with("versioner/"))
        .collect();
    assert!(pages.contains(&"policy.html".to_string()));
    assert!(
        !pages.contains(&"instruktioner/drift.html".to_string()),
        "{pages:?}"
    );
    assert_eq!(leaks(&site), Vec::<String>::new());
}

#[test]
fn builds_in_different_places_give_identical_bytes() {
    let a = restricted_site();
    let b = restricted_site();
    for s in [&a, &b] {
        git(s.path())
            .at("2026-01-01T10:00:00+01:00")
            .init_with_commit("Första");
    }
    // Same commit metadata in both, so the repositories are the same.
    a.build();
    b.build();
    let files = a.output_files();
    assert_eq!(files, b.output_files());
    // The history pages too: the shared git helper pins the committer
    // date, so the commit ids are the same.
    for f in files {
        assert_eq!(
            std::fs::read(a.path().join("output").join(&f)).ok(),
            std::fs::read(b.path().join("output").join(&f)).ok(),
            "{f}"
        );
    }
}

#[test]
fn a_site_theme_overrides_what_it_has_and_inherits_the_rest() {
    let site = TestSite::fixture("basic").with("publish/site_theme");
    site.build();
    assert!(site.output("assets/style.css").contains("EGEN-STIL"));
    assert!(site.output_files().contains(&"assets/logo.svg".to_string()));
    assert!(site
        .output("index.html")
        .contains("EGEN STARTSIDA Testkommun"));
    assert!(
        site.output("planer/lon.html")
            .contains("Systemsäkerhetsplan Lön"),
        "other templates come from the default"
    );
    // A theme that does not exist is an error in the configuration.
    let site = site.file("styrdok.toml", "theme = \"saknas\"\n");
    assert_eq!(site.run(&["build"]).status.code(), Some(1));
}

fn codes_of(site: &TestSite) -> Vec<(String, String)> {
    site.check()
        .into_iter()
        .map(|(c, f, _, _)| (c, f))
        .collect()
}

#[test]
fn attachments_follow_the_documents_that_link_to_them() {
    let site = restricted_site();
    // The restricted plan's source, which no attachment may publish.
    let plan = site.read("content/planer/hemlig.md");
    let policy = site.read("content/policy.md");
    let site = site
        // Linked only from the confidential plan: its name and bytes are secret.
        .file(
            "content/planer/hemlig.md",
            &format!("{plan}\nSe [ritningen](hemlignamn4716.pdf).\n"),
        )
        .file(
            "content/planer/hemlignamn4716.pdf",
            "%PDF HEMLIGBILAGA4715\n",
        )
        // Linked from a published document.
        .file(
            "content/policy.md",
            &format!("{policy}\n[Blankett](bilagor/blankett.pdf)\n"),
        )
        .file("content/bilagor/blankett.pdf", "%PDF blankett\n")
        // Linked from nowhere.
        .file("content/bilagor/glomd.pdf", "%PDF GLOMD4720\n");
    // Markdown look-alikes and editor files beside the plan hold its source.
    for name in [
        "hemlig.md.orig",
        "hemlig.markdown",
        "hemlig.md~",
        ".hemlig.md.swp",
        "#hemlig.md#",
        "hemlig.md.bak",
        "hemlig.md.",
    ] {
        site.write(&format!("content/planer/{name}"), plan.as_bytes());
    }
    // A link to it (on Unix: Windows needs a privilege to make one).
    #[cfg(unix)]
    std::os::unix::fs::symlink("hemlig.md", site.path().join("content/planer/kopia.txt"))
        .expect("symlink");
    let found = codes_of(&site);
    assert!(
        found.contains(&("SD010".into(), "content/bilagor/glomd.pdf".into())),
        "{found:?}"
    );
    assert!(
        !found
            .iter()
            .any(|(c, f)| c == "SD010" && !f.ends_with("glomd.pdf")),
        "only the unlinked attachment is listed: {found:?}"
    );
    // Twice: the second build has a spare and a manifest beside the output.
    site.build().build();
    assert_eq!(leaks(&site), Vec::<String>::new());
    let files = site.output_files();
    assert!(
        files.contains(&"bilagor/blankett.pdf".to_string()),
        "{files:?}"
    );
    assert!(
        !files.contains(&"bilagor/glomd.pdf".to_string()),
        "{files:?}"
    );
    // Unlinked attachments may be published; restricted ones still are not.
    let config = site.read("styrdok.toml");
    let site = site.file(
        "styrdok.toml",
        &config.replace(
            "[publish]\n",
            "[publish]\nunlinked_attachments = \"publish\"\n",
        ),
    );
    assert!(!codes_of(&site).iter().any(|(c, _)| c == "SD010"));
    site.build();
    assert!(site
        .output_files()
        .contains(&"bilagor/glomd.pdf".to_string()));
    assert_eq!(leaks(&site), Vec::<String>::new());
    // With the limit raised the plan's attachment is published with it.
    site.build_with(&["--max-klassning", "konfidentiell"]);
    assert!(leaks(&site).contains(&"output/planer/hemlignamn4716.pdf".to_string()));
}

#[cfg(unix)]
#[test]
fn a_symlinked_attachment_is_never_published() {
    // Links to the confidential plan's source and to a file styrdok
    // ignores, one of them linked from a published document.
    let site = restricted_site().with("publish/symlinked_attachment");
    let content = site.path().join("content");
    std::os::unix::fs::symlink("planer/hemlig.md", content.join("bilaga.pdf")).expect("symlink");
    std::fs::write(content.join(".hemlignamn4716.txt"), "HEMLIGBILAGA4715").expect("write");
    std::os::unix::fs::symlink(".hemlignamn4716.txt", content.join("lista.txt")).expect("symlink");
    let found = codes_of(&site);
    for expected in [
        ("SD005", "content/bilaga.pdf"),
        ("SD005", "content/lista.txt"),
        ("SD301", "content/om.md"),
    ] {
        assert!(
            found.contains(&(expected.0.into(), expected.1.into())),
            "{expected:?}: {found:?}"
        );
    }
    assert_eq!(site.run(&["build"]).status.code(), Some(1));
    assert_eq!(leaks(&site), Vec::<String>::new());
    // Not linked, and unlinked attachments published: still not these.
    let config = site.read("styrdok.toml");
    let site = site.remove("content/om.md").file(
        "styrdok.toml",
        &config.replace(
            "[publish]\n",
            "[publish]\nunlinked_attachments = \"publish\"\n",
        ),
    );
    site.build().build();
    let files = site.output_files();
    assert!(!files.contains(&"bilaga.pdf".to_string()), "{files:?}");
    assert!(!files.contains(&"lista.txt".to_string()), "{files:?}");
    assert_eq!(leaks(&site), Vec::<String>::new());
}

#[test]
fn a_version_publishes_no_attachment_that_check_refuses() {
    let site = TestSite::fixture("basic").with("publish/refused_attachments");
    git(site.path())
        .init_with_commit("Med bilagor")
        .run(&["tag", "v1.0"]);
    let site = site
        .remove("content/sok.html")
        .remove("content/bilagor/ritning.svg")
        .remove("content/bilagor/glomd.pdf");
    site.build();
    let search = site.output("versioner/v1.0/sok.html");
    assert!(search.contains("<!DOCTYPE html>"), "{search}");
    for f in common::walk(&site.path().join("output")) {
        let text = String::from_utf8_lossy(&std::fs::read(&f).unwrap_or_default()).to_string();
        assert!(!text.contains("RAW-"), "{}", f.display());
    }
}
