//! A folder's page (`folder.html`, at `<folder>/index.html`): the text of
//! its `README.md` or `index.md`, then the folder's published documents in
//! hierarchy order and the pages of the folders below it. A page this build
//! may not publish (by its `klassning`) is not written at all.

use serde::Serialize;
use std::borrow::Cow;

use super::context::{Base, Crumb, Place, NONE};
use super::{OutputFile, Renderer};
use crate::diagnostic::Diagnostic;
use crate::model::page_folder;
use crate::resolve::relative_url;
use crate::text::nfc;

/// The variables of `folder.html`.
#[derive(Serialize)]
struct FolderView<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    page: FolderPage<'a>,
}

#[derive(Serialize)]
struct FolderPage<'a> {
    title: &'a str,
    /// `beskrivning`, if given.
    description: Option<&'a str>,
    /// The page's text, HTML.
    body: String,
    /// The folder's published documents, in hierarchy order.
    documents: Vec<FolderDoc<'a>>,
    /// The nearest published pages below it.
    folders: Vec<PageRef<'a>>,
}

/// A document of the folder.
#[derive(Serialize)]
struct FolderDoc<'a> {
    title: &'a str,
    href: String,
    type_label: &'a str,
    version: &'a str,
    status_key: &'static str,
    status_label: &'static str,
}

/// A link to a folder's page, as lists of folders show it.
#[derive(Serialize)]
pub(super) struct PageRef<'a> {
    pub(super) title: &'a str,
    pub(super) href: String,
    pub(super) description: Option<&'a str>,
}

impl Renderer<'_> {
    /// Every folder page this build publishes.
    pub(super) fn folder_pages(&self) -> Result<Vec<OutputFile>, Diagnostic> {
        let mut files = Vec::new();
        for p in 0..self.pages().len() {
            files.extend(self.folder_page(p)?);
        }
        Ok(files)
    }

    /// Page `p`'s file, unless it is the start page's text or may not be
    /// published.
    pub(super) fn folder_page(&self, p: usize) -> Result<Option<OutputFile>, Diagnostic> {
        let page = &self.pages()[p];
        if page.is_root() || !self.page_visible.get(p).copied().unwrap_or(false) {
            return Ok(None);
        }
        let url = page.url.as_str();
        let folder = nfc(&page.folder);
        let t = self.t;
        let members: Vec<usize> = self
            .order
            .iter()
            .copied()
            .filter(|&i| nfc(page_folder(&self.docs()[i].content_path)) == folder)
            .collect();
        let documents = members
            .iter()
            .map(|&i| &self.docs()[i])
            .map(|d| {
                let st = d.status();
                FolderDoc {
                    title: d.title(),
                    href: relative_url(url, &d.url),
                    type_label: super::kinds::label_of(d, self.site.config, t),
                    version: d.meta.version.as_ref().map_or(NONE, |v| v.value.as_str()),
                    status_key: st.map_or("", |s| s.as_str()),
                    status_label: st.map_or(NONE, |s| t.status_name(s)),
                }
            })
            .collect();
        let mut base = self.base(Place {
            url,
            current: "folder",
            title: Cow::Borrowed(page.title()),
            doc: None,
        });
        base.crumbs = self.breadcrumbs(p);
        base.last_change = self.with_page_change(p, self.newest_change(members.iter().copied()));
        let view = FolderView {
            base,
            page: FolderPage {
                title: page.title(),
                description: page.meta.beskrivning.as_ref().map(|b| b.value.as_str()),
                body: self.page_body(p),
                documents,
                folders: self.folders_below(url, &page.folder),
            },
        };
        Ok(Some(OutputFile {
            path: page.url.clone(),
            bytes: self.render_page("folder.html", &view)?.into_bytes(),
        }))
    }

    /// The nearest published pages below `folder`, linked from `from_url`.
    pub(super) fn folders_below(&self, from_url: &str, folder: &str) -> Vec<PageRef<'_>> {
        let shown = |q: usize| self.page_visible[q] && !self.pages()[q].is_root();
        self.site
            .corpus
            .pages
            .below(&nfc(folder), &shown)
            .into_iter()
            .map(|q| {
                let page = &self.pages()[q];
                PageRef {
                    title: page.title(),
                    href: relative_url(from_url, &page.url),
                    description: page.meta.beskrivning.as_ref().map(|b| b.value.as_str()),
                }
            })
            .collect()
    }

    /// The start page and the published pages of the folders above page `p`.
    fn breadcrumbs(&self, p: usize) -> Vec<Crumb<'_>> {
        let page = &self.pages()[p];
        let mut crumbs = vec![Crumb {
            title: Cow::Borrowed(self.t.start),
            href: relative_url(&page.url, super::index::URL),
        }];
        let mut above = Vec::new();
        let mut dir = page_folder(&page.folder);
        while !dir.is_empty() {
            if let Some(q) = self.site.corpus.pages.in_folder(&nfc(dir)) {
                if self.page_visible[q] {
                    above.push(Crumb {
                        title: Cow::Borrowed(self.pages()[q].title()),
                        href: relative_url(&page.url, &self.pages()[q].url),
                    });
                }
            }
            dir = page_folder(dir);
        }
        crumbs.extend(above.into_iter().rev());
        crumbs
    }
}
