//! What `check`, `build` and `serve` do, top to bottom. A [`Project`] is
//! opened once (configuration, theme, git repository); the stages are plain
//! functions over values:
//!
//! ```text
//! load -> check (resolve, validate) -> history -> render -> versions -> write
//! ```
//!
//! [`build`] is that sequence; `check` stops after [`check`], and the
//! preview (`serve`) runs the same functions with what it may reuse
//! (`serve::incremental` decides that).

mod project;
pub mod record;
mod review;

pub use project::{Options, Project, RunError};
pub use review::{review, Change};

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::adoption::{self, Adoptions};
use crate::codes::Code;
use crate::diagnostic::{self, Diagnostic};
use crate::history::{self, History};
use crate::load::{LoadCache, Loaded};
use crate::model::Corpus;
use crate::output::{Failure, OutputFile, Sink};
use crate::render::{self, PreparedCache, SearchCache};
use crate::resolve::{self, LinkGraph, Reuse};
use crate::source::SourceFile;
use crate::validate;
use crate::versions::{self, Versions};
use crate::write::Staging;

/// A site that has been loaded, resolved and validated.
pub struct Checked {
    /// The configuration (defaults where the file had errors).
    pub config: crate::config::Config,
    /// The documents.
    pub corpus: Corpus,
    /// The links, and each body's outline (and HTML, for a build).
    pub graph: LinkGraph,
    /// Every problem, sorted.
    pub diags: Vec<Diagnostic>,
    /// What the rules found, by what they read (among `diags`).
    pub findings: validate::Findings,
    /// The configuration file's text.
    pub config_source: Arc<SourceFile>,
    /// What git says of each document's adoption, once
    /// [`check_adoption`] has read it (`None` outside git).
    pub adoption: Option<Adoptions>,
}

impl Checked {
    /// The source text of the files these diagnostics point into, for
    /// printing them with their lines.
    pub fn sources_for(&self, diags: &[Diagnostic]) -> BTreeMap<String, Arc<SourceFile>> {
        let wanted: std::collections::BTreeSet<&str> =
            diags.iter().map(|d| d.file.as_str()).collect();
        let docs = self.corpus.documents.iter().map(|d| &d.source);
        let pages = self.corpus.pages.list.iter().map(|p| &p.source);
        let register = self.corpus.register.iter().map(|r| &r.source);
        std::iter::once(&self.config_source)
            .chain(docs)
            .chain(pages)
            .chain(register)
            .filter(|s| wanted.contains(s.rel.as_str()))
            .map(|s| (s.rel.clone(), Arc::clone(s)))
            .collect()
    }

    /// How many files were checked: the configuration, the documents, the
    /// start and folder pages and the register.
    pub fn file_count(&self) -> usize {
        1 + self.corpus.documents.len()
            + self.corpus.pages.list.len()
            + usize::from(self.corpus.register.is_some())
    }

    /// Whether any problem stops a build.
    pub fn fails(&self, strict: bool) -> bool {
        self.diags.iter().any(|d| d.is_failure(strict))
    }
}

/// What a check is for: a build takes each body's HTML from the same parse
/// as its outline; a check alone needs only the outlines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Validate only.
    Check,
    /// Validate, then render.
    Build,
}

/// Stage 1: reads the documents and the register. `cache` and `changed`
/// let a rebuild skip what did not change (see [`crate::load::load_cached`]).
pub fn load(
    project: &Project,
    cache: &mut LoadCache,
    changed: Option<&[String]>,
) -> Result<Loaded, RunError> {
    if project.config_error.is_some() {
        return Ok(Loaded {
            corpus: Corpus::default(),
            diags: Vec::new(),
        });
    }
    let mut loaded = crate::load::load_cached(
        &project.content_dir,
        (&project.content_rel, project.config.schema()),
        cache,
        changed,
    )
    .map_err(|e| {
        RunError(crate::tr!(
            "{} kan inte läsas: {e}",
            "cannot read {}: {e}",
            project.content_dir.display()
        ))
    })?;
    if !project.content_dir.is_dir() {
        loaded.diags.push(
            Diagnostic::error_in(
                Code::Unreadable,
                crate::config::FILE_NAME,
                crate::tr!(
                    "innehållsmappen `{}` finns inte",
                    "content directory `{}` does not exist",
                    project.content_rel
                ),
            )
            .with_hint(crate::tr!(
                "skapa mappen, eller ange `content_dir` i styrdok.toml",
                "create it, or set `content_dir` in styrdok.toml"
            )),
        );
    }
    Ok(loaded)
}

/// Stage 2: resolves the links of what was loaded (parsing each body once)
/// and validates the rules. `reuse` is what a rebuild keeps.
pub fn check(
    project: &Project,
    loaded: Loaded,
    purpose: Purpose,
    reuse: Option<&Reuse<'_>>,
) -> Checked {
    let config = project.config.clone();
    let config_source = Arc::clone(&project.config_source);
    if let Some(d) = &project.config_error {
        // Without a valid configuration the rules cannot be trusted:
        // report the configuration alone.
        return Checked {
            config,
            corpus: Corpus::default(),
            graph: LinkGraph::default(),
            diags: vec![d.clone()],
            findings: validate::Findings::default(),
            config_source,
            adoption: None,
        };
    }
    check_as(project, config, loaded, purpose, reuse)
}

/// Stage 2 of what was loaded with `config`: the work tree's (from
/// [`check`]), or a revision's read from git (`review`'s base).
pub fn check_as(
    project: &Project,
    config: crate::config::Config,
    loaded: Loaded,
    purpose: Purpose,
    reuse: Option<&Reuse<'_>>,
) -> Checked {
    let config_source = Arc::clone(&project.config_source);
    let Loaded { corpus, mut diags } = loaded;
    let label = (purpose == Purpose::Build).then(|| project.table_label());
    let (graph, link_diags) = resolve::resolve(&corpus, &project.content_rel, label, reuse);
    diags.extend(link_diags);
    // After an edit of bodies alone, the other documents' rules found what
    // they found before.
    let earlier = reuse
        .and_then(|r| r.findings)
        .zip(graph.relinked.as_deref())
        .map(|(findings, changed)| validate::Earlier { findings, changed });
    let findings = validate::validate(&corpus, &graph, &config, project.opts.today, earlier);
    diags.extend(findings.iter().cloned());
    diags.extend(crate::attachments::check(
        &corpus,
        &graph,
        &config,
        &project.content_rel,
    ));
    diagnostic::sort(&mut diags);
    diags.dedup();
    Checked {
        config,
        corpus,
        graph,
        diags,
        findings,
        config_source,
        adoption: None,
    }
}

/// Stages 1 and 2 from nothing: what `check` prints and `build` starts from.
pub fn load_and_check(project: &Project, purpose: Purpose) -> Result<Checked, RunError> {
    let loaded = load(project, &mut LoadCache::default(), None)?;
    Ok(check(project, loaded, purpose, None))
}

/// Stage 2, continued: whether the text of every adopted document is the
/// text that adopted its version (SD606, SD607), from git. Adds its
/// diagnostics to `checked` and keeps what it read for the pages. Returns
/// a note, once for the whole site, when adoption cannot be verified (the
/// site is not in git, or history is off); with `[publish]
/// require_adopted = true` that is an error instead.
pub fn check_adoption(project: &Project, checked: &mut Checked) -> Option<String> {
    let config = &checked.config;
    if project.config_error.is_some() {
        return None;
    }
    let adopted = checked
        .corpus
        .documents
        .iter()
        .any(|d| d.status() == Some(crate::model::Status::Faststalld));
    let repo = match (config.history.enabled, project.repo()) {
        (true, Ok(Some(repo))) => Ok(repo),
        (false, _) => Err("`[history] enabled = false`".to_string()),
        (true, Ok(None)) => Err(crate::tr!(
            "webbplatsen ligger inte i git",
            "the site is not in git"
        )),
        (true, Err(e)) => Err(crate::tr!(
            "git kan inte läsas ({e})",
            "git cannot be read ({e})"
        )),
    };
    let read = repo.and_then(|repo| {
        adoption::read(repo, &checked.corpus, config.publish.max_klassning).map_err(|e| {
            crate::tr!(
                "historiken i git kan inte läsas ({e})",
                "git history cannot be read ({e})"
            )
        })
    });
    match read {
        Ok(a) => {
            let diags = adoption::diagnostics(&checked.corpus, &a, config);
            checked.diags.extend(diags);
            diagnostic::sort(&mut checked.diags);
            checked.adoption = Some(a);
            None
        }
        Err(_) if !adopted => None,
        Err(why) if config.publish.require_adopted => {
            checked
                .diags
                .push(adoption::unverifiable(&checked.config_source, &why));
            diagnostic::sort(&mut checked.diags);
            None
        }
        Err(why) => Some(crate::tr!(
            "{why}: det går inte att kontrollera att fastställda dokument fortfarande har sin fastställda text",
            "{why}: whether adopted documents still have their adopted text cannot be verified"
        )),
    }
}

/// Stage 3: the revision history from git. `None` when the site is not in
/// git or history is turned off; warnings for what could not be read.
pub fn history(project: &Project, checked: &Checked) -> (Option<History>, Vec<Diagnostic>) {
    let config = &checked.config;
    if !config.history.enabled {
        return (None, Vec::new());
    }
    let repo = match project.repo() {
        Ok(Some(r)) => r,
        Ok(None) => return (None, Vec::new()),
        Err(e) => return (None, vec![git_problem(history_unreadable(&e))]),
    };
    let policy = config.publish.policy();
    match history::read(repo, &checked.corpus, config.history.max_revisions, policy) {
        Ok(h) => {
            let notes = history_notes(project, &h);
            (Some(h), notes)
        }
        Err(e) => (None, vec![git_problem(history_unreadable(&e))]),
    }
}

/// Warnings about a history that was read: documents in submodules, a
/// shallow clone.
fn history_notes(project: &Project, h: &History) -> Vec<Diagnostic> {
    let mut diags: Vec<Diagnostic> = h
        .in_submodules
        .iter()
        .map(|p| {
            Diagnostic::warning_in(
                Code::GitProblem,
                &crate::load::join(&project.content_rel, p),
                crate::tr!(
                    "dokumentet ligger i en git-undermodul: dess versionshistorik läses inte",
                    "this document is in a git submodule: its revision history is not read"
                ),
            )
            .with_hint(crate::tr!(
                "lägg styrande dokument i webbplatsens eget arkiv för att publicera deras historik",
                "keep governing documents in the site's own repository to publish their history"
            ))
        })
        .collect();
    if h.shallow {
        diags.push(
            git_problem(crate::tr!(
                "arkivet är en grund kloning (shallow clone): versionshistoriken är ofullständig",
                "the repository is a shallow clone: revision history is incomplete"
            ))
            .with_hint(crate::tr!(
                "hämta hela historiken (git fetch --unshallow) innan du publicerar",
                "fetch the full history (git fetch --unshallow) before publishing"
            )),
        );
    }
    diags
}

/// The message for a history git could not give.
fn history_unreadable(e: &dyn std::fmt::Display) -> String {
    crate::tr!(
        "historiken i git kan inte läsas: {e}",
        "cannot read git history: {e}"
    )
}

fn git_problem(message: String) -> Diagnostic {
    crate::git::problem(message)
}

/// How the preview renders: marked as a preview (drafts carry a banner),
/// with caches kept from one render to the next, and perhaps only the
/// pages an edit touched.
pub struct Preview<'a> {
    /// The search index's parts.
    pub search: &'a SearchCache,
    /// Templates and document order.
    pub prepared: &'a PreparedCache,
    /// Only these pages; `None` renders every page.
    pub pages: Option<&'a render::Partial>,
}

impl<'a> Preview<'a> {
    /// Makes `site` the preview's, with its caches; `prepared` says whether
    /// the last render's templates and document order still hold.
    fn onto(&self, site: &mut render::Site<'a>, prepared: bool) {
        site.preview = true;
        site.search_cache = Some(self.search);
        site.prepared = Some((self.prepared, prepared));
    }
}

/// Stage 4: renders the current site into `sink`, each file as soon as it
/// is done (a build streams its pages into the staging directory).
pub fn render(
    project: &Project,
    checked: &Checked,
    history: Option<&History>,
    preview: Option<&Preview<'_>>,
    sink: &dyn Sink,
) -> Result<(), Failure> {
    render_with(project, checked, history, preview, None, sink)
}

/// Stage 4 of a review site: the current site with `review`'s pages and
/// banners.
pub fn render_with(
    project: &Project,
    checked: &Checked,
    history: Option<&History>,
    preview: Option<&Preview<'_>>,
    review: Option<&crate::review::Review>,
    sink: &dyn Sink,
) -> Result<(), Failure> {
    let theme = project.theme()?;
    let mut site = project.site(checked, theme, history);
    site.review = review;
    if let Some(p) = preview {
        // Only bodies changed since the last render when only some pages
        // are rendered: its templates and document order still hold.
        p.onto(&mut site, p.pages.is_some());
    }
    match preview.and_then(|p| p.pages) {
        Some(partial) => render::render_pages(&site, partial, sink),
        None => render::render_to(&site, sink),
    }
}

/// The search index of the preview's site alone (see
/// [`render::search_index_to`]), with its caches.
pub fn search_index(
    project: &Project,
    checked: &Checked,
    preview: &Preview<'_>,
    sink: &dyn Sink,
) -> Result<(), Failure> {
    let theme = project.theme()?;
    let mut site = project.site(checked, theme, None);
    preview.onto(&mut site, true);
    render::search_index_to(&site, sink)
}

/// Stage 5: every git tag matching the pattern as a complete site under
/// `versioner/` (none for a preview), the version switcher's data and the
/// versions page. Returns the warnings about versions (refs that cannot be
/// read, tags that are skipped, problems in a tag's documents).
pub fn versions(
    project: &Project,
    checked: &Checked,
    history: Option<&History>,
    preview: bool,
    progress: &mut dyn FnMut(String),
    sink: &dyn Sink,
) -> Result<Vec<Diagnostic>, Failure> {
    let (notes, entries) = version_sites(project, checked, history, preview, progress, sink)?;
    versions_page(
        project,
        checked,
        &entries,
        &crate::pdf::Made::default(),
        sink,
    )?;
    Ok(notes)
}

/// The version sites and the switcher's data, without the versions page:
/// its warnings and the versions built.
fn version_sites(
    project: &Project,
    checked: &Checked,
    history: Option<&History>,
    preview: bool,
    progress: &mut dyn FnMut(String),
    sink: &dyn Sink,
) -> Result<(Vec<Diagnostic>, Vec<crate::render::VersionEntry>), Failure> {
    let theme = project.theme()?;
    let mut built = Versions::none();
    let policy = checked.config.publish.policy();
    if checked.config.versions.enabled && !preview {
        if let Ok(Some(repo)) = project.repo() {
            let old_output = project.output_dir();
            let history_pages = versions::HistoryPages::new(&checked.corpus, history, policy);
            let at = versions::Source {
                repo,
                content_rel: &project.content_rel,
                theme,
                old_output: &old_output,
                history_pages: &history_pages,
            };
            built = versions::build(&at, &checked.config, progress, sink)?;
        }
    }
    let current_docs = versions::published_urls(&checked.corpus, policy);
    for f in versions::switcher_data(current_docs, &built.docs) {
        sink.put(f)?;
    }
    Ok((built.notes, built.entries))
}

/// `versioner/index.html`: the versions, and the redline PDFs `made`.
fn versions_page(
    project: &Project,
    checked: &Checked,
    entries: &[crate::render::VersionEntry],
    made: &crate::pdf::Made,
    sink: &dyn Sink,
) -> Result<(), Failure> {
    let site = project.site(checked, project.theme()?, None);
    sink.put(OutputFile {
        path: "versioner/index.html".into(),
        bytes: render::versions_page(&site, entries, &made.redlines)?.into_bytes(),
    })?;
    Ok(())
}

/// Stage 5b, with `--pdf`: each published document as a PDF, and the
/// redlines since the newest tag (see [`crate::pdf`]).
pub fn pdfs(
    project: &Project,
    checked: &Checked,
    sink: &dyn Sink,
) -> Result<crate::pdf::Made, Failure> {
    let input = crate::pdf::Input {
        corpus: &checked.corpus,
        graph: &checked.graph,
        config: &checked.config,
        content_dir: &project.content_dir,
        content_rel: &project.content_rel,
        prefix: "",
    };
    crate::pdf::build(&input, project.repo().ok().flatten(), sink)
}

/// Stage 6, begun: checks the output directory and prepares the staging
/// directory a build renders into; [`Staging::commit`] swaps it in.
pub fn begin_write(project: &Project) -> Result<Staging, RunError> {
    Staging::begin(
        &project.opts.root,
        &project.content_dir,
        &project.output_dir(),
        project.config.publish.policy(),
    )
    .map_err(|e| RunError(e.to_string()))
}

/// A build's staging directory takes rendered files as they are made.
impl Sink for Staging {
    fn put(&self, file: OutputFile) -> Result<(), crate::output::WriteError> {
        Staging::put(self, &file.path, &file.bytes)
    }

    fn put_pieces(
        &self,
        path: String,
        pieces: Vec<Arc<str>>,
    ) -> Result<(), crate::output::WriteError> {
        let slices: Vec<&[u8]> = pieces.iter().map(|p| p.as_bytes()).collect();
        Staging::put_pieces(self, &path, &slices)
    }
}

/// Who hears how a build goes: `main` prints it.
pub trait Observer {
    /// The site was checked: its problems, to print (before anything else).
    fn checked(&mut self, checked: &Checked) -> Result<(), RunError>;
    /// Further problems: from git (`with_sources`), or from a tag, whose
    /// lines are not the work tree's.
    fn notes(
        &mut self,
        checked: &Checked,
        diags: &[Diagnostic],
        with_sources: bool,
    ) -> Result<(), RunError>;
    /// A line about progress (one per version).
    fn progress(&mut self, line: String);
    /// A note about the whole build, not a problem in a file.
    fn note(&mut self, line: &str) {
        self.progress(format!("note: {line}"));
    }
    /// A stage is done (for `--timings`).
    fn lap(&mut self, stage: &str);
}

/// How a build ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Built {
    /// The site has problems (or the theme does): `output/` was not touched.
    Stopped,
    /// This many files were swapped into the output directory.
    Written(usize),
}

/// What a stage of the build came to: its result, or `None` when the site
/// cannot be built (the problem reported), or the error writing it.
fn settle<T>(
    result: Result<T, Failure>,
    checked: &Checked,
    observer: &mut dyn Observer,
) -> Result<Option<T>, RunError> {
    match result {
        Ok(t) => Ok(Some(t)),
        Err(Failure::Site(d)) => {
            observer.notes(checked, &[d], true)?;
            Ok(None)
        }
        Err(Failure::Write(e)) => Err(RunError(e.to_string())),
    }
}

/// Says how many documents that are not adopted a build leaves out.
fn report_drafts(checked: &Checked, observer: &mut dyn Observer) {
    let policy = checked.config.publish.policy();
    let drafts = checked
        .corpus
        .documents
        .iter()
        .filter(|d| policy.withholds(&d.meta) == Some(crate::model::Withheld::NotAdopted))
        .count();
    if drafts == 0 {
        return;
    }
    observer.progress(if drafts == 1 {
        crate::tr!(
            "1 dokument som inte är fastställt (utkast, remiss) har utelämnats: `build --drafts` eller [publish] drafts = true publicerar det, `serve` visar det",
            "1 draft (utkast, remiss) left out: `build --drafts` or [publish] drafts = true publishes them, `serve` shows them"
        )
    } else {
        crate::tr!(
            "{drafts} dokument som inte är fastställda (utkast, remiss) har utelämnats: `build --drafts` eller [publish] drafts = true publicerar dem, `serve` visar dem",
            "{drafts} drafts (utkast, remiss) left out: `build --drafts` or [publish] drafts = true publishes them, `serve` shows them"
        )
    });
}

/// `styrdok build`: check, and unless that fails (warnings too with
/// `strict`), history, render, versions and write, in that order.
pub fn build(
    project: &Project,
    strict: bool,
    observer: &mut dyn Observer,
) -> Result<Built, RunError> {
    // Before anything else: a build killed in the middle of a swap may
    // have left the previous site aside.
    crate::write::restore_previous(&project.output_dir());
    let mut checked = load_and_check(project, Purpose::Build)?;
    let note = check_adoption(project, &mut checked);
    observer.lap("load, resolve, validate, adoption");
    observer.checked(&checked)?;
    if let Some(n) = note {
        observer.note(&n);
    }
    if checked.fails(strict) {
        return Ok(Built::Stopped);
    }
    report_drafts(&checked, observer);
    let (history, notes) = history(project, &checked);
    observer.lap("history");
    if !notes.is_empty() {
        observer.notes(&checked, &notes, true)?;
    }
    // Pages are written into a staging directory as they are rendered;
    // `output/` changes only when all of them are done.
    let staging = begin_write(project)?;
    let rendered = render(project, &checked, history.as_ref(), None, &staging).and_then(|()| {
        version_sites(
            project,
            &checked,
            history.as_ref(),
            false,
            &mut |l| observer.progress(l),
            &staging,
        )
    });
    let Some((notes, entries)) = settle(rendered, &checked, observer)? else {
        return Ok(Built::Stopped);
    };
    if !notes.is_empty() {
        observer.notes(&checked, &notes, false)?;
    }
    observer.lap("render and write pages");
    let mut made = crate::pdf::Made::default();
    if checked.config.publish.pdf {
        let Some(m) = settle(pdfs(project, &checked, &staging), &checked, observer)? else {
            return Ok(Built::Stopped);
        };
        if !m.notes.is_empty() {
            observer.notes(&checked, &m.notes, true)?;
        }
        made = m;
        observer.lap("pdf");
    }
    // Last: it links the redline PDFs just made.
    let page = versions_page(project, &checked, &entries, &made, &staging);
    if settle(page, &checked, observer)?.is_none() {
        return Ok(Built::Stopped);
    }
    let count = staging.count();
    staging.commit().map_err(|e| RunError(e.to_string()))?;
    observer.lap("swap in output");
    // The process ends soon after: freeing every document, outline and
    // revision one by one would only delay the exit.
    std::mem::forget(history);
    std::mem::forget(checked);
    Ok(Built::Written(count))
}
