//! Incremental rebuilds for the preview, decided in one place. From the
//! previous build and what the watcher reported, a [`Delta`] says what must
//! be read again, parsed and resolved again, and rendered again; the
//! [`Builder`] holds the caches and runs the pipeline's own stages with it.
//! After an edit of documents' bodies alone, the load puts the corpus
//! together from the last one, and the rules run again only over the
//! edited documents (`validate::Earlier`): the rules over the corpus as a
//! whole read front matter alone, and each document's own rules read its
//! body and others' front matter.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::watch::Change;
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::load::LoadCache;
use crate::markdown::Outline;
use crate::model::{Corpus, DocType};
use crate::pipeline::{self, Checked, Options, Preview, Project, Purpose};
use crate::render::{Memory, Partial, PreparedCache, SearchCache};
use crate::resolve::{LinkGraph, Relink, Reuse};
use crate::review::{self, Review};

/// The site as served: path to contents.
pub type Files = HashMap<String, Body>;

/// A file as served.
#[derive(Debug, Clone)]
pub enum Body {
    /// The bytes.
    Bytes(Arc<Vec<u8>>),
    /// Consecutive pieces, joined only when the file is asked for: the
    /// search index holds every document's text, and joining it anew after
    /// each edit would cost more than the rest of the rebuild.
    Pieces(Arc<Vec<Arc<str>>>),
}

impl Body {
    /// The whole contents.
    pub fn to_vec(&self) -> Vec<u8> {
        match self {
            Body::Bytes(b) => b.to_vec(),
            Body::Pieces(p) => crate::output::join(p),
        }
    }
}

/// Files rendered into memory, as served.
fn served(memory: Memory) -> impl Iterator<Item = (String, Body)> {
    let (files, pieces) = memory.into_parts();
    files
        .into_iter()
        .map(|f| (f.path, Body::Bytes(Arc::new(f.bytes))))
        .chain(
            pieces
                .into_iter()
                .map(|(path, p)| (path, Body::Pieces(Arc::new(p)))),
        )
}

/// What one rebuild redoes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delta {
    /// Content-relative paths to read again, when the watcher named every
    /// change; `None`: walk the content directory (the load cache's
    /// fingerprints find what changed).
    pub reread: Option<Vec<String>>,
    /// Parses and links of unchanged documents come from the previous build.
    pub reuse: bool,
    /// Only Markdown files changed: perhaps only some pages need rendering
    /// (see [`Delta::pages`]).
    pub selective: bool,
}

impl Delta {
    /// Whether the project must be opened again before a rebuild after
    /// `change`: styrdok.toml changed, or the change is unknown (as after
    /// a failed build, which a fixed configuration may end).
    pub fn reopens(change: Option<(Change, &[PathBuf])>) -> bool {
        matches!(change, None | Some((Change::Config, _)))
    }

    /// Plans the rebuild after `change` (`None`: everything, as after a
    /// failed build) for a site whose content directory is `content_dir`;
    /// `built` says whether a previous build can be reused.
    pub fn plan(change: Option<(Change, &[PathBuf])>, built: bool, content_dir: &Path) -> Delta {
        let reread = match change {
            Some((Change::Content, paths)) if built => content_rels(content_dir, paths),
            // A theme is not content: every file is as it was.
            Some((Change::Theme, _)) if built => Some(Vec::new()),
            _ => None,
        };
        let selective = match change {
            Some((Change::Content, paths)) => built && paths.iter().all(|p| is_markdown(p)),
            _ => false,
        };
        Delta {
            reread,
            reuse: built,
            selective,
        }
    }

    /// What resolving `corpus` may take from the previous build.
    fn reuse<'a>(
        &self,
        previous: &'a Checked,
        corpus: &Corpus,
        relink: &'a Relink<'a>,
    ) -> Option<Reuse<'a>> {
        self.reuse.then(|| Reuse {
            graph: &previous.graph,
            unchanged: crate::resolve::unchanged(&previous.corpus, corpus),
            relink,
            // Documents alone changed (not the configuration, the register
            // or an attachment): the rules of the others stand.
            findings: self.selective.then_some(&previous.findings),
        })
    }

    /// The documents and start or folder pages whose pages the change
    /// affects, and whether the area coverage page is among them; `None`
    /// when more than that can have changed (a document or page added,
    /// removed or renamed, front matter, a page's title, the register, an
    /// attachment): render everything.
    pub fn pages(&self, prev: &Checked, new: &Checked) -> Option<Partial> {
        if !self.selective {
            return None;
        }
        let pages = changed_pages(prev, new)?;
        let (old_docs, new_docs) = (&prev.corpus.documents, &new.corpus.documents);
        if old_docs.len() != new_docs.len() || prev.corpus.attachments != new.corpus.attachments {
            return None;
        }
        let mut docs = BTreeSet::new();
        let mut areas = false;
        for (i, (old, doc)) in old_docs.iter().zip(new_docs).enumerate() {
            if old.content_path != doc.content_path {
                return None;
            }
            if Arc::ptr_eq(&old.source, &doc.source) || old.source.text == doc.source.text {
                continue;
            }
            // Titles, dates, status and the hierarchy show on other pages.
            if old.source.text.get(..old.body_offset) != doc.source.text.get(..doc.body_offset) {
                return None;
            }
            // A link to an attachment added or removed publishes or withdraws it.
            let targets = (prev.graph.targets.get(i), new.graph.targets.get(i));
            if let (Some(old_t), Some(new_t)) = targets {
                if !crate::attachments::same_attachments(old_t, new_t) {
                    return None;
                }
            }
            docs.insert(i);
            // Pages it linked to and links to now list it among their backlinks.
            docs.extend(prev.graph.forward[i].iter().copied());
            docs.extend(new.graph.forward[i].iter().copied());
            areas |= doc.doc_type() == DocType::Instruktion;
        }
        Some(Partial {
            docs: docs.into_iter().collect(),
            areas,
            pages,
        })
    }
}

/// The start and folder pages whose text alone changed; `None` when a page
/// was added, removed or renamed, or its front matter, its title (which
/// other pages list) or the attachments it links to changed. A page's
/// text shows on its own page and in the search index only.
fn changed_pages(prev: &Checked, new: &Checked) -> Option<Vec<usize>> {
    let (old_pages, new_pages) = (&prev.corpus.pages.list, &new.corpus.pages.list);
    if old_pages.len() != new_pages.len() {
        return None;
    }
    let mut changed = Vec::new();
    for (p, (old, page)) in old_pages.iter().zip(new_pages).enumerate() {
        if old.content_path != page.content_path {
            return None;
        }
        if Arc::ptr_eq(&old.source, &page.source) || old.source.text == page.source.text {
            continue;
        }
        let front = |pg: &crate::model::Page| {
            let end = pg.source.text.len()
                - pg.source.text[pg.body_offset.min(pg.source.text.len())..].len();
            pg.source.text[..end].to_string()
        };
        if old.title() != page.title() || old.meta != page.meta || front(old) != front(page) {
            return None;
        }
        let targets = (prev.graph.pages.get(p), new.graph.pages.get(p));
        if let (Some(o), Some(n)) = targets {
            if !crate::attachments::same_attachments(&o.targets, &n.targets) {
                return None;
            }
        }
        changed.push(p);
    }
    Some(changed)
}

fn is_markdown(p: &Path) -> bool {
    p.extension().is_some_and(|e| e.eq_ignore_ascii_case("md"))
}

/// Content-relative, `/`-separated paths of `paths`, if all lie in the
/// content directory.
fn content_rels(content_dir: &Path, paths: &[PathBuf]) -> Option<Vec<String>> {
    let base = crate::platform::canonicalize(content_dir).ok()?;
    paths
        .iter()
        .map(|p| {
            let dir = crate::platform::canonicalize(p.parent()?).ok()?;
            let rel = dir.join(p.file_name()?);
            let rel = rel.strip_prefix(&base).ok()?;
            let parts: Option<Vec<&str>> =
                rel.components().map(|c| c.as_os_str().to_str()).collect();
            Some(parts?.join("/"))
        })
        .collect()
}

/// The documents whose body alone changed since the previous build, when
/// nothing else did: the same documents in the same order with the same
/// front matter, the same attachments, and the same heading ids in each
/// changed document. Then every other document's links resolve as before
/// (what a link depends on of its target is its path, id, classification
/// and headings). `None` otherwise.
fn relink(
    pc: &Corpus,
    pg: &LinkGraph,
    corpus: &Corpus,
    outlines: &[Arc<Outline>],
) -> Option<Vec<usize>> {
    let n = corpus.documents.len();
    if pc.documents.len() != n
        || pg.targets.len() != n
        || pg.diags.len() != n
        || pg.outlines.len() != n
        || pc.attachments != corpus.attachments
        || !same_pages(pc, corpus)
    {
        return None;
    }
    let mut changed = Vec::new();
    for (i, (old, new)) in pc.documents.iter().zip(&corpus.documents).enumerate() {
        if Arc::ptr_eq(&old.source, &new.source) {
            continue;
        }
        let same_front = old.content_path == new.content_path
            && old.id == new.id
            && old.source.text.get(..old.body_offset) == new.source.text.get(..new.body_offset);
        let ids = |o: &Outline| o.headings.iter().map(|h| h.id.clone()).collect::<Vec<_>>();
        if !same_front || ids(&pg.outlines[i]) != ids(&outlines[i]) {
            return None;
        }
        changed.push(i);
    }
    Some(changed)
}

/// Whether the start and folder pages are the same files with the same
/// text: documents' links to them (their folders, their headings, their
/// class) then resolve as before.
fn same_pages(previous: &Corpus, corpus: &Corpus) -> bool {
    let (a, b) = (&previous.pages.list, &corpus.pages.list);
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            x.content_path == y.content_path
                && (Arc::ptr_eq(&x.source, &y.source) || x.source.text == y.source.text)
        })
}

/// What the preview keeps from one build to the next.
#[derive(Default)]
struct Caches {
    load: LoadCache,
    search: SearchCache,
    prepared: PreparedCache,
}

/// Builds the site in memory, again and again, redoing only what a change
/// needs (see [`Delta`]).
#[derive(Default)]
pub struct Builder {
    project: Option<Project>,
    /// The project was just opened: the first build needs not open it again.
    fresh: bool,
    caches: Caches,
    previous: Option<(Checked, Arc<Files>)>,
    /// The last build rendered pages only: its search index is the one
    /// before, until [`Builder::refresh_search`].
    search_stale: bool,
    /// `serve --base REF`: the revision every build is reviewed against,
    /// and the review of the last build.
    review: Option<Reviewing>,
}

/// A preview of a review (`serve --base REF`).
struct Reviewing {
    /// The revision as given.
    spec: String,
    /// It, read and checked (again when the project is opened again).
    base: Option<review::Base>,
    /// The review of the last build.
    last: Option<Review>,
}

/// The folder of the search index's files (see `render::search_chunks`).
const SEARCH_INDEX: &str = "assets/search/";

/// What a rebuild did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rendered {
    /// Every page.
    All(usize),
    /// Only these pages.
    Pages(usize),
}

/// A failed build's problems (errors only).
fn failures(diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diags.into_iter().filter(|d| d.is_failure(false)).collect()
}

impl Builder {
    /// A builder for a project already opened.
    pub fn new(project: Project) -> Builder {
        Builder {
            project: Some(project),
            fresh: true,
            ..Builder::default()
        }
    }

    /// A builder that reviews every build against `base` (read again as
    /// `base.name` when the project is opened again).
    pub fn reviewing(project: Project, base: review::Base) -> Builder {
        Builder {
            review: Some(Reviewing {
                spec: base.name.clone(),
                base: Some(base),
                last: None,
            }),
            ..Builder::new(project)
        }
    }

    /// The review of `checked` against the base (read when first needed).
    fn review_of(&mut self, checked: &Checked) -> Result<Option<Review>, Vec<Diagnostic>> {
        let (Some(r), Some(project)) = (self.review.as_mut(), self.project.as_ref()) else {
            return Ok(None);
        };
        if r.base.is_none() {
            let base =
                review::load_revision(project, Some(&r.spec)).map_err(|e| vec![run_error(e)])?;
            r.base = Some(base);
        }
        let policy = checked.config.publish.policy();
        Ok(r.base
            .as_ref()
            .map(|b| review::compare(b, checked, None, policy)))
    }

    /// Every problem the last successful build found, warnings included,
    /// sorted (empty before the first).
    pub fn problems(&self) -> &[Diagnostic] {
        self.previous.as_ref().map_or(&[], |(c, _)| &c.diags)
    }

    /// After a build that rendered pages only: the site with its search
    /// index brought up to date, which the pages' reload did not wait for.
    /// `None` when the index is current (or there is no site).
    pub fn refresh_search(&mut self) -> Option<Arc<Files>> {
        if !std::mem::take(&mut self.search_stale) {
            return None;
        }
        let project = self.project.as_ref()?;
        let (checked, files) = self.previous.as_ref()?;
        let memory = Memory::default();
        let preview = Preview {
            search: &self.caches.search,
            prepared: &self.caches.prepared,
            pages: None,
        };
        pipeline::search_index(project, checked, &preview, &memory).ok()?;
        // Its chunks are named by their content: the old ones go.
        let mut files = Files::clone(files);
        files.retain(|path, _| !path.starts_with(SEARCH_INDEX));
        files.extend(served(memory));
        let files = Arc::new(files);
        if let Some(previous) = self.previous.as_mut() {
            previous.1 = Arc::clone(&files);
        }
        Some(files)
    }

    /// Builds after a change of `kind` to `paths`; `None` builds everything.
    /// `Err` holds the diagnostics of a failed build.
    pub fn build(
        &mut self,
        opts: &Options,
        change: Option<(Change, &[PathBuf])>,
    ) -> Result<(Arc<Files>, Rendered), Vec<Diagnostic>> {
        self.open(opts, change)?;
        let Some(project) = self.project.as_ref() else {
            return Err(Vec::new());
        };
        let delta = Delta::plan(change, self.previous.is_some(), &project.content_dir);
        let previous = self.previous.as_ref().map(|(c, _)| c);
        let checked = check(project, &mut self.caches.load, previous, &delta)?;
        let review = self.review_of(&checked)?;
        let last = self.review.as_mut().and_then(|r| r.last.take());
        let Some(project) = self.project.as_ref() else {
            return Err(Vec::new());
        };
        let pages = match &self.previous {
            Some((prev, files)) => delta
                .pages(prev, &checked)
                .map(|p| (with_reviewed(p, review.as_ref(), last.as_ref()), files)),
            None => None,
        };
        let memory = Memory::default();
        let preview = Preview {
            search: &self.caches.search,
            prepared: &self.caches.prepared,
            pages: pages.as_ref().map(|(partial, _)| partial),
        };
        let rendered = pipeline::render_with(
            project,
            &checked,
            None,
            Some(&preview),
            review.as_ref(),
            &memory,
        );
        rendered.map_err(|f| vec![f.into_diagnostic()])?;
        let (files, rendered) = match pages {
            Some((_, old)) => {
                let (files, n) = over(old, memory, last.as_ref());
                // The index follows once the pages are served.
                self.search_stale = true;
                (files, Rendered::Pages(n))
            }
            None => {
                // A preview builds no versions, only their index and data.
                pipeline::versions(project, &checked, None, true, &mut |_| {}, &memory)
                    .map_err(|f| vec![f.into_diagnostic()])?;
                // A whole render writes the index with the pages.
                self.search_stale = false;
                let files: Files = served(memory).collect();
                let n = files.len();
                (files, Rendered::All(n))
            }
        };
        let files = Arc::new(files);
        if let Some(r) = self.review.as_mut() {
            r.last = review;
        }
        let old = self.previous.replace((checked, Arc::clone(&files)));
        // Freeing the previous build (every document's links and outline)
        // takes milliseconds the reload need not wait for.
        if let Some(old) = old {
            std::thread::spawn(move || drop(old));
        }
        Ok((files, rendered))
    }

    /// Opens the project again when [`Delta::reopens`] says so, or loads
    /// its theme again after a theme change. What was built before is kept
    /// only while the content directory and the language (which the
    /// parsed bodies carry) stay the same.
    fn open(
        &mut self,
        opts: &Options,
        change: Option<(Change, &[PathBuf])>,
    ) -> Result<(), Vec<Diagnostic>> {
        let fresh = std::mem::take(&mut self.fresh);
        match self.project.as_mut() {
            Some(p) if fresh || !Delta::reopens(change) => {
                if matches!(change, Some((Change::Theme, _))) {
                    p.reload_theme();
                }
                return Ok(());
            }
            _ => {}
        }
        let opened = Project::open(opts).map_err(|e| vec![run_error(e)])?;
        let same = self.project.as_ref().is_some_and(|old| {
            old.content_dir == opened.content_dir && old.config.language == opened.config.language
        });
        if !same {
            self.caches = Caches::default();
            self.previous = None;
        }
        // The configuration may have changed what the base is checked with.
        if let Some(r) = self.review.as_mut() {
            r.base = None;
        }
        self.project = Some(opened);
        Ok(())
    }
}

/// Loads and checks the site, from what the previous build left as far
/// as `delta` allows; `Err` holds the errors of a build that fails.
fn check(
    project: &Project,
    cache: &mut LoadCache,
    previous: Option<&Checked>,
    delta: &Delta,
) -> Result<Checked, Vec<Diagnostic>> {
    let loaded =
        pipeline::load(project, cache, delta.reread.as_deref()).map_err(|e| vec![run_error(e)])?;
    let relink =
        |c: &Corpus, o: &[Arc<Outline>]| previous.and_then(|p| relink(&p.corpus, &p.graph, c, o));
    let reuse = previous.and_then(|p| delta.reuse(p, &loaded.corpus, &relink));
    let mut checked = pipeline::check(project, loaded, Purpose::Build, reuse.as_ref());
    // A reviewer sees what is in force as readers will: an adopted text
    // edited without a new version carries its banner in the preview
    // too (the note for a site outside git is the build's to print).
    let _ = pipeline::check_adoption(project, &mut checked);
    if checked.fails(false) {
        return Err(failures(checked.diags));
    }
    Ok(checked)
}

/// The files of a partial render over the site served so far (`old`,
/// whose review was `last`), and how many pages it rendered.
fn over(old: &Files, memory: Memory, last: Option<&Review>) -> (Files, usize) {
    // One copy of the table (its values are shared): the server keeps
    // serving the old one until this is published.
    let mut files = Files::clone(old);
    // Marked pages of documents the change no longer touches.
    for c in last.iter().flat_map(|r| &r.docs) {
        files.remove(&c.marked_url());
    }
    // The search index is written whole when it is written, its chunks
    // named by their content: the old chunks go.
    let new: Vec<(String, Body)> = served(memory).collect();
    if new.iter().any(|(p, _)| p.starts_with(SEARCH_INDEX)) {
        files.retain(|path, _| !path.starts_with(SEARCH_INDEX));
    }
    let mut n = 0;
    for (path, body) in new {
        // Pages only: the index's files are not counted.
        n += usize::from(!path.starts_with(SEARCH_INDEX));
        files.insert(path, body);
    }
    (files, n)
}

/// The pages a partial render redoes, with those of every document the
/// change touches now or touched in the last build (their banners).
fn with_reviewed(mut partial: Partial, now: Option<&Review>, last: Option<&Review>) -> Partial {
    let touched = now.into_iter().chain(last).flat_map(|r| &r.docs);
    partial.docs.extend(touched.filter_map(|c| c.head));
    partial.docs.sort_unstable();
    partial.docs.dedup();
    partial
}

fn run_error(e: pipeline::RunError) -> Diagnostic {
    Diagnostic::error(Code::Unreadable, crate::config::FILE_NAME, 1, 1, e.0)
}

/// Builds the whole site in memory once; `Err` holds the diagnostics.
pub fn build(opts: &Options) -> Result<Files, Vec<Diagnostic>> {
    Builder::default()
        .build(opts, None)
        .map(|(f, _)| Arc::try_unwrap(f).unwrap_or_else(|f| Files::clone(&f)))
}
