//! Start and folder pages: `index.md` or `README.md` (in any case) in a
//! folder of the content directory is that folder's page, as a git forge
//! shows it; the one directly in the content directory is the text of the
//! site's start page. A page is not a governing document: it has no place
//! in the hierarchy, the navigation or the rules, and its front matter is
//! optional (`titel`, `beskrivning`, `klassning`).

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{Klassning, Policy, Spanned};
use crate::source::SourceFile;

/// The file names that make a page, compared without regard to case.
pub const PAGE_NAMES: &[&str] = &["index.md", "readme.md"];

/// A page's front matter, every key optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageMeta {
    /// `titel`.
    pub titel: Option<Spanned<String>>,
    /// `beskrivning`: one line, shown where the page is listed.
    pub beskrivning: Option<Spanned<String>>,
    /// `klassning` (`intern` when missing).
    pub klassning: Option<Spanned<Klassning>>,
    /// The class cannot be read (broken front matter or a bad value): the
    /// page is never published.
    pub klassning_unreadable: bool,
}

/// One start or folder page.
#[derive(Debug, Clone)]
pub struct Page {
    /// The file, normalised.
    pub source: Arc<SourceFile>,
    /// Path below the content directory, e.g. `planer/README.md`.
    pub content_path: String,
    /// The folder it is the page of, content-relative without a trailing
    /// `/`; empty for the start page.
    pub folder: String,
    /// Output path: `index.html` or `<folder>/index.html`.
    pub url: String,
    /// Front matter (all of it optional).
    pub meta: PageMeta,
    /// Byte offset of the Markdown that is rendered as the page's text.
    pub body_offset: usize,
    /// The text of the first level-1 heading of the body, when the page
    /// takes its title from it (it has no `titel`). When that heading opens
    /// the body, `body_offset` lies after it: the page shows it as its
    /// title, not twice.
    pub heading_title: Option<String>,
}

impl Page {
    /// The Markdown rendered as the page's text.
    pub fn body(&self) -> &str {
        &self.source.text[self.body_offset.min(self.source.text.len())..]
    }

    /// Whether this is the start page's text (`content/index.md` or
    /// `content/README.md`).
    pub fn is_root(&self) -> bool {
        self.folder.is_empty()
    }

    /// The page's own title: `titel`, else its first `#` heading.
    pub fn own_title(&self) -> Option<&str> {
        self.meta
            .titel
            .as_ref()
            .map(|t| t.value.as_str())
            .or(self.heading_title.as_deref())
    }

    /// The title, else the folder's name (empty for a start page without
    /// one: the site's title stands there).
    pub fn title(&self) -> &str {
        self.own_title()
            .unwrap_or_else(|| self.folder.rsplit('/').next().unwrap_or(""))
    }

    /// The classification, `intern` when missing.
    pub fn klassning(&self) -> Klassning {
        self.meta
            .klassning
            .as_ref()
            .map_or(Klassning::Intern, |k| k.value)
    }

    /// Whether a build with this policy may publish the page: by its class
    /// alone (a page is never a draft). One that may not is left out
    /// entirely, as a restricted document is.
    pub fn publishable(&self, policy: Policy) -> bool {
        !self.meta.klassning_unreadable && self.klassning() <= policy.max_klassning
    }
}

/// Whether a content-relative path names a page: its file name is
/// `index.md` or `README.md`, in any case.
pub fn is_page_path(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    PAGE_NAMES.iter().any(|p| name.eq_ignore_ascii_case(p))
}

/// The folder a page file is the page of: its directory.
pub fn page_folder(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// The output path of a folder's page.
pub fn page_url(folder: &str) -> String {
    if folder.is_empty() {
        "index.html".to_string()
    } else {
        format!("{folder}/index.html")
    }
}

/// The pages of a corpus, sorted by content path, and where each folder's is.
#[derive(Debug, Clone, Default)]
pub struct Pages {
    /// The pages, one per folder at most.
    pub list: Vec<Arc<Page>>,
    /// Index in `list` of each folder's page, by folder (NFC).
    pub by_folder: BTreeMap<String, usize>,
}

impl Pages {
    /// The page of a folder (content-relative, no trailing `/`, NFC).
    pub fn in_folder(&self, folder: &str) -> Option<usize> {
        self.by_folder.get(folder).copied()
    }

    /// The page whose file is at this content-relative path (NFC).
    pub fn at_path(&self, path: &str) -> Option<usize> {
        let i = self.in_folder(page_folder(path))?;
        (crate::text::nfc(&self.list[i].content_path) == path).then_some(i)
    }

    /// The start page's text, if the site has one.
    pub fn root(&self) -> Option<usize> {
        self.in_folder("")
    }

    /// The nearest pages below a folder that `shown` takes: the pages of its
    /// subfolders, and of deeper folders that no such page lies between.
    /// Sorted by folder.
    pub fn below(&self, folder: &str, shown: &dyn Fn(usize) -> bool) -> Vec<usize> {
        let inside = |f: &str| {
            if folder.is_empty() {
                !f.is_empty()
            } else {
                f.strip_prefix(folder)
                    .is_some_and(|rest| rest.starts_with('/'))
            }
        };
        let shown_in = |dir: &str| self.by_folder.get(dir).is_some_and(|&i| shown(i));
        self.by_folder
            .iter()
            .filter(|(f, &i)| inside(f) && shown(i))
            .filter(|(f, _)| {
                // No other page between `folder` and `f`.
                let mut dir = page_folder(f);
                while inside(dir) {
                    if shown_in(dir) {
                        return false;
                    }
                    dir = page_folder(dir);
                }
                true
            })
            .map(|(_, &i)| i)
            .collect()
    }

    /// The output paths of the pages a build with this policy publishes.
    pub fn published_urls(&self, policy: Policy) -> impl Iterator<Item = String> + '_ {
        self.list
            .iter()
            .filter(move |p| p.publishable(policy))
            .map(|p| p.url.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages(paths: &[&str]) -> Pages {
        let mut pages = Pages::default();
        for (i, rel) in paths.iter().enumerate() {
            let folder = page_folder(rel).to_string();
            pages.by_folder.insert(folder.clone(), i);
            pages.list.push(Arc::new(Page {
                source: Arc::new(SourceFile::new(format!("content/{rel}"), "")),
                content_path: rel.to_string(),
                url: page_url(&folder),
                folder,
                meta: PageMeta::default(),
                body_offset: 0,
                heading_title: None,
            }));
        }
        pages
    }

    #[test]
    fn page_names_in_any_case() {
        for rel in ["index.md", "README.md", "a/readme.md", "a/b/Index.MD"] {
            assert!(is_page_path(rel), "{rel}");
        }
        for rel in ["indexes.md", "a/README.txt", "readme.md/x.md", "a/b.md"] {
            assert!(!is_page_path(rel), "{rel}");
        }
        assert_eq!(page_folder("a/b/README.md"), "a/b");
        assert_eq!(page_folder("index.md"), "");
        assert_eq!(page_url(""), "index.html");
        assert_eq!(page_url("a/b"), "a/b/index.html");
    }

    #[test]
    fn the_nearest_pages_below_a_folder() {
        let p = pages(&[
            "README.md",
            "a/README.md",
            "a/b/c/README.md",
            "a/d/README.md",
            "ab/README.md",
            "x/y/README.md",
        ]);
        let folders = |f: &str, shown: &dyn Fn(usize) -> bool| -> Vec<String> {
            p.below(f, shown)
                .iter()
                .map(|&i| p.list[i].folder.clone())
                .collect()
        };
        assert_eq!(folders("", &|_| true), vec!["a", "ab", "x/y"]);
        assert_eq!(folders("a", &|_| true), vec!["a/b/c", "a/d"]);
        assert_eq!(folders("a/d", &|_| true), Vec::<String>::new());
        // A page not shown (withheld) hides nothing below it.
        assert_eq!(folders("", &|i| i != 1), vec!["a/b/c", "a/d", "ab", "x/y"]);
        assert_eq!(p.at_path("a/README.md"), Some(1));
        assert_eq!(p.at_path("a/index.md"), None);
        assert_eq!(p.root(), Some(0));
    }
}
