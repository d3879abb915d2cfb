//! The start page (`index.html`): the text of `content/index.md` or
//! `content/README.md` when the site has one (and may publish it), the
//! hierarchy figure, the revisions overdue or near and the latest adoptions
//! (of published documents only), every published document by type and
//! the pages of the folders.

use serde::Serialize;
use std::borrow::Cow;

use super::context::{Base, Place, NONE};
use super::folder::PageRef;
use super::followup::RevisionDue;
use super::Renderer;
use crate::diagnostic::Diagnostic;
use crate::resolve::relative_url;

pub(super) const URL: &str = "index.html";

/// The variables of `index.html`.
#[derive(Serialize)]
struct IndexView<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    /// The start page's text (`content/index.md` or `README.md`), HTML;
    /// `None` when there is none or it may not be published.
    intro: Option<String>,
    /// Its title (`titel`, else its first `#` heading), if it has one.
    intro_title: Option<&'a str>,
    /// The nearest published folder pages.
    folders: Vec<PageRef<'a>>,
    /// Document types that have documents, in hierarchy order.
    groups: Vec<Group<'a>>,
    /// The hierarchy figure, SVG in HTML.
    figure: String,
    /// Repealed documents, in hierarchy order (they are in no group).
    archive: Vec<Item<'a>>,
    /// The date the follow-up state refers to (`--today`).
    today: String,
    /// Published documents whose revision is overdue or within
    /// `warn_days_before`, soonest first, as on the follow-up page.
    revisions_due: Vec<RevisionDue<'a>>,
    /// The latest adoptions of published documents in force, newest
    /// first, at most [`RECENT`]; empty outside git.
    recently_adopted: Vec<Adoption<'a>>,
}

/// How many adoptions the start page lists.
const RECENT: usize = 8;

/// A version adopted, from the history.
#[derive(Serialize)]
struct Adoption<'a> {
    title: &'a str,
    href: String,
    version: &'a str,
    /// Its `fastställd` date then, else the commit's date.
    date: &'a str,
}

#[derive(Serialize)]
struct Group<'a> {
    /// The group's id without `group-`: the type's place in the hierarchy
    /// (0 for the policy), or the name of one of the site's own types.
    key: String,
    label: &'a str,
    items: Vec<Item<'a>>,
}

#[derive(Serialize)]
struct Item<'a> {
    title: &'a str,
    href: String,
    version: &'a str,
    status_key: &'static str,
    status_label: &'static str,
    next_revision: String,
}

impl Renderer<'_> {
    pub(super) fn index_page(&self) -> Result<String, Diagnostic> {
        let groups = super::kinds::Kind::all(self.site.config)
            .into_iter()
            .map(|kind| Group {
                key: kind.anchor().trim_start_matches("group-").to_string(),
                label: kind.plural(self.site.config, self.t),
                items: self
                    .order
                    .iter()
                    .filter(|&&i| {
                        let d = &self.docs()[i];
                        kind.is(d) && !d.is_repealed()
                    })
                    .map(|&i| self.index_item(i))
                    .collect(),
            })
            .filter(|g| !g.items.is_empty())
            .collect();
        let root = self
            .site
            .corpus
            .pages
            .root()
            .filter(|&p| self.page_visible[p]);
        let mut base = self.base(Place {
            url: URL,
            current: "index",
            title: Cow::Borrowed(&self.site.config.title),
            doc: None,
        });
        if let Some(p) = root {
            base.last_change = self.with_page_change(p, base.last_change);
        }
        let view = IndexView {
            intro: root.map(|p| self.page_body(p)),
            intro_title: root.and_then(|p| self.pages()[p].own_title()),
            folders: self.folders_below(URL, ""),
            base,
            groups,
            figure: self.figure(URL, true, true),
            archive: self.archive.iter().map(|&i| self.index_item(i)).collect(),
            today: self.site.today.to_string(),
            revisions_due: self
                .revisions_due()
                .0
                .into_iter()
                .filter(|r| r.state != "ok")
                .collect(),
            recently_adopted: self.recently_adopted(),
        };
        self.render_page("index.html", &view)
    }

    /// The latest adoptions of the published documents that are not
    /// repealed: only adoptions by revisions this build may publish.
    fn recently_adopted(&self) -> Vec<Adoption<'_>> {
        let Some(all) = self.site.adoption else {
            return Vec::new();
        };
        let mut list: Vec<Adoption<'_>> = self
            .live()
            .flat_map(|i| {
                let d = &self.docs()[i];
                let adoptions = all.docs.get(&d.content_path);
                adoptions
                    .into_iter()
                    .flat_map(|a| a.adoptions.iter())
                    .filter(|a| !a.restricted)
                    .map(move |a| Adoption {
                        title: d.title(),
                        href: relative_url(URL, &d.url),
                        version: &a.version,
                        date: &a.date,
                    })
            })
            .collect();
        list.sort_by(|a, b| b.date.cmp(a.date).then_with(|| a.title.cmp(b.title)));
        list.truncate(RECENT);
        list
    }

    fn index_item(&self, i: usize) -> Item<'_> {
        let d = &self.docs()[i];
        let st = d.status();
        Item {
            title: d.title(),
            href: relative_url(URL, &d.url),
            version: d.meta.version.as_ref().map_or(NONE, |v| v.value.as_str()),
            status_key: st.map_or("", |s| s.as_str()),
            status_label: st.map_or(NONE, |s| self.t.status_name(s)),
            next_revision: d
                .meta
                .nasta_revision
                .as_ref()
                .map_or(NONE.to_string(), |v| v.value.to_string()),
        }
    }
}
