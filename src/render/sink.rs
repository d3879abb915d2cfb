//! Where rendered files go: memory, or the staging directory of a build.

use std::sync::{Arc, Mutex, PoisonError};

use super::OutputFile;
use crate::diagnostic::Diagnostic;
use crate::theme::THEME_ERROR;
use crate::write::WriteError;

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

impl Sink for crate::write::Staging {
    fn put(&self, file: OutputFile) -> Result<(), WriteError> {
        crate::write::Staging::put(self, &file.path, &file.bytes)
    }

    fn put_pieces(&self, path: String, pieces: Vec<Arc<str>>) -> Result<(), WriteError> {
        let slices: Vec<&[u8]> = pieces.iter().map(|p| p.as_bytes()).collect();
        crate::write::Staging::put_pieces(self, &path, &slices)
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
    /// As a diagnostic (a failure to write is reported against the
    /// configuration, which names the output directory).
    pub fn into_diagnostic(self) -> Diagnostic {
        match self {
            Failure::Site(d) => d,
            Failure::Write(e) => {
                Diagnostic::error(THEME_ERROR, crate::config::FILE_NAME, 1, 1, e.to_string())
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
