//! Stage 5, render: every page of the site into memory with Tera and the
//! theme. Nothing is written to disk here.
//!
//! Each page kind has its own file with its view, the `#[derive(Serialize)]`
//! struct whose fields are the template's variables: `document.rs`,
//! `history.rs`, `index.rs`, `hierarchy_page.rs`, `followup.rs`,
//! `areas.rs`, `register.rs`, `search_page.rs`, `changelog.rs`,
//! `versions.rs`, `folder.rs` (folder pages; the start page's text is in
//! `index.rs`); `context.rs` holds the variables every page has, `links.rs`
//! what becomes of the links of a page's text.

mod areas;
mod changelog;
mod context;
mod document;
mod folder;
mod followup;
mod guard;
pub mod hierarchy;
mod hierarchy_list;
mod hierarchy_page;
mod hierarchy_svg;
mod hierarchy_text;
mod history;
mod index;
pub mod kinds;
mod links;
mod redline;
mod register;
mod review;
mod search;
mod search_chunks;
mod search_page;
mod search_text;
mod versions;
pub use crate::output::{join, Failure, Memory, OutputFile, Pieces, Sink};
pub use versions::{versions_page, VersionEntry};

use rayon::prelude::*;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use crate::codes::Code;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::history::History;
use crate::i18n::{self, Texts};
use crate::model::{Corpus, Document, Withheld};
use crate::resolve::{relative_url, root_prefix, LinkGraph};
use crate::theme::Theme;

/// Everything rendering needs.
pub struct Site<'a> {
    /// The loaded documents.
    pub corpus: &'a Corpus,
    /// Resolved links.
    pub graph: &'a LinkGraph,
    /// Configuration.
    pub config: &'a Config,
    /// The theme.
    pub theme: &'a Theme,
    /// The content directory on disk, for attachments.
    pub content_dir: &'a Path,
    /// The date the follow-up page is computed for.
    pub today: chrono::NaiveDate,
    /// Revision history, when the site is in git.
    pub history: Option<&'a History>,
    /// What git says of each document's adoption, when it was read.
    pub adoption: Option<&'a crate::adoption::Adoptions>,
    /// Which edition this is: the current site or a version from a tag.
    pub edition: Edition,
    /// For a version: what changed since the version before it.
    pub changes: Option<&'a Changes>,
    /// A local preview (`serve`): drafts carry a prominent banner.
    pub preview: bool,
    /// Search index parts kept between renders (`serve`), so that a rebuild
    /// after an edit indexes only the documents that changed.
    pub search_cache: Option<&'a SearchCache>,
    /// Templates and document order kept between renders (`serve`), and
    /// whether the kept ones may be used: only when no front matter and no
    /// template changed since they were made.
    pub prepared: Option<(&'a PreparedCache, bool)>,
    /// A review site (`styrdok review`, `serve --base`): what the change
    /// does, for the review's pages and the banners of the touched pages.
    pub review: Option<&'a crate::review::Review>,
}

pub use search::SearchCache;

/// What changed in a version since the one before it.
#[derive(Debug, Clone, Default)]
pub struct Changes {
    /// The version compared against, if any.
    pub previous: Option<String>,
    /// Documents added (index in this version's corpus).
    pub added: Vec<usize>,
    /// Documents changed, with a redline from the previous version.
    pub changed: Vec<(usize, crate::redline::Redline)>,
    /// Titles of documents removed (only those this build may publish).
    pub removed: Vec<String>,
    /// Per changed document, the comparison of its two texts on the
    /// current site's history page (`historik/…#jamfor-…`, from the
    /// output root), when that page has both.
    pub compare: std::collections::HashMap<usize, String>,
    /// Each document's and page's last change as it stood at the tag:
    /// content path -> (date, author) (see [`crate::history::last_changes`]).
    pub last_changed: std::collections::HashMap<String, (String, String)>,
    /// The documents (index in this version's corpus) whose PDF the
    /// version has (`[publish] pdf`).
    pub pdfs: std::collections::HashSet<usize>,
}

/// The current site, or a version built from a git tag.
#[derive(Debug, Clone, Default)]
pub struct Edition {
    /// The tag, when rendering a version.
    pub version: Option<String>,
}

impl Edition {
    /// Where this edition's files go below the output root.
    pub fn prefix(&self) -> String {
        self.version
            .as_ref()
            .map_or_else(String::new, |v| format!("versioner/{v}/"))
    }

    /// From a page at `url` (within the edition) to the output root.
    pub fn site_root(&self, url: &str) -> String {
        let up = if self.version.is_some() { "../../" } else { "" };
        format!("{}{up}", root_prefix(url))
    }
}

/// One render of a site: the site, its texts, and the [`Prepared`] part.
/// Its methods, one file per page kind, make the pages.
struct Renderer<'a> {
    site: &'a Site<'a>,
    /// The site's own texts (`t` in templates).
    t: &'static Texts,
    /// The variables every page has, made once (see [`context::Shared`]).
    shared: tera::Context,
    prepared: Arc<Prepared>,
    /// The newest published revision of any published document: when the
    /// pages made of all of them (start, hierarchy, follow-up, ...) changed.
    site_changed: Option<context::Changed<'a>>,
}

/// What every page of a render needs besides the site: the compiled
/// templates and the documents' order and hierarchy. It depends on the
/// theme and on the documents' front matter only, so `serve` keeps it for
/// a rebuild after edits to bodies (see [`Site::prepared`]).
pub struct Prepared {
    tera: Arc<tera::Tera>,
    /// Whether each document is published (see [`crate::model::Policy`]).
    visible: Vec<bool>,
    /// Why each document that is not published is not (`None` for those
    /// that are), for the text that stands in for links to it.
    withheld: Vec<Option<Withheld>>,
    /// The hierarchy of the visible documents in force or on their way
    /// (not repealed).
    tree: hierarchy::Tree,
    /// Visible documents in hierarchy order.
    order: Vec<usize>,
    /// The navigation: visible documents by type, the repealed left out.
    nav: Vec<(kinds::Kind, Vec<usize>)>,
    /// Visible repealed documents in hierarchy order: the archive.
    archive: Vec<usize>,
    /// Whether each start or folder page is published (by its class).
    page_visible: Vec<bool>,
    /// Each document's parent in [`Prepared::tree`], for breadcrumbs.
    parent: Vec<Option<usize>>,
}

/// The pages a partial render redoes: what `serve` needs after edits to
/// the bodies of documents and pages only.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Partial {
    /// Documents whose pages (and history pages) are rendered again.
    pub docs: Vec<usize>,
    /// The area coverage page too.
    pub areas: bool,
    /// Start and folder pages (by index in the corpus' pages) rendered
    /// again; the start page's text renders the start page.
    pub pages: Vec<usize>,
}

/// Where `serve` keeps the [`Prepared`] part of the last full render.
#[derive(Default)]
pub struct PreparedCache(Mutex<Option<Arc<Prepared>>>);

impl std::ops::Deref for Renderer<'_> {
    type Target = Prepared;
    fn deref(&self) -> &Prepared {
        &self.prepared
    }
}

/// Renders the whole site into `sink`, each file as soon as it is done.
pub fn render_to(site: &Site<'_>, sink: &dyn Sink) -> Result<(), Failure> {
    guard::on_render_threads(|| render_all(site, sink))
}

fn render_all(site: &Site<'_>, sink: &dyn Sink) -> Result<(), Failure> {
    let r = Renderer::new(site)?;
    let prefix = site.edition.prefix();
    let emit = |mut f: OutputFile| {
        if !prefix.is_empty() {
            f.path = format!("{prefix}{}", f.path);
        }
        sink.put(f)
    };
    let page = |path: &str, html: String| {
        emit(OutputFile {
            path: path.into(),
            bytes: html.into_bytes(),
        })
    };
    // Document and history pages are independent of each other; the site
    // pages and the search index need only the corpus: all of it runs on
    // every core, and each file is handed on as soon as it is rendered.
    let documents = || {
        (0..site.corpus.documents.len())
            .into_par_iter()
            .filter(|&i| r.visible[i])
            .try_for_each_init(
                || r.shared_context(),
                |ctx, i| -> Result<(), Failure> {
                    for f in r.document_files(i, ctx)? {
                        emit(f)?;
                    }
                    Ok(())
                },
            )
    };
    let site_pages = || -> Result<(), Failure> {
        let jobs: [&(dyn Fn() -> Result<(), Failure> + Sync); 7] = [
            &|| Ok(page(index::URL, r.index_page()?)?),
            &|| Ok(page(hierarchy_page::URL, r.hierarchy_page()?)?),
            &|| Ok(page(followup::URL, r.followup_page()?)?),
            &|| match areas::has_areas(site) {
                true => Ok(page(areas::URL, r.areas_page()?)?),
                false => Ok(()),
            },
            &|| Ok(page(search_page::URL, r.search_page()?)?),
            &|| {
                for f in r.folder_pages()? {
                    emit(f)?;
                }
                Ok(())
            },
            &|| r.search_index(&|f| Ok(emit(f)?)),
        ];
        jobs.par_iter().try_for_each(|job| job())
    };
    let (a, b) = rayon::join(documents, site_pages);
    a?;
    b?;
    if site.corpus.register.is_some() {
        page(register::URL, r.register_page()?)?;
    }
    if let Some(changes) = site.changes {
        page(changelog::URL, r.changelog_page(changes)?)?;
    }
    if let Some(review) = site.review {
        for f in r.review_pages(review)? {
            emit(f)?;
        }
    }
    if site.edition.version.is_none() {
        for (name, bytes) in &site.theme.assets {
            emit(OutputFile {
                path: format!("assets/{name}"),
                bytes: bytes.clone(),
            })?;
        }
    }
    for rel in crate::attachments::published(site.corpus, site.graph, site.config) {
        emit(OutputFile {
            path: rel.to_string(),
            bytes: attachment(site, rel)?,
        })?;
    }
    Ok(())
}

/// An attachment's bytes: from git, or read from disk as the walk found
/// it (a regular file, never through a link put in its place since).
fn attachment(site: &Site<'_>, rel: &str) -> Result<Vec<u8>, Diagnostic> {
    if let Some(b) = site.corpus.attachment_data.get(rel) {
        return Ok(b.clone());
    }
    crate::load::read_no_follow(&crate::platform::join_rel(site.content_dir, rel)).map_err(|e| {
        Diagnostic::error_in(
            Code::Unreadable,
            &crate::load::join(&site.config.content_dir.to_string_lossy(), rel),
            crate::tr!("bilagan kan inte läsas: {e}", "cannot read attachment: {e}"),
        )
    })
}

/// Renders the pages `partial` names only: what `serve` needs after a
/// change to one document's or page's body.
pub fn render_pages(site: &Site<'_>, partial: &Partial, sink: &dyn Sink) -> Result<(), Failure> {
    guard::on_render_threads(|| render_some(site, partial, sink))
}

fn render_some(site: &Site<'_>, partial: &Partial, sink: &dyn Sink) -> Result<(), Failure> {
    let Partial { docs, areas, pages } = partial;
    let r = Renderer::new(site)?;
    let mut ctx = r.shared_context();
    for &p in pages {
        let page = site.corpus.pages.list.get(p);
        if page.is_some_and(|page| page.is_root()) {
            sink.put(OutputFile {
                path: index::URL.into(),
                bytes: r.index_page()?.into_bytes(),
            })?;
        } else if let Some(f) = r.folder_page(p)? {
            sink.put(f)?;
        }
    }
    for &i in docs {
        if r.visible.get(i).copied().unwrap_or(false) {
            for f in r.document_files(i, &mut ctx)? {
                sink.put(f)?;
            }
        }
    }
    if *areas && areas::has_areas(site) {
        sink.put(OutputFile {
            path: areas::URL.into(),
            bytes: r.areas_page()?.into_bytes(),
        })?;
    }
    // A review's pages are few and say what changed: always redone.
    if let Some(review) = site.review {
        for f in r.review_pages(review)? {
            sink.put(f)?;
        }
    }
    // The search index is not rendered here: the preview renders it after
    // the pages it reloads, with [`search_index_to`].
    Ok(())
}

/// The search index alone into `sink`: what the preview renders after the
/// pages of a partial render are served. With the site's search cache
/// only the documents that changed are indexed again.
pub fn search_index_to(site: &Site<'_>, sink: &dyn Sink) -> Result<(), Failure> {
    guard::on_render_threads(|| {
        let r = Renderer::new(site)?;
        r.search_index(&|f| Ok(sink.put(f)?))
    })
}

impl<'a> Renderer<'a> {
    fn new(site: &'a Site<'a>) -> Result<Self, Diagnostic> {
        let cached = site.prepared.and_then(|(cache, reuse)| {
            let slot = cache.0.lock().unwrap_or_else(PoisonError::into_inner);
            slot.as_ref().filter(|_| reuse).cloned()
        });
        let prepared = match cached {
            Some(p) => p,
            None => {
                let p = Arc::new(Self::prepare(site)?);
                if let Some((cache, _)) = site.prepared {
                    *cache.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(Arc::clone(&p));
                }
                p
            }
        };
        let t = i18n::texts(site.config.language);
        let mut r = Renderer {
            site,
            t,
            shared: context::shared_variables(site, t),
            prepared,
            site_changed: None,
        };
        r.site_changed = r.newest_change(r.order.iter().copied());
        Ok(r)
    }

    /// The theme's templates, compiled (once per theme: see [`Theme::compiled`]).
    fn compile(site: &Site<'_>) -> Result<tera::Tera, Diagnostic> {
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![".html"]);
        tera.set_escape_fn(escape_html);
        let templates: Vec<(&str, &str)> = site
            .theme
            .templates
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        tera.add_raw_templates(templates)
            .map_err(|e| theme_error(&format!("themes/{}", site.config.theme), &e))?;
        guard::install(&mut tera).map_err(|m| {
            Diagnostic::error(
                Code::ThemeError,
                &format!("themes/{}/templates", site.config.theme),
                1,
                1,
                crate::tr!("fel i temats mallar: {m}", "theme template error: {m}"),
            )
        })?;
        Ok(tera)
    }

    fn prepare(site: &Site<'_>) -> Result<Prepared, Diagnostic> {
        let tera = site.theme.compiled(|| Self::compile(site))?;
        let policy = site.config.publish.policy();
        let docs = &site.corpus.documents;
        let withheld: Vec<Option<Withheld>> =
            docs.iter().map(|d| policy.withholds(&d.meta)).collect();
        let visible: Vec<bool> = withheld.iter().map(Option::is_none).collect();
        let in_force: Vec<bool> = (0..docs.len())
            .map(|i| visible[i] && !docs[i].is_repealed())
            .collect();
        let tree = hierarchy::tree(site.corpus, &in_force);
        let mut parent = vec![None; docs.len()];
        for (p, children) in tree.children.iter().enumerate() {
            for &c in children {
                parent[c] = Some(p);
            }
        }
        let mut order: Vec<usize> = (0..docs.len()).filter(|&i| visible[i]).collect();
        order.sort_by_cached_key(|&i| hierarchy::sort_key(&docs[i]));
        let archive = order
            .iter()
            .copied()
            .filter(|&i| docs[i].is_repealed())
            .collect();
        let nav = kinds::Kind::all(site.config)
            .into_iter()
            .map(|k| {
                let members = order
                    .iter()
                    .copied()
                    .filter(|&i| in_force[i] && k.is(&docs[i]))
                    .collect::<Vec<_>>();
                (k, members)
            })
            .filter(|(_, m)| !m.is_empty())
            .collect();
        let page_visible = site
            .corpus
            .pages
            .list
            .iter()
            .map(|p| p.publishable(policy))
            .collect();
        Ok(Prepared {
            tera,
            visible,
            withheld,
            tree,
            order,
            nav,
            archive,
            page_visible,
            parent,
        })
    }

    /// The newer of the last change of page `p` (its own text) and `other`.
    fn with_page_change(
        &self,
        p: usize,
        other: Option<context::Changed<'a>>,
    ) -> Option<context::Changed<'a>> {
        let path = &self.site.corpus.pages.list[p].content_path;
        let own = match (self.site.history, self.site.changes) {
            (Some(h), _) => h.pages.get(path),
            (None, Some(c)) => c.last_changed.get(path),
            (None, None) => None,
        }
        .map(|(date, author)| context::Changed {
            date,
            author,
            uncommitted: false,
        });
        match (own, other) {
            (Some(a), Some(b)) => Some(if a.date > b.date { a } else { b }),
            (a, b) => a.or(b),
        }
    }

    /// The newest published revision among `docs` (the earliest of them
    /// on a tie, so the result does not depend on thread timing).
    fn newest_change(&self, docs: impl Iterator<Item = usize>) -> Option<context::Changed<'a>> {
        let mut newest: Option<context::Changed<'a>> = None;
        for i in docs {
            if let Some(c) = self.doc_changed(i) {
                if newest.is_none_or(|n| c.date > n.date) {
                    newest = Some(c);
                }
            }
        }
        newest.map(|c| context::Changed {
            uncommitted: false,
            ..c
        })
    }
}

/// Escapes text for HTML content and quoted attributes. Unlike Tera's
/// default it leaves `/` alone, so paths read as paths in the source.
fn escape_html(input: &str) -> String {
    crate::text::escape_html(input)
}

/// Where a document's history page goes: `historik/<its url>`.
pub fn history_url(doc: &Document) -> String {
    format!("historik/{}", doc.url)
}

fn theme_error(file: &str, e: &tera::Error) -> Diagnostic {
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        src = s.source();
    }
    Diagnostic::error(
        Code::ThemeError,
        file,
        1,
        1,
        crate::tr!("fel i temats mallar: {msg}", "theme template error: {msg}"),
    )
}

impl Renderer<'_> {
    fn docs(&self) -> &[Arc<Document>] {
        &self.site.corpus.documents
    }

    /// A template's file, for diagnostics.
    fn template_file(&self, template: &str) -> String {
        format!("themes/{}/templates/{template}", self.site.config.theme)
    }

    fn render(&self, template: &str, ctx: &tera::Context) -> Result<String, Diagnostic> {
        let file = self.template_file(template);
        guard::render(&self.tera, template, ctx).map_err(|refused| match refused {
            guard::Refused::Tera(e) => theme_error(&file, &e),
            guard::Refused::TooLong => Diagnostic::error(
                Code::ThemeError,
                &file,
                1,
                1,
                crate::tr!(
                    "fel i temats mallar: {template} gör en sida som är längre än {} MiB (en slinga utan slut?)",
                    "theme template error: {template} makes a page longer than {} MiB (a loop without end?)",
                    guard::MAX_PAGE_BYTES >> 20
                ),
            ),
        })
    }

    /// The hierarchy figure for a page; `captioned` adds styrdok's own caption
    /// (a document that places the figure writes its own), `fallback` the
    /// list for narrow screens (a page that shows the list anyway has none).
    fn figure(&self, from_url: &str, captioned: bool, fallback: bool) -> String {
        let docs = self.docs();
        let (config, t) = (self.site.config, self.t);
        let kinds = kinds::Kind::all(config);
        let label = t.figure_caption;
        hierarchy_svg::figure(
            self.site.corpus,
            &self.tree,
            &hierarchy_svg::Labels {
                href: &|i| relative_url(from_url, &docs[i].url),
                type_label: &|d| kinds::label_of(d, config, t).to_string(),
                status: &|d| d.status().map_or("", |s| t.status_name(s)).to_string(),
                kind: &|d| {
                    let kind = kinds::Kind::of(d);
                    let at = kinds.iter().position(|k| *k == kind).unwrap_or(kinds.len());
                    (at, kind.plural(config, t).to_string())
                },
                unplaced: t.figure_unplaced,
                name: label,
                caption: captioned.then_some(label),
                fallback,
            },
        )
    }
}
