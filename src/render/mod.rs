//! Stage 5, render: every page of the site into memory with Tera and the
//! theme. Nothing is written to disk here.

mod guard;
pub mod hierarchy;
mod pages;
mod search;
pub use crate::output::{join, Failure, Memory, OutputFile, Pieces, Sink};
pub use pages::{versions_page, VersionEntry};

use rayon::prelude::*;
use serde_json::{json, Value};
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use crate::config::{Config, Language};
use crate::diagnostic::Diagnostic;
use crate::history::History;
use crate::i18n;
use crate::markdown::LinkAction;
use crate::model::{Corpus, DocType, Document, Status};
use crate::resolve::{encode, href_path, relative_url, root_prefix, LinkGraph, Target};
use crate::theme::{Theme, THEME_ERROR};

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
    pub changed: Vec<(usize, String)>,
    /// Titles of documents removed (only those this build may publish).
    pub removed: Vec<String>,
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

struct Renderer<'a> {
    site: &'a Site<'a>,
    lang: Language,
    /// The interface texts (`t` in templates), as template data.
    labels: Value,
    prepared: Arc<Prepared>,
}

/// What every page of a render needs besides the site: the compiled
/// templates and the documents' order and hierarchy. It depends on the
/// theme and on the documents' front matter only, so `serve` keeps it for
/// a rebuild after edits to bodies (see [`Site::prepared`]).
pub struct Prepared {
    tera: tera::Tera,
    visible: Vec<bool>,
    tree: hierarchy::Tree,
    /// Visible documents in hierarchy order.
    order: Vec<usize>,
    /// The navigation: visible documents by type.
    nav: Vec<(DocType, Vec<usize>)>,
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

/// A JSON object from `"key": value` pairs, moving each value in (the
/// `json!` macro serialises its arguments again, copying nested values).
macro_rules! obj {
    ({ $($k:literal : $v:expr),* $(,)? }) => {{
        let mut m = serde_json::Map::new();
        $( m.insert($k.to_string(), serde_json::Value::from($v)); )*
        serde_json::Value::Object(m)
    }};
}

/// Adds a value to a template context without copying it.
fn put(ctx: &mut tera::Context, key: &str, value: Value) {
    let mut map = serde_json::Map::new();
    map.insert(key.to_string(), value);
    ctx.extend(tera::Context::from_value(Value::Object(map)).unwrap_or_default());
}

/// Groups longer than this are not listed in full in every page's navigation.
const NAV_LIMIT: usize = 25;

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
        let jobs: [&(dyn Fn() -> Result<(), Failure> + Sync); 6] = [
            &|| Ok(page("index.html", r.index_page()?)?),
            &|| Ok(page("hierarki.html", r.hierarchy_page()?)?),
            &|| Ok(page("uppfoljning.html", r.followup_page()?)?),
            &|| Ok(page("omraden.html", r.areas_page()?)?),
            &|| Ok(page("sok.html", r.search_page()?)?),
            &|| {
                let (path, pieces) = r.search_index();
                Ok(sink.put_pieces(format!("{prefix}{path}"), pieces)?)
            },
        ];
        jobs.par_iter().try_for_each(|job| job())
    };
    let (a, b) = rayon::join(documents, site_pages);
    a?;
    b?;
    if site.corpus.register.is_some() {
        page("systemregister.html", r.register_page()?)?;
    }
    if let Some(changes) = site.changes {
        page("andringar.html", r.changelog_page(changes)?)?;
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
    crate::load::read_no_follow(&site.content_dir.join(rel)).map_err(|e| {
        Diagnostic::error(
            crate::load::UNREADABLE,
            &crate::load::join(&site.config.content_dir.to_string_lossy(), rel),
            1,
            1,
            format!("cannot read attachment: {e}"),
        )
    })
}

/// Renders the pages of some documents only, and the area coverage page if
/// `areas`: what `serve` needs after a change to one document's body.
pub fn render_pages(
    site: &Site<'_>,
    docs: &[usize],
    areas: bool,
    sink: &dyn Sink,
) -> Result<(), Failure> {
    guard::on_render_threads(|| render_some(site, docs, areas, sink))
}

fn render_some(
    site: &Site<'_>,
    docs: &[usize],
    areas: bool,
    sink: &dyn Sink,
) -> Result<(), Failure> {
    let r = Renderer::new(site)?;
    let mut ctx = r.shared_context();
    for &i in docs {
        if r.visible.get(i).copied().unwrap_or(false) {
            for f in r.document_files(i, &mut ctx)? {
                sink.put(f)?;
            }
        }
    }
    if areas {
        sink.put(OutputFile {
            path: "omraden.html".into(),
            bytes: r.areas_page()?.into_bytes(),
        })?;
    }
    // The index holds every document's text: with its parts kept between
    // renders, only the changed documents are indexed again.
    if site.search_cache.is_some() {
        let (path, pieces) = r.search_index();
        sink.put_pieces(path.into(), pieces)?;
    }
    Ok(())
}

impl Renderer<'_> {
    /// A document's page, and its history page if the site is in git.
    /// `ctx` holds the shared part of the template context (see
    /// [`Renderer::shared_context`]); it is left as it was.
    fn document_files(
        &self,
        i: usize,
        ctx: &mut tera::Context,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let doc = &self.docs()[i];
        let mut files = vec![OutputFile {
            path: doc.url.clone(),
            bytes: self.document_page(i, ctx)?.into_bytes(),
        }];
        if let Some(page) = self.history_page(i, ctx)? {
            files.push(OutputFile {
                path: history_url(doc),
                bytes: page.into_bytes(),
            });
        }
        Ok(files)
    }
}

impl<'a> Renderer<'a> {
    fn new(site: &'a Site<'a>) -> Result<Self, Diagnostic> {
        let labels = serde_json::to_value(i18n::labels(site.config.language)).unwrap_or_default();
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
        Ok(Renderer {
            site,
            lang: site.config.language,
            labels,
            prepared,
        })
    }

    fn prepare(site: &Site<'_>) -> Result<Prepared, Diagnostic> {
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
                THEME_ERROR,
                &format!("themes/{}/templates", site.config.theme),
                1,
                1,
                format!("theme template error: {m}"),
            )
        })?;
        let visible: Vec<bool> = site
            .corpus
            .documents
            .iter()
            .map(|d| d.publishable(site.config.publish.max_klassning))
            .collect();
        let tree = hierarchy::tree(site.corpus, &visible);
        let mut order: Vec<usize> = (0..site.corpus.documents.len())
            .filter(|&i| visible[i])
            .collect();
        order.sort_by_cached_key(|&i| hierarchy::sort_key(&site.corpus.documents[i]));
        let nav = DocType::ALL
            .iter()
            .map(|t| {
                (
                    *t,
                    order
                        .iter()
                        .copied()
                        .filter(|&i| site.corpus.documents[i].doc_type() == *t)
                        .collect::<Vec<_>>(),
                )
            })
            .filter(|(_, m)| !m.is_empty())
            .collect();
        Ok(Prepared {
            tera,
            visible,
            tree,
            order,
            nav,
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
        THEME_ERROR,
        file,
        1,
        1,
        format!("theme template error: {msg}"),
    )
}

impl Renderer<'_> {
    fn docs(&self) -> &[std::sync::Arc<Document>] {
        &self.site.corpus.documents
    }

    /// A page's whole template context (see [`Renderer::shared_context`]
    /// and [`Renderer::page_keys`]).
    fn base_context(
        &self,
        url: &str,
        current: &str,
        page_title: &str,
        current_doc: Option<usize>,
    ) -> tera::Context {
        let mut ctx = self.shared_context();
        self.page_keys(&mut ctx, url, current, page_title, current_doc);
        ctx
    }

    /// The part of every page's context that is the same on all pages:
    /// made once per thread for the document pages, which then only set
    /// their own keys (the labels alone are over a hundred strings).
    fn shared_context(&self) -> tera::Context {
        let data = obj!({
            "lang": if self.lang == Language::En { "en" } else { "sv" },
            "site": obj!({ "title": self.site.config.title.as_str() }),
            "t": self.labels.clone(),
            "preview": self.site.preview,
            "version": self.site.edition.version.clone().unwrap_or_default(),
            "has_register": self.site.corpus.register.is_some(),
        });
        tera::Context::from_value(data).unwrap_or_default()
    }

    /// Sets the keys that differ from page to page.
    fn page_keys(
        &self,
        ctx: &mut tera::Context,
        url: &str,
        current: &str,
        page_title: &str,
        current_doc: Option<usize>,
    ) {
        let all_documents = i18n::label(self.lang, "all_documents");
        let mut groups: Vec<Value> = Vec::new();
        for (typ, members) in &self.nav {
            let item = |i: usize| {
                obj!({
                    "title": self.docs()[i].title(),
                    "href": href_path(&self.docs()[i].url),
                    "current": current_doc == Some(i),
                })
            };
            // A long group would make every page as long as the site: show
            // the current document and a link to the full list instead.
            let (items, more): (Vec<Value>, Option<Value>) = if members.len() > NAV_LIMIT {
                let current: Vec<Value> = current_doc
                    .filter(|&c| self.docs()[c].doc_type() == *typ)
                    .map(item)
                    .into_iter()
                    .collect();
                let more = obj!({
                    "label": format!("{all_documents} ({})", members.len()),
                    "href": format!("index.html#group-{}", hierarchy::order(*typ)),
                });
                (current, Some(more))
            } else {
                (members.iter().map(|&i| item(i)).collect(), None)
            };
            groups.push(obj!({ "label": i18n::doc_type_plural(*typ, self.lang), "items": items, "more": more }));
        }
        put(ctx, "root", root_prefix(url).into());
        put(ctx, "site_root", self.site.edition.site_root(url).into());
        put(ctx, "page_url", url.into());
        put(ctx, "current", current.into());
        put(ctx, "page_title", page_title.into());
        put(ctx, "nav", groups.into());
    }

    /// Visible documents in hierarchy order.
    fn ordered(&self) -> Vec<usize> {
        self.order.clone()
    }

    fn render(&self, template: &str, ctx: &tera::Context) -> Result<String, Diagnostic> {
        let file = format!("themes/{}/templates/{template}", self.site.config.theme);
        guard::render(&self.tera, template, ctx).map_err(|refused| match refused {
            guard::Refused::Tera(e) => theme_error(&file, &e),
            guard::Refused::TooLong => Diagnostic::error(
                THEME_ERROR,
                &file,
                1,
                1,
                format!(
                    "theme template error: {template} makes a page longer than {} MiB (a loop without end?)",
                    guard::MAX_PAGE_BYTES >> 20
                ),
            ),
        })
    }

    /// The hierarchy figure for a page; `captioned` adds styrdok's own caption
    /// (a document that places the figure writes its own).
    fn figure(&self, from_url: &str, captioned: bool) -> String {
        let docs = self.docs();
        let lang = self.lang;
        let label = i18n::labels(lang)
            .get("figure_caption")
            .copied()
            .unwrap_or("");
        hierarchy::svg(
            self.site.corpus,
            &self.tree,
            &|i| relative_url(from_url, &docs[i].url),
            captioned.then_some(label),
            label,
            &|t| i18n::doc_type(t, lang),
        )
    }

    fn link_action(&self, i: usize, dest: &str) -> LinkAction {
        let doc = &self.docs()[i];
        match self.site.graph.targets[i].get(dest) {
            Some(Target::Document(t, anchor)) => {
                if !self.visible[*t] {
                    return LinkAction::Restricted(
                        i18n::labels(self.lang)["restricted"].to_string(),
                    );
                }
                let mut url = if *t == i && anchor.is_some() {
                    String::new()
                } else {
                    relative_url(&doc.url, &self.docs()[*t].url)
                };
                if let Some(a) = anchor {
                    url.push('#');
                    url.push_str(&encode(a));
                }
                LinkAction::Rewrite(url)
            }
            Some(Target::Attachment(path, frag)) => {
                let mut url = relative_url(&doc.url, path);
                if let Some(f) = frag {
                    url.push('#');
                    url.push_str(&encode(f));
                }
                LinkAction::Rewrite(url)
            }
            Some(Target::Unsafe) => LinkAction::Plain,
            _ => LinkAction::Keep,
        }
    }

    fn doc_ref(&self, from_url: &str, i: usize) -> Value {
        let d = &self.docs()[i];
        json!({
            "title": d.title(),
            "href": relative_url(from_url, &d.url),
            "type_label": i18n::doc_type(d.doc_type(), self.lang),
        })
    }

    fn document_page(&self, i: usize, ctx: &mut tera::Context) -> Result<String, Diagnostic> {
        let doc = &self.docs()[i];
        let m = &doc.meta;
        let lang = self.lang;
        let body = self.site.graph.body_html(
            i,
            doc.body(),
            i18n::labels(lang)["table_region"],
            &|dest| self.link_action(i, dest),
            &|| self.figure(&doc.url, false),
        );
        let status = doc.status();
        let parent = m.overordnad.as_ref().map(|o| match self.site.corpus.by_id.get(&o.value) {
            Some(&p) if self.visible[p] => json!({ "title": self.docs()[p].title(), "href": relative_url(&doc.url, &self.docs()[p].url) }),
            Some(_) => json!({ "title": i18n::labels(lang)["restricted"], "href": "" }),
            None => json!({ "title": o.value, "href": "" }),
        });
        let system = m.system.as_ref().and_then(|s| self.site.corpus.system(&s.value)).map(|s| {
            json!({ "name": s.name(), "href": format!("{}systemregister.html#system-{}", root_prefix(&doc.url), encode(&s.id.value)) })
        });
        let toc: Vec<Value> = self.site.graph.outlines[i]
            .headings
            .iter()
            .filter(|h| h.level == 2 || h.level == 3)
            .map(|h| json!({ "level": h.level, "text": h.text, "href": encode(&h.id) }))
            .collect();
        let goals: Vec<Value> = m
            .mal
            .as_ref()
            .map(|g| {
                g.value
                    .iter()
                    .map(|g| {
                        let st = g.status.as_ref().map(|s| s.value);
                        json!({
                            "vad": g.vad.as_ref().map(|v| v.value.as_str()).unwrap_or(""),
                            "sluttid": g.sluttid.as_ref().map(|v| v.value.to_string()).unwrap_or_default(),
                            "resurser": g.resurser.as_ref().map(|v| v.value.as_str()).unwrap_or(""),
                            "uppfoljning": g.uppfoljning.as_ref().map(|v| v.value.as_str()).unwrap_or(""),
                            "information": g.information.as_ref().map(|v| v.value.as_str()).unwrap_or(""),
                            "status": st.map_or("–", |s| i18n::goal_status(s, lang)),
                            "status_key": st.map_or("", |s| s.as_str()),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        let children: Vec<Value> = self.tree.children[i]
            .iter()
            .map(|&c| self.doc_ref(&doc.url, c))
            .collect();
        let mut groups: Vec<Value> = Vec::new();
        for typ in DocType::ALL {
            let mut items: Vec<usize> = self.site.graph.backlinks[i]
                .iter()
                .copied()
                .filter(|&b| self.visible[b] && self.docs()[b].doc_type() == *typ)
                .collect();
            items.sort_by_cached_key(|&b| hierarchy::sort_key(&self.docs()[b]));
            if !items.is_empty() {
                let refs: Vec<Value> = items.iter().map(|&b| self.doc_ref(&doc.url, b)).collect();
                groups.push(json!({ "label": i18n::doc_type_plural(*typ, lang), "items": refs }));
            }
        }
        let history = self.site.history.map(|h| {
            let dh = h.docs.get(&doc.content_path);
            let since = dh.and_then(|d| d.since_adopted.as_ref());
            json!({
                "href": relative_url(&doc.url, &history_url(doc)),
                "since_adopted": since.map(|s| s.1.as_str()),
                "adopted_version": since.map(|s| s.0.as_str()),
                "unchanged": since.is_some_and(|s| s.2),
            })
        });
        let page = obj!({
            "title": doc.title(),
            "history": history,
            "id": doc.id.as_str(),
            "type_key": doc.doc_type().as_str(),
            "type_label": i18n::doc_type(doc.doc_type(), lang),
            "version": m.version.as_ref().map(|v| v.value.as_str()).unwrap_or("–"),
            "status_key": status.map_or("", |s| s.as_str()),
            "status_label": status.map_or("–", |s| i18n::status(s, lang)),
            "banner": status.is_some_and(|s| s != Status::Faststalld),
            "is_draft": matches!(status, Some(Status::Utkast | Status::Remiss)),
            "owner": m.dokumentagare.as_ref().map(|v| v.value.as_str()).unwrap_or("–"),
            "adopted": m.faststalld.as_ref().map(|v| v.value.to_string()),
            "adopted_by": m.faststalld_av.as_ref().map(|v| v.value.as_str()),
            "next_revision": m.nasta_revision.as_ref().map_or("–".to_string(), |v| v.value.to_string()),
            "klassning": i18n::klassning(doc.klassning(), lang),
            "parent": parent,
            "system": system,
            "is_plan": doc.doc_type() == DocType::Plan,
            "approval": m.driftgodkannande.as_ref().map(|a| obj!({
                "date": a.value.datum.as_ref().map(|d| d.value.to_string()).unwrap_or_default(),
                "by": a.value.beslutat_av.as_ref().map(|d| d.value.as_str()).unwrap_or(""),
            })),
            "threat_analysis": m.hotbild_analyserad.as_ref().map(|v| v.value.to_string()),
            "toc": toc,
            "goals": goals,
            "body": body,
            "children": children,
            "backlinks": groups,
        });
        self.page_keys(ctx, &doc.url, "document", doc.title(), Some(i));
        put(ctx, "page", page);
        let html = self.render("document.html", ctx);
        ctx.remove("page");
        html
    }
}
