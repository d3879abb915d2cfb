//! The template variables every page has: [`Shared`], the same on every page
//! of a render, and [`Base`], the page's place in the site and the
//! navigation. Each page kind adds its own view (`document.rs`,
//! `history.rs`, ...); README "Themes" lists them all, as the theme contract.

use serde::Serialize;
use serde_json::Value;
use std::borrow::Cow;

use super::{Renderer, Site};
use crate::codes::Code;
use crate::config::Language;
use crate::diagnostic::Diagnostic;
use crate::i18n::Texts;
use crate::resolve::{href_path, relative_url, root_prefix};

/// Groups longer than this are not listed in full in every page's navigation.
const NAV_LIMIT: usize = 25;

/// The id of the start page's list of repealed documents.
pub(super) const ARCHIVE_ANCHOR: &str = "arkiv";

/// Shown where a value is missing.
pub(super) const NONE: &str = "–";

/// The variables that are the same on every page of a render.
#[derive(Serialize)]
pub(super) struct Shared<'a> {
    /// `sv` or `en`.
    lang: &'static str,
    site: SiteInfo<'a>,
    /// The site's own texts.
    t: &'static Texts,
    /// A local preview (`serve`).
    preview: bool,
    /// The version's tag, empty in the current site.
    version: &'a str,
    /// The site has a system register (and so `systemregister.html`).
    has_register: bool,
    /// The site has an area coverage page (`omraden.html`).
    has_areas: bool,
    /// In a review site: what is compared (the banner on every page).
    review: Option<super::review::ReviewInfo<'a>>,
}

#[derive(Serialize)]
struct SiteInfo<'a> {
    title: &'a str,
}

/// The variables that place a page in the site: set on every page.
#[derive(Serialize)]
pub(super) struct Base<'a> {
    /// From the page to the root of its edition (`../` repeated).
    root: String,
    /// From the page to the root of the output, above every version.
    site_root: String,
    /// The page's path within its edition.
    page_url: &'a str,
    /// Which page this is (`document`, `history`, `index`, ...).
    current: &'static str,
    /// The page's title, for `<title>`.
    page_title: Cow<'a, str>,
    /// The documents' navigation.
    nav: Vec<NavGroup<'a>>,
    /// The pages above this one, from the start page down: for a document
    /// the documents that govern it (`överordnad`), for a folder page the
    /// folders above it. Empty on the start page.
    pub(super) crumbs: Vec<Crumb<'a>>,
    /// When the page's content last changed in git, and by whom.
    pub(super) last_change: Option<Changed<'a>>,
}

/// A page above the current one in the breadcrumb trail.
#[derive(Serialize)]
pub(super) struct Crumb<'a> {
    pub(super) title: Cow<'a, str>,
    pub(super) href: String,
}

/// The newest published revision behind a page: its date and author.
#[derive(Serialize, Clone, Copy, PartialEq, Eq)]
pub(super) struct Changed<'a> {
    /// YYYY-MM-DD, the author date.
    pub(super) date: &'a str,
    pub(super) author: &'a str,
    /// The work tree holds changes to it that are not committed (the
    /// preview of a draft, a build before a commit).
    pub(super) uncommitted: bool,
}

/// One group of the navigation: the documents of one type.
#[derive(Serialize)]
struct NavGroup<'a> {
    label: &'a str,
    items: Vec<NavItem<'a>>,
    /// In a long group: the link to the full list in place of the items.
    more: Option<NavMore>,
}

#[derive(Serialize)]
struct NavItem<'a> {
    title: &'a str,
    href: String,
    current: bool,
}

#[derive(Serialize)]
struct NavMore {
    label: String,
    href: String,
}

/// A link to a document with its type, as lists of documents show it.
#[derive(Serialize)]
pub(super) struct DocRef<'a> {
    pub(super) title: &'a str,
    pub(super) href: String,
    pub(super) type_label: &'a str,
}

/// A page's own title and kind, from which [`Renderer::base`] makes its [`Base`].
pub(super) struct Place<'a> {
    pub(super) url: &'a str,
    pub(super) current: &'static str,
    pub(super) title: Cow<'a, str>,
    /// The document the page belongs to, marked in the navigation.
    pub(super) doc: Option<usize>,
}

/// The [`Shared`] variables of a render as a template context, made once
/// per render (see [`Renderer::shared_context`]).
pub(super) fn shared_variables(site: &Site<'_>, t: &'static Texts) -> tera::Context {
    let shared = Shared {
        lang: if site.config.language == Language::En {
            "en"
        } else {
            "sv"
        },
        site: SiteInfo {
            title: &site.config.title,
        },
        t,
        preview: site.preview,
        version: site.edition.version.as_deref().unwrap_or_default(),
        has_register: site.corpus.register.is_some(),
        has_areas: super::areas::has_areas(site),
        review: site
            .review
            .map(|r| super::review::ReviewInfo::new(r, site.config, t)),
    };
    tera::Context::from_serialize(shared).unwrap_or_default()
}

impl<'a> Renderer<'a> {
    /// A context holding the [`Shared`] variables: one per thread for the
    /// document pages, which then add only their own.
    pub(super) fn shared_context(&self) -> tera::Context {
        self.shared.clone()
    }

    /// The [`Base`] variables of a page.
    pub(super) fn base<'p>(&'p self, place: Place<'p>) -> Base<'p> {
        Base {
            root: root_prefix(place.url),
            site_root: self.site.edition.site_root(place.url),
            page_url: place.url,
            current: place.current,
            page_title: place.title,
            nav: self.nav_groups(place.doc),
            crumbs: self.crumbs(place.url, place.current, place.doc),
            last_change: match place.doc {
                Some(i) => self.doc_changed(i),
                None => self.site_changed,
            },
        }
    }

    /// The breadcrumb trail of a page (see [`Base::crumbs`]); a folder
    /// page sets its own.
    fn crumbs(&self, url: &str, current: &str, doc: Option<usize>) -> Vec<Crumb<'_>> {
        if current == "index" {
            return Vec::new();
        }
        let mut crumbs = vec![Crumb {
            title: Cow::Borrowed(self.t.start),
            href: relative_url(url, super::index::URL),
        }];
        if let Some(i) = doc {
            let mut above = Vec::new();
            let mut cur = self.parent[i];
            // The tree is acyclic; the bound guards a broken one anyway.
            while let Some(p) = cur.filter(|_| above.len() < self.parent.len()) {
                above.push(p);
                cur = self.parent[p];
            }
            // A document's other pages (its history) lead back to it too.
            let own = (current != "document").then_some(i);
            for p in above.into_iter().rev().chain(own) {
                let d = &self.docs()[p];
                crumbs.push(Crumb {
                    title: Cow::Borrowed(d.title()),
                    href: relative_url(url, &d.url),
                });
            }
        }
        crumbs
    }

    /// The newest published revision of document `i`, if it is in git; in
    /// a version, its last change at the tag.
    pub(super) fn doc_changed(&self, i: usize) -> Option<Changed<'a>> {
        let Some(history) = self.site.history else {
            let changes = self.site.changes?;
            let (date, author) = changes.last_changed.get(&self.docs()[i].content_path)?;
            return Some(Changed {
                date,
                author,
                uncommitted: false,
            });
        };
        let dh = history.docs.get(&self.docs()[i].content_path)?;
        let r = dh.revisions.iter().find(|r| !r.restricted)?;
        Some(Changed {
            date: &r.date,
            author: &r.author,
            uncommitted: dh.uncommitted.is_some(),
        })
    }

    fn nav_groups(&self, current_doc: Option<usize>) -> Vec<NavGroup<'_>> {
        let item = |i: usize| NavItem {
            title: self.docs()[i].title(),
            href: href_path(&self.docs()[i].url),
            current: current_doc == Some(i),
        };
        // A long group would make every page as long as the site: show
        // the current document and a link to the full list instead.
        let group =
            |label: &'a str, members: &[usize], belongs: &dyn Fn(usize) -> bool, anchor: &str| {
                let (items, more) = if members.len() > NAV_LIMIT {
                    let current = current_doc
                        .filter(|&c| belongs(c))
                        .map(item)
                        .into_iter()
                        .collect();
                    let more = NavMore {
                        label: format!("{} ({})", self.t.all_documents, members.len()),
                        href: format!("index.html#{anchor}"),
                    };
                    (current, Some(more))
                } else {
                    (members.iter().map(|&i| item(i)).collect(), None)
                };
                NavGroup { label, items, more }
            };
        let mut groups: Vec<NavGroup<'_>> = self
            .nav
            .iter()
            .map(|(kind, members)| {
                let anchor = kind.anchor();
                let belongs = |c: usize| {
                    let d = &self.docs()[c];
                    kind.is(d) && !d.is_repealed()
                };
                let label = kind.plural(self.site.config, self.t);
                group(label, members, &belongs, &anchor)
            })
            .collect();
        // Repealed documents come last, under their own heading.
        if !self.archive.is_empty() {
            let belongs = |c: usize| self.docs()[c].is_repealed();
            groups.push(group(
                self.t.archive,
                &self.archive,
                &belongs,
                ARCHIVE_ANCHOR,
            ));
        }
        groups
    }

    /// A link from the page at `from_url` to document `i`.
    pub(super) fn doc_ref(&self, from_url: &str, i: usize) -> DocRef<'a> {
        let d: &'a crate::model::Document = &self.site.corpus.documents[i];
        DocRef {
            title: d.title(),
            href: relative_url(from_url, &d.url),
            type_label: super::kinds::label_of(d, self.site.config, self.t),
        }
    }

    /// Renders a page that has a context of its own: the [`Shared`]
    /// variables and the page's `view`.
    pub(super) fn render_page(
        &self,
        template: &str,
        view: &impl Serialize,
    ) -> Result<String, Diagnostic> {
        self.render_in(template, &mut self.shared_context(), view)
    }

    /// Renders `template` with the variables of `view` added to `ctx`
    /// (which holds the [`Shared`] ones), and takes them out again, so
    /// that `ctx` serves the next page as it was.
    pub(super) fn render_in(
        &self,
        template: &str,
        ctx: &mut tera::Context,
        view: &impl Serialize,
    ) -> Result<String, Diagnostic> {
        let vars = match serde_json::to_value(view) {
            Ok(Value::Object(vars)) => vars,
            _ => {
                return Err(Diagnostic::error(
                    Code::ThemeError,
                    &self.template_file(template),
                    1,
                    1,
                    crate::tr!(
                        "internt fel: sidans data är inte en uppsättning variabler",
                        "internal error: the page's data is not a set of variables"
                    ),
                ))
            }
        };
        let keys: Vec<String> = vars.keys().cloned().collect();
        // Moves the values in: a `Context` is a map of the same values.
        ctx.extend(tera::Context::from_value(Value::Object(vars)).unwrap_or_default());
        let html = self.render(template, ctx);
        for k in &keys {
            ctx.remove(k);
        }
        html
    }
}
