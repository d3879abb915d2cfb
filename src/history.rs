//! Stage 4, history: each document's revisions from git (date, author,
//! message, its own version and status then), with a word-level redline of
//! what changed in every revision, and what changed since it was last adopted.

use chrono::DateTime;
use rayon::prelude::*;
use similar::{Algorithm, ChangeTag, DiffTag, TextDiff};
use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::git::{ChangeKind, RawRevision, Repo};
use crate::load::frontmatter;
use crate::markdown;
use crate::model::{Corpus, Status};
use crate::render::hierarchy::escape_text;
use crate::source::SourceFile;

/// One revision of one document.
#[derive(Debug, Clone)]
pub struct Revision {
    /// Abbreviated commit id.
    pub commit: String,
    /// Author date (in the author's time zone), YYYY-MM-DD.
    pub date: String,
    /// Author name.
    pub author: String,
    /// First line of the commit message.
    pub summary: String,
    /// The document's `version` at this revision.
    pub version: Option<String>,
    /// Its `status` at this revision.
    pub status: Option<Status>,
    /// Whether this revision adopted a (new) version.
    pub adopted: bool,
    /// How the commit touched the document.
    pub kind: ChangeKind,
    /// Word-level redline against the previous revision, HTML.
    pub redline: String,
    /// Plain text of the document at this revision.
    pub text: String,
}

/// The history of one document.
#[derive(Debug, Clone, Default)]
pub struct DocHistory {
    /// Newest first.
    pub revisions: Vec<Revision>,
    /// Redline of uncommitted changes against `HEAD`, if the work tree differs.
    pub uncommitted: Option<String>,
    /// The version last adopted and the redline from it to the current text.
    pub since_adopted: Option<(String, String, bool)>,
    /// More revisions exist than the cap allowed.
    pub capped: bool,
}

/// The history of the site.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// By content path.
    pub docs: HashMap<String, DocHistory>,
    /// The site is in git.
    pub in_git: bool,
    /// The clone is shallow: older history is missing.
    pub shallow: bool,
}

/// What the parallel part needs of one document: its content path, current
/// source, revisions with their bytes, and its bytes at `HEAD`.
type Input<'a> = (
    String,
    &'a str,
    Vec<(RawRevision, Vec<u8>)>,
    Option<Vec<u8>>,
);

/// Reads the history of every document of the corpus: one walk over the
/// commits, the blobs read in one sequential pass, then texts and redlines
/// computed in parallel.
pub fn read(repo: &Repo, corpus: &Corpus, cap: usize) -> Result<History, String> {
    let tracked: Vec<String> = corpus
        .documents
        .iter()
        .map(|d| d.content_path.clone())
        .collect();
    let raw = repo.history(&tracked, cap.saturating_add(1))?;
    let head = repo.head_files(&tracked);
    // Gather the bytes each document needs, then let the CPU-bound work run in parallel.
    let inputs: Vec<Input<'_>> = corpus
        .documents
        .iter()
        .map(|doc| {
            let revs = raw.get(&doc.content_path).cloned().unwrap_or_default();
            let with_bytes = revs.into_iter().map(|r| {
                let bytes = repo.blob(r.blob).unwrap_or_default();
                (r, bytes)
            });
            (
                doc.content_path.clone(),
                doc.source.text.as_str(),
                with_bytes.collect(),
                head.get(&doc.content_path).cloned(),
            )
        })
        .collect();
    let docs = inputs
        .into_par_iter()
        .map(|(path, current_source, revs, head_bytes)| {
            let capped = revs.len() > cap;
            let mut h = build(&revs[..revs.len().min(cap)], capped);
            let current = plain_text(current_source);
            let head_source =
                head_bytes.map(|b| crate::source::normalize(&String::from_utf8_lossy(&b)));
            let differs = head_source.as_deref() != Some(current_source);
            if differs {
                let head_text = head_source.as_deref().map(plain_text).unwrap_or_default();
                h.uncommitted = Some(redline(&head_text, &current));
            }
            if let Some(adopted) = h.revisions.iter().find(|r| r.adopted) {
                let version = adopted.version.clone().unwrap_or_default();
                let same = adopted.text == current;
                h.since_adopted = Some((version, redline(&adopted.text, &current), same));
            }
            (path, h)
        })
        .collect();
    Ok(History {
        docs,
        in_git: true,
        shallow: repo.is_shallow(),
    })
}

fn build(revs: &[(RawRevision, Vec<u8>)], capped: bool) -> DocHistory {
    // Oldest first to compare each with its predecessor.
    let mut rows: Vec<Revision> = Vec::new();
    let mut prev_text = String::new();
    let mut prev_adopted_version: Option<String> = None;
    for (n, (r, bytes)) in revs.iter().rev().enumerate() {
        let src = SourceFile::new(r.path.clone(), &String::from_utf8_lossy(bytes));
        let (version, status) = match frontmatter::split(&src) {
            Ok(split) => {
                let (meta, _) = frontmatter::read(&src, &split);
                (meta.version.map(|v| v.value), meta.status.map(|s| s.value))
            }
            Err(_) => (None, None),
        };
        let text = plain_text(&src.text);
        let adopted = status == Some(Status::Faststalld)
            && version.is_some()
            && version != prev_adopted_version;
        if adopted {
            prev_adopted_version = version.clone();
        }
        let base = if n == 0 && capped { &text } else { &prev_text };
        rows.push(Revision {
            commit: r.commit.to_hex_with_len(8).to_string(),
            date: date(r.time, r.offset),
            author: r.author.clone(),
            summary: r.summary.clone(),
            version,
            status,
            adopted,
            kind: r.kind.clone(),
            redline: redline(base, &text),
            text: text.clone(),
        });
        prev_text = text;
    }
    rows.reverse();
    DocHistory {
        revisions: rows,
        uncommitted: None,
        since_adopted: None,
        capped,
    }
}

fn date(seconds: i64, offset: i32) -> String {
    DateTime::from_timestamp(seconds + i64::from(offset), 0)
        .map_or_else(String::new, |d| d.date_naive().to_string())
}

/// The document's text as a reader sees it: the rendered body as plain
/// text, front matter left out.
pub fn plain_text(source: &str) -> String {
    let src = SourceFile::new("", source);
    let body = match frontmatter::split(&src) {
        Ok(s) => &src.text[s.body_offset..],
        Err(_) => &src.text[..],
    };
    markdown::outline(body).text
}

/// A word-level redline: `<del>` for removed, `<ins>` for inserted words.
/// Lines are diffed first; only the lines a hunk replaces are diffed word by
/// word, so the cost follows the size of the change, not of the document.
pub fn redline(old: &str, new: &str) -> String {
    let lines = TextDiff::configure()
        .algorithm(Algorithm::Patience)
        .deadline(Instant::now() + Duration::from_millis(200))
        .diff_lines(old, new);
    let (old_lines, new_lines) = (lines.old_slices(), lines.new_slices());
    let mut out = String::with_capacity(new.len() + new.len() / 8);
    for op in lines.ops() {
        let old_part = old_lines[op.old_range()].concat();
        let new_part = new_lines[op.new_range()].concat();
        match op.tag() {
            DiffTag::Equal => out.push_str(&escape_text(&new_part)),
            DiffTag::Delete => wrap(&mut out, "del", &old_part),
            DiffTag::Insert => wrap(&mut out, "ins", &new_part),
            DiffTag::Replace => words(&mut out, &old_part, &new_part),
        }
    }
    out
}

fn wrap(out: &mut String, tag: &str, text: &str) {
    if text.is_empty() {
        return;
    }
    out.push_str(&format!("<{tag}>"));
    out.push_str(&escape_text(text));
    out.push_str(&format!("</{tag}>"));
}

/// Word-level diff of one replaced hunk, runs of one kind merged.
fn words(out: &mut String, old: &str, new: &str) {
    let diff = TextDiff::configure()
        .deadline(Instant::now() + Duration::from_millis(50))
        .diff_unicode_words(old, new);
    let mut run = String::new();
    let mut run_tag = ChangeTag::Equal;
    let flush = |tag: ChangeTag, run: &mut String, out: &mut String| {
        match tag {
            ChangeTag::Equal => out.push_str(&escape_text(run)),
            ChangeTag::Delete => wrap(out, "del", run),
            ChangeTag::Insert => wrap(out, "ins", run),
        }
        run.clear();
    };
    for change in diff.iter_all_changes() {
        if change.tag() != run_tag {
            flush(run_tag, &mut run, out);
            run_tag = change.tag();
        }
        run.push_str(change.value());
    }
    flush(run_tag, &mut run, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redlines_mark_words() {
        let r = redline("Loggar sparas i ett år.\n", "Loggar sparas i två år.\n");
        assert_eq!(r, "Loggar sparas i <del>ett</del><ins>två</ins> år.\n");
        assert_eq!(redline("a < b", "a < b"), "a &lt; b");
    }

    #[test]
    fn redlines_of_whole_lines() {
        assert_eq!(
            redline("a\nb\nc\n", "a\nc\nd\n"),
            "a\n<del>b\n</del>c\n<ins>d\n</ins>"
        );
    }

    #[test]
    fn plain_text_leaves_out_front_matter_and_markup() {
        assert_eq!(
            plain_text("---\ntitel: A\n---\n## Rubrik\n\nEtt *ord*.\n"),
            "Rubrik\nEtt ord.\n"
        );
    }

    #[test]
    fn dates_are_in_the_authors_zone() {
        // 2026-01-01 23:30 UTC is already the 2nd in Stockholm (+01:00).
        assert_eq!(date(1_767_310_200, 3600), "2026-01-02");
    }
}
