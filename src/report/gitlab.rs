//! `check --format gitlab`: a GitLab Code Quality report (the subset of the
//! Code Climate issue format that GitLab reads), one JSON array on stdout,
//! for `artifacts: reports: codequality:`. GitLab shows each issue in the
//! merge request and on the changed line of its diff.

use serde::Serialize;
use std::collections::HashMap;

use super::forge::{self, RepoPaths};
use crate::codes::Code;
use crate::diagnostic::Diagnostic;

/// One issue of the report.
#[derive(Debug, Serialize)]
pub(super) struct Issue {
    /// The message and its hint.
    description: String,
    /// The code, e.g. `SD105`.
    check_name: &'static str,
    /// Identifies the issue from one pipeline to the next (see
    /// [`fingerprint`]).
    fingerprint: String,
    /// `major` for what fails the run, `minor` for warnings.
    severity: &'static str,
    /// Where it is.
    location: Location,
}

/// The file and line of an issue.
#[derive(Debug, Serialize)]
struct Location {
    /// Relative to the top of the repository.
    path: String,
    /// The line (1 for a problem with the file as a whole: GitLab needs one).
    lines: Lines,
    /// Line and column, where the diagnostic has them.
    #[serde(skip_serializing_if = "Option::is_none")]
    positions: Option<Positions>,
}

/// `location.lines`.
#[derive(Debug, Serialize)]
struct Lines {
    begin: usize,
}

/// `location.positions`: where the underlined text begins and the column
/// one past its end.
#[derive(Debug, Serialize)]
struct Positions {
    begin: Position,
    end: Position,
}

/// A 1-based line and column (in characters).
#[derive(Debug, Serialize)]
struct Position {
    line: usize,
    column: usize,
}

/// The report. The severity is `major` for an error (or, with `--strict`,
/// any diagnostic) and `minor` for a warning: of Code Climate's five
/// (`info`, `minor`, `major`, `critical`, `blocker`), `critical` and
/// `blocker` mean broken or insecure code, and what stops a styrdok build
/// is a document to fix before it can be published, not a defect in
/// production; the failing job already blocks the merge.
pub(super) fn report(diags: &[Diagnostic], strict: bool, paths: &RepoPaths) -> Vec<Issue> {
    let mut seen: HashMap<(Code, &str, &str), usize> = HashMap::new();
    diags
        .iter()
        .map(|d| {
            let occurrence = seen
                .entry((d.code, d.file.as_str(), d.message.as_str()))
                .or_insert(0);
            *occurrence += 1;
            let path = paths.path(&d.file);
            Issue {
                description: forge::text(d),
                check_name: d.code.as_str(),
                fingerprint: fingerprint(d.code, &path, &d.message, *occurrence),
                severity: if d.is_failure(strict) {
                    "major"
                } else {
                    "minor"
                },
                location: location(d, path),
            }
        })
        .collect()
}

fn location(d: &Diagnostic, path: String) -> Location {
    let positions = match (d.line, d.column) {
        (Some(line), Some(column)) => Some(Positions {
            begin: Position { line, column },
            end: Position {
                line,
                column: column + d.width.max(1),
            },
        }),
        _ => None,
    };
    Location {
        path,
        lines: Lines {
            begin: d.line.unwrap_or(1),
        },
        positions,
    }
}

/// What identifies an issue across pipelines, so that GitLab can tell a
/// new problem from an old one: the code, the path and the message, not
/// the line (an edit above it must not make it new), and which occurrence
/// of that same code and message in the file it is (GitLab shows only one
/// issue per fingerprint). FNV-1a, 64 bits, in hexadecimal: defined byte
/// by byte, so it is the same on every platform and Rust version (std's
/// `DefaultHasher` promises neither).
fn fingerprint(code: Code, path: &str, message: &str, occurrence: usize) -> String {
    let occurrence = occurrence.to_string();
    let parts = [code.as_str(), path, message, &occurrence];
    let mut hash = FNV_OFFSET;
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            hash = fnv1a(hash, &[0]);
        }
        hash = fnv1a(hash, part.as_bytes());
    }
    format!("{hash:016x}")
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

fn fnv1a(mut hash: u64, bytes: &[u8]) -> u64 {
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(FNV_PRIME);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_published_test_vectors() {
        assert_eq!(fnv1a(FNV_OFFSET, b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(FNV_OFFSET, b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(FNV_OFFSET, b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn the_fingerprint_ignores_the_line_but_tells_repeats_apart() {
        let at = |line| Diagnostic::error(Code::MissingFile, "content/a.md", line, 1, "no x.md");
        let paths = RepoPaths::default();
        let before = report(&[at(3)], false, &paths);
        let after = report(&[at(9)], false, &paths);
        assert_eq!(before[0].fingerprint, after[0].fingerprint);
        let twice = report(&[at(3), at(9)], false, &paths);
        assert_eq!(twice[0].fingerprint, before[0].fingerprint);
        assert_ne!(twice[0].fingerprint, twice[1].fingerprint);
        let other = Diagnostic::error(Code::MissingFile, "content/b.md", 3, 1, "no x.md");
        assert_ne!(
            report(&[other], false, &paths)[0].fingerprint,
            before[0].fingerprint
        );
    }

    #[test]
    fn a_diagnostic_without_a_line_is_at_line_one_without_positions() {
        let d = Diagnostic::warning_in(Code::GitProblem, ".git", "shallow");
        let json = serde_json::to_value(report(&[d], false, &RepoPaths::default())).expect("json");
        assert_eq!(json[0]["location"]["lines"]["begin"], 1);
        assert!(json[0]["location"].get("positions").is_none());
        assert_eq!(json[0]["severity"], "minor");
    }
}
