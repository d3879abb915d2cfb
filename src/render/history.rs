//! A document's history page (`history.html`, at `historik/<its url>`):
//! its revisions newest first, one line each with the summary of what
//! changed and the redline behind it, and the redlines between its
//! adopted versions.

use serde::Serialize;
use std::borrow::Cow;

use super::context::{Base, Place, NONE};
use super::{history_url, redline, Renderer};
use crate::diagnostic::Diagnostic;
use crate::git::ChangeKind;
use crate::history::{Revision, VersionPair};
use crate::resolve::relative_url;

/// The variables of `history.html`.
#[derive(Serialize)]
struct HistoryView<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    /// The document: `title`, and `href` back to its page.
    doc: DocLink<'a>,
    /// The repository is a shallow clone: older commits are missing.
    shallow: bool,
    /// Redline of uncommitted changes, HTML.
    uncommitted: Option<String>,
    revisions: Vec<RevisionRow<'a>>,
    /// Redlines between adopted versions, and from the last adopted one
    /// to the current text, newest first.
    compare: Vec<Comparison>,
    /// The versions a comparison starts at, and ends at, newest first.
    compare_from: Vec<String>,
    compare_to: Vec<String>,
    /// More revisions exist than are shown.
    capped: bool,
    in_submodule: bool,
}

#[derive(Serialize)]
struct DocLink<'a> {
    title: &'a str,
    href: String,
}

/// One revision. One this build may not publish has the single field
/// `restricted` (always `true`); a published one lacks that field.
#[derive(Serialize)]
#[serde(untagged)]
enum RevisionRow<'a> {
    Restricted { restricted: bool },
    Published(PublishedRevision<'a>),
}

#[derive(Serialize)]
struct PublishedRevision<'a> {
    commit: &'a str,
    date: &'a str,
    author: &'a str,
    summary: &'a str,
    version: &'a str,
    status_key: &'static str,
    status_label: &'static str,
    adopted: bool,
    created: bool,
    renamed_from: Option<&'a str>,
    /// Against the previous published revision, HTML.
    redline: String,
    /// One line: which sections changed, words added and removed.
    changes: String,
    /// Whether its redline is open (the newest revision's).
    open: bool,
}

/// A redline between two versions.
#[derive(Serialize)]
struct Comparison {
    /// The id of its `<details>`: `jamfor-<from>-<to>`.
    anchor: String,
    /// "1.0 (2026-02-01)".
    from: String,
    to: String,
    changes: String,
    redline: String,
}

/// The id of the comparison between two versions (`to` of `None`: the
/// current text), characters outside `[A-Za-z0-9._-]` as `_`.
pub(super) fn compare_anchor(from: &str, to: Option<&str>) -> String {
    let clean = |v: &str| -> String {
        v.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    };
    format!(
        "jamfor-{}-{}",
        clean(from),
        to.map_or("aktuell".into(), clean)
    )
}

impl Renderer<'_> {
    /// The history page of document `i`, if the site is in git. `ctx`
    /// holds the shared variables; it is left as it was.
    pub(super) fn history_page(
        &self,
        i: usize,
        ctx: &mut tera::Context,
    ) -> Result<Option<String>, Diagnostic> {
        let Some(history) = self.site.history else {
            return Ok(None);
        };
        let doc = &self.docs()[i];
        let url = history_url(doc);
        let none = Default::default();
        let dh = history.docs.get(&doc.content_path).unwrap_or(&none);
        let compare = self.comparisons(dh);
        let (compare_from, compare_to) = Self::compare_ends(&compare);
        let view = HistoryView {
            base: self.base(Place {
                url: &url,
                current: "history",
                title: Cow::Owned(format!("{}: {}", self.t.history, doc.title())),
                doc: Some(i),
            }),
            doc: DocLink {
                title: doc.title(),
                href: relative_url(&url, &doc.url),
            },
            shallow: history.shallow,
            uncommitted: dh.uncommitted.as_ref().map(|r| redline::html(r, self.t)),
            revisions: self.revision_rows(&dh.revisions),
            compare_from,
            compare_to,
            compare,
            capped: dh.capped,
            in_submodule: dh.in_submodule,
        };
        self.render_in("history.html", ctx, &view).map(Some)
    }

    fn revision_rows<'r>(&self, revisions: &'r [Revision]) -> Vec<RevisionRow<'r>> {
        let newest = revisions.iter().position(|r| !r.restricted);
        revisions
            .iter()
            .enumerate()
            .map(|(k, r)| self.revision_row(r, Some(k) == newest))
            .collect()
    }

    fn comparisons(&self, dh: &crate::history::DocHistory) -> Vec<Comparison> {
        let label = |(v, d): &(String, String)| format!("{v} ({d})");
        dh.version_pairs
            .iter()
            .map(|p: &VersionPair| Comparison {
                anchor: compare_anchor(&p.from.0, p.to.as_ref().map(|t| t.0.as_str())),
                from: label(&p.from),
                to: p
                    .to
                    .as_ref()
                    .map_or_else(|| self.t.current_text.to_string(), label),
                changes: redline::summary(&p.redline.summary, self.t),
                redline: redline::html(&p.redline, self.t),
            })
            .collect()
    }

    /// The versions a comparison can start or end at, newest first.
    fn compare_ends(compare: &[Comparison]) -> (Vec<String>, Vec<String>) {
        let mut from: Vec<String> = Vec::new();
        let mut to: Vec<String> = Vec::new();
        for c in compare {
            if !from.contains(&c.from) {
                from.push(c.from.clone());
            }
            if !to.contains(&c.to) {
                to.push(c.to.clone());
            }
        }
        (from, to)
    }

    fn revision_row<'r>(&self, r: &'r Revision, open: bool) -> RevisionRow<'r> {
        if r.restricted {
            return RevisionRow::Restricted { restricted: true };
        }
        RevisionRow::Published(PublishedRevision {
            commit: &r.commit,
            date: &r.date,
            author: &r.author,
            summary: if r.message_withheld {
                self.t.message_withheld
            } else {
                &r.summary
            },
            version: r.version.as_deref().unwrap_or(NONE),
            status_key: r.status.map_or("", |s| s.as_str()),
            status_label: r.status.map_or("", |s| self.t.status_name(s)),
            adopted: r.adopted,
            created: r.kind == ChangeKind::Added,
            renamed_from: match &r.kind {
                ChangeKind::Renamed(from) => Some(from.as_str()),
                _ => None,
            },
            redline: redline::html(&r.redline, self.t),
            changes: redline::summary(&r.redline.summary, self.t),
            open,
        })
    }
}
