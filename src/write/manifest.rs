//! The manifests beside the output.
//!
//! Beside the output, one file per built directory (named by its inode)
//! lists each file's length, modification time, inode and a hash of its
//! bytes as written. When the directory is reused as the spare, a file
//! whose length, time and inode are still those listed and whose new bytes
//! hash the same is known to be unchanged without being read. Kept outside
//! the site, whose bytes must not depend on times or inodes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A file as written: its length, time and inode, and a hash of its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Stamp {
    hash: u64,
    len: u64,
    mtime_ns: i128,
    ino: u64,
}

impl Stamp {
    /// The hash of the bytes as written.
    pub(super) fn hash(&self) -> u64 {
        self.hash
    }

    /// The stamp of a file with these metadata and bytes of this hash.
    pub(super) fn of(meta: &std::fs::Metadata, hash: u64) -> Stamp {
        Stamp {
            hash,
            len: meta.len(),
            mtime_ns: crate::platform::modified_ns(meta),
            ino: crate::platform::file_id(meta).unwrap_or(0),
        }
    }
}

/// A hash of a file's bytes given in pieces. Not cryptographic: a file is
/// only skipped when its length, time and inode match as well.
pub(super) fn hash(pieces: &[&[u8]]) -> u64 {
    crate::output::hash_with(0x5354_5952_444f_4b31, pieces)
}

const HEADER: &str = "styrdok manifest 1";

/// The manifests of one output directory's builds:
/// `.<output name>.styrdok-manifest-<inode of the built directory>`.
pub(super) struct Manifests {
    prefix: PathBuf,
}

impl Manifests {
    /// The manifests beside the output directory `name` in `parent`.
    pub(super) fn new(parent: &Path, name: &str) -> Self {
        Manifests {
            prefix: parent.join(format!(".{name}.styrdok-manifest-")),
        }
    }

    /// Where the manifest of the directory `dir` is.
    fn path(&self, dir: &Path) -> Option<PathBuf> {
        // Without file ids (inodes) there are no manifests: every file of
        // the spare is compared byte by byte.
        let ino = crate::platform::file_id(&dir.symlink_metadata().ok()?)?;
        let mut p = self.prefix.as_os_str().to_owned();
        p.push(ino.to_string());
        Some(PathBuf::from(p))
    }

    /// The manifest of `dir`; empty when there is none or it is unreadable.
    pub(super) fn read(&self, dir: &Path) -> HashMap<String, Stamp> {
        let Some(Ok(text)) = self.path(dir).map(std::fs::read_to_string) else {
            return HashMap::new();
        };
        let mut lines = text.lines();
        if lines.next() != Some(HEADER) {
            return HashMap::new();
        }
        lines
            .filter_map(|line| {
                let mut f = line.splitn(5, ' ');
                let hash = u64::from_str_radix(f.next()?, 16).ok()?;
                let len = f.next()?.parse().ok()?;
                let mtime_ns = f.next()?.parse().ok()?;
                let ino = f.next()?.parse().ok()?;
                let path = f.next()?.to_string();
                Some((
                    path,
                    Stamp {
                        hash,
                        len,
                        mtime_ns,
                        ino,
                    },
                ))
            })
            .collect()
    }

    /// Writes the manifest of `dir`. Only an optimisation for the build
    /// after next: a failure costs that build time, not correctness.
    pub(super) fn write(&self, dir: &Path, mut stamps: Vec<(String, Stamp)>) {
        use std::fmt::Write as _;
        stamps.sort_by(|a, b| a.0.cmp(&b.0));
        let mut text = format!("{HEADER}\n");
        for (rel, s) in stamps {
            // A name that would break the lines is left out.
            if !rel.contains(['\n', '\r']) {
                let _ = writeln!(
                    text,
                    "{:016x} {} {} {} {rel}",
                    s.hash, s.len, s.mtime_ns, s.ino
                );
            }
        }
        if let Some(path) = self.path(dir) {
            let _ = std::fs::write(&path, text);
        }
    }

    /// Removes every manifest but those of the directories `keep`.
    pub(super) fn prune(&self, keep: &[&Path]) {
        let keep: Vec<PathBuf> = keep.iter().filter_map(|d| self.path(d)).collect();
        let (Some(parent), Some(prefix)) = (
            self.prefix.parent(),
            self.prefix
                .file_name()
                .map(|n| n.to_string_lossy().into_owned()),
        ) else {
            return;
        };
        let Ok(entries) = std::fs::read_dir(parent) else {
            return;
        };
        for e in entries.flatten() {
            if e.file_name().to_string_lossy().starts_with(&prefix) && !keep.contains(&e.path()) {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}
