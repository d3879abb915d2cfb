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

/// Leftovers of builds that were killed: the first becomes the spare, the
/// others are removed.
pub(super) fn remove_stale(parent: &Path, name: &OsString, spare: &Path) {
    let prefix = format!(".{}.styrdok-new-", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        if let Some(rest) = n.strip_prefix(&prefix) {
            let pid = rest.parse::<u32>().ok();
            if pid.is_some_and(|p| !process_alive(p)) {
                if is_real_dir(&e.path()) {
                    keep_as_spare(&e.path(), spare);
                } else {
                    let _ = std::fs::remove_file(e.path());
                }
            }
        }
    }
}

fn process_alive(pid: u32) -> bool {
    crate::platform::process_alive(pid)
}

/// Puts `staging` in place of `output`: an atomic exchange where the
/// platform has one, so there is no moment without an `output/`. The old
/// output is kept as the spare.
pub(super) fn swap(staging: &Path, output: &Path, spare: &Path) -> Result<(), WriteError> {
    if !output.exists() {
        return std::fs::rename(staging, output).map_err(io(output));
    }
    if exchange(staging, output).is_ok() {
        // `staging` now holds the old site.
        keep_as_spare(staging, spare);
        return Ok(());
    }
    let old = staging.with_extension("old");
    std::fs::rename(output, &old).map_err(io(output))?;
    if let Err(e) = std::fs::rename(staging, output) {
        let _ = std::fs::rename(&old, output);
        return Err(WriteError::Io(output.to_path_buf(), e));
    }
    keep_as_spare(&old, spare);
    Ok(())
}

pub(super) fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    crate::platform::exchange(a, b)
}
