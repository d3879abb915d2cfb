//! File system steps of the write stage: writing and comparing files in
//! place, the spare, leftovers of killed builds and the atomic swap.

use std::ffi::OsString;
use std::path::Path;

use super::{io, WriteError};

pub(super) fn is_real_dir(p: &Path) -> bool {
    p.symlink_metadata().is_ok_and(|m| m.is_dir())
}

/// Removes a file, link or directory tree (links are not followed).
pub(super) fn remove_any(p: &Path) -> std::io::Result<()> {
    match p.symlink_metadata() {
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(p),
        Ok(_) => std::fs::remove_file(p),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Makes the file at `path` hold `bytes`, writing only when they differ.
/// `Ok(false)` when the file may not be changed in place: it is not a
/// regular file, or another hard link shares it (a backup made with
/// `cp -al` must not change with the site).
pub(super) fn rewrite_in_place(
    path: &Path,
    pieces: &[&[u8]],
) -> std::io::Result<Option<std::fs::Metadata>> {
    use std::io::{Read, Seek};
    let mut f =
        crate::platform::open_no_follow(path, std::fs::OpenOptions::new().read(true).write(true))?;
    let meta = f.metadata()?;
    if !meta.is_file() || crate::platform::may_be_shared(&meta) {
        return Ok(None);
    }
    let len: usize = pieces.iter().map(|p| p.len()).sum();
    if meta.len() == len as u64 {
        let mut same = true;
        let mut old = Vec::new();
        for piece in pieces {
            old.resize(piece.len(), 0);
            f.read_exact(&mut old)?;
            if old != *piece {
                same = false;
                break;
            }
        }
        if same {
            return Ok(Some(meta));
        }
        f.rewind()?;
    }
    f.set_len(0)?;
    write_pieces(f, pieces).map(Some)
}

/// Creates the file at `path` with these bytes.
pub(super) fn write_new(path: &Path, pieces: &[&[u8]]) -> std::io::Result<std::fs::Metadata> {
    write_pieces(std::fs::File::create(path)?, pieces)
}

/// Writes the pieces to `f` from where it stands; its metadata after.
fn write_pieces(f: std::fs::File, pieces: &[&[u8]]) -> std::io::Result<std::fs::Metadata> {
    use std::io::Write;
    let mut w = std::io::BufWriter::with_capacity(64 * 1024, f);
    for piece in pieces {
        w.write_all(piece)?;
    }
    let f = w
        .into_inner()
        .map_err(std::io::IntoInnerError::into_error)?;
    f.metadata()
}

/// Keeps `dir` as the spare for the next build, or removes it when a spare
/// exists already.
pub(super) fn keep_as_spare(dir: &Path, spare: &Path) {
    if spare.symlink_metadata().is_ok() || std::fs::rename(dir, spare).is_err() {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// Leftovers of builds that were killed, set right before anything else.
/// First the previous site a two-rename swap had moved aside (see
/// [`swap`]): when `output/` is missing it goes back in its place
/// ([`restore_previous`]), otherwise the swap had finished and it becomes
/// the spare. Then the staging directories: the first becomes the spare,
/// the others are removed. Leftovers of a build that still runs are left
/// alone.
pub(super) fn remove_stale(parent: &Path, name: &OsString, output: &Path, spare: &Path) {
    restore_previous(parent, name, output);
    for dir in leftovers(parent, &aside_prefix(name)) {
        if is_real_dir(&dir) {
            keep_as_spare(&dir, spare);
        }
    }
    for left in leftovers(parent, &format!(".{}.styrdok-new-", name.to_string_lossy())) {
        if is_real_dir(&left) {
            keep_as_spare(&left, spare);
        } else {
            let _ = std::fs::remove_file(left);
        }
    }
}

/// When `output/` is missing and a killed build had moved the previous
/// site aside, puts it back.
pub(super) fn restore_previous(parent: &Path, name: &OsString, output: &Path) {
    if output.symlink_metadata().is_ok() {
        return;
    }
    // Of two (a second build killed in the same window), the first found.
    for dir in leftovers(parent, &aside_prefix(name)) {
        if is_real_dir(&dir)
            && dir.join(super::MARKER).is_file()
            && std::fs::rename(&dir, output).is_ok()
        {
            return;
        }
    }
}

/// The entries of `parent` named `<prefix><pid>` whose process no longer
/// runs, in name order.
fn leftovers(parent: &Path, prefix: &str) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut found: Vec<_> = entries
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .strip_prefix(prefix)
                .and_then(|rest| rest.parse::<u32>().ok())
                .is_some_and(|pid| !process_alive(pid))
        })
        .map(|e| e.path())
        .collect();
    found.sort();
    found
}

/// The name the previous site has between the two renames of the
/// portable swap, but for the pid of the build that moved it.
fn aside_prefix(name: &OsString) -> String {
    format!(".{}.styrdok-previous-", name.to_string_lossy())
}

fn process_alive(pid: u32) -> bool {
    crate::platform::process_alive(pid)
}

/// Puts `staging` in place of `output`; the old output is kept as the
/// spare.
///
/// Where the platform has an atomic exchange (Linux, macOS on APFS) there
/// is no moment without an `output/`. Elsewhere (Windows) it is two
/// renames: `output/` to `.output.styrdok-previous-<pid>`, then the
/// staging directory to `output/`. A build killed between them leaves no
/// `output/` and the previous site, complete, under that known name;
/// the next build renames it back before anything else
/// ([`restore_previous`], from `pipeline::build` and from
/// [`remove_stale`]). If the second rename fails, the first is undone.
pub(super) fn swap(staging: &Path, output: &Path, spare: &Path) -> Result<(), WriteError> {
    if output.symlink_metadata().is_err() {
        return std::fs::rename(staging, output).map_err(io(output));
    }
    if !portable_swap_forced() && exchange(staging, output).is_ok() {
        // `staging` now holds the old site.
        keep_as_spare(staging, spare);
        return Ok(());
    }
    swap_by_renames(staging, output, spare)
}

/// The portable swap (see [`swap`]): two renames, the first undone when
/// the second fails.
pub(super) fn swap_by_renames(
    staging: &Path,
    output: &Path,
    spare: &Path,
) -> Result<(), WriteError> {
    let name = output.file_name().map(OsString::from).unwrap_or_default();
    let aside = output.with_file_name(format!("{}{}", aside_prefix(&name), std::process::id()));
    std::fs::rename(output, &aside).map_err(io(output))?;
    if let Err(e) = std::fs::rename(staging, output) {
        let _ = std::fs::rename(&aside, output);
        return Err(WriteError::Io(output.to_path_buf(), e));
    }
    keep_as_spare(&aside, spare);
    Ok(())
}

pub(super) fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    crate::platform::exchange(a, b)
}

/// Whether the environment asks for the two-rename swap where the
/// platform has an atomic exchange (`STYRDOK_PORTABLE_SWAP=1`), so that
/// the path Windows takes is tested on Linux with the binary the other
/// tests use. Read once: a build never changes course half-way.
pub(super) fn portable_swap_forced() -> bool {
    static FORCED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *FORCED.get_or_init(|| std::env::var_os("STYRDOK_PORTABLE_SWAP").is_some_and(|v| v == "1"))
}
