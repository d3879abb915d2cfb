//! Repositories that git itself copes with build too: a malformed packed
//! ref, documents in a submodule, a symlinked content directory.

mod common;

use common::git::git;
use common::TestSite;
use std::process::Output;

fn committed(site: &TestSite) {
    git(site.path()).init_with_commit("Första utkast");
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_malformed_packed_ref_is_skipped_with_a_warning() {
    let site = TestSite::fixture("basic");
    committed(&site);
    let d = site.path();
    git(d)
        .run(&["tag", "v1.0"])
        .run(&["tag", "v1.1"])
        .run(&["pack-refs", "--all"]);
    let packed = std::fs::read_to_string(d.join(".git/packed-refs")).expect("packed-refs");
    let sha = packed
        .lines()
        .find(|l| l.ends_with("refs/tags/v1.0"))
        .and_then(|l| l.split(' ').next())
        .expect("v1.0 packed")
        .to_string();
    // Before v1.1, as git sorts it: the refs after the bad one count too.
    let bad = packed.replacen(
        &format!("{sha} refs/tags/v1.1"),
        &format!("{sha} refs/tags/v x\n{sha} refs/tags/v1.1"),
        1,
    );
    assert_ne!(bad, packed);
    std::fs::write(d.join(".git/packed-refs"), bad).expect("write");
    let out = site.run(&["build"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("warning") && err.contains("refs/tags/v x"),
        "the bad ref is reported: {err}"
    );
    // About the repository, not a line of styrdok.toml.
    assert!(err.contains("--> .git\n"), "{err}");
    assert!(!err.contains("styrdok.toml:1:1"), "{err}");
    let files = site.output_files();
    for f in [
        "versioner/v1.0/index.html",
        "versioner/v1.1/index.html",
        "historik/instruktioner/drift.html",
    ] {
        assert!(files.contains(&f.to_string()), "{f} in {files:?}");
    }
    let page = site.output("historik/instruktioner/drift.html");
    assert!(page.contains("Första utkast"), "{page}");
    // A header nobody can read: no versions, a warning, and the site.
    let header = packed.lines().next().expect("header");
    let bad = packed.replacen(header, "#xx", 1);
    std::fs::write(d.join(".git/packed-refs"), bad).expect("write");
    let out = site.run(&["build"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("cannot read versions from git") && err.contains("cannot read git history"),
        "{err}"
    );
    assert!(site.output_files().contains(&"policy.html".to_string()));
}

#[test]
fn documents_in_a_submodule_are_noted_as_not_in_history() {
    let tmp = tempfile::tempdir().expect("tmp");
    let sub = tmp.path().join("rutiner");
    common::copy_dir(&common::fixture_dir("git_oddities/submodule"), &sub);
    git(&sub).init_with_commit("Rutin i undermodulen");
    let site = TestSite::fixture("basic");
    committed(&site);
    let url = format!("file://{}", sub.display());
    git(site.path()).run(&[
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "-q",
        &url,
        "content/rutiner",
    ]);
    git(site.path())
        .run(&["commit", "-q", "-m", "Undermodul"])
        .run(&["tag", "v1.0"]);
    let out = site.run(&["build"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("content/rutiner/larm.md") && err.contains("submodule"),
        "a note says why the history is missing: {err}"
    );
    let page = site.output("historik/rutiner/larm.html");
    assert!(
        !page.contains("Ändringar som inte är incheckade"),
        "the document is committed (in its submodule): {page}"
    );
    assert!(page.contains("undermodul"), "{page}");
    assert!(site
        .output("historik/policy.html")
        .contains("Första utkast"));
}

#[cfg(unix)]
#[test]
fn a_symlinked_content_directory_gives_no_symlink_diagnostic() {
    // Inside the repository: content -> dokument.
    let site = TestSite::fixture("basic");
    let d = site.path();
    std::fs::rename(d.join("content"), d.join("dokument")).expect("mv");
    std::os::unix::fs::symlink("dokument", d.join("content")).expect("symlink");
    committed(&site);
    let out = site.run(&["build"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("SD005"), "{err}");
    assert!(site
        .output("historik/policy.html")
        .contains("Första utkast"));
    // Outside the repository.
    let elsewhere = tempfile::tempdir().expect("tmp");
    let site = TestSite::fixture("basic");
    let d = site.path();
    let target = elsewhere.path().join("innehall");
    std::fs::rename(d.join("content"), &target).expect("mv");
    std::os::unix::fs::symlink(&target, d.join("content")).expect("symlink");
    committed(&site);
    let out = site.run(&["build"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("SD005"), "{err}");
    assert!(site.output_files().contains(&"policy.html".to_string()));
}

/// A tag whose `styrdok.toml` is not valid is not built with today's
/// configuration: it is left out, with a warning that names the tag.
#[test]
fn a_tag_with_an_invalid_configuration_is_reported_not_built() {
    let site = TestSite::fixture("basic");
    let d = site.path();
    git(d).init_with_commit("Start").run(&["tag", "v1.0"]);
    let config = std::fs::read_to_string(d.join("styrdok.toml")).expect("config");
    std::fs::write(
        d.join("styrdok.toml"),
        format!("{config}\nokänd_nyckel = 1\n"),
    )
    .expect("write");
    git(d)
        .commit_all("Trasig konfiguration")
        .run(&["tag", "v1.1"]);
    std::fs::write(d.join("styrdok.toml"), &config).expect("write");
    git(d).commit_all("Lagad konfiguration");
    let out = site.run(&["build"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("in tag v1.1: not built, its styrdok.toml is not valid"),
        "{err}"
    );
    let files = site.output_files();
    assert!(files.contains(&"versioner/v1.0/index.html".to_string()));
    assert!(
        !files.iter().any(|f| f.starts_with("versioner/v1.1/")),
        "{files:?}"
    );
}

#[test]
fn blobs_read_on_every_core_come_back_in_the_order_asked() {
    // Enough files that every core reads some; asked out of order, with
    // a repeat, a packed history and an id that is no blob.
    let mut site = TestSite::empty();
    for n in 0..64 {
        site = site.file(&format!("content/f{n:02}.md"), &format!("text {n}\n"));
    }
    let d = site.path();
    git(d).init_with_commit("Filer");
    for n in 0..64 {
        site.edit(&format!("content/f{n:02}.md"), "text", "ändrad text");
    }
    git(d).commit_all("Ändrade").run(&["gc", "-q"]);
    let repo = styrdok::git::open(d, &d.join("content"))
        .expect("repository")
        .expect("in git");
    let mut asked = Vec::new();
    let mut expected = Vec::new();
    for n in (0..64).rev() {
        for (rev, text) in [("HEAD~1", "text"), ("HEAD", "ändrad text")] {
            let id = git(d).output(&["rev-parse", &format!("{rev}:content/f{n:02}.md")]);
            asked.push(gix::ObjectId::from_hex(id.as_bytes()).expect("id"));
            expected.push(format!("{text} {n}\n").into_bytes());
        }
    }
    asked.push(asked[3]);
    expected.push(expected[3].clone());
    let head = git(d).output(&["rev-parse", "HEAD"]);
    asked.push(gix::ObjectId::from_hex(head.as_bytes()).expect("commit id"));
    expected.push(Vec::new());
    assert_eq!(repo.blobs(&asked), expected);
}
