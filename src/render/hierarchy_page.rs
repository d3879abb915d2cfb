//! The hierarchy page (`hierarchy.html`, `hierarki.html`): the figure and
//! the same tree as a list.

use serde::Serialize;
use std::borrow::Cow;

use super::context::{Base, Place};
use super::{hierarchy, Renderer};
use crate::diagnostic::Diagnostic;
use crate::resolve::relative_url;

pub(super) const URL: &str = "hierarki.html";

/// The variables of `hierarchy.html`.
#[derive(Serialize)]
struct HierarchyView<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    /// The hierarchy figure, SVG in HTML.
    figure: String,
    /// The tree as a nested list, HTML.
    tree: String,
}

impl Renderer<'_> {
    pub(super) fn hierarchy_page(&self) -> Result<String, Diagnostic> {
        let docs = self.docs();
        let view = HierarchyView {
            base: self.base(Place {
                url: URL,
                current: "hierarchy",
                title: Cow::Borrowed(self.t.hierarchy),
                doc: None,
            }),
            figure: self.figure(URL, true, false),
            tree: hierarchy::list(
                self.site.corpus,
                &self.tree,
                "tree",
                &|i| relative_url(URL, &docs[i].url),
                &|d| {
                    let kind = super::kinds::label_of(d, self.site.config, self.t);
                    match d.status() {
                        Some(s) => format!("{kind}, {}", self.t.status_name(s)),
                        None => kind.to_string(),
                    }
                },
            ),
        };
        self.render_page("hierarchy.html", &view)
    }
}
