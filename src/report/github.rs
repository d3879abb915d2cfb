//! `check --format github`: one workflow command per diagnostic on stdout,
//! which GitHub Actions (and Forgejo Actions, which reads the same syntax)
//! show as an annotation on the line:
//!
//! ```text
//! ::error file=content/a.md,line=9,col=1,endColumn=15,title=SD105::unknown key `x`%0Ahelp: did you mean `y`?
//! ```
//!
//! Values are escaped as the Actions toolkit escapes them
//! (`@actions/core`, `command.ts`): in the message `%`, CR and LF; in a
//! property also `:` and `,`, which would end the value.

use std::io::{self, Write};

use super::forge::{self, RepoPaths};
use crate::diagnostic::Diagnostic;

/// Writes one workflow command per diagnostic.
pub(super) fn write(
    out: &mut impl Write,
    diags: &[Diagnostic],
    strict: bool,
    paths: &RepoPaths,
) -> io::Result<()> {
    for d in diags {
        writeln!(out, "{}", command(d, strict, paths))?;
    }
    Ok(())
}

/// One diagnostic as a workflow command: `::error` (or `::warning`) with
/// the file, the line and column where it has them (`endColumn` one past
/// the last underlined character, as SARIF counts), the code as the title,
/// and the message with its hint. Control characters are escaped first, as
/// for a terminal: the command is a line of the job's log.
pub(super) fn command(d: &Diagnostic, strict: bool, paths: &RepoPaths) -> String {
    let d = super::printable(d);
    let name = if d.is_failure(strict) {
        "error"
    } else {
        "warning"
    };
    let mut props = vec![("file", paths.path(&d.file))];
    if let Some(line) = d.line {
        props.push(("line", line.to_string()));
        if let Some(col) = d.column {
            props.push(("col", col.to_string()));
            props.push(("endColumn", (col + d.width.max(1)).to_string()));
        }
    }
    props.push(("title", d.code.as_str().to_string()));
    let props: Vec<String> = props
        .iter()
        .map(|(key, value)| format!("{key}={}", escape_property(value)))
        .collect();
    format!(
        "::{name} {}::{}",
        props.join(","),
        escape_data(&forge::text(&d))
    )
}

/// The toolkit's `escapeData`: the message of a command.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// The toolkit's `escapeProperty`: a value of a command's property.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::Code;

    #[test]
    fn a_diagnostic_with_a_position_names_its_line_and_columns() {
        let d =
            Diagnostic::warning(Code::RevisionDueSoon, "content/a.md", 7, 17, "due").with_width(10);
        assert_eq!(
            command(&d, false, &RepoPaths::default()),
            "::warning file=content/a.md,line=7,col=17,endColumn=27,title=SD602::due"
        );
        assert!(command(&d, true, &RepoPaths::new("site")).starts_with("::error file=site/"));
    }

    #[test]
    fn a_diagnostic_without_a_position_names_the_file_alone() {
        let d = Diagnostic::warning_in(Code::GitProblem, ".git", "shallow");
        assert_eq!(
            command(&d, false, &RepoPaths::new("site")),
            "::warning file=.git,title=SD008::shallow"
        );
    }

    #[test]
    fn control_characters_do_not_reach_the_log() {
        let d = Diagnostic::error(Code::UnsafeName, "content/a\u{1b}[2Jb.md", 1, 1, "name");
        let line = command(&d, false, &RepoPaths::default());
        assert!(!line.contains('\u{1b}'), "{line}");
        assert!(line.contains("file=content/a\\u{1b}[2Jb.md,"), "{line}");
    }

    #[test]
    fn values_are_escaped_as_the_toolkit_escapes_them() {
        assert_eq!(escape_data("50% a:b, c\r\nd"), "50%25 a:b, c%0D%0Ad");
        assert_eq!(
            escape_property("50% a:b, c\r\nd"),
            "50%25 a%3Ab%2C c%0D%0Ad"
        );
        let d = Diagnostic::error(Code::MissingFile, "content/a,b:c.md", 2, 3, "100%")
            .with_hint("fix: it");
        assert_eq!(
            command(&d, false, &RepoPaths::default()),
            "::error file=content/a%2Cb%3Ac.md,line=2,col=3,endColumn=4,title=SD301::100%25%0Ahelp: fix: it"
        );
    }
}
