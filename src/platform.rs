//! Everything that depends on the operating system, in one place: opening
//! files without following links, file identity (inodes, hard links), the
//! atomic exchange of two directories, whether a process still runs, and
//! socket options. Linux and macOS get the real thing from the C library,
//! Windows from the Win32 API where the standard library does not offer
//! it; what a platform cannot do has a portable fallback that is correct,
//! only slower or less strict. The fallbacks are compiled (and tested) on
//! every platform, and `cargo rustc --lib -- --cfg styrdok_portable`
//! builds the crate with them in place of the Unix code (as
//! `scripts/test.sh` does); `scripts/test.sh` also type-checks the crate
//! for Windows and macOS.

use std::fs::{File, Metadata, OpenOptions};
use std::io;
use std::path::Path;

/// `std::fs::canonicalize`, but on Windows without the verbatim prefix
/// where the path reads the same without it (`\\?\C:\site` becomes
/// `C:\site`): the paths the file watcher reports and the user types have
/// none, and would never start with a verbatim one; a message shows the
/// path as the user knows it, too.
pub fn canonicalize(path: &Path) -> io::Result<std::path::PathBuf> {
    let canonical = std::fs::canonicalize(path)?;
    if cfg!(windows) {
        if let Some(plain) = canonical.to_str().and_then(without_verbatim_prefix) {
            return Ok(plain.into());
        }
    }
    Ok(canonical)
}

/// A Windows verbatim path (`\\?\C:\x`, `\\?\UNC\server\share\x`) in the
/// ordinary form, when that form means the same: short enough for the
/// old length limit, and no component that Windows would read otherwise
/// without the prefix (a trailing dot or space, a device name such as
/// `NUL`, a `/`). `None` for any other path.
fn without_verbatim_prefix(path: &str) -> Option<String> {
    let rest = path.strip_prefix(r"\\?\")?;
    let plain = match rest.strip_prefix(r"UNC\") {
        Some(unc) => format!(r"\\{unc}"),
        None => {
            let bytes = rest.as_bytes();
            let drive = bytes.len() >= 3
                && bytes[0].is_ascii_alphabetic()
                && bytes[1] == b':'
                && bytes[2] == b'\\';
            if !drive {
                return None;
            }
            rest.to_string()
        }
    };
    // `COM1` and `com1.txt` alike; a plain `com` too, to be safe.
    const DEVICES: &[&str] = &[
        "con", "prn", "aux", "nul", "com", "lpt", "conin$", "conout$",
    ];
    let odd = |c: &str| {
        let stem = c
            .split('.')
            .next()
            .unwrap_or(c)
            .trim_end()
            .to_ascii_lowercase();
        let stem = stem.trim_end_matches(|ch: char| ch.is_ascii_digit() || "¹²³".contains(ch));
        c.ends_with(['.', ' ']) || c.contains('/') || DEVICES.contains(&stem)
    };
    let components = rest.split('\\').skip(1);
    (plain.len() < 260 && !components.clone().any(odd)).then_some(plain)
}

/// `rel`, a `/`-separated path below `base` (a site path, which is also a
/// URL), as a file system path, joined one component at a time. Joining
/// the text whole is not the same on Windows: in a verbatim path
/// (`\\?\C:\…`, what `canonicalize` returns there) a `/` is no
/// separator but a character of the name.
pub fn join_rel(base: &Path, rel: &str) -> std::path::PathBuf {
    let mut path = base.to_path_buf();
    path.extend(rel.split('/').filter(|c| !c.is_empty()));
    path
}

/// A path below some directory (what `strip_prefix` left) as `/`-separated
/// text, the inverse of [`join_rel`]; `None` when a component is not
/// Unicode or not a plain name.
pub fn rel_text(rel: &Path) -> Option<String> {
    let parts: Option<Vec<&str>> = rel
        .components()
        .map(|c| match c {
            std::path::Component::Normal(n) => n.to_str(),
            _ => None,
        })
        .collect();
    parts.map(|p| p.join("/"))
}

/// Opens `path` as `options` say, without following a symbolic link (or,
/// on Windows, a junction) in its last component; a read also never
/// blocks on a fifo put in a file's place. Where the platform cannot
/// refuse a link at open, a link is refused by a look at it first (which
/// leaves a short window for a swap).
pub fn open_no_follow(path: &Path, options: &mut OpenOptions) -> io::Result<File> {
    #[cfg(all(unix, not(styrdok_portable)))]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
        options.open(path)
    }
    #[cfg(all(windows, not(styrdok_portable)))]
    {
        windows::open_no_follow(path, options)
    }
    #[cfg(any(not(any(unix, windows)), styrdok_portable))]
    {
        portable::open_no_follow(path, options)
    }
}

/// A number that identifies the file (its inode), if the platform has one.
/// Windows has file ids, but the standard library gives them only on
/// nightly (`MetadataExt::file_index`): there the manifests beside the
/// output are not kept and every file of the spare is compared byte by
/// byte, which is slower, never wrong.
pub fn file_id(meta: &Metadata) -> Option<u64> {
    #[cfg(all(unix, not(styrdok_portable)))]
    {
        use std::os::unix::fs::MetadataExt;
        Some(meta.ino())
    }
    #[cfg(any(not(unix), styrdok_portable))]
    {
        portable::file_id(meta)
    }
}

/// Whether another hard link may share this file, so that writing to it
/// would change that one too. Where the platform does not say (Windows:
/// `number_of_links` is nightly-only), it may: the file is then replaced
/// rather than rewritten in place.
pub fn may_be_shared(meta: &Metadata) -> bool {
    #[cfg(all(unix, not(styrdok_portable)))]
    {
        use std::os::unix::fs::MetadataExt;
        meta.nlink() > 1
    }
    #[cfg(any(not(unix), styrdok_portable))]
    {
        portable::may_be_shared(meta)
    }
}

/// The file's modification time in nanoseconds since the epoch (0 where
/// the platform does not say).
pub fn modified_ns(meta: &Metadata) -> i128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i128)
}

/// When the file's inode last changed (its status: any write, rename or
/// change of time or mode), in nanoseconds, where the platform keeps it;
/// unlike the modification time no program can set it back. `None`
/// elsewhere (Windows, the portable build).
pub fn changed_ns(meta: &Metadata) -> Option<i128> {
    #[cfg(all(unix, not(styrdok_portable)))]
    {
        use std::os::unix::fs::MetadataExt;
        Some(i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec()))
    }
    #[cfg(any(not(unix), styrdok_portable))]
    {
        let _ = meta;
        None
    }
}

/// Swaps two paths in one atomic step: Linux's `renameat2` with
/// `RENAME_EXCHANGE`, macOS's `renamex_np` with `RENAME_SWAP` (APFS). An
/// error where the platform or the file system has no such call (Windows,
/// HFS+, some network file systems), and the caller falls back to two
/// renames.
pub fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    #[cfg(all(any(target_os = "linux", target_os = "macos"), not(styrdok_portable)))]
    {
        use std::ffi::CString;
        use std::os::unix::ffi::OsStrExt;
        let ca = CString::new(a.as_os_str().as_bytes())?;
        let cb = CString::new(b.as_os_str().as_bytes())?;
        // SAFETY: both paths are valid NUL-terminated strings that outlive the call.
        #[cfg(target_os = "linux")]
        let rc = unsafe {
            libc::renameat2(
                libc::AT_FDCWD,
                ca.as_ptr(),
                libc::AT_FDCWD,
                cb.as_ptr(),
                libc::RENAME_EXCHANGE,
            )
        };
        // SAFETY: as above.
        #[cfg(target_os = "macos")]
        let rc = unsafe { libc::renamex_np(ca.as_ptr(), cb.as_ptr(), libc::RENAME_SWAP) };
        if rc == 0 {
            Ok(())
        } else {
            Err(io::Error::last_os_error())
        }
    }
    #[cfg(any(not(any(target_os = "linux", target_os = "macos")), styrdok_portable))]
    {
        portable::exchange(a, b)
    }
}

/// Whether the process `pid` still runs. Where that cannot be asked, it is
/// taken to run, so that nothing of another build is ever taken over.
pub fn process_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    #[cfg(all(unix, not(styrdok_portable)))]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return false;
        };
        // SAFETY: signal 0 only asks whether the process exists.
        let rc = unsafe { libc::kill(pid, 0) };
        rc == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
    #[cfg(all(windows, not(styrdok_portable)))]
    {
        windows::process_alive(pid)
    }
    #[cfg(any(not(any(unix, windows)), styrdok_portable))]
    {
        portable::process_alive(pid)
    }
}

/// Sets the options that accepted connections inherit from a listening
/// socket (Linux, the BSDs and macOS copy them at accept, and so does
/// Winsock's `accept`): no Nagle delay, and a send timeout, so that a
/// write to a client that does not read fails instead of blocking its
/// thread for ever. (The server accepts inside `tiny_http`, which gives
/// no hook for a per-connection `set_write_timeout`.) Elsewhere nothing
/// is set.
pub fn listener_options(listener: &std::net::TcpListener, send_timeout: std::time::Duration) {
    #[cfg(all(unix, not(styrdok_portable)))]
    {
        use std::os::unix::io::AsRawFd;
        let on: libc::c_int = 1;
        let timeout = libc::timeval {
            tv_sec: libc::time_t::try_from(send_timeout.as_secs()).unwrap_or(libc::time_t::MAX),
            tv_usec: 0,
        };
        // SAFETY: a valid socket descriptor and pointers to values of the given sizes.
        unsafe {
            libc::setsockopt(
                listener.as_raw_fd(),
                libc::IPPROTO_TCP,
                libc::TCP_NODELAY,
                (&on as *const libc::c_int).cast(),
                std::mem::size_of::<libc::c_int>() as libc::socklen_t,
            );
            libc::setsockopt(
                listener.as_raw_fd(),
                libc::SOL_SOCKET,
                libc::SO_SNDTIMEO,
                (&timeout as *const libc::timeval).cast(),
                std::mem::size_of::<libc::timeval>() as libc::socklen_t,
            );
        }
    }
    #[cfg(all(windows, not(styrdok_portable)))]
    {
        windows::listener_options(listener, send_timeout);
    }
    #[cfg(any(not(any(unix, windows)), styrdok_portable))]
    {
        portable::listener_options(listener, send_timeout);
    }
}

/// The Windows versions, from the standard library's Windows extensions
/// and the Win32 API (`windows-sys`, which the standard library's own
/// dependencies already bring in).
#[cfg(all(windows, not(styrdok_portable)))]
mod windows {
    use super::*;

    /// Opens the reparse point itself (`FILE_FLAG_OPEN_REPARSE_POINT`), so
    /// that what is looked at is what was opened: a symbolic link or a
    /// junction is refused without a window for a swap. Any other reparse
    /// point (a OneDrive file kept in the cloud, a deduplicated file) is a
    /// file whose data the file system must fetch: it is opened again
    /// normally.
    pub(super) fn open_no_follow(path: &Path, options: &OpenOptions) -> io::Result<File> {
        use std::os::windows::fs::{MetadataExt, OpenOptionsExt};
        use windows_sys::Win32::Storage::FileSystem::{
            FILE_ATTRIBUTE_REPARSE_POINT, FILE_FLAG_OPEN_REPARSE_POINT,
        };
        let file = options
            .clone()
            .custom_flags(FILE_FLAG_OPEN_REPARSE_POINT)
            .open(path)?;
        let meta = file.metadata()?;
        if meta.file_type().is_symlink() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                crate::tr!(
                    "en symbolisk länk eller knutpunkt (junction), följs inte",
                    "a symbolic link or junction, not followed"
                ),
            ));
        }
        if meta.file_attributes() & FILE_ATTRIBUTE_REPARSE_POINT != 0 {
            drop(file);
            return options.open(path);
        }
        Ok(file)
    }

    /// Asks for the process's exit code: `STILL_ACTIVE` while it runs. A
    /// process that may not be opened (another user's) exists. A process
    /// that ended with the code 259 (`STILL_ACTIVE`) is taken to run: it
    /// keeps its leftovers, which is the safe side.
    pub(super) fn process_alive(pid: u32) -> bool {
        use windows_sys::Win32::Foundation::{CloseHandle, ERROR_ACCESS_DENIED, STILL_ACTIVE};
        use windows_sys::Win32::System::Threading::{
            GetExitCodeProcess, OpenProcess, PROCESS_QUERY_LIMITED_INFORMATION,
        };
        // SAFETY: OpenProcess takes plain values; a non-null handle is
        // closed below and used for nothing else.
        let handle = unsafe { OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, 0, pid) };
        if handle.is_null() {
            return io::Error::last_os_error().raw_os_error() == Some(ERROR_ACCESS_DENIED as i32);
        }
        let mut code: u32 = 0;
        // SAFETY: a valid process handle and a pointer to a u32.
        let ok = unsafe { GetExitCodeProcess(handle, &mut code) } != 0;
        // SAFETY: the handle is valid and closed once.
        unsafe { CloseHandle(handle) };
        !ok || code == STILL_ACTIVE as u32
    }

    /// `TCP_NODELAY` and `SO_SNDTIMEO` (a `DWORD` of milliseconds on
    /// Windows) on the listening socket, which `accept` copies.
    pub(super) fn listener_options(
        listener: &std::net::TcpListener,
        send_timeout: std::time::Duration,
    ) {
        use std::os::windows::io::AsRawSocket;
        use windows_sys::Win32::Networking::WinSock::{
            setsockopt, IPPROTO_TCP, SOCKET, SOL_SOCKET, SO_SNDTIMEO, TCP_NODELAY,
        };
        let socket = listener.as_raw_socket() as SOCKET;
        let on: u32 = 1;
        let ms: u32 = u32::try_from(send_timeout.as_millis()).unwrap_or(u32::MAX);
        let size = std::mem::size_of::<u32>() as i32;
        // SAFETY: a valid socket and pointers to values of the given sizes.
        unsafe {
            setsockopt(
                socket,
                IPPROTO_TCP,
                TCP_NODELAY,
                (&on as *const u32).cast(),
                size,
            );
            setsockopt(
                socket,
                SOL_SOCKET,
                SO_SNDTIMEO,
                (&ms as *const u32).cast(),
                size,
            );
        }
    }
}
/// The fallbacks: standard library only, compiled everywhere.
#[cfg_attr(not(styrdok_portable), allow(dead_code))]
mod portable {
    use super::*;

    pub(super) fn open_no_follow(path: &Path, options: &OpenOptions) -> io::Result<File> {
        if std::fs::symlink_metadata(path)?.file_type().is_symlink() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                crate::tr!(
                    "en symbolisk länk, följs inte",
                    "a symbolic link, not followed"
                ),
            ));
        }
        options.open(path)
    }

    pub(super) fn file_id(_meta: &Metadata) -> Option<u64> {
        None
    }

    pub(super) fn may_be_shared(_meta: &Metadata) -> bool {
        true
    }

    pub(super) fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
        Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "no atomic exchange",
        ))
    }

    pub(super) fn process_alive(_pid: u32) -> bool {
        true
    }

    pub(super) fn listener_options(
        _listener: &std::net::TcpListener,
        _timeout: std::time::Duration,
    ) {
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_not_followed_here_or_in_the_fallback() {
        let tmp = tempfile::tempdir().expect("tmp");
        let target = tmp.path().join("a.txt");
        std::fs::write(&target, "x").expect("write");
        #[cfg(unix)]
        {
            let link = tmp.path().join("l.txt");
            std::os::unix::fs::symlink(&target, &link).expect("symlink");
            assert!(open_no_follow(&link, OpenOptions::new().read(true)).is_err());
            assert!(portable::open_no_follow(&link, OpenOptions::new().read(true)).is_err());
        }
        assert!(open_no_follow(&target, OpenOptions::new().read(true)).is_ok());
        assert!(portable::open_no_follow(&target, OpenOptions::new().read(true)).is_ok());
    }

    #[test]
    fn verbatim_paths_lose_their_prefix_only_where_they_read_the_same() {
        let plain = |p: &str| without_verbatim_prefix(p);
        assert_eq!(
            plain(r"\\?\C:\site\output").as_deref(),
            Some(r"C:\site\output")
        );
        assert_eq!(plain(r"\\?\C:\").as_deref(), Some(r"C:\"));
        assert_eq!(
            plain(r"\\?\UNC\server\share\styrdok").as_deref(),
            Some(r"\\server\share\styrdok")
        );
        assert_eq!(plain(r"C:\site"), None, "not verbatim");
        assert_eq!(plain(r"\\?\Volume{x}\site"), None, "no drive");
        assert_eq!(plain(r"\\?\C:\site\nul.md"), None, "a device name");
        assert_eq!(plain(r"\\?\C:\site\COM1"), None, "a device name");
        assert_eq!(plain(r"\\?\C:\site\x."), None, "a trailing dot");
        assert_eq!(plain(r"\\?\C:\site\x "), None, "a trailing space");
        let long = format!(r"\\?\C:\{}", "a".repeat(300));
        assert_eq!(plain(&long), None, "too long without the prefix");
    }

    #[test]
    fn site_paths_join_one_component_at_a_time() {
        let base = Path::new("base");
        assert_eq!(join_rel(base, "a/b.html"), base.join("a").join("b.html"));
        assert_eq!(
            join_rel(base, "versioner/x/"),
            base.join("versioner").join("x")
        );
        let rel = Path::new("a").join("b").join("c.html");
        assert_eq!(rel_text(&rel).as_deref(), Some("a/b/c.html"));
        assert_eq!(rel_text(Path::new("../x")), None);
    }

    #[test]
    fn identity_and_processes() {
        let tmp = tempfile::tempdir().expect("tmp");
        let a = tmp.path().join("a");
        std::fs::write(&a, "x").expect("write");
        let meta = std::fs::metadata(&a).expect("meta");
        assert!(!may_be_shared(&meta) || cfg!(any(not(unix), styrdok_portable)));
        assert!(
            portable::may_be_shared(&meta),
            "the fallback never writes in place"
        );
        assert_eq!(portable::file_id(&meta), None);
        assert!(modified_ns(&meta) > 0);
        assert!(process_alive(std::process::id()));
        assert!(portable::process_alive(1), "the fallback never takes over");
        assert!(portable::exchange(&a, &a).is_err());
    }
}
