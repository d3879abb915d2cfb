//! Stage 6, write: the rendered site goes into a staging directory beside
//! `output/`, which is then swapped in with one atomic rename. A build that
//! fails or is killed leaves the previous `output/` as it was.

use std::ffi::OsString;
use std::fmt;
use std::path::{Component, Path, PathBuf};

use crate::render::OutputFile;

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
    check_output_dir(root, content, output)?;
    for f in files {
        if !safe_rel(&f.path) {
            return Err(WriteError::BadPath(f.path.clone()));
        }
    }
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
    remove_stale(&parent, &name);
    let staging = parent.join(format!(
        ".{}.styrdok-new-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = fill(&staging, files).and_then(|()| swap(&staging, &output));
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

fn fill(staging: &Path, files: &[OutputFile]) -> Result<(), WriteError> {
    if staging.exists() {
        std::fs::remove_dir_all(staging).map_err(io(staging))?;
    }
    std::fs::create_dir_all(staging).map_err(io(staging))?;
    for f in files {
        let path = staging.join(&f.path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io(dir))?;
        }
        std::fs::write(&path, &f.bytes).map_err(io(&path))?;
    }
    let marker = staging.join(MARKER);
    std::fs::write(
        &marker,
        b"This directory is generated by styrdok; it is replaced on every build.\n",
    )
    .map_err(io(&marker))
}

/// Leftovers of builds that were killed.
fn remove_stale(parent: &Path, name: &OsString) {
    let prefix = format!(".{}.styrdok-", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        if let Some(rest) = n.strip_prefix(&prefix) {
            let pid = rest.rsplit('-').next().and_then(|p| p.parse::<u32>().ok());
            if pid.is_some_and(|p| !process_alive(p)) {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
}

fn process_alive(pid: u32) -> bool {
    pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists()
}

/// Puts `staging` in place of `output`: an atomic exchange where the
/// platform has one, so there is no moment without an `output/`.
fn swap(staging: &Path, output: &Path) -> Result<(), WriteError> {
    if !output.exists() {
        return std::fs::rename(staging, output).map_err(io(output));
    }
    if exchange(staging, output).is_ok() {
        // `staging` now holds the old site.
        std::fs::remove_dir_all(staging).map_err(io(staging))?;
        return Ok(());
    }
    let old = staging.with_extension("old");
    std::fs::rename(output, &old).map_err(io(output))?;
    if let Err(e) = std::fs::rename(staging, output) {
        let _ = std::fs::rename(&old, output);
        return Err(WriteError::Io(output.to_path_buf(), e));
    }
    let _ = std::fs::remove_dir_all(&old);
    Ok(())
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes())?;
    let cb = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both paths are valid NUL-terminated strings that outlive the call.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<()> {
    Err(std::io::Error::new(
        std::io::ErrorKind::Unsupported,
        "no atomic exchange",
    ))
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
        let names: Vec<_> = std::fs::read_dir(root)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2, "no staging left behind: {names:?}");

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
}
