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

/// One problem found in the site: in a file, at a line and column where it
/// has one (a problem with the repository, a file as a whole or the output
/// has none, and says so instead of pointing at line 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable code, e.g. `SD104` (see [`Code`] and the README's table).
    pub code: Code,
    /// Error or warning.
    pub severity: Severity,
    /// Path relative to the site root with `/` separators.
    pub file: String,
    /// 1-based line; `null` in JSON where the problem has no position.
    pub line: Option<usize>,
    /// 1-based column, in characters; `null` where the line is.
    pub column: Option<usize>,
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
            line: Some(line.max(1)),
            column: Some(column.max(1)),
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

    /// An error about `file` (or the repository, or the output) as a
    /// whole, at no line.
    pub fn error_in(code: Code, file: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            line: None,
            column: None,
            ..Diagnostic::error(code, file, 1, 1, message)
        }
    }

    /// A warning about `file` as a whole, at no line.
    pub fn warning_in(code: Code, file: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error_in(code, file, message)
        }
    }

    /// `file:line:column`, or `file` alone where there is no position.
    pub fn location(&self) -> String {
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}", self.file),
            _ => self.file.clone(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diagnostic_without_a_position_says_so() {
        let d = Diagnostic::warning_in(Code::GitProblem, ".git", "shallow");
        let json = serde_json::to_value(&d).expect("json");
        assert_eq!(json["line"], serde_json::Value::Null);
        assert_eq!(json["column"], serde_json::Value::Null);
        assert_eq!(json["code"], "SD008");
        assert_eq!(d.location(), ".git");
        let at = Diagnostic::error(Code::MissingKey, "a.md", 3, 0, "x");
        assert_eq!(at.location(), "a.md:3:1");
    }
}
