//! Versions: every git tag matching `[versions] tag_pattern` is built as a
//! complete site under `output/versioner/<tag>/`, from the tag's git objects
//! (no checkout), with a change log against the version before it. A tag is
//! immutable, so a version already built is reused from the previous output
//! when its key (tag commit, the previous tag's commit, styrdok's version,
//! the theme, the publishing limit and the change log's links into the
//! current site's history pages) is unchanged.

use chrono::DateTime;
use serde_json::json;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::Arc;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::git::Repo;
use crate::history::{blocks, History};
use crate::model::{Corpus, Document, Policy};
use crate::redline::{Doc, Redline};
use crate::render::{self, Changes, Edition, Failure, OutputFile, SearchCache, Sink, VersionEntry};
use crate::resolve::LinkGraph;
use crate::theme::Theme;

/// Names the stamp file that keys a built version.
pub const STAMP: &str = ".styrdok-version";

/// All versions, rendered (or reused), and the data the switcher needs.
pub struct Versions {
    /// The versions, oldest first.
    pub entries: Vec<VersionEntry>,
    /// Per version (tag name), the output paths of its documents.
    pub docs: Vec<(String, Vec<String>)>,
    /// Warnings: refs that could not be read, tags that were skipped, and
    /// each tag's own load problems, naming the tag.
    pub notes: Vec<Diagnostic>,
}

impl Versions {
    /// No versions (yet).
    pub fn none() -> Self {
        Versions {
            entries: Vec::new(),
            docs: Vec::new(),
            notes: Vec::new(),
        }
    }
}

/// One version as loaded from git.
struct Loaded {
    name: String,
    commit: String,
    date: chrono::NaiveDate,
    config: Config,
    corpus: Corpus,
}

/// Whether a tag name can be a directory name in the output.
pub fn safe_tag(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name.len() <= 100
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '+'))
}

/// A problem with git while reading versions: a warning, not fatal.
fn git_problem(message: String) -> Diagnostic {
    crate::git::problem(message)
}

/// Where versions are read from and how they are built.
pub struct Source<'a> {
    /// The site's repository.
    pub repo: &'a Repo,
    /// The content directory, relative to the site root.
    pub content_rel: &'a str,
    /// The theme every version is rendered with.
    pub theme: &'a Theme,
    /// The previous output, whose versions are reused when unchanged.
    pub old_output: &'a Path,
    /// The current site's history pages, which change logs link into.
    pub history_pages: &'a HistoryPages<'a>,
}

/// The current site's history pages, for a change log to link each changed
/// document to the comparison of its two versions there: per document id,
/// its history page (from the output root) and its published revisions,
/// newest first, by commit and blocks.
#[derive(Default)]
pub struct HistoryPages<'a> {
    pages: HashMap<&'a str, HistoryPage<'a>>,
}

/// A history page (from the output root) and its published revisions,
/// newest first: commit and blocks.
type HistoryPage<'a> = (String, Vec<(&'a str, &'a Doc)>);

impl<'a> HistoryPages<'a> {
    /// The history pages of the documents the current site publishes.
    pub fn new(corpus: &'a Corpus, history: Option<&'a History>, policy: Policy) -> Self {
        let Some(history) = history else {
            return HistoryPages::default();
        };
        let pages = corpus
            .documents
            .iter()
            .filter(|d| d.publishable(policy))
            .filter_map(|d| {
                let dh = history.docs.get(&d.content_path)?;
                let revisions: Vec<(&str, &Doc)> = dh
                    .revisions
                    .iter()
                    .filter(|r| !r.restricted)
                    .map(|r| (r.commit.as_str(), &*r.doc))
                    .collect();
                // The page computes a comparison from its data script,
                // which it has from two published revisions on.
                (revisions.len() >= 2).then(|| (d.id.as_str(), (render::history_url(d), revisions)))
            })
            .collect();
        HistoryPages { pages }
    }

    /// `historik/<url>#jamfor-<from>-<to>`: the comparison, on the history
    /// page of document `id`, of the published revisions whose texts are
    /// `old` and `new` (the newest with `new`, and the newest before it
    /// with `old`); `None` when either is not among them.
    fn compare_href(&self, id: &str, old: &Doc, new: &Doc) -> Option<String> {
        let (url, revisions) = self.pages.get(id)?;
        let to = revisions.iter().position(|(_, d)| *d == new)?;
        let from = to + 1 + revisions[to + 1..].iter().position(|(_, d)| *d == old)?;
        // Commits are hexadecimal: the anchor needs no escaping.
        Some(format!(
            "{url}#jamfor-{}-{}",
            revisions[from].0, revisions[to].0
        ))
    }
}

/// Builds every version. `progress` is told about each tag.
pub fn build(
    at: &Source<'_>,
    current: &Config,
    progress: &mut dyn FnMut(String),
    sink: &dyn Sink,
) -> Result<Versions, Failure> {
    let Source {
        repo,
        content_rel,
        theme,
        old_output,
        history_pages,
    } = *at;
    let mut out = Versions::none();
    let Some(tags) = list_tags(repo, &current.versions.tag_pattern, &mut out.notes) else {
        return Ok(out);
    };
    let mut previous: Option<Loaded> = None;
    // What the versions share: the parses of bodies that did not change
    // from one version built to the next, and their parts of the index.
    let mut resolved: Option<Resolved> = None;
    let search = SearchCache::default();
    let parses = Parses::default();
    let total = tags.len();
    let theme_key = theme_hash(theme);
    for (n, (name, commit, time)) in tags.into_iter().enumerate() {
        if !safe_tag(&name) {
            progress(crate::tr!(
                "hoppar över taggen `{name}`: använd bokstäver, siffror, `.`, `-`, `_` eller `+` i versionstaggar",
                "skipping tag `{name}`: use letters, digits, `.`, `-`, `_` or `+` in version tags"
            ));
            continue;
        }
        let this = match load_tag(repo, current, content_rel, (&name, commit, time)) {
            Ok((this, notes)) => {
                out.notes.extend(notes);
                this
            }
            Err(Skip::Git(e)) => {
                out.notes.push(git_problem(crate::tr!(
                    "hoppar över taggen {name}: den kan inte läsas från git: {e}",
                    "skipping tag {name}: cannot read it from git: {e}"
                )));
                continue;
            }
            Err(Skip::Config(d)) => {
                let message = crate::tr!(
                    "byggs inte, dess styrdok.toml är inte giltig: {}",
                    "not built, its styrdok.toml is not valid: {}",
                    d.message
                );
                out.notes.push(in_tag(&name, Diagnostic { message, ..d }));
                progress(crate::tr!(
                    "hoppar över taggen `{name}`: dess styrdok.toml är inte giltig",
                    "skipping tag `{name}`: its styrdok.toml is not valid"
                ));
                continue;
            }
        };
        let links = compare_links(previous.as_ref(), &this, history_pages, &parses);
        let key = key(&this, previous.as_ref(), &links, &theme_key);
        let count = format!("{}/{total}", n + 1);
        let build = (repo, theme, content_rel, old_output);
        let shared = Shared {
            earlier: resolved.as_ref(),
            search: &search,
            parses: &parses,
        };
        let (notes, graph) = emit(
            (&this, previous.as_ref(), links),
            (&key, &count),
            build,
            shared,
            progress,
            sink,
        )?;
        if let Some(graph) = graph {
            resolved = Some(Resolved::of(&this, graph));
        }
        out.notes.extend(notes);
        out.docs.push((
            name.clone(),
            published_urls(&this.corpus, current.publish.policy()),
        ));
        out.entries.push(VersionEntry {
            name,
            date: this.date.to_string(),
        });
        parses.keep(&this);
        previous = Some(this);
    }
    Ok(out)
}

/// The output paths of the documents and pages of a corpus (the current
/// site's or a version's) that `policy` publishes: the switcher's lists.
pub fn published_urls(corpus: &Corpus, policy: Policy) -> Vec<String> {
    corpus
        .documents
        .iter()
        .filter(|d| d.publishable(policy))
        .map(|d| d.url.clone())
        .chain(corpus.pages.published_urls(policy))
        .collect()
}

/// The blocks of the texts that change logs compare, parsed once: the new
/// text of a document in one version is its old text in the next, and a
/// version's links to the history and its change log compare the same
/// two. (Each was parsed up to four times; parsing once made the
/// municipality workload's build 5 % faster.)
#[derive(Default)]
struct Parses {
    by_text: std::sync::Mutex<HashMap<String, Arc<Doc>>>,
}

impl Parses {
    /// Each document of `this` that changed since `previous` (see
    /// [`changed`]): its index and the blocks of its old and new text, the
    /// texts not parsed before parsed in parallel.
    fn changed(
        &self,
        previous: Option<&Loaded>,
        this: &Loaded,
    ) -> Vec<(usize, Arc<Doc>, Arc<Doc>)> {
        use rayon::prelude::*;
        let pairs: Vec<(usize, &str, &str)> = changed(previous, this)
            .map(|(i, old)| {
                (
                    i,
                    old.source.text.as_str(),
                    this.corpus.documents[i].source.text.as_str(),
                )
            })
            .collect();
        let mut missing: Vec<&str> = {
            let known = self.by_text.lock().unwrap_or_else(|e| e.into_inner());
            pairs
                .iter()
                .flat_map(|&(_, old, new)| [old, new])
                .filter(|t| !known.contains_key(*t))
                .collect()
        };
        missing.sort_unstable();
        missing.dedup();
        let parsed: Vec<(&str, Doc)> = missing.into_par_iter().map(|t| (t, blocks(t))).collect();
        let mut known = self.by_text.lock().unwrap_or_else(|e| e.into_inner());
        for (t, doc) in parsed {
            known.insert(t.to_string(), Arc::new(doc));
        }
        pairs
            .into_iter()
            .filter_map(|(i, old, new)| Some((i, known.get(old)?.clone(), known.get(new)?.clone())))
            .collect()
    }

    /// Forgets every text but those of `this` version: the next one is
    /// compared with it alone.
    fn keep(&self, this: &Loaded) {
        let texts: std::collections::HashSet<&str> = this
            .corpus
            .documents
            .iter()
            .map(|d| d.source.text.as_str())
            .collect();
        self.by_text
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|t, _| texts.contains(t.as_str()));
    }
}

/// The last version that was built: its documents and their parses and
/// links, and the label its tables were parsed with. The next version
/// takes from it the parses of the bodies that did not change.
struct Resolved {
    corpus: Corpus,
    graph: LinkGraph,
    label: &'static str,
}

impl Resolved {
    fn of(this: &Loaded, graph: LinkGraph) -> Resolved {
        Resolved {
            // The documents only: the parses are found by them.
            corpus: Corpus {
                documents: this.corpus.documents.clone(),
                by_path: this.corpus.by_path.clone(),
                ..Corpus::default()
            },
            graph,
            label: crate::markdown::table_label(this.config.language),
        }
    }
}

/// What one version's build takes from those built before it.
#[derive(Clone, Copy)]
struct Shared<'a> {
    earlier: Option<&'a Resolved>,
    search: &'a SearchCache,
    parses: &'a Parses,
}

/// Why a tag is not built.
enum Skip {
    /// It cannot be read from git.
    Git(String),
    /// Its configuration is not valid: built with today's instead, it would
    /// not be the version that was tagged.
    Config(Diagnostic),
}

/// The tags matching `pattern`, noting refs that cannot be read; `None`
/// when git cannot list them at all.
fn list_tags(
    repo: &Repo,
    pattern: &str,
    notes: &mut Vec<Diagnostic>,
) -> Option<Vec<crate::git::Tag>> {
    match repo.tags(pattern) {
        Ok((tags, broken)) => {
            for b in broken {
                notes.push(
                    git_problem(crate::tr!(
                        "hoppar över en referens som inte kan läsas: {b}",
                        "skipping a ref that cannot be read: {b}"
                    ))
                    .with_hint(crate::tr!(
                        "git hoppar också över den; laga eller ta bort raden i .git/packed-refs",
                        "git skips it too; repair or delete the line in .git/packed-refs"
                    )),
                );
            }
            Some(tags)
        }
        Err(e) => {
            notes.push(git_problem(crate::tr!(
                "versionerna kan inte läsas från git: {e}",
                "cannot read versions from git: {e}"
            )));
            None
        }
    }
}

/// Loads one tag from git objects, with its problems as warnings that name
/// the tag (a tag cannot be fixed, but what it lacks must not pass silently:
/// a document whose class cannot be read is not published).
fn load_tag(
    repo: &Repo,
    current: &Config,
    content_rel: &str,
    (name, commit, time): (&str, gix::ObjectId, i64),
) -> Result<(Loaded, Vec<Diagnostic>), Skip> {
    let (config_bytes, files) = repo.site_files(commit).map_err(Skip::Git)?;
    let mut notes = Vec::new();
    let mut config = match config_bytes {
        Some(b) => {
            let source = crate::source::SourceFile::new(
                crate::config::FILE_NAME,
                &String::from_utf8_lossy(&b),
            );
            Config::parse(&source).map_err(Skip::Config)?
        }
        None => current.clone(),
    };
    // What this build may publish is decided now, not when the tag was made.
    config.publish = current.publish.clone();
    let loaded = crate::load::load_memory(files, content_rel, config.schema());
    notes.extend(loaded.diags);
    crate::diagnostic::sort(&mut notes);
    let notes = notes.into_iter().map(|d| in_tag(name, d)).collect();
    let date = DateTime::from_timestamp(time, 0)
        .map_or_else(chrono::NaiveDate::default, |d| d.date_naive());
    let this = Loaded {
        name: name.to_string(),
        commit: commit.to_string(),
        date,
        config,
        corpus: loaded.corpus,
    };
    Ok((this, notes))
}

/// A problem found in a tag, as a warning that names the tag.
fn in_tag(tag: &str, d: Diagnostic) -> Diagnostic {
    Diagnostic {
        severity: crate::diagnostic::Severity::Warning,
        message: crate::tr!("i taggen {tag}: {}", "in tag {tag}: {}", d.message),
        ..d
    }
}

/// Puts one version into `sink`: reused from the previous output if it
/// was built with the same key, else rendered. What a rendering warns of
/// (documents of the tag that cannot be typeset as PDFs).
fn emit(
    (this, previous, links): (&Loaded, Option<&Loaded>, HashMap<usize, String>),
    (key, count): (&str, &str),
    (repo, theme, content_rel, old_output): (&Repo, &Theme, &str, &Path),
    shared: Shared<'_>,
    progress: &mut dyn FnMut(String),
    sink: &dyn Sink,
) -> Result<(Vec<Diagnostic>, Option<LinkGraph>), Failure> {
    let name = &this.name;
    let prefix = format!("versioner/{name}/");
    let mut notes = Vec::new();
    let mut graph = None;
    match read_cached(old_output, &prefix, key) {
        Some(files) => {
            progress(format!("version {name} ({count}): unchanged, reused"));
            for f in files {
                sink.put(f)?;
            }
        }
        None => {
            progress(format!("version {name} ({count}): building"));
            // Of a tag whose history cannot be read, the pages show no last change.
            let limit = this.config.publish.policy().max_klassning;
            let commit = gix::ObjectId::from_hex(this.commit.as_bytes()).ok();
            let last_changed = commit
                .and_then(|c| crate::history::last_changes(repo, c, &this.corpus, limit).ok())
                .unwrap_or_default();
            let changes = Changes {
                compare: links,
                last_changed,
                ..changes(previous, this, shared.parses)
            };
            let (warnings, resolved) =
                render_version(this, changes, (theme, content_rel), shared, sink)?;
            notes = warnings;
            graph = Some(resolved);
            sink.put(OutputFile {
                path: format!("{prefix}{STAMP}"),
                bytes: key.as_bytes().to_vec(),
            })?;
        }
    }
    Ok((notes, graph))
}

/// Renders one version's site, and with `[publish] pdf` its documents'
/// PDFs first, so that its pages link those that were made.
fn render_version(
    this: &Loaded,
    mut changes: Changes,
    (theme, content_rel): (&Theme, &str),
    shared: Shared<'_>,
    sink: &dyn Sink,
) -> Result<(Vec<Diagnostic>, LinkGraph), Failure> {
    let label = crate::markdown::table_label(this.config.language);
    // Bodies the version before had too are not parsed again (their links
    // are resolved again: what they lead to may differ).
    let relink = |_: &Corpus, _: &[Arc<crate::markdown::Outline>]| None;
    let reuse = shared
        .earlier
        .filter(|e| e.label == label)
        .map(|e| crate::resolve::Reuse {
            graph: &e.graph,
            unchanged: crate::resolve::unchanged(&e.corpus, &this.corpus),
            relink: &relink,
            findings: None,
        });
    let (graph, _) =
        crate::resolve::resolve(&this.corpus, content_rel, Some(label), reuse.as_ref());
    let content_dir = Path::new("");
    let mut notes = Vec::new();
    if this.config.publish.pdf {
        let prefix = format!("versioner/{}/", this.name);
        let input = crate::pdf::Input {
            corpus: &this.corpus,
            graph: &graph,
            config: &this.config,
            content_dir,
            content_rel,
            prefix: &prefix,
        };
        let (made, warnings) = crate::pdf::version(&input, &this.name, sink)?;
        changes.pdfs = made.into_iter().collect();
        notes = warnings;
    }
    render::render_to(
        &render::Site {
            corpus: &this.corpus,
            graph: &graph,
            config: &this.config,
            theme,
            content_dir,
            today: this.date,
            history: None,
            adoption: None,
            edition: Edition {
                version: Some(this.name.clone()),
            },
            changes: Some(&changes),
            preview: false,
            search_cache: Some(shared.search),
            prepared: None,
            review: None,
        },
        sink,
    )?;
    Ok((notes, graph))
}

/// The documents of `this` version that a reader of the previous one read
/// in another text, with that text's document.
fn changed<'a>(
    previous: Option<&'a Loaded>,
    this: &'a Loaded,
) -> impl Iterator<Item = (usize, &'a Document)> + 'a {
    let limit = this.config.publish.policy();
    this.corpus
        .documents
        .iter()
        .enumerate()
        .filter_map(move |(i, doc)| {
            let old = previous?.corpus.get(&doc.id)?;
            (old.publishable(limit) && old.source.text != doc.source.text).then_some((i, old))
        })
}

/// Per changed document (index in this version's corpus), the link to the
/// comparison of its two texts on the current site's history page.
fn compare_links(
    previous: Option<&Loaded>,
    this: &Loaded,
    pages: &HistoryPages<'_>,
    parses: &Parses,
) -> HashMap<usize, String> {
    if pages.pages.is_empty() {
        return HashMap::new();
    }
    parses
        .changed(previous, this)
        .into_iter()
        .filter_map(|(i, old, new)| {
            let doc = &this.corpus.documents[i];
            Some((i, pages.compare_href(&doc.id, &old, &new)?))
        })
        .collect()
}

/// Documents added, changed and removed since the previous version, by id.
fn changes(previous: Option<&Loaded>, this: &Loaded, parses: &Parses) -> Changes {
    let mut c = Changes {
        previous: previous.map(|p| p.name.clone()),
        ..Changes::default()
    };
    let limit = this.config.publish.policy();
    for (i, doc) in this.corpus.documents.iter().enumerate() {
        // A document the previous version may not publish is new to its readers.
        let before = previous
            .and_then(|p| p.corpus.get(&doc.id))
            .filter(|old| old.publishable(limit));
        if before.is_none() {
            c.added.push(i);
        }
    }
    // Each redline on its own core.
    use rayon::prelude::*;
    c.changed = parses
        .changed(previous, this)
        .into_par_iter()
        .map(|(i, old, new)| (i, Redline::between(old, new)))
        .collect();
    if let Some(p) = previous {
        for old in &p.corpus.documents {
            let gone = this
                .corpus
                .get(&old.id)
                .is_none_or(|d| !d.publishable(limit));
            if gone && old.publishable(limit) {
                c.removed.push(old.title().to_string());
            }
        }
    }
    c
}

fn theme_hash(theme: &Theme) -> String {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    theme.templates.hash(&mut h);
    theme.assets.hash(&mut h);
    format!("{:016x}", h.finish())
}

/// Changes when what a version publishes changes within one release of
/// styrdok, so that versions built before are built again: 2 since change
/// logs leave out what the previous version could not publish, 4 since
/// drafts are left out unless the build asks for them and redlines keep
/// the document's structure, 5 since its pages show when they last
/// changed before the tag.
const PUBLISHING_RULES: u32 = 5;

/// The key a version is built with: besides the tag and its predecessor,
/// the links its change log has into the current site's history pages.
fn key(
    this: &Loaded,
    previous: Option<&Loaded>,
    links: &HashMap<usize, String>,
    theme_key: &str,
) -> String {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut h);
    PUBLISHING_RULES.hash(&mut h);
    this.commit.hash(&mut h);
    previous.map(|p| p.commit.as_str()).hash(&mut h);
    this.config.publish.policy().hash(&mut h);
    this.config.publish.unlinked_attachments.hash(&mut h);
    // A version's PDFs, and where their links point.
    this.config.publish.pdf.hash(&mut h);
    this.config.publish.base_url.hash(&mut h);
    let mut links: Vec<(&usize, &String)> = links.iter().collect();
    links.sort();
    links.hash(&mut h);
    format!(
        "styrdok {} commit {} key {:016x}{theme_key}\n",
        env!("CARGO_PKG_VERSION"),
        this.commit,
        h.finish()
    )
}

/// The files of a version in the previous output, if it was built with the same key.
fn read_cached(old_output: &Path, prefix: &str, key: &str) -> Option<Vec<OutputFile>> {
    let dir = crate::platform::join_rel(old_output, prefix);
    let stamp = std::fs::read_to_string(dir.join(STAMP)).ok()?;
    if stamp != key {
        return None;
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = entry.ok()?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(&dir).ok()?;
        let rel: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        files.push(OutputFile {
            path: format!("{prefix}{}", rel.join("/")),
            bytes: std::fs::read(entry.path()).ok()?,
        });
    }
    Some(files)
}

/// Pages per file of the switcher's page lists, on average.
const SWITCHER_BUCKET: usize = 64;

/// The switcher's data: `assets/versions-data.js`, which every page loads,
/// holds the versions' names only (newest first, the current site `""`)
/// and how many page lists there are; `assets/versions/<n>.js` lists, for
/// the pages whose path hashes to `n` ([`page_bucket`]), the versions each
/// is in (as indices into the names). The switcher loads its page's list
/// when a version is chosen, so what a page loads does not grow with
/// documents × versions.
pub fn switcher_data(
    current_docs: Vec<String>,
    versions: &[(String, Vec<String>)],
) -> Vec<OutputFile> {
    let mut names = vec![String::new()];
    let mut lists = vec![current_docs];
    for (name, docs) in versions.iter().rev() {
        names.push(name.clone());
        lists.push(docs.clone());
    }
    // Page → the versions it is in, in the order of `names`.
    let mut pages: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
    for (v, docs) in lists.iter().enumerate() {
        for d in docs {
            let entry = pages.entry(d.as_str()).or_default();
            if entry.last() != Some(&v) {
                entry.push(v);
            }
        }
    }
    let buckets = pages
        .len()
        .div_ceil(SWITCHER_BUCKET)
        .max(1)
        .next_power_of_two();
    let mut split: Vec<serde_json::Map<String, serde_json::Value>> =
        vec![Default::default(); buckets];
    for (page, in_versions) in pages {
        split[page_bucket(page, buckets)].insert(page.to_string(), json!(in_versions));
    }
    let data = json!({ "versions": names, "buckets": buckets });
    let mut files = vec![OutputFile {
        path: "assets/versions-data.js".into(),
        bytes: format!("window.STYRDOK_VERSIONS = {data};\n").into_bytes(),
    }];
    for (n, pages) in split.into_iter().enumerate() {
        files.push(OutputFile {
            path: format!("assets/versions/{n}.js"),
            bytes: format!(
                "window.STYRDOK_VERSION_PAGES = {};\n",
                serde_json::Value::Object(pages)
            )
            .into_bytes(),
        });
    }
    files
}

/// Which of `buckets` (a power of two) page lists holds `page`: FNV-1a of
/// its UTF-8 bytes, as `switcher.js` computes it.
pub fn page_bucket(page: &str, buckets: usize) -> usize {
    let mut h: u32 = 0x811c_9dc5;
    for b in page.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    (h as usize) & (buckets - 1)
}
