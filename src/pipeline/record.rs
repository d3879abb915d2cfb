//! The record of the last build, beside its output
//! (`.<output name>.styrdok-build`): everything the build read, as a
//! fingerprint, and everything it printed. A build whose fingerprint is the
//! recorded one, into an output that is still exactly what that build left
//! ([`crate::write::output_intact`]), has nothing to do: it prints what the
//! recorded build printed and leaves the output as it is. Builds are
//! deterministic (same input, same bytes), so that output is the one a
//! cold build would write.
//!
//! The fingerprint covers styrdok's version and the executable's identity,
//! the options, the length, modification and change times and inode of
//! `styrdok.toml` and of every file under the content and theme
//! directories, and of the git repository what `HEAD` and every reference
//! point at and the shallow boundary (objects never change). The record
//! keeps its first line (styrdok's version, to tell a foreign record) and a
//! 128-bit hash of the rest, not the text: it names every file, the
//! restricted ones too, and nothing a build leaves on disk may hold what it
//! does not publish. For the same reason the printed part holds no
//! diagnostics (they quote documents of every class), only how many there
//! were and the summary (see `main.rs`). The record is only a shortcut:
//! deleting it costs one full build; a record that cannot be read, or that
//! another styrdok wrote, is ignored with a note.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::Project;

const HEADER: &str = "styrdok build record 1";

/// Which stream a printed piece went to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Out,
    Err,
}

/// What a build read and printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub fingerprint: String,
    /// Printed pieces, in order.
    pub printed: Vec<(Stream, Vec<u8>)>,
    /// The exit code.
    pub exit: u8,
}

/// What [`lookup`] found.
#[derive(Debug)]
pub enum Lookup {
    /// The recorded build read the same and its output is intact.
    Same(Record),
    /// Something changed (or there is no record).
    Changed,
    /// The record is unusable: the note says why.
    Ignored(String),
}

/// Where the record of builds into `output` is kept.
pub fn path(output: &Path) -> Option<PathBuf> {
    let name = output.file_name()?.to_string_lossy().into_owned();
    Some(output.with_file_name(format!(".{name}.styrdok-build")))
}

/// The fingerprint of everything a build of `project` with `options` (the
/// command line's effect, as text) would read, as kept in a record: its
/// first line and a hash of the rest; `None` when some of it cannot be
/// read, and the build must run.
pub fn fingerprint(project: &Project, options: &str) -> Option<String> {
    let text = inputs(project, options)?;
    let (version, rest) = text.split_once('\n')?;
    Some(format!("{version}\n{}\n", digest(rest)))
}

/// A 128-bit hash of `text`, in hex: two 64-bit hashes of different seeds.
fn digest(text: &str) -> String {
    digest_bytes(text.as_bytes())
}

fn digest_bytes(bytes: &[u8]) -> String {
    let half = |seed: u64| crate::output::hash_with(seed, &[bytes]);
    format!(
        "{:016x}{:016x}",
        half(0x7374_7972_646f_6b31),
        half(0x6275_696c_6432_3032)
    )
}

/// Everything a build reads, as text (see the module's documentation).
fn inputs(project: &Project, options: &str) -> Option<String> {
    let mut text = String::with_capacity(64 * 1024);
    let _ = writeln!(text, "styrdok {}", env!("CARGO_PKG_VERSION"));
    // A rebuilt styrdok of the same version is another program.
    let exe = std::env::current_exe().ok()?;
    stamp(&mut text, "exe", &exe)?;
    let _ = writeln!(text, "options {options}");
    let root = &project.opts.root;
    let _ = writeln!(text, "root {}", root.display());
    // A missing styrdok.toml (the defaults) is a fact as well.
    let config = root.join("styrdok.toml");
    if config.symlink_metadata().is_ok() {
        stamp(&mut text, "config", &config)?;
    } else {
        text.push_str("config none\n");
    }
    for dir in [project.content_dir.clone(), root.join("themes")] {
        let _ = writeln!(text, "dir {}", dir.display());
        if !dir.exists() {
            continue;
        }
        // Links are followed, as the loader reads what they point at.
        let walk = walkdir::WalkDir::new(&dir)
            .follow_links(true)
            .sort_by_file_name();
        for entry in walk {
            let entry = entry.ok()?;
            let rel = entry.path().strip_prefix(&dir).ok()?;
            if entry.file_type().is_dir() {
                let _ = writeln!(text, "d {}", rel.display());
            } else {
                stamp(&mut text, &format!("f {}", rel.display()), entry.path())?;
            }
        }
    }
    match project.repo() {
        Ok(Some(repo)) => text.push_str(&repo.state()?),
        Ok(None) => text.push_str("git none\n"),
        Err(_) => return None,
    }
    Some(text)
}

/// Appends `label` and the file's length, times and inode. Where the
/// platform keeps no change time (which no program can set back), a hash
/// of the file's bytes stands in for it.
fn stamp(text: &mut String, label: &str, path: &Path) -> Option<()> {
    let meta = std::fs::metadata(path).ok()?;
    let changed = match crate::platform::changed_ns(&meta) {
        Some(ns) => ns.to_string(),
        None if meta.is_file() => digest_bytes(&std::fs::read(path).ok()?),
        None => String::new(),
    };
    let _ = writeln!(
        text,
        "{label} {} {} {changed} {:?}",
        meta.len(),
        crate::platform::modified_ns(&meta),
        crate::platform::file_id(&meta),
    );
    Some(())
}

/// Whether the last build into `output` read what `fingerprint` says and
/// its output is still as it left it.
pub fn lookup(output: &Path, fingerprint: &str) -> Lookup {
    let Some(file) = path(output) else {
        return Lookup::Changed;
    };
    let bytes = match std::fs::read(&file) {
        Ok(b) => b,
        Err(_) => return Lookup::Changed,
    };
    let Some(record) = parse(&bytes) else {
        return Lookup::Ignored(crate::tr!(
            "förra byggets logg {} går inte att läsa: den används inte",
            "the record of the last build, {}, cannot be read: it is not used",
            file.display()
        ));
    };
    let version = |f: &str| f.lines().next().map(str::to_string);
    if version(&record.fingerprint) != version(fingerprint) {
        return Lookup::Ignored(crate::tr!(
            "förra byggets logg {} är skriven av en annan styrdok: den används inte",
            "the record of the last build, {}, was written by another styrdok: it is not used",
            file.display()
        ));
    }
    if record.fingerprint != fingerprint || !crate::write::output_intact(output) {
        return Lookup::Changed;
    }
    Lookup::Same(record)
}

/// Keeps `record` beside `output`, replacing the one there. Only a
/// shortcut for the next build: a failure costs that build time.
pub fn save(output: &Path, record: &Record) {
    let Some(file) = path(output) else {
        return;
    };
    let mut bytes = format!("{HEADER}\n").into_bytes();
    let mut piece = |tag: &str, body: &[u8]| {
        bytes.extend_from_slice(format!("{tag} {}\n", body.len()).as_bytes());
        bytes.extend_from_slice(body);
        bytes.push(b'\n');
    };
    piece("fingerprint", record.fingerprint.as_bytes());
    for (stream, body) in &record.printed {
        piece(
            match stream {
                Stream::Out => "out",
                Stream::Err => "err",
            },
            body,
        );
    }
    piece("exit", record.exit.to_string().as_bytes());
    let tmp = file.with_extension(format!("tmp-{}", std::process::id()));
    if std::fs::write(&tmp, &bytes).is_err() || std::fs::rename(&tmp, &file).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

/// Forgets the record of builds into `output`: a build that stopped or
/// failed leaves none, so the next build runs in full.
pub fn forget(output: &Path) {
    if let Some(file) = path(output) {
        let _ = std::fs::remove_file(file);
    }
}

/// A record from its bytes; `None` unless it is whole and well formed.
fn parse(bytes: &[u8]) -> Option<Record> {
    let rest = bytes.strip_prefix(HEADER.as_bytes())?.strip_prefix(b"\n")?;
    let mut pieces = Vec::new();
    let mut rest = rest;
    while !rest.is_empty() {
        let line_end = rest.iter().position(|&b| b == b'\n')?;
        let line = std::str::from_utf8(&rest[..line_end]).ok()?;
        let (tag, len) = line.split_once(' ')?;
        let len: usize = len.parse().ok()?;
        let body = rest.get(line_end + 1..line_end + 1 + len)?;
        if rest.get(line_end + 1 + len) != Some(&b'\n') {
            return None;
        }
        pieces.push((tag.to_string(), body.to_vec()));
        rest = &rest[line_end + 2 + len..];
    }
    let mut pieces = pieces.into_iter();
    let (tag, fingerprint) = pieces.next()?;
    if tag != "fingerprint" {
        return None;
    }
    let fingerprint = String::from_utf8(fingerprint).ok()?;
    let mut printed = Vec::new();
    let mut exit = None;
    for (tag, body) in pieces {
        match tag.as_str() {
            "out" if exit.is_none() => printed.push((Stream::Out, body)),
            "err" if exit.is_none() => printed.push((Stream::Err, body)),
            "exit" if exit.is_none() => exit = Some(std::str::from_utf8(&body).ok()?.parse().ok()?),
            _ => return None,
        }
    }
    Some(Record {
        fingerprint,
        printed,
        exit: exit?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> Record {
        Record {
            fingerprint: "styrdok 1\nf a.md 3 1 2 3\n".into(),
            printed: vec![
                (Stream::Err, b"warning: x\n\nline\n".to_vec()),
                (Stream::Out, b"{}\n".to_vec()),
            ],
            exit: 0,
        }
    }

    #[test]
    fn a_record_reads_back_as_it_was_written() {
        let dir = tempfile::tempdir().expect("as set up");
        let out = dir.path().join("output");
        save(&out, &record());
        let bytes = std::fs::read(path(&out).expect("as set up")).expect("as set up");
        assert_eq!(parse(&bytes), Some(record()));
    }

    #[test]
    fn a_record_cut_short_or_changed_is_not_read() {
        let dir = tempfile::tempdir().expect("as set up");
        let out = dir.path().join("output");
        save(&out, &record());
        let bytes = std::fs::read(path(&out).expect("as set up")).expect("as set up");
        for cut in [1, 10, bytes.len() / 2, bytes.len() - 1] {
            assert_eq!(parse(&bytes[..cut]), None, "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.extend_from_slice(b"err 1\nx\n");
        assert_eq!(parse(&longer), None, "nothing after the exit code");
        let len = record().fingerprint.len();
        let lied = String::from_utf8(bytes).expect("as set up").replace(
            &format!("fingerprint {len}"),
            &format!("fingerprint {}", len + 3),
        );
        assert_eq!(parse(lied.as_bytes()), None);
        // Unusable records are ignored with a note, never used.
        std::fs::write(path(&out).expect("as set up"), b"garbage").expect("as set up");
        assert!(matches!(lookup(&out, "styrdok 1\n"), Lookup::Ignored(_)));
    }
}
