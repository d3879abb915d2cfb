//! User-facing diagnostics: every stage reports problems as `Diagnostic`
//! values with a stable code, a severity and a precise source position.

use serde::Serialize;

use crate::codes::Code;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Must be fixed before the site can be built.
    Error,
    /// Should be looked at; an error under `--strict`.
    Warning,
}

/// One problem found in the site, at a file, line and column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable code, e.g. `SD104` (see [`Code`] and the README's table).
    pub code: Code,
    /// Error or warning.
    pub severity: Severity,
    /// Path relative to the site root with `/` separators.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong, in plain words.
    pub message: String,
    /// How to fix it, where we can tell.
    pub hint: Option<String>,
    /// How many characters the caret should underline (not serialised).
    #[serde(skip)]
    pub width: usize,
}

impl Diagnostic {
    /// An error at `file:line:column`.
    pub fn error(
        code: Code,
        file: &str,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            file: file.to_string(),
            line: line.max(1),
            column: column.max(1),
            message: message.into(),
            hint: None,
            width: 1,
        }
    }

    /// A warning at `file:line:column`.
    pub fn warning(
        code: Code,
        file: &str,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, file, line, column, message)
        }
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Sets how many characters the caret underlines.
    pub fn with_width(mut self, width: usize) -> Self {
        self.width = width.max(1);
        self
    }

    /// Whether this diagnostic fails the run, given `--strict`.
    pub fn is_failure(&self, strict: bool) -> bool {
        self.severity == Severity::Error || strict
    }
}

/// Sorts diagnostics by file, line, column and code, so output is stable.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.code, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.code, &b.message))
    });
}
