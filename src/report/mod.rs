//! Printing diagnostics: rustc-style for people (annotate-snippets, with
//! the source line and a caret), one JSON array for tools, or what a forge
//! shows on the changed lines of a merge request: GitHub workflow commands
//! ([`github`]), a GitLab Code Quality report ([`gitlab`]) or a SARIF log
//! ([`sarif`]).

use annotate_snippets::{Level, Renderer, Snippet};
use std::collections::BTreeMap;
use std::io::Write;

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceFile;

mod forge;
mod github;
mod gitlab;
mod sarif;

pub use forge::RepoPaths;

/// Output format of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style text on stderr.
    Human,
    /// A JSON array on stdout.
    Json,
    /// GitHub (and Forgejo) Actions workflow commands on stdout: annotations.
    Github,
    /// A GitLab Code Quality report (JSON) on stdout.
    Gitlab,
    /// A SARIF 2.1.0 log on stdout.
    Sarif,
}

impl Format {
    /// Whether the format is read by a forge, which names files from the
    /// top of the repository (see [`RepoPaths`]).
    pub fn is_forge(self) -> bool {
        matches!(self, Format::Github | Format::Gitlab | Format::Sarif)
    }
}

/// Renders one diagnostic as text. `strict` shows warnings as errors.
pub fn human(
    d: &Diagnostic,
    sources: &BTreeMap<String, std::sync::Arc<SourceFile>>,
    strict: bool,
    color: bool,
) -> String {
    let level = if d.severity == Severity::Error || strict {
        Level::Error
    } else {
        Level::Warning
    };
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let source = sources.get(&d.file);
    // A file name may hold control characters (SD009), and messages and
    // hints quote names: never print them raw to a terminal.
    let d = &printable(d);
    let hint = d.hint.clone().unwrap_or_default();
    let (Some(source), Some(line), Some(column)) = (source, d.line, d.column) else {
        return without_source(d, level, &renderer);
    };
    let line_text = source.line_text(line);
    let start = byte_at(line_text, column - 1);
    let end = byte_at(line_text, column - 1 + d.width).max(start);
    let end = if end == start {
        (start + 1).min(line_text.len())
    } else {
        end
    };
    let mut msg = level.title(&d.message).id(d.code.as_str());
    let mut snippet = Snippet::source(line_text).line_start(line).origin(&d.file);
    if line_text.is_empty() {
        // Nothing to underline: point at the file and line only.
        snippet = snippet.annotation(level.span(0..0));
    } else {
        snippet = snippet.annotation(level.span(start..end));
    }
    msg = msg.snippet(snippet);
    if d.hint.is_some() {
        msg = msg.footer(Level::Help.title(&hint));
    }
    let rendered = renderer.render(msg).to_string();
    rendered
}

/// The diagnostic with control characters in its file, message and hint
/// escaped.
fn printable(d: &Diagnostic) -> Diagnostic {
    let escape = |s: &str| {
        if s.chars().any(crate::load::names::is_invisible_control) {
            s.escape_debug().to_string()
        } else {
            s.to_string()
        }
    };
    let mut shown = d.clone();
    shown.file = escape(&d.file);
    shown.message = escape(&d.message);
    shown.hint = d.hint.as_deref().map(escape);
    shown
}

/// A diagnostic in a file whose text is not at hand (one that could not be
/// read, or is not UTF-8), or with no position: the message and where,
/// without a source line.
fn without_source(d: &Diagnostic, level: Level, renderer: &Renderer) -> String {
    let mut msg = level.title(&d.message).id(d.code.as_str());
    if let Some(hint) = &d.hint {
        msg = msg.footer(Level::Help.title(hint));
    }
    let rendered = renderer.render(msg).to_string();
    let (title, rest) = rendered.split_once('\n').unwrap_or((&rendered, ""));
    let at = format!(" --> {}", d.location());
    if rest.is_empty() {
        format!("{title}\n{at}")
    } else {
        format!("{title}\n{at}\n{rest}")
    }
}

fn byte_at(s: &str, chars: usize) -> usize {
    s.char_indices().nth(chars).map_or(s.len(), |(i, _)| i)
}

/// The closing summary, e.g. `checked 14 files: 2 errors, 1 warning`, in
/// the language of diagnostics.
pub fn summary(diags: &[Diagnostic], strict: bool, files: usize) -> String {
    use crate::config::Language;
    let errors = diags.iter().filter(|d| d.is_failure(strict)).count();
    let warnings = diags.len() - errors;
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let (file, error, warning) = match crate::i18n::diagnostic_language() {
        Language::Sv => (
            plural(files, "fil", "filer"),
            plural(errors, "fel", "fel"),
            plural(warnings, "varning", "varningar"),
        ),
        Language::En => (
            plural(files, "file", "files"),
            plural(errors, "error", "errors"),
            plural(warnings, "warning", "warnings"),
        ),
    };
    if diags.is_empty() {
        crate::tr!(
            "kontrollerade {file}: inga problem",
            "checked {file}: no problems"
        )
    } else {
        crate::tr!(
            "kontrollerade {file}: {error}, {warning}",
            "checked {file}: {error}, {warning}"
        )
    }
}

/// Prints diagnostics in the chosen format; the summary goes to stderr.
/// `paths` places the files in the repository, for the forge formats.
pub fn print(
    diags: &[Diagnostic],
    sources: &BTreeMap<String, std::sync::Arc<SourceFile>>,
    files: usize,
    format: Format,
    strict: bool,
    paths: &RepoPaths,
) -> std::io::Result<()> {
    print_to(
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
        diags,
        &Printed {
            sources,
            files,
            format,
            strict,
            paths,
        },
    )
}

/// How [`print_to`] prints, and what it prints with.
pub struct Printed<'a> {
    pub sources: &'a BTreeMap<String, std::sync::Arc<SourceFile>>,
    pub files: usize,
    pub format: Format,
    pub strict: bool,
    pub paths: &'a RepoPaths,
}

/// [`print`] into `out` (what stdout gets) and `err` (stderr's part).
/// Colours are used when stderr is a terminal, whatever `err` is.
pub fn print_to(
    out: &mut dyn Write,
    err: &mut dyn Write,
    diags: &[Diagnostic],
    how: &Printed<'_>,
) -> std::io::Result<()> {
    let Printed {
        sources,
        files,
        format,
        strict,
        paths,
    } = *how;
    match format {
        Format::Json => {
            let shown: Vec<Diagnostic> = diags
                .iter()
                .cloned()
                .map(|mut d| {
                    if strict {
                        d.severity = Severity::Error;
                    }
                    d
                })
                .collect();
            json_to(out, &shown)?;
        }
        Format::Human => {
            let color = color();
            for d in diags {
                writeln!(err, "{}\n", human(d, sources, strict, color))?;
            }
        }
        Format::Github => github::write(&mut &mut *out, diags, strict, paths)?,
        Format::Gitlab => json_to(out, &gitlab::report(diags, strict, paths))?,
        Format::Sarif => json_to(out, &sarif::log(diags, strict, paths))?,
    }
    writeln!(err, "{}", summary(diags, strict, files))?;
    Ok(())
}

/// Whether diagnostics are printed in colour: stderr is a terminal and
/// `NO_COLOR` is not set.
pub fn color() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Pretty JSON, with a final newline.
fn json_to(out: &mut dyn Write, value: &impl serde::Serialize) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}
