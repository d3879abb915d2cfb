//! Tests of the write stage: the swap, the spare, the manifest.

use super::*;
#[cfg(unix)]
use std::os::unix::fs::MetadataExt;

#[test]
fn rendered_paths_may_not_escape() {
    assert!(safe_rel("a/b.html"));
    assert!(!safe_rel("../x.html"));
    assert!(!safe_rel("/etc/passwd"));
    assert!(!safe_rel("a/../../x"));
    assert!(!safe_rel(""));
}

/// The policy of an ordinary build.
const INTERN: Policy = Policy {
    max_klassning: Klassning::Intern,
    drafts: false,
};

fn file(p: &str, b: &str) -> OutputFile {
    OutputFile {
        path: p.into(),
        bytes: b.as_bytes().to_vec(),
    }
}

#[test]
fn swaps_in_a_new_site_and_keeps_only_the_spare_beside_it() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let content = root.join("content");
    std::fs::create_dir_all(&content).unwrap();
    let out = root.join("output");
    let first = [file("a.html", "1"), file("d/b.html", "2")];
    write_site(root, &content, &out, INTERN, &first).unwrap();
    write_site(root, &content, &out, INTERN, &[file("c.html", "3")]).unwrap();
    assert!(!out.join("a.html").exists());
    assert_eq!(std::fs::read_to_string(out.join("c.html")).unwrap(), "3");
    let mut names: Vec<_> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with(".output.styrdok-manifest-"))
        .collect();
    names.sort();
    assert_eq!(
        names,
        [".output.styrdok-spare", "content", "output"],
        "only the spare (and manifests) beside the output"
    );
}

#[test]
fn refuses_foreign_directories_the_root_content_and_slash() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let content = root.join("content");
    std::fs::create_dir_all(&content).unwrap();
    let foreign = root.join("docs");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("keep.txt"), "mine").unwrap();
    for out in [foreign.as_path(), root, content.as_path(), Path::new("/")] {
        assert!(
            matches!(
                write_site(root, &content, out, INTERN, &[]),
                Err(WriteError::Refused(..))
            ),
            "{}",
            out.display()
        );
    }
    assert_eq!(
        std::fs::read_to_string(foreign.join("keep.txt")).unwrap(),
        "mine"
    );
}

fn site() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    let out = tmp.path().join("output");
    (tmp, content, out)
}

fn build(tmp: &tempfile::TempDir, content: &Path, out: &Path, files: &[(&str, &str)]) {
    let files: Vec<OutputFile> = files
        .iter()
        .map(|(p, b)| OutputFile {
            path: (*p).into(),
            bytes: b.as_bytes().to_vec(),
        })
        .collect();
    write_site(
        tmp.path(),
        content,
        out,
        Policy {
            max_klassning: Klassning::Intern,
            drafts: false,
        },
        &files,
    )
    .unwrap();
}

#[cfg(unix)]
fn inode(p: &Path) -> u64 {
    std::fs::metadata(p).unwrap().ino()
}

#[test]
#[cfg(unix)]
fn unchanged_files_of_the_spare_are_not_written_again() {
    let (tmp, content, out) = site();
    build(&tmp, &content, &out, &[("a.html", "same"), ("b.html", "1")]);
    let first = inode(&out.join("a.html"));
    build(&tmp, &content, &out, &[("a.html", "same"), ("b.html", "2")]);
    // The third build fills the first build's directory again.
    build(&tmp, &content, &out, &[("a.html", "same"), ("b.html", "3")]);
    assert_eq!(inode(&out.join("a.html")), first, "the same file, kept");
    assert_eq!(std::fs::read_to_string(out.join("b.html")).unwrap(), "3");
    assert_eq!(std::fs::read_to_string(out.join("a.html")).unwrap(), "same");
}

#[test]
fn hard_linked_files_in_the_spare_are_replaced_not_changed() {
    let (tmp, content, out) = site();
    build(&tmp, &content, &out, &[("a.html", "old")]);
    let backup = tmp.path().join("backup.html");
    std::fs::hard_link(out.join("a.html"), &backup).unwrap();
    build(&tmp, &content, &out, &[("a.html", "new")]);
    build(&tmp, &content, &out, &[("a.html", "newer")]);
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), "old");
    assert_eq!(
        std::fs::read_to_string(out.join("a.html")).unwrap(),
        "newer"
    );
}

#[test]
#[cfg(unix)]
fn links_planted_in_the_spare_are_removed_not_followed() {
    let (tmp, content, out) = site();
    build(&tmp, &content, &out, &[("a.html", "1")]);
    build(&tmp, &content, &out, &[("a.html", "2")]);
    let spare = tmp.path().join(".output.styrdok-spare");
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("x.html"), "keep").unwrap();
    std::fs::remove_file(spare.join("a.html")).unwrap();
    std::os::unix::fs::symlink(outside.join("x.html"), spare.join("a.html")).unwrap();
    std::os::unix::fs::symlink(&outside, spare.join("d")).unwrap();
    build(&tmp, &content, &out, &[("a.html", "3"), ("d/x.html", "4")]);
    assert_eq!(
        std::fs::read_to_string(outside.join("x.html")).unwrap(),
        "keep"
    );
    assert!(!out.join("d").symlink_metadata().unwrap().is_symlink());
    assert_eq!(std::fs::read_to_string(out.join("a.html")).unwrap(), "3");
    assert_eq!(std::fs::read_to_string(out.join("d/x.html")).unwrap(), "4");
}

#[test]
fn files_and_directories_may_trade_places() {
    let (tmp, content, out) = site();
    build(&tmp, &content, &out, &[("a/b.html", "1"), ("c", "2")]);
    build(&tmp, &content, &out, &[("x.html", "0")]);
    build(&tmp, &content, &out, &[("a", "3"), ("c/d.html", "4")]);
    assert_eq!(std::fs::read_to_string(out.join("a")).unwrap(), "3");
    assert_eq!(std::fs::read_to_string(out.join("c/d.html")).unwrap(), "4");
    let mut files: Vec<String> = walkdir::WalkDir::new(&out)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(&out)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    files.sort();
    assert_eq!(
        files,
        [MARKER, "a", "c/d.html"],
        "nothing of older builds left"
    );
}

#[test]
// Needs Linux's process and inode facts, which the portable fallback lacks.
#[cfg(not(styrdok_portable))]
fn a_killed_builds_directory_becomes_the_spare() {
    let (tmp, content, out) = site();
    build(&tmp, &content, &out, &[("a.html", "1")]);
    // What a build killed mid-way leaves (a pid no process has).
    let stale = tmp.path().join(".output.styrdok-new-999999999");
    std::fs::create_dir_all(stale.join("half")).unwrap();
    std::fs::write(stale.join("half/x.html"), "partial").unwrap();
    build(&tmp, &content, &out, &[("a.html", "2")]);
    assert!(!stale.exists());
    assert!(!out.join("half").exists());
    assert_eq!(std::fs::read_to_string(out.join("a.html")).unwrap(), "2");
}

/// What a build killed between the two renames of the portable swap
/// leaves: no `output/`, the previous site aside under the build's pid
/// (one no process has), and its finished staging directory.
fn killed_between_the_renames(tmp: &tempfile::TempDir, out: &Path) -> PathBuf {
    let aside = tmp.path().join(".output.styrdok-previous-999999999");
    std::fs::rename(out, &aside).unwrap();
    let staging = tmp.path().join(".output.styrdok-new-999999999");
    std::fs::create_dir_all(&staging).unwrap();
    std::fs::write(staging.join("a.html"), "new").unwrap();
    aside
}

#[test]
// Needs the process facts the portable fallback lacks.
#[cfg(not(styrdok_portable))]
fn a_site_left_aside_by_a_killed_swap_is_put_back_first() {
    let (tmp, content, out) = site();
    build(&tmp, &content, &out, &[("a.html", "old")]);
    let aside = killed_between_the_renames(&tmp, &out);
    restore_previous(&out);
    assert!(!aside.exists());
    assert_eq!(std::fs::read_to_string(out.join("a.html")).unwrap(), "old");
    // Once more, through a build: the previous site back, then replaced.
    let aside = killed_between_the_renames(&tmp, &out);
    build(&tmp, &content, &out, &[("a.html", "newest")]);
    assert!(!aside.exists());
    assert_eq!(
        std::fs::read_to_string(out.join("a.html")).unwrap(),
        "newest"
    );
    assert_eq!(leftovers(&tmp), [".output.styrdok-spare", "output"]);
}

#[test]
#[cfg(not(styrdok_portable))]
fn a_site_left_aside_after_the_swap_finished_becomes_the_spare() {
    let (tmp, content, out) = site();
    build(&tmp, &content, &out, &[("a.html", "1")]);
    build(&tmp, &content, &out, &[("a.html", "2")]);
    // Killed after the second rename: both are there; the spare is not.
    std::fs::remove_dir_all(tmp.path().join(".output.styrdok-spare")).unwrap();
    let aside = tmp.path().join(".output.styrdok-previous-999999999");
    std::fs::create_dir_all(&aside).unwrap();
    std::fs::write(aside.join(MARKER), marker_text(INTERN)).unwrap();
    std::fs::write(aside.join("a.html"), "1").unwrap();
    restore_previous(&out);
    assert!(aside.exists(), "output/ is there: nothing to put back");
    build(&tmp, &content, &out, &[("a.html", "3")]);
    assert_eq!(std::fs::read_to_string(out.join("a.html")).unwrap(), "3");
    assert_eq!(leftovers(&tmp), [".output.styrdok-spare", "output"]);
}

#[test]
fn the_two_rename_swap_keeps_the_old_site_as_the_spare() {
    let (tmp, content, out) = site();
    build(&tmp, &content, &out, &[("a.html", "1")]);
    let staging = tmp.path().join("staging");
    std::fs::create_dir_all(&staging).unwrap();
    std::fs::write(staging.join("a.html"), "2").unwrap();
    let spare = tmp.path().join(".output.styrdok-spare");
    let _ = std::fs::remove_dir_all(&spare);
    files::swap_by_renames(&staging, &out, &spare).unwrap();
    assert_eq!(std::fs::read_to_string(out.join("a.html")).unwrap(), "2");
    assert_eq!(std::fs::read_to_string(spare.join("a.html")).unwrap(), "1");
    assert!(!staging.exists());
    // A second rename that fails (the staging directory is gone) puts
    // the old site back.
    assert!(files::swap_by_renames(&staging, &out, &spare).is_err());
    assert_eq!(std::fs::read_to_string(out.join("a.html")).unwrap(), "2");
    assert_eq!(leftovers(&tmp), [".output.styrdok-spare", "output"]);
}

/// The names beside the output, manifests left out.
fn leftovers(tmp: &tempfile::TempDir) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.contains("styrdok-manifest") && n != "content")
        .collect();
    names.sort();
    names
}

#[test]
// Needs Linux's process and inode facts, which the portable fallback lacks.
#[cfg(all(unix, not(styrdok_portable)))]
fn the_manifest_lists_every_file_and_a_changed_spare_file_is_rewritten() {
    let (tmp, content, out) = site();
    build(
        &tmp,
        &content,
        &out,
        &[("a.html", "aaaa"), ("d/b.html", "bbbb")],
    );
    let ino = std::fs::metadata(&out).unwrap().ino();
    let manifest =
        std::fs::read_to_string(tmp.path().join(format!(".output.styrdok-manifest-{ino}")))
            .unwrap();
    let listed: Vec<&str> = manifest
        .lines()
        .skip(1)
        .map(|l| l.splitn(5, ' ').nth(4).unwrap())
        .collect();
    assert_eq!(listed, [MARKER, "a.html", "d/b.html"]);
    build(
        &tmp,
        &content,
        &out,
        &[("a.html", "aaaa"), ("d/b.html", "bbbb")],
    );
    // Someone changes a file of the spare (same length, a later time).
    let spare = tmp.path().join(".output.styrdok-spare");
    std::thread::sleep(std::time::Duration::from_millis(10));
    std::fs::write(spare.join("a.html"), "zzzz").unwrap();
    build(
        &tmp,
        &content,
        &out,
        &[("a.html", "aaaa"), ("d/b.html", "bbbb")],
    );
    assert_eq!(std::fs::read_to_string(out.join("a.html")).unwrap(), "aaaa");
    let manifests = std::fs::read_dir(tmp.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains("styrdok-manifest")
        })
        .count();
    assert_eq!(manifests, 2, "one for the output, one for the spare");
}
