//! What a published site may contain: nothing of a document above the
//! publishing limit, the same bytes on every build, and a site's own theme
//! over the default one.

mod common;

use common::TestSite;
use std::path::Path;
use std::process::Command;

const MARKERS: [&str; 6] = [
    "HEMLIGTITEL4711",
    "hemlig-plan-4712",
    "HEMLIGTEXT4713",
    "hemligrubrik4714",
    "HEMLIGBILAGA4715",
    "hemlignamn4716",
];

fn restricted_site() -> TestSite {
    TestSite::fixture("basic")
        .file(
            "content/planer/hemlig.md",
            "---\ntitel: Plan HEMLIGTITEL4711\ntyp: systemsäkerhetsplan\nid: hemlig-plan-4712\nsystem: larm\nstatus: fastställd\nversion: \"1.0\"\ndokumentägare: Säkerhetschef\nfastställd: 2026-05-01\nfastställd_av: Kommunchef\nnästa_revision: 2027-05-31\nhotbild_analyserad: 2026-04-01\nklassning: konfidentiell\növerordnad: policy\ndriftgodkännande:\n  datum: 2026-05-01\n  beslutat_av: Säkerhetschef\n---\n\n## Systembeskrivning\n\nHEMLIGTEXT4713 om larmet.\n\n## Driftgodkännande\n\nGodkänt.\n\n## Hemligrubrik4714\n\nMer.\n",
        )
        .file(
            "content/rutin.md",
            "---\ntitel: Rutin för larm\ntyp: dokument\nstatus: utkast\nversion: \"0.1\"\ndokumentägare: IT-chef\nnästa_revision: 2027-06-30\növerordnad: hemlig-plan-4712\n---\n\nSe [den skyddade planen](id:hemlig-plan-4712#systembeskrivning) och [lön](planer/lon.md).\n",
        )
        .file(
            "content/systemregister.yaml",
            "- id: lon\n  namn: Lönesystem\n  systemägare: Personalchef\n  samhällsviktigt: true\n  klassning: konfidentiell\n- id: webb\n  namn: Webbplats\n  systemägare: Kommunikationschef\n  samhällsviktigt: false\n  klassning: öppen\n- id: larm\n  namn: Inbrottslarm\n  systemägare: Säkerhetschef\n  samhällsviktigt: true\n  klassning: konfidentiell\n",
        )
}

fn git(dir: &Path, args: &[&str]) {
    let ok = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "t@example.se")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "t@example.se")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .status()
        .expect("git")
        .success();
    assert!(ok, "git {args:?}");
}

/// Every file of the output, and of what builds keep beside it (the spare
/// and its manifests), whose name or bytes hold one of the markers.
fn leaks(site: &TestSite) -> Vec<String> {
    let root = site.path().join("output");
    let mut files = common::walk(&root);
    for entry in std::fs::read_dir(site.path()).expect("site root").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(".output.styrdok-") {
            files.push(entry.path());
            files.extend(common::walk(&entry.path()));
        }
    }
    files
        .into_iter()
        .filter(|p| {
            let bytes = std::fs::read(p).unwrap_or_default();
            let text = String::from_utf8_lossy(&bytes).to_lowercase();
            let name = p.to_string_lossy().to_lowercase();
            MARKERS
                .iter()
                .any(|m| text.contains(&m.to_lowercase()) || name.contains(&m.to_lowercase()))
        })
        .map(|p| {
            p.strip_prefix(&root)
                .or_else(|_| p.strip_prefix(site.path()))
                .map(|r| r.display().to_string())
                .unwrap_or_default()
        })
        .collect()
}

#[test]
fn a_restricted_document_leaves_no_trace() {
    let site = restricted_site();
    let d = site.path();
    git(d, &["init", "-q", "-b", "main"]);
    git(d, &["add", "-A"]);
    git(d, &["commit", "-q", "-m", "Alla dokument"]);
    git(d, &["tag", "v1.0"]);
    std::fs::write(
        d.join("content/planer/hemlig.md"),
        std::fs::read_to_string(d.join("content/planer/hemlig.md"))
            .expect("read")
            .replace("om larmet", "om larmet, ändrat"),
    )
    .expect("write");
    git(d, &["commit", "-q", "-am", "Ändring"]);
    git(d, &["tag", "v1.1"]);
    site.build();
    assert_eq!(leaks(&site), Vec::<String>::new());
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
    let out = site.run(&["build", "--max-klassning", "konfidentiell"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let found = leaks(&site);
    assert!(
        found.contains(&"planer/hemlig.html".to_string())
            && found.iter().any(|f| f.starts_with("versioner/v1.0/")),
        "{found:?}"
    );
}

#[test]
fn the_limit_comes_from_the_configuration_too() {
    let site = restricted_site();
    let config = std::fs::read_to_string(site.path().join("styrdok.toml")).expect("config");
    let site = site.file(
        "styrdok.toml",
        &format!("{config}\n[publish]\nmax_klassning = \"öppen\"\n"),
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
        git(s.path(), &["init", "-q", "-b", "main"]);
        git(s.path(), &["add", "-A"]);
        git(
            s.path(),
            &[
                "-c",
                "user.name=Test",
                "commit",
                "-q",
                "-m",
                "Första",
                "--date",
                "2026-01-01T10:00:00+01:00",
            ],
        );
    }
    // Same commit metadata in both, so the repositories are the same.
    a.build();
    b.build();
    let files = a.output_files();
    assert_eq!(files, b.output_files());
    for f in files {
        if f.starts_with("historik/") {
            // Commit ids differ with the committer date, which the test does not pin.
            continue;
        }
        assert_eq!(
            std::fs::read(a.path().join("output").join(&f)).ok(),
            std::fs::read(b.path().join("output").join(&f)).ok(),
            "{f}"
        );
    }
}

#[test]
fn a_site_theme_overrides_what_it_has_and_inherits_the_rest() {
    let site = TestSite::fixture("basic")
        .file("styrdok.toml", &format!("theme = \"egen\"\n{}", std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic/styrdok.toml")).expect("config")))
        .file("themes/egen/static/style.css", "/* EGEN-STIL */ body { color: black; }\n")
        .file("themes/egen/static/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n")
        .file("themes/egen/templates/index.html", "{% extends \"base.html\" %}{% block main %}<h1>EGEN STARTSIDA {{ site.title }}</h1>{% endblock main %}\n");
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

/// The restricted plan's source, which no attachment may publish.
fn hemlig_source(site: &TestSite) -> String {
    std::fs::read_to_string(site.path().join("content/planer/hemlig.md")).expect("plan")
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
    let plan = hemlig_source(&site);
    let policy = std::fs::read_to_string(site.path().join("content/policy.md")).expect("policy");
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
    let config = std::fs::read_to_string(site.path().join("styrdok.toml")).expect("config");
    let site = site.file(
        "styrdok.toml",
        &format!("{config}\n[publish]\nunlinked_attachments = \"publish\"\n"),
    );
    assert!(!codes_of(&site).iter().any(|(c, _)| c == "SD010"));
    site.build();
    assert!(site
        .output_files()
        .contains(&"bilagor/glomd.pdf".to_string()));
    assert_eq!(leaks(&site), Vec::<String>::new());
    // With the limit raised the plan's attachment is published with it.
    let out = site.run(&["build", "--max-klassning", "konfidentiell"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(leaks(&site).contains(&"planer/hemlignamn4716.pdf".to_string()));
}

#[test]
fn a_symlinked_attachment_is_never_published() {
    // Links to the confidential plan's source and to a file styrdok
    // ignores, one of them linked from a published document.
    let site = restricted_site().file(
        "content/om.md",
        "---\ntitel: Om\ntyp: dokument\nstatus: utkast\nversion: \"0.1\"\ndokumentägare: IT-chef\nnästa_revision: 2027-06-30\növerordnad: policy\n---\n\n[Bilaga](bilaga.pdf)\n",
    );
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
    let config = std::fs::read_to_string(site.path().join("styrdok.toml")).expect("config");
    let site = site.remove("content/om.md").file(
        "styrdok.toml",
        &format!("{config}\n[publish]\nunlinked_attachments = \"publish\"\n"),
    );
    site.build().build();
    let files = site.output_files();
    assert!(!files.contains(&"bilaga.pdf".to_string()), "{files:?}");
    assert!(!files.contains(&"lista.txt".to_string()), "{files:?}");
    assert_eq!(leaks(&site), Vec::<String>::new());
}

#[test]
fn a_version_publishes_no_attachment_that_check_refuses() {
    let site = TestSite::fixture("basic")
        .file("content/sok.html", "<p>RAW-SOK-4730</p>")
        .file(
            "content/bilagor/ritning.svg",
            "<svg onload=\"RAW-SVG-4731\"/>",
        )
        .file("content/bilagor/glomd.pdf", "RAW-GLOMD-4732");
    let d = site.path();
    git(d, &["init", "-q", "-b", "main"]);
    git(d, &["add", "-A"]);
    git(d, &["commit", "-q", "-m", "Med bilagor"]);
    git(d, &["tag", "v1.0"]);
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
