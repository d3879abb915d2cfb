//! Adoption: whether the text in force is the text that was adopted. For
//! every document, the revisions in git that adopted a version; for a
//! `fastställd` one, the revision that adopted its current `version` (the
//! oldest revision with that version and status `fastställd`), where its
//! text has changed since (SD606), and whether that version was adopted
//! again for another text (SD607). Read in one walk over the commits,
//! without redlines, so that `check` can afford it.

use rayon::prelude::*;
use similar::{Algorithm, DiffOp};
use std::collections::HashMap;

use crate::codes::Code;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::git::{RawRevision, Repo};
use crate::history::Revision;
use crate::load::frontmatter;
use crate::model::{Corpus, Document, Klassning, Status};
use crate::source::SourceFile;

/// A revision that adopted a version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adopted {
    /// The version it adopted.
    pub version: String,
    /// Its `fastställd` date, else the commit's date: YYYY-MM-DD.
    pub date: String,
    /// The abbreviated commit.
    pub commit: String,
    /// The revision is above the publishing limit (by its own front
    /// matter): no page may name it.
    pub restricted: bool,
}

/// Where the current text first differs from the adopted text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changed {
    /// 1-based line in the current file.
    pub line: usize,
    /// The line's width in characters.
    pub width: usize,
    /// The change is committed (else it is in the work tree only).
    pub committed: bool,
}

/// What git says of one document's adoption.
#[derive(Debug, Clone, Default)]
pub struct DocAdoption {
    /// Every adoption in its history, newest first.
    pub adoptions: Vec<Adopted>,
    /// The adoption of the version in force, when the document is
    /// `fastställd` and that version was committed as such.
    pub in_force: Option<Adopted>,
    /// Its text has changed since `in_force`.
    pub changed: Option<Changed>,
    /// Later adoptions of the version in force with a different text.
    pub reused: Vec<Adopted>,
}

/// The adoption of every document in git, by content path.
#[derive(Debug, Clone, Default)]
pub struct Adoptions {
    /// By content path.
    pub docs: HashMap<String, DocAdoption>,
}

/// Reads the adoptions of every document of the corpus from its whole
/// history (not capped by `[history] max_revisions`: the adopting revision
/// may be older than the revisions shown). Revisions above `limit` are
/// compared too, but marked restricted.
pub fn read(repo: &Repo, corpus: &Corpus, limit: Klassning) -> Result<Adoptions, String> {
    let (tracked, _) = repo.tracked(corpus.documents.iter().map(|d| d.content_path.clone()));
    let raw = repo.history(&tracked, usize::MAX)?;
    // Every revision's blob, read on every core, then every document's
    // revisions read in parallel.
    let docs: Vec<(&Document, &[RawRevision])> = corpus
        .documents
        .iter()
        .filter_map(|doc| Some((&**doc, raw.get(&doc.content_path)?.as_slice())))
        .collect();
    let ids: Vec<gix::ObjectId> = docs
        .iter()
        .flat_map(|(_, revs)| revs.iter().map(|r| r.blob))
        .collect();
    let mut blobs = repo.blobs(&ids).into_iter().map(|bytes| {
        String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    });
    let inputs: Vec<(&Document, Vec<(&RawRevision, String)>)> = docs
        .into_iter()
        .map(|(doc, revs)| {
            let texts = blobs.by_ref().take(revs.len());
            (doc, revs.iter().zip(texts).collect())
        })
        .collect();
    let docs = inputs
        .into_par_iter()
        .map(|(doc, revs)| (doc.content_path.clone(), document(doc, revs, limit)))
        .collect();
    Ok(Adoptions { docs })
}

/// One revision as adoption sees it.
struct Rev {
    adopted: Adopted,
    faststalld: bool,
    version: Option<String>,
    /// The body's lines as compared (see [`lines`]), joined by newlines.
    body: String,
}

/// The adoption of one document from its revisions, newest first, with
/// their text.
fn document(doc: &Document, revs: Vec<(&RawRevision, String)>, limit: Klassning) -> DocAdoption {
    // Oldest first.
    let revs: Vec<Rev> = revs
        .into_iter()
        .rev()
        .map(|(r, text)| {
            let src = SourceFile::from_string(r.path.clone(), text);
            let meta = frontmatter::read_lenient(&src);
            let version = meta.version.as_ref().map(|v| v.value.clone());
            let restricted = !meta.publishable(limit);
            let commit_date = crate::history::date(r.time, r.offset);
            Rev {
                adopted: Adopted {
                    version: version.clone().unwrap_or_default(),
                    date: meta.faststalld.map_or(commit_date, |d| d.value.to_string()),
                    commit: r.commit.to_hex_with_len(8).to_string(),
                    restricted,
                },
                faststalld: meta.status.map(|s| s.value) == Some(Status::Faststalld),
                version,
                body: lines(body_of(&src)).join("\n"),
            }
        })
        .collect();
    // An adoption: a revision that is `fastställd` with a version, where
    // the one before it was not `fastställd` with that version.
    let events: Vec<&Rev> = revs
        .iter()
        .enumerate()
        .filter(|(n, r)| {
            r.faststalld
                && r.version.is_some()
                && !(*n > 0 && revs[n - 1].faststalld && revs[n - 1].version == r.version)
        })
        .map(|(_, r)| r)
        .collect();
    let mut out = DocAdoption {
        adoptions: events.iter().rev().map(|r| r.adopted.clone()).collect(),
        ..DocAdoption::default()
    };
    let current = doc.meta.version.as_ref().map(|v| &v.value);
    if doc.status() != Some(Status::Faststalld) || current.is_none() {
        return out;
    }
    let Some(first) = events.iter().find(|r| r.version.as_ref() == current) else {
        return out;
    };
    out.in_force = Some(first.adopted.clone());
    out.reused = events
        .iter()
        .filter(|r| r.version.as_ref() == current && r.body != first.body)
        .map(|r| r.adopted.clone())
        .collect();
    if let Some(index) = first_difference(&lines(&first.body), &lines(doc.body())) {
        let body_line = doc.source.position(doc.body_offset).0;
        let line = body_line + index;
        let committed = revs.last().is_some_and(|head| head.body != first.body);
        out.changed = Some(Changed {
            line,
            width: doc.source.line_text(line).chars().count(),
            committed,
        });
    }
    out
}

/// A source's body: the text after the front matter.
fn body_of(src: &SourceFile) -> &str {
    match frontmatter::split(src) {
        Ok(s) => &src.text[s.body_offset.min(src.text.len())..],
        Err(_) => &src.text,
    }
}

/// A body's lines as compared: trailing whitespace and trailing blank
/// lines do not count.
fn lines(body: &str) -> Vec<&str> {
    let mut v: Vec<&str> = body.lines().map(str::trim_end).collect();
    while v.last().is_some_and(|l| l.is_empty()) {
        v.pop();
    }
    v
}

/// The index (in `new`) of the first line that differs from `old`: the
/// first changed or inserted line, or the line after a deletion (the last
/// line when the deletion is at the end).
fn first_difference(old: &[&str], new: &[&str]) -> Option<usize> {
    if old == new {
        return None;
    }
    let ops = similar::capture_diff_slices(Algorithm::Myers, old, new);
    let at = ops.iter().find_map(|op| match *op {
        DiffOp::Equal { .. } => None,
        DiffOp::Delete { new_index, .. }
        | DiffOp::Insert { new_index, .. }
        | DiffOp::Replace { new_index, .. } => Some(new_index),
    })?;
    Some(at.min(new.len().saturating_sub(1)))
}

/// The revision whose text the "changes since adopted" redline starts
/// from: for a `fastställd` document, the oldest published revision of its
/// current version that is `fastställd` (the rule SD606 uses); otherwise
/// (or when there is none) the newest revision that adopted a version.
pub fn adopting_revision<'r>(
    revisions: &'r [Revision],
    current_source: &str,
) -> Option<&'r Revision> {
    let meta = frontmatter::read_lenient(&SourceFile::new("", current_source));
    let in_force = (meta.status.map(|s| s.value) == Some(Status::Faststalld))
        .then_some(meta.version.map(|v| v.value))
        .flatten();
    in_force
        .and_then(|v| {
            revisions.iter().rev().find(|r| {
                !r.restricted
                    && r.status == Some(Status::Faststalld)
                    && r.version.as_deref() == Some(v.as_str())
            })
        })
        .or_else(|| revisions.iter().find(|r| r.adopted))
}

/// SD606 and SD607 for every document; SD606 is an error with
/// `[publish] require_adopted = true`.
pub fn diagnostics(corpus: &Corpus, adoptions: &Adoptions, config: &Config) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for doc in &corpus.documents {
        let Some(a) = adoptions.docs.get(&doc.content_path) else {
            continue;
        };
        let Some(adopted) = &a.in_force else {
            continue;
        };
        let file = &doc.source.rel;
        if let Some(c) = &a.changed {
            let place = if c.committed {
                crate::tr!("i en senare incheckning", "in a later commit")
            } else {
                crate::tr!(
                    "i arbetskopian (inte incheckat)",
                    "in the work tree (not committed)"
                )
            };
            let message = crate::tr!(
                "version {} fastställdes {} (incheckning {}), men texten har ändrats sedan dess, {place}: det här är den första ändrade raden",
                "version {} was adopted on {} (commit {}), but its text has changed since, {place}: this is the first changed line",
                adopted.version,
                adopted.date,
                adopted.commit
            );
            let d = if config.publish.require_adopted {
                Diagnostic::error(Code::AdoptedTextChanged, file, c.line, 1, message)
            } else {
                Diagnostic::warning(Code::AdoptedTextChanged, file, c.line, 1, message)
            };
            diags.push(d.with_width(c.width).with_hint(crate::tr!(
                "fastställ den ändrade texten som en ny `version` (med `fastställd` och `fastställd_av`), eller återställ den fastställda texten; till dess säger dokumentets sida att ändringarna inte är fastställda",
                "adopt the changed text as a new `version` (with `fastställd` and `fastställd_av`), or restore the adopted text; until then its page says the changes are not adopted"
            )));
        }
        if let (Some(again), Some(v)) = (a.reused.first(), &doc.meta.version) {
            diags.push(
                Diagnostic::warning(
                    Code::VersionReused,
                    file,
                    v.line,
                    v.col,
                    crate::tr!(
                        "version {} fastställdes {} (incheckning {}) och fastställdes igen {} (incheckning {}) för en annan text",
                        "version {} was adopted on {} (commit {}) and adopted again on {} (commit {}) for a different text",
                        adopted.version,
                        adopted.date,
                        adopted.commit,
                        again.date,
                        again.commit
                    ),
                )
                .with_width(v.width)
                .with_hint(crate::tr!(
                    "ett versionsnummer hör till en enda text: ge texten en ny `version` när den fastställs igen",
                    "a version number names one text: give the text a new `version` when it is adopted again"
                )),
            );
        }
    }
    diags
}

/// SD606 when `[publish] require_adopted = true` but adoption cannot be
/// verified (the site is not in git, or history is turned off), at that
/// key in `styrdok.toml`.
pub fn unverifiable(config_source: &SourceFile, why: &str) -> Diagnostic {
    let offset = config_source.text.find("require_adopted").unwrap_or(0);
    let (line, col) = config_source.position(offset);
    Diagnostic::error(
        Code::AdoptedTextChanged,
        &config_source.rel,
        line,
        col,
        crate::tr!(
            "`require_adopted` är satt, men {why}: fastställandet kan inte kontrolleras",
            "`require_adopted` is set, but {why}: adoption cannot be verified"
        ),
    )
    .with_width("require_adopted".len())
    .with_hint(crate::tr!(
        "bygg från en git-kloning med hela historiken, eller sätt `require_adopted = false`",
        "build from a git clone with its full history, or set `require_adopted = false`"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v<'a>(lines: &[&'a str]) -> Vec<&'a str> {
        lines.to_vec()
    }

    #[test]
    fn the_first_difference_is_the_first_changed_or_inserted_line() {
        let old = v(&["a", "b", "c"]);
        assert_eq!(first_difference(&old, &old), None);
        assert_eq!(first_difference(&old, &v(&["a", "x", "c"])), Some(1));
        assert_eq!(first_difference(&old, &v(&["a", "b", "n", "c"])), Some(2));
        assert_eq!(
            first_difference(&old, &v(&["a", "c"])),
            Some(1),
            "after a deletion"
        );
        assert_eq!(
            first_difference(&old, &v(&["a", "b"])),
            Some(1),
            "deleted at the end"
        );
        assert_eq!(first_difference(&old, &[]), Some(0));
    }

    #[test]
    fn trailing_whitespace_and_blank_lines_do_not_count() {
        assert_eq!(lines("a  \nb\n\n\n"), v(&["a", "b"]));
    }
}
