//! What becomes of links to start and folder pages, from any page, and of
//! every link in a page's text: the same rules as a document's links
//! (`document.rs`), from the page's own place.

use super::Renderer;
use crate::markdown::LinkAction;
use crate::model::{Page, Withheld};
use crate::resolve::{encode, relative_url, Target};
use std::sync::Arc;

/// `url` with `#anchor`, encoded, when there is one.
fn with_anchor(mut url: String, anchor: Option<&str>) -> String {
    if let Some(a) = anchor {
        url.push('#');
        url.push_str(&encode(a));
    }
    url
}

impl Renderer<'_> {
    pub(super) fn pages(&self) -> &[Arc<Page>] {
        &self.site.corpus.pages.list
    }

    /// A link from the page at `from_url` to page `p` (at `anchor`); on
    /// that page itself (`same`) an anchor alone. A page this build does not
    /// publish is the restricted text, as a restricted document is.
    pub(super) fn page_link(
        &self,
        from_url: &str,
        p: usize,
        anchor: Option<&str>,
        same: bool,
    ) -> LinkAction {
        if !self.page_visible.get(p).copied().unwrap_or(false) {
            return LinkAction::Restricted(self.t.restricted_page.to_string());
        }
        let url = if same && anchor.is_some() {
            String::new()
        } else {
            relative_url(from_url, &self.pages()[p].url)
        };
        LinkAction::Rewrite(with_anchor(url, anchor))
    }

    /// What becomes of a link in page `p`'s text.
    pub(super) fn page_link_action(&self, p: usize, dest: &str) -> LinkAction {
        let from = &self.pages()[p].url;
        let Some(links) = self.site.graph.pages.get(p) else {
            return LinkAction::Keep;
        };
        match links.targets.get(dest) {
            Some(Target::Page(q, anchor)) => self.page_link(from, *q, anchor.as_deref(), *q == p),
            Some(Target::Document(t, anchor)) => match self.withheld[*t] {
                Some(Withheld::Restricted) => LinkAction::Restricted(self.t.restricted.to_string()),
                Some(Withheld::NotAdopted) => {
                    LinkAction::NotAdopted(self.t.not_adopted.to_string())
                }
                None => LinkAction::Rewrite(with_anchor(
                    relative_url(from, &self.docs()[*t].url),
                    anchor.as_deref(),
                )),
            },
            Some(Target::Attachment(path, frag)) => {
                LinkAction::Rewrite(with_anchor(relative_url(from, path), frag.as_deref()))
            }
            Some(Target::Unsafe) => LinkAction::Plain,
            _ => LinkAction::Keep,
        }
    }

    /// Page `p`'s text as HTML, its links decided as above.
    pub(super) fn page_body(&self, p: usize) -> String {
        let page = &self.pages()[p];
        self.site.graph.page_html(
            p,
            page.body(),
            self.t.table_region,
            &|dest| self.page_link_action(p, dest),
            &|| self.figure(&page.url, false, true),
        )
    }
}
