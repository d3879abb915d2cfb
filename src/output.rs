//! Output files and where they go: the [`OutputFile`] every stage that
//! makes files produces, the [`Sink`] that takes them (memory for `serve`
//! and tests, the staging directory of a build), and why that can fail.
//! Render produces files and write stores them; neither knows the other.

use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use crate::codes::Code;
use crate::diagnostic::Diagnostic;

/// One file of the rendered site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the output root, `/`-separated.
    pub path: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// Why the output could not be written.
#[derive(Debug)]
pub enum WriteError {
    /// The output directory is one styrdok must never replace.
    Refused(PathBuf, String),
    /// A rendered path that would leave the output directory.
    BadPath(String),
    /// An I/O failure.
    Io(PathBuf, std::io::Error),
}

impl WriteError {
    /// The file or directory that could not be written, as text.
    pub fn path_text(&self) -> String {
        match self {
            WriteError::Refused(p, _) | WriteError::Io(p, _) => p.display().to_string(),
            WriteError::BadPath(p) => p.clone(),
        }
    }
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::Refused(p, why) => {
                let p = p.display();
                f.write_str(&crate::tr!(
                    "{p} används inte som utdatamapp: {why}",
                    "refusing to use {p} as the output directory: {why}"
                ))
            }
            WriteError::BadPath(p) => f.write_str(&crate::tr!(
                "`{p}` skrivs inte: sökvägen skulle leda ut ur utdatamappen",
                "refusing to write `{p}`: it would leave the output directory"
            )),
            WriteError::Io(p, e) => {
                let p = p.display();
                f.write_str(&crate::tr!(
                    "{p} kan inte skrivas: {e}",
                    "cannot write {p}: {e}"
                ))
            }
        }
    }
}

impl std::error::Error for WriteError {}

/// Where rendered files go: memory (for `serve` and tests) or the staging
/// directory of a build, which writes each file as soon as it is rendered.
pub trait Sink: Sync {
    /// Takes one file; called from several threads at once.
    fn put(&self, file: OutputFile) -> Result<(), WriteError>;

    /// Takes one file given as consecutive pieces (a large file need not be
    /// joined in memory by a sink that writes).
    fn put_pieces(&self, path: String, pieces: Vec<Arc<str>>) -> Result<(), WriteError> {
        self.put(OutputFile {
            path,
            bytes: join(&pieces),
        })
    }
}

/// The bytes of a file given in pieces.
pub fn join(pieces: &[Arc<str>]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(pieces.iter().map(|p| p.len()).sum());
    for p in pieces {
        bytes.extend_from_slice(p.as_bytes());
    }
    bytes
}

/// Collects rendered files in memory.
#[derive(Default)]
pub struct Memory {
    files: Mutex<Vec<OutputFile>>,
    pieces: Mutex<Vec<(String, Vec<Arc<str>>)>>,
}

/// A file given in consecutive pieces: its path and the pieces.
pub type Pieces = (String, Vec<Arc<str>>);

impl Memory {
    /// The files, and apart from them those given in pieces, not joined.
    pub fn into_parts(self) -> (Vec<OutputFile>, Vec<Pieces>) {
        let mut files = self
            .files
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let pieces = self
            .pieces
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        (files, pieces)
    }
}

impl Sink for Memory {
    fn put(&self, file: OutputFile) -> Result<(), WriteError> {
        self.files
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(file);
        Ok(())
    }

    fn put_pieces(&self, path: String, pieces: Vec<Arc<str>>) -> Result<(), WriteError> {
        self.pieces
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((path, pieces));
        Ok(())
    }
}

/// Why rendering stopped.
#[derive(Debug)]
pub enum Failure {
    /// A problem in the site or its theme.
    Site(Diagnostic),
    /// The output could not be written.
    Write(WriteError),
}

impl Failure {
    /// As a diagnostic: a failure to write is SD003, about the file or
    /// directory it could not write, at no line.
    pub fn into_diagnostic(self) -> Diagnostic {
        match self {
            Failure::Site(d) => d,
            Failure::Write(e) => {
                Diagnostic::error_in(Code::OutputUnwritable, &e.path_text(), e.to_string())
            }
        }
    }
}

impl From<Diagnostic> for Failure {
    fn from(d: Diagnostic) -> Self {
        Failure::Site(d)
    }
}

impl From<WriteError> for Failure {
    fn from(e: WriteError) -> Self {
        Failure::Write(e)
    }
}

/// A 64-bit hash of bytes given in pieces, with a fixed seed: the same in
/// every build and on every machine (foldhash's quality hasher; not
/// cryptographic). The output's manifest and the build record use it.
pub fn hash_with(seed: u64, pieces: &[&[u8]]) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = foldhash::quality::FixedState::with_seed(seed).build_hasher();
    for p in pieces {
        h.write(p);
    }
    h.finish()
}
