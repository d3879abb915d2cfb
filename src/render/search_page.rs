//! The search page (`search.html`, `sok.html`): the form, with the type,
//! owner and site filters; the theme's `search.js` searches the split
//! index under `assets/search/` (see `search.rs` and `search_chunks.rs`).

use serde::Serialize;
use std::borrow::Cow;

use super::context::{Base, Place};
use super::Renderer;
use crate::diagnostic::Diagnostic;

pub(super) const URL: &str = "sok.html";

/// The variables of `search.html`.
#[derive(Serialize)]
struct SearchView<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    /// The site's own fields that are search filters, with their values.
    filters: Vec<super::search::SearchFilter<'a>>,
}

impl Renderer<'_> {
    pub(super) fn search_page(&self) -> Result<String, Diagnostic> {
        let view = SearchView {
            base: self.base(Place {
                url: URL,
                current: "search",
                title: Cow::Borrowed(self.t.search),
                doc: None,
            }),
            filters: self.search_filters(),
        };
        self.render_page("search.html", &view)
    }
}
