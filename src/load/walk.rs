//! Finding the files under content/ and reading them: skipping the names
//! no build reads ([`crate::text::is_ignored_name`]), the rules for
//! symbolic links, and opening a file without following a link, so that a
//! file is read as it was found.

use std::path::Path;

use super::{is_parsed, join, names, Entry, FileData};
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::text::is_ignored;
#[cfg(test)]
use crate::text::is_ignored_name;

/// Lists the files under `root`, sorted, skipping what [`is_ignored`]
/// names, symbolic links that cannot be followed safely and names that
/// cannot be published (each reported).
pub(super) fn walk(
    root: &Path,
    site_rel: &str,
    diags: &mut Vec<Diagnostic>,
) -> std::io::Result<Vec<Entry>> {
    let mut out = Vec::new();
    if !root.is_dir() {
        return Ok(out);
    }
    let canonical_root = crate::platform::canonicalize(root)?;
    let walker = walkdir::WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name();
    for item in walker
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(e.file_name()))
    {
        let item = match item {
            Ok(i) => i,
            Err(e) => {
                let rel = e
                    .path()
                    .and_then(|p| p.strip_prefix(root).ok())
                    .map(rel_string)
                    .unwrap_or_default();
                diags.push(Diagnostic::error_in(
                    Code::Unreadable,
                    &join(site_rel, &rel),
                    crate::tr!("kan inte läsas: {e}", "cannot read: {e}"),
                ));
                continue;
            }
        };
        // The content directory itself may be a symlink (content ->
        // elsewhere): it is the root, followed as such, not an entry in it.
        if item.depth() == 0 {
            continue;
        }
        let Ok(rel_path) = item.path().strip_prefix(root) else {
            continue;
        };
        let rel = rel_string(rel_path);
        if !item.path_is_symlink() && !item.file_type().is_file() {
            continue;
        }
        if !names::accept(rel_path, &rel, site_rel, diags) {
            continue;
        }
        let path = if item.path_is_symlink() {
            match follow(item.path(), &canonical_root, &rel, site_rel) {
                Ok(target) => target,
                Err(d) => {
                    diags.push(d);
                    continue;
                }
            }
        } else {
            item.path().to_path_buf()
        };
        out.push(Entry {
            rel,
            data: FileData::Disk(path),
        });
    }
    Ok(out)
}

/// Where a symbolic link found in the walk may be read from: the file it
/// points at, when that is a file inside the content directory and the link
/// is a document's. An attachment is never read through a link: what
/// the link points at (a document's source, a file styrdok ignores) could
/// be published past every rule.
fn follow(
    link: &Path,
    canonical_root: &Path,
    rel: &str,
    site_rel: &str,
) -> Result<std::path::PathBuf, Diagnostic> {
    let file = join(site_rel, rel);
    match crate::platform::canonicalize(link) {
        Ok(target) if target.starts_with(canonical_root) && target.is_file() => {
            if is_parsed(rel) {
                Ok(target)
            } else {
                Err(Diagnostic::warning(
                    Code::BadSymlink,
                    &file,
                    1,
                    1,
                    crate::tr!(
                        "en symbolisk länk publiceras inte som bilaga",
                        "symlink is not published as an attachment"
                    ),
                )
                .with_hint(crate::tr!(
                    "kopiera hit filen i stället för att länka till den",
                    "copy the file here instead of linking to it"
                )))
            }
        }
        Ok(target) if target.starts_with(canonical_root) => Err(Diagnostic::warning(
            Code::BadSymlink,
            &file,
            1,
            1,
            crate::tr!(
                "en symbolisk länk till en mapp följs inte",
                "symlink to a directory is not followed"
            ),
        )
        .with_hint(crate::tr!(
            "flytta filerna till content/ i stället för att länka till dem",
            "move the files into content/ instead of linking to them"
        ))),
        Ok(_) => Err(Diagnostic::error(
            Code::BadSymlink,
            &file,
            1,
            1,
            crate::tr!(
                "den symboliska länken pekar utanför innehållsmappen; den läses inte",
                "symlink points outside the content directory; it is not read"
            ),
        )
        .with_hint(crate::tr!(
            "kopiera filen till content/; inget utanför den publiceras",
            "copy the file into content/; nothing outside it is published"
        ))),
        Err(e) => Err(Diagnostic::error(
            Code::BadSymlink,
            &file,
            1,
            1,
            crate::tr!(
                "trasig eller cirkulär symbolisk länk: {e}",
                "broken or looping symlink: {e}"
            ),
        )),
    }
}

/// Reads a file without following a symbolic link in its last component,
/// and only if what was opened is a regular file: a file swapped for a
/// link (or a fifo, or a device) after the walk looked at it is refused,
/// not read through.
pub fn read_no_follow(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut file = crate::platform::open_no_follow(path, std::fs::OpenOptions::new().read(true))?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_regular());
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn not_regular() -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidInput,
        crate::tr!(
            "inte en vanlig fil (en symbolisk länk, mapp eller enhet har tagit dess plats)",
            "not a regular file (a symlink, directory or device took its place)"
        ),
    )
}

/// A relative path as `/`-separated text.
pub(super) fn rel_string(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_lookalikes_and_editor_files_are_ignored() {
        for name in [
            "x.md.orig",
            "x.markdown",
            "X.MARKDOWN",
            "x.md~",
            ".x.md.swp",
            "#x.md#",
            "x.md.bak",
            "x.md.",
            "x.md ",
            "x.mdown",
            "x.md.old",
            "4913",
            "Thumbs.db",
        ] {
            assert!(is_ignored_name(name), "{name}");
        }
        for name in [
            "x.md",
            "X.MD",
            "rapport.pdf",
            "mdfiler",
            "a.mdx.pdf",
            "bild.png",
        ] {
            assert!(!is_ignored_name(name), "{name}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_is_not_read_through() {
        let dir = tempfile::tempdir().expect("temp dir");
        let target = dir.path().join("hemlig.md");
        std::fs::write(&target, "HEMLIGT").expect("write");
        let link = dir.path().join("bilaga.pdf");
        std::os::unix::fs::symlink(&target, &link).expect("symlink");
        assert!(read_no_follow(&link).is_err());
        assert_eq!(read_no_follow(&target).expect("read"), b"HEMLIGT");
        assert!(read_no_follow(dir.path()).is_err(), "a directory");
    }
}
