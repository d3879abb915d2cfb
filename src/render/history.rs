//! A document's history page (`history.html`, at `historik/<its url>`):
//! its revisions newest first, each with a redline.

use serde::Serialize;
use std::borrow::Cow;

use super::context::{Base, Place, NONE};
use super::{history_url, Renderer};
use crate::diagnostic::Diagnostic;
use crate::git::ChangeKind;
use crate::history::Revision;
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
    uncommitted: Option<&'a str>,
    revisions: Vec<RevisionRow<'a>>,
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
    redline: &'a str,
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
            uncommitted: dh.uncommitted.as_deref(),
            revisions: dh.revisions.iter().map(|r| self.revision_row(r)).collect(),
            capped: dh.capped,
            in_submodule: dh.in_submodule,
        };
        self.render_in("history.html", ctx, &view).map(Some)
    }

    fn revision_row<'r>(&self, r: &'r Revision) -> RevisionRow<'r> {
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
            redline: &r.redline,
        })
    }
}
