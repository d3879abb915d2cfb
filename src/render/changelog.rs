//! A version's change log (`changelog.html`, `versioner/<tag>/andringar.html`):
//! documents added, changed (with redlines) and removed since the version before.

use serde::Serialize;
use std::borrow::Cow;

use super::context::{Base, DocRef, Place};
use super::{Changes, Renderer};
use crate::diagnostic::Diagnostic;
use crate::resolve::relative_url;

pub(super) const URL: &str = "andringar.html";

/// The variables of `changelog.html`.
#[derive(Serialize)]
struct ChangelogView<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    /// The version compared against (null for the first version).
    previous: Option<&'a str>,
    added: Vec<AddedDoc<'a>>,
    changed: Vec<ChangedDoc<'a>>,
    /// Titles of the documents removed.
    removed: &'a [String],
}

#[derive(Serialize)]
struct AddedDoc<'a> {
    #[serde(flatten)]
    doc: DocRef<'a>,
    /// The version's PDF of it, if it has one.
    pdf_href: Option<String>,
}

#[derive(Serialize)]
struct ChangedDoc<'a> {
    title: &'a str,
    href: String,
    /// The id of the redline's section on this page.
    anchor: String,
    /// HTML.
    redline: String,
    /// One line: which sections changed, words added and removed.
    changes: String,
    /// The same comparison on the current site's history page, where any
    /// two revisions can be compared.
    history_href: Option<String>,
    /// The version's PDF of it, if it has one.
    pdf_href: Option<String>,
}

impl Renderer<'_> {
    pub(super) fn changelog_page(&self, changes: &Changes) -> Result<String, Diagnostic> {
        let version = self.site.edition.version.as_deref().unwrap_or_default();
        let view = ChangelogView {
            base: self.base(Place {
                url: URL,
                current: "changelog",
                title: Cow::Owned(format!("{} {version}", self.t.changelog)),
                doc: None,
            }),
            previous: changes.previous.as_deref(),
            added: changes
                .added
                .iter()
                .filter(|&&i| self.visible[i])
                .map(|&i| AddedDoc {
                    doc: self.doc_ref(URL, i),
                    pdf_href: self.pdf_href(i),
                })
                .collect(),
            changed: changes
                .changed
                .iter()
                .filter(|(i, _)| self.visible[*i])
                .map(|(i, redline)| {
                    let d = &self.docs()[*i];
                    ChangedDoc {
                        title: d.title(),
                        href: relative_url(URL, &d.url),
                        anchor: format!("andring-{}", crate::markdown::slug(&d.id)),
                        redline: super::redline::html(redline, self.t),
                        changes: super::redline::summary(&redline.summary, self.t),
                        history_href: changes
                            .compare
                            .get(i)
                            .map(|href| format!("{}{href}", self.site.edition.site_root(URL))),
                        pdf_href: self.pdf_href(*i),
                    }
                })
                .collect(),
            removed: &changes.removed,
        };
        self.render_page("changelog.html", &view)
    }

    /// The link from the change log to document `i`'s PDF in this version.
    fn pdf_href(&self, i: usize) -> Option<String> {
        self.has_pdf(i)
            .then(|| relative_url(URL, &crate::pdf::pdf_path(&self.docs()[i])))
    }
}
