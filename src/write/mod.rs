//! Stage 6, write: the rendered site goes into a staging directory beside
//! `output/`, which is then swapped in with one atomic rename. A build that
//! fails or is killed leaves the previous `output/` as it was.

use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::fmt;
use std::os::unix::fs::MetadataExt;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use crate::render::OutputFile;

mod files;
mod manifest;

use files::{
    is_real_dir, keep_as_spare, remove_any, remove_stale, rewrite_in_place, swap, write_new,
};
use manifest::{Manifests, Stamp};

/// Marks a directory as written by styrdok, so it may be replaced.
pub const MARKER: &str = ".styrdok-output";

/// Why the output could not be written.
#[derive(Debug)]
pub enum WriteError {
    /// The output directory is one styrdok must never replace.
    Refused(PathBuf, &'static str),
    /// A rendered path that would leave the output directory.
    BadPath(String),
    /// An I/O failure.
    Io(PathBuf, std::io::Error),
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::Refused(p, why) => write!(
                f,
                "refusing to use {} as the output directory: {why}",
                p.display()
            ),
            WriteError::BadPath(p) => write!(
                f,
                "refusing to write `{p}`: it would leave the output directory"
            ),
            WriteError::Io(p, e) => write!(f, "cannot write {}: {e}", p.display()),
        }
    }
}

impl std::error::Error for WriteError {}

fn io(p: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |e| WriteError::Io(p.to_path_buf(), e)
}

/// Checks that `output` may be replaced: not `/`, the home directory, the
/// site root, the content directory or one of their ancestors, nor a
/// non-empty directory styrdok did not create.
pub fn check_output_dir(root: &Path, content: &Path, output: &Path) -> Result<(), WriteError> {
    let out = absolute(output);
    let refuse = |why| Err(WriteError::Refused(output.to_path_buf(), why));
    if out.parent().is_none() {
        return refuse("it is the file system root");
    }
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from) {
        if absolute(&home) == out {
            return refuse("it is the home directory");
        }
    }
    let root = absolute(root);
    let content = absolute(content);
    if root.starts_with(&out) {
        return refuse("it is the site root or contains it");
    }
    if content.starts_with(&out) || out.starts_with(&content) {
        return refuse("it is, contains or lies inside the content directory");
    }
    if out.is_dir() && !out.join(MARKER).exists() {
        let empty = std::fs::read_dir(&out).map_err(io(&out))?.next().is_none();
        if !empty {
            return refuse("it is a non-empty directory that styrdok did not create (no .styrdok-output marker)");
        }
    }
    if out.exists() && !out.is_dir() {
        return refuse("it exists and is not a directory");
    }
    Ok(())
}

/// An absolute, lexically normalised path (symlinks of existing parents resolved).
fn absolute(p: &Path) -> PathBuf {
    let p = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(p))
            .unwrap_or_else(|_| p.to_path_buf())
    };
    if let Ok(c) = p.canonicalize() {
        return c;
    }
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    match (out.parent(), out.file_name()) {
        (Some(parent), Some(name)) => parent.canonicalize().map(|p| p.join(name)).unwrap_or(out),
        _ => out,
    }
}

/// Whether a rendered path stays inside the output directory.
fn safe_rel(path: &str) -> bool {
    !path.is_empty()
        && !path.contains('\\')
        && !path.contains('\0')
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// Writes `files` as the new `output`, replacing the old one atomically.
pub fn write_site(
    root: &Path,
    content: &Path,
    output: &Path,
    files: &[OutputFile],
) -> Result<(), WriteError> {
    let staging = Staging::begin(root, content, output)?;
    for f in files {
        staging.put(&f.path, &f.bytes)?;
    }
    staging.commit()
}

/// The directory a build fills before it becomes `output/`.
///
/// It is the output of the build before the previous one when that is still
/// beside `output/` (`.output.styrdok-spare`): a file whose bytes are
/// unchanged is left alone and a changed one is rewritten in place, so a
/// rebuild neither creates nor deletes thousands of inodes. After the swap
/// the old `output/` becomes the spare for the next build. [`Staging::put`]
/// may be called from several threads at once.
pub struct Staging {
    output: PathBuf,
    dir: PathBuf,
    spare: PathBuf,
    /// Regular files found in a reused directory and not written yet.
    old: Mutex<HashSet<String>>,
    /// Directories known to exist in the staging directory.
    dirs: Mutex<HashSet<PathBuf>>,
    /// The reused directory's manifest (see [`manifest`]).
    manifest: HashMap<String, Stamp>,
    manifests: Manifests,
    /// The new site's manifest, as files are put.
    stamps: Mutex<Vec<(String, Stamp)>>,
    count: AtomicUsize,
    committed: bool,
}

impl Staging {
    /// Checks `output` (see [`check_output_dir`]) and prepares a staging
    /// directory beside it.
    pub fn begin(root: &Path, content: &Path, output: &Path) -> Result<Staging, WriteError> {
        check_output_dir(root, content, output)?;
        let output = absolute(output);
        let parent = output
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        std::fs::create_dir_all(&parent).map_err(io(&parent))?;
        let name = output
            .file_name()
            .map(OsString::from)
            .unwrap_or_else(|| "output".into());
        let spare = parent.join(format!(".{}.styrdok-spare", name.to_string_lossy()));
        remove_stale(&parent, &name, &spare);
        let dir = parent.join(format!(
            ".{}.styrdok-new-{}",
            name.to_string_lossy(),
            std::process::id()
        ));
        if dir.symlink_metadata().is_ok() {
            remove_any(&dir).map_err(io(&dir))?;
        }
        let mut staging = Staging {
            output,
            dir: dir.clone(),
            spare: spare.clone(),
            old: Mutex::new(HashSet::new()),
            dirs: Mutex::new(HashSet::new()),
            manifest: HashMap::new(),
            manifests: Manifests::new(&parent, &name.to_string_lossy()),
            stamps: Mutex::new(Vec::new()),
            count: AtomicUsize::new(0),
            committed: false,
        };
        // Claiming the spare by renaming it is atomic: of two builds started
        // together, one gets it and the other starts empty.
        let reused = is_real_dir(&spare) && std::fs::rename(&spare, &dir).is_ok();
        if reused {
            staging.manifest = staging.manifests.read(&dir);
            staging.scan()?;
        } else {
            std::fs::create_dir(&dir).map_err(io(&dir))?;
        }
        lock(&staging.dirs).insert(dir);
        Ok(staging)
    }

    /// Lists a reused directory. Anything that is neither a regular file nor
    /// a directory (a symbolic link above all) is removed, so no write can
    /// be led outside the staging directory.
    fn scan(&mut self) -> Result<(), WriteError> {
        let old = self.old.get_mut().unwrap_or_else(PoisonError::into_inner);
        let dirs = self.dirs.get_mut().unwrap_or_else(PoisonError::into_inner);
        for entry in walkdir::WalkDir::new(&self.dir).min_depth(1) {
            let entry = entry.map_err(|e| {
                WriteError::Io(self.dir.clone(), std::io::Error::other(e.to_string()))
            })?;
            let path = entry.path();
            let kind = entry.file_type();
            let rel = path
                .strip_prefix(&self.dir)
                .ok()
                .and_then(Path::to_str)
                .filter(|r| safe_rel(r));
            match rel {
                Some(rel) if kind.is_file() => {
                    old.insert(rel.to_string());
                }
                Some(_) if kind.is_dir() => {
                    dirs.insert(path.to_path_buf());
                }
                _ => remove_any(path).map_err(io(path))?,
            }
        }
        Ok(())
    }

    /// Writes one file of the new site (`rel` is `/`-separated, inside
    /// the output).
    pub fn put(&self, rel: &str, bytes: &[u8]) -> Result<(), WriteError> {
        self.put_pieces(rel, &[bytes])
    }

    /// Like [`Staging::put`] for a file given as consecutive pieces, which
    /// are never joined in memory.
    pub fn put_pieces(&self, rel: &str, pieces: &[&[u8]]) -> Result<(), WriteError> {
        if !safe_rel(rel) {
            return Err(WriteError::BadPath(rel.to_string()));
        }
        let path = self.dir.join(rel);
        self.count.fetch_add(1, Ordering::Relaxed);
        let hash = manifest::hash(pieces);
        if lock(&self.old).remove(rel) {
            // Listed in the manifest and untouched since: no need to read it.
            if let (Some(listed), Ok(meta)) = (self.manifest.get(rel), path.symlink_metadata()) {
                let stamp = Stamp::of(&meta, hash);
                if meta.is_file() && meta.nlink() == 1 && stamp == *listed {
                    self.stamp(rel, stamp);
                    return Ok(());
                }
            }
            match rewrite_in_place(&path, pieces) {
                Ok(Some(meta)) => {
                    self.stamp(rel, Stamp::of(&meta, hash));
                    return Ok(());
                }
                // Shared with a hard link, or not what it seemed: replace it.
                Ok(None) | Err(_) => remove_any(&path).map_err(io(&path))?,
            }
        }
        if let Some(parent) = path.parent() {
            self.make_dir(parent)?;
        }
        let meta = match write_new(&path, pieces) {
            Ok(meta) => meta,
            Err(_) if path.is_dir() => {
                // A directory of the old site where the new one has a file.
                remove_any(&path).map_err(io(&path))?;
                write_new(&path, pieces).map_err(io(&path))?
            }
            Err(e) => return Err(WriteError::Io(path, e)),
        };
        self.stamp(rel, Stamp::of(&meta, hash));
        Ok(())
    }

    fn stamp(&self, rel: &str, stamp: Stamp) {
        lock(&self.stamps).push((rel.to_string(), stamp));
    }

    fn make_dir(&self, dir: &Path) -> Result<(), WriteError> {
        if lock(&self.dirs).contains(dir) {
            return Ok(());
        }
        if std::fs::create_dir_all(dir).is_err() {
            // A file of the old site where the new one has a directory.
            let mut at = self.dir.clone();
            if let Ok(rel) = dir.strip_prefix(&self.dir) {
                for c in rel.components() {
                    at.push(c);
                    if at.symlink_metadata().is_ok_and(|m| !m.is_dir()) {
                        remove_any(&at).map_err(io(&at))?;
                    }
                }
            }
            std::fs::create_dir_all(dir).map_err(io(dir))?;
        }
        let mut dirs = lock(&self.dirs);
        let mut d = dir.to_path_buf();
        while d.starts_with(&self.dir) && dirs.insert(d.clone()) {
            d.pop();
        }
        Ok(())
    }

    /// How many files have been put.
    pub fn count(&self) -> usize {
        self.count.load(Ordering::Relaxed)
    }

    /// Removes what the new site no longer has, marks the directory as
    /// styrdok's, and swaps it in as `output/`.
    pub fn commit(mut self) -> Result<(), WriteError> {
        let stale: Vec<String> = lock(&self.old).drain().collect();
        let mut parents = HashSet::new();
        for rel in stale {
            let path = self.dir.join(&rel);
            // A directory here now is the new site's (it replaced the file);
            // a missing file went with a directory the new site replaced.
            if path.symlink_metadata().is_ok_and(|m| !m.is_dir()) {
                std::fs::remove_file(&path).map_err(io(&path))?;
            }
            if let Some(p) = path.parent() {
                parents.insert(p.to_path_buf());
            }
        }
        // Directories left empty go too (deepest first).
        let mut parents: Vec<PathBuf> = parents.into_iter().collect();
        parents.sort_by_key(|p| std::cmp::Reverse(p.components().count()));
        for p in parents {
            let mut d = p;
            while d != self.dir && d.starts_with(&self.dir) && std::fs::remove_dir(&d).is_ok() {
                d.pop();
            }
        }
        self.put(
            MARKER,
            b"This directory is generated by styrdok; it is replaced on every build.\n",
        )?;
        let stamps = std::mem::take(&mut *lock(&self.stamps));
        self.manifests.write(&self.dir, stamps);
        swap(&self.dir, &self.output, &self.spare)?;
        self.committed = true;
        self.manifests.prune(&[&self.output, &self.spare]);
        Ok(())
    }
}

impl Drop for Staging {
    /// An unfinished staging directory is kept as the spare (every file in
    /// it is compared before use), or removed when there is one already.
    fn drop(&mut self) {
        if !self.committed && self.dir.exists() {
            keep_as_spare(&self.dir, &self.spare);
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rendered_paths_may_not_escape() {
        assert!(safe_rel("a/b.html"));
        assert!(!safe_rel("../x.html"));
        assert!(!safe_rel("/etc/passwd"));
        assert!(!safe_rel("a/../../x"));
        assert!(!safe_rel(""));
    }

    #[test]
    fn swaps_in_a_new_site_and_refuses_foreign_directories() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let content = root.join("content");
        std::fs::create_dir_all(&content).unwrap();
        let out = root.join("output");
        let file = |p: &str, b: &str| OutputFile {
            path: p.into(),
            bytes: b.as_bytes().to_vec(),
        };
        write_site(
            root,
            &content,
            &out,
            &[file("a.html", "1"), file("d/b.html", "2")],
        )
        .unwrap();
        write_site(root, &content, &out, &[file("c.html", "3")]).unwrap();
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

        let foreign = root.join("docs");
        std::fs::create_dir_all(&foreign).unwrap();
        std::fs::write(foreign.join("keep.txt"), "mine").unwrap();
        assert!(matches!(
            write_site(root, &content, &foreign, &[]),
            Err(WriteError::Refused(..))
        ));
        assert!(matches!(
            write_site(root, &content, root, &[]),
            Err(WriteError::Refused(..))
        ));
        assert!(matches!(
            write_site(root, &content, &content, &[]),
            Err(WriteError::Refused(..))
        ));
        assert!(matches!(
            write_site(root, &content, Path::new("/"), &[]),
            Err(WriteError::Refused(..))
        ));
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
        write_site(tmp.path(), content, out, &files).unwrap();
    }

    fn inode(p: &Path) -> u64 {
        std::fs::metadata(p).unwrap().ino()
    }

    #[test]
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

    #[test]
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
}
