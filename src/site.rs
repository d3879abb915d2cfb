//! `check` and `build` as compositions of the stages:
//! load -> resolve -> validate -> render -> write.

use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::config::{self, Config};
use crate::diagnostic::{self, Diagnostic};
use crate::git;
use crate::history::{self, History};
use crate::model::{Corpus, Klassning};
use crate::render::{self, Failure, OutputFile, Sink};
use crate::resolve::{self, LinkGraph};
use crate::source::SourceFile;
use crate::theme::Theme;
use crate::validate;
use crate::write::Staging;

/// What a run is asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// The site root (where styrdok.toml is).
    pub root: PathBuf,
    /// The date review rules use.
    pub today: NaiveDate,
    /// Overrides `[publish] max_klassning`.
    pub max_klassning: Option<Klassning>,
    /// Overrides `output_dir`.
    pub output_dir: Option<PathBuf>,
}

/// A site that has been loaded, resolved and validated.
pub struct Checked {
    /// The configuration (defaults where the file had errors).
    pub config: Config,
    /// The documents.
    pub corpus: Corpus,
    /// The links.
    pub graph: LinkGraph,
    /// Every problem, sorted.
    pub diags: Vec<Diagnostic>,
    /// The configuration file's text.
    pub config_source: std::sync::Arc<SourceFile>,
}

impl Checked {
    /// The source text of the files these diagnostics point into, for
    /// printing them with their lines.
    pub fn sources_for(
        &self,
        diags: &[Diagnostic],
    ) -> BTreeMap<String, std::sync::Arc<SourceFile>> {
        let wanted: std::collections::BTreeSet<&str> =
            diags.iter().map(|d| d.file.as_str()).collect();
        let docs = self.corpus.documents.iter().map(|d| &d.source);
        let register = self.corpus.register.iter().map(|r| &r.source);
        std::iter::once(&self.config_source)
            .chain(docs)
            .chain(register)
            .filter(|s| wanted.contains(s.rel.as_str()))
            .map(|s| (s.rel.clone(), std::sync::Arc::clone(s)))
            .collect()
    }

    /// How many files were checked: the configuration, the documents and
    /// the register.
    pub fn file_count(&self) -> usize {
        1 + self.corpus.documents.len() + usize::from(self.corpus.register.is_some())
    }
}

/// A failure that is not a diagnostic in the site: exit code 2.
#[derive(Debug)]
pub struct RunError(pub String);

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RunError {}

/// Loads, resolves and validates the site at `opts.root`.
pub fn check(opts: &Options) -> Result<Checked, RunError> {
    check_incremental(opts, &mut crate::load::LoadCache::default(), None, None)
}

/// Like [`check`], reusing what is unchanged since the previous check:
/// parsed files (by the cache), outlines and resolved links (from
/// `previous`). `changed`, when given, are the only files that changed
/// since (a watcher's report): then the content directory is not walked.
pub fn check_incremental(
    opts: &Options,
    cache: &mut crate::load::LoadCache,
    previous: Option<(&Corpus, &LinkGraph)>,
    changed: Option<&[PathBuf]>,
) -> Result<Checked, RunError> {
    let root = &opts.root;
    if !root.join(config::FILE_NAME).is_file() {
        return Err(RunError(format!(
            "no {} in {}: run styrdok in a site's root, pass --root DIR, or create a site with `styrdok init DIR`",
            config::FILE_NAME,
            root.display()
        )));
    }
    let mut diags = Vec::new();
    let config_text = std::fs::read(root.join(config::FILE_NAME)).map_err(|e| {
        RunError(format!(
            "cannot read {}: {e}",
            root.join(config::FILE_NAME).display()
        ))
    })?;
    let config_source = SourceFile::new(config::FILE_NAME, &String::from_utf8_lossy(&config_text));
    let mut config = match Config::parse(&config_source) {
        Ok(c) => c,
        Err(d) => {
            // Without a valid configuration the rules cannot be trusted:
            // report the configuration alone.
            return Ok(Checked {
                config: Config::default(),
                corpus: Corpus::default(),
                graph: LinkGraph::default(),
                diags: vec![d],
                config_source: std::sync::Arc::new(config_source),
            });
        }
    };
    let config_source = std::sync::Arc::new(config_source);
    if let Some(k) = opts.max_klassning {
        config.publish.max_klassning = k;
    }
    if let Some(o) = &opts.output_dir {
        config.output_dir = o.clone();
    }
    let content_rel = rel_display(&config.content_dir);
    let content_dir = root.join(&config.content_dir);
    if !content_dir.is_dir() {
        diags.push(
            Diagnostic::error(
                crate::load::UNREADABLE,
                config::FILE_NAME,
                1,
                1,
                format!("content directory `{content_rel}` does not exist"),
            )
            .with_hint("create it, or set `content_dir` in styrdok.toml"),
        );
    }
    let known = changed
        .and_then(|paths| content_rels(&content_dir, paths))
        .and_then(|rels| crate::load::load_known_changes(&content_dir, &content_rel, cache, &rels));
    let loaded = match known {
        Some(l) => l,
        None => crate::load::load_cached(&content_dir, &content_rel, cache)
            .map_err(|e| RunError(format!("cannot read {}: {e}", content_dir.display())))?,
    };
    diags.extend(loaded.diags);
    let corpus = loaded.corpus;
    let (graph, link_diags) = resolve::resolve_with(&corpus, &content_rel, previous);
    diags.extend(link_diags);
    diags.extend(validate::validate(&corpus, &graph, &config, opts.today));
    diags.extend(crate::attachments::check(
        &corpus,
        &graph,
        &config,
        &content_rel,
    ));
    diagnostic::sort(&mut diags);
    diags.dedup();
    Ok(Checked {
        config,
        corpus,
        graph,
        diags,
        config_source,
    })
}

/// Content-relative, `/`-separated paths of `paths`, if all lie in the
/// content directory.
fn content_rels(content_dir: &Path, paths: &[PathBuf]) -> Option<Vec<String>> {
    let base = content_dir.canonicalize().ok()?;
    paths
        .iter()
        .map(|p| {
            let dir = p.parent()?.canonicalize().ok()?;
            let rel = dir.join(p.file_name()?);
            let rel = rel.strip_prefix(&base).ok()?;
            let parts: Option<Vec<&str>> =
                rel.components().map(|c| c.as_os_str().to_str()).collect();
            Some(parts?.join("/"))
        })
        .collect()
}

/// Reads the history of a checked site from git. `None` when the site is
/// not in git or history is turned off; a warning for a shallow clone.
pub fn history(opts: &Options, checked: &Checked) -> (Option<History>, Vec<Diagnostic>) {
    if !checked.config.history.enabled {
        return (None, Vec::new());
    }
    let content_dir = opts.root.join(&checked.config.content_dir);
    let repo = match git::open(&opts.root, &content_dir) {
        Ok(Some(r)) => r,
        Ok(None) => return (None, Vec::new()),
        Err(e) => {
            return (
                None,
                vec![Diagnostic::warning(
                    GIT_PROBLEM,
                    config::FILE_NAME,
                    1,
                    1,
                    format!("cannot read git history: {e}"),
                )],
            )
        }
    };
    let config = &checked.config;
    let limit = config.publish.max_klassning;
    match history::read(&repo, &checked.corpus, config.history.max_revisions, limit) {
        Ok(h) => {
            let content_rel = content_rel(config);
            let mut diags: Vec<Diagnostic> = h
                .in_submodules
                .iter()
                .map(|p| {
                    Diagnostic::warning(
                        GIT_PROBLEM,
                        &crate::load::join(&content_rel, p),
                        1,
                        1,
                        "this document is in a git submodule: its revision history is not read",
                    )
                    .with_hint("keep governing documents in the site's own repository to publish their history")
                })
                .collect();
            if h.shallow {
                diags.push(
                    Diagnostic::warning(
                        GIT_PROBLEM,
                        config::FILE_NAME,
                        1,
                        1,
                        "the repository is a shallow clone: revision history is incomplete",
                    )
                    .with_hint("fetch the full history (git fetch --unshallow) before publishing"),
                );
            }
            (Some(h), diags)
        }
        Err(e) => (
            None,
            vec![Diagnostic::warning(
                GIT_PROBLEM,
                config::FILE_NAME,
                1,
                1,
                format!("cannot read git history: {e}"),
            )],
        ),
    }
}

/// Git history could not be read completely.
pub const GIT_PROBLEM: &str = "SD008";

/// Renders a checked site into `sink`: the current site, then every
/// version from git tags, each file as soon as it is rendered (a build
/// streams its pages into the staging directory this way). `progress`
/// hears about each version. Returns the warnings about versions (refs
/// that cannot be read, problems in a tag's documents).
pub fn render_to(
    opts: &Options,
    checked: &Checked,
    history: Option<&History>,
    progress: &mut dyn FnMut(String),
    sink: &dyn Sink,
) -> Result<Vec<Diagnostic>, Failure> {
    render_mode(opts, checked, history, false, None, progress, sink)
}

/// Checks the output directory and prepares the staging directory a build
/// renders into; [`Staging::commit`] swaps it in.
pub fn begin_write(opts: &Options, checked: &Checked) -> Result<Staging, RunError> {
    let out = output_dir(opts, &checked.config);
    let content = opts.root.join(&checked.config.content_dir);
    Staging::begin(
        &opts.root,
        &content,
        &out,
        checked.config.publish.max_klassning,
    )
    .map_err(|e| RunError(e.to_string()))
}

/// The current edition of a checked site, for rendering.
fn current_site<'a>(
    opts: &Options,
    checked: &'a Checked,
    theme: &'a Theme,
    content_dir: &'a Path,
    history: Option<&'a History>,
    preview: bool,
) -> render::Site<'a> {
    render::Site {
        corpus: &checked.corpus,
        graph: &checked.graph,
        config: &checked.config,
        theme,
        content_dir,
        today: opts.today,
        history,
        edition: render::Edition::default(),
        changes: None,
        preview,
        search_cache: None,
        prepared: None,
    }
}

/// Renders only the pages of these documents (and the area coverage page
/// if `areas`), for `serve` after a change that touches nothing else.
pub fn render_preview_pages(
    opts: &Options,
    checked: &Checked,
    docs: &[usize],
    areas: bool,
    caches: &PreviewCaches,
) -> Result<render::Memory, Diagnostic> {
    let theme = Theme::load(&opts.root, &checked.config.theme)?;
    let content_dir = opts.root.join(&checked.config.content_dir);
    let mut site = current_site(opts, checked, &theme, &content_dir, None, true);
    site.search_cache = Some(&caches.search);
    // Only bodies changed since the last render: its templates and
    // document order still hold.
    site.prepared = Some((&caches.prepared, true));
    let memory = render::Memory::default();
    render::render_pages(&site, docs, areas, &memory).map_err(Failure::into_diagnostic)?;
    Ok(memory)
}

/// Renders for `serve`: the current site only (no versions), marked as a
/// preview so drafts carry a banner.
pub fn render_preview(
    opts: &Options,
    checked: &Checked,
    caches: Option<&PreviewCaches>,
) -> Result<render::Memory, Diagnostic> {
    let memory = render::Memory::default();
    // A preview builds no versions: it has no notes about them.
    render_mode(opts, checked, None, true, caches, &mut |_| {}, &memory)
        .map_err(Failure::into_diagnostic)?;
    Ok(memory)
}

/// What `serve` keeps from one render to the next (see
/// [`render_preview_pages`]).
#[derive(Default)]
pub struct PreviewCaches {
    search: render::SearchCache,
    prepared: render::PreparedCache,
}

fn render_mode(
    opts: &Options,
    checked: &Checked,
    history: Option<&History>,
    preview: bool,
    caches: Option<&PreviewCaches>,
    progress: &mut dyn FnMut(String),
    sink: &dyn Sink,
) -> Result<Vec<Diagnostic>, Failure> {
    let theme = Theme::load(&opts.root, &checked.config.theme)?;
    let content_dir = opts.root.join(&checked.config.content_dir);
    let mut site = current_site(opts, checked, &theme, &content_dir, history, preview);
    site.search_cache = caches.map(|c| &c.search);
    // A full render makes them anew.
    site.prepared = caches.map(|c| (&c.prepared, false));
    render::render_to(&site, sink)?;
    let mut versions = crate::versions::Versions::none();
    if checked.config.versions.enabled && !preview {
        if let Ok(Some(repo)) = git::open(&opts.root, &content_dir) {
            let content_rel = content_rel(&checked.config);
            versions = crate::versions::build(
                &repo,
                &checked.config,
                &content_rel,
                &theme,
                &output_dir(opts, &checked.config),
                progress,
                sink,
            )?;
        }
    }
    let current_docs: Vec<String> = checked
        .corpus
        .documents
        .iter()
        .filter(|d| d.publishable(checked.config.publish.max_klassning))
        .map(|d| d.url.clone())
        .collect();
    sink.put(crate::versions::switcher_data(current_docs, &versions.docs))?;
    sink.put(OutputFile {
        path: "versioner/index.html".into(),
        bytes: render::versions_page(&site, &versions.entries)?.into_bytes(),
    })?;
    Ok(versions.notes)
}

/// The content directory as written relative to the site root.
pub fn content_rel(config: &Config) -> String {
    rel_display(&config.content_dir)
}

/// The output directory of a site.
pub fn output_dir(opts: &Options, config: &Config) -> PathBuf {
    opts.root.join(&config.output_dir)
}

fn rel_display(p: &Path) -> String {
    let s: Vec<String> = p
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    s.join("/")
}

/// A build's staging directory takes rendered files as they are made.
impl Sink for Staging {
    fn put(&self, file: OutputFile) -> Result<(), crate::output::WriteError> {
        Staging::put(self, &file.path, &file.bytes)
    }

    fn put_pieces(
        &self,
        path: String,
        pieces: Vec<std::sync::Arc<str>>,
    ) -> Result<(), crate::output::WriteError> {
        let slices: Vec<&[u8]> = pieces.iter().map(|p| p.as_bytes()).collect();
        Staging::put_pieces(self, &path, &slices)
    }
}
