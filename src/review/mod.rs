//! `styrdok review`: a change set against a base revision. The base is read
//! from git objects (no checkout) and checked as `check` would; the head is
//! the work tree (or another revision). [`compare`] says what the change
//! does: documents added, changed, renamed and removed (their metadata
//! field by field, their text as a structured redline), systems of the
//! register and annual goals as rows and fields, and the problems it
//! introduces and resolves. Everything is filtered by the build's
//! publishing limit: a document above it on either side leaves no trace.

mod fields;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::history::blocks;
use crate::model::{Corpus, Document, Policy, Status, System};
use crate::pipeline::{self, Checked, Project, Purpose, RunError};
use crate::redline::{Doc, Redline};

pub use fields::FieldChange;

/// Where the review's own pages go, below the review site's root.
pub const DIR: &str = "granskning";

/// The codes of the rules of the policy a change can break or mend: an
/// instruction's areas, a plan's sections and approval, a critical
/// system's plan and owner, annual goals, and follow-up dates.
const RULES: &[Code] = &[
    Code::MissingArea,
    Code::MissingSection,
    Code::NoApproval,
    Code::CriticalWithoutPlan,
    Code::SystemWithoutOwner,
    Code::GoalIncomplete,
    Code::RevisionOverdue,
    Code::RevisionDueSoon,
    Code::StaleThreatAnalysis,
    Code::ThreatNeverAnalysed,
    Code::AdoptedTextChanged,
];

/// Adoption is read from the history up to the work tree only, so its
/// problems are not compared with the base's: one of a document this
/// change edits is the change's.
const ADOPTION: &[Code] = &[Code::AdoptedTextChanged, Code::VersionReused];

/// The base of a review: a revision read from git and checked.
pub struct Base {
    /// The revision as given (`main`, `origin/main`, a tag, a commit).
    pub name: String,
    /// Its commit, abbreviated to 8 hex digits.
    pub commit: String,
    /// What was read from it, checked.
    pub checked: Checked,
}

/// Reads revision `spec` (default: the repository's main branch) of the
/// site from git objects and checks it with its own configuration (the
/// publishing limit is this run's).
pub fn load_revision(project: &Project, spec: Option<&str>) -> Result<Base, RunError> {
    let repo = match project.repo() {
        Ok(Some(r)) => r,
        Ok(None) => {
            return Err(RunError(crate::tr!(
            "webbplatsen ligger inte i git: en granskning jämför arbetskopian med en git-revision",
            "the site is not in git: a review compares the work tree with a git revision"
        )))
        }
        Err(e) => {
            return Err(RunError(crate::tr!(
                "git kan inte läsas: {e}",
                "git cannot be read: {e}"
            )))
        }
    };
    let name = match spec {
        Some(s) => s.to_string(),
        None => repo.main_branch().ok_or_else(|| {
            RunError(crate::tr!(
                "arkivet har ingen huvudgren (main, master): ange --base REF",
                "the repository has no main branch (main, master): pass --base REF"
            ))
        })?,
    };
    let commit = repo.commit_of(&name).map_err(RunError)?;
    let (config_bytes, files) = repo.site_files(commit).map_err(|e| {
        RunError(crate::tr!(
            "{name} kan inte läsas från git: {e}",
            "cannot read {name} from git: {e}"
        ))
    })?;
    let mut config = project.config.clone();
    if let Some(bytes) = config_bytes {
        let source = crate::source::SourceFile::new(
            crate::config::FILE_NAME,
            &String::from_utf8_lossy(&bytes),
        );
        // A base whose configuration does not parse is checked with
        // today's: its problems are then the documents' alone.
        if let Ok(c) = crate::config::Config::parse(&source) {
            config = c;
        }
    }
    // What may be shown is decided by this run, not by the base.
    config.publish = project.config.publish.clone();
    let loaded = crate::load::load_memory(files, &project.content_rel, config.schema());
    let checked = pipeline::check_as(project, config, loaded, Purpose::Build, None);
    Ok(Base {
        name,
        commit: commit.to_hex_with_len(8).to_string(),
        checked,
    })
}

/// How a document changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// New to the site's readers (new, or newly within the limit).
    Added,
    /// Its text or metadata changed.
    Changed,
    /// Moved to another file (perhaps changed too).
    Renamed,
    /// Gone from the site's readers (deleted, or now above the limit).
    Removed,
}

impl Kind {
    /// Its key in templates and CSS classes.
    pub fn key(self) -> &'static str {
        match self {
            Kind::Added => "added",
            Kind::Changed => "changed",
            Kind::Renamed => "renamed",
            Kind::Removed => "removed",
        }
    }
}

/// One document the change touches.
pub struct DocChange {
    /// How.
    pub kind: Kind,
    /// Index in the head's corpus (`None` when removed).
    pub head: Option<usize>,
    /// The document on the base side (`None` when added).
    pub base: Option<Arc<Document>>,
    /// Its id on the side it has a page (head, else base).
    pub id: String,
    /// Its title on that side.
    pub title: String,
    /// Its page's path on that side (the marked page is `granskning/<url>`).
    pub url: String,
    /// Content paths, before and after.
    pub old_path: Option<String>,
    /// After.
    pub new_path: Option<String>,
    /// `version` and `status`, before and after.
    pub old_version: Option<String>,
    /// After.
    pub new_version: Option<String>,
    /// Before.
    pub old_status: Option<Status>,
    /// After.
    pub new_status: Option<Status>,
    /// Front-matter fields that changed (for a changed or renamed one).
    pub fields: Vec<FieldChange>,
    /// The body, base to head (an added one's as created; a removed
    /// one's as deleted).
    pub redline: Redline,
}

impl DocChange {
    /// The review page with the changes marked, from the site's root.
    pub fn marked_url(&self) -> String {
        format!("{DIR}/{}", self.url)
    }

    /// Words added and removed in the body.
    pub fn words_changed(&self) -> usize {
        let s = &self.redline.summary;
        if s.created {
            s.words
        } else {
            s.added + s.removed
        }
    }
}

/// One row of a table (a system of the register, an annual goal): added,
/// removed, or its fields changed.
pub struct RowChange {
    /// Added, changed or removed (never renamed).
    pub kind: Kind,
    /// The row's name (a system's name and id; a goal's text).
    pub name: String,
    /// The document it is in (annual goals), with its head index if any.
    pub doc: Option<(String, Option<usize>)>,
    /// Fields, before and after (all of them for an added or removed row).
    pub fields: Vec<FieldChange>,
}

/// What a change does.
pub struct Review {
    /// The base revision as given, and its commit.
    pub base: String,
    /// Its commit.
    pub base_commit: String,
    /// What is reviewed: `None` for the work tree, else the revision.
    pub head: Option<String>,
    /// Documents touched, in hierarchy order (the removed last).
    pub docs: Vec<DocChange>,
    /// Systems of the register.
    pub systems: Vec<RowChange>,
    /// Annual goals.
    pub goals: Vec<RowChange>,
    /// Problems the change brings, and those it mends (against the base).
    pub introduced: Vec<Diagnostic>,
    /// Those it mends.
    pub resolved: Vec<Diagnostic>,
}

impl Review {
    /// Whether problem `d` is one of the policy's rules (shown apart: what
    /// the change does to the rules).
    pub fn is_rule(d: &Diagnostic) -> bool {
        RULES.contains(&d.code)
    }

    /// The change of the document with head index `i`, if it has one.
    pub fn of_head(&self, i: usize) -> Option<&DocChange> {
        self.docs.iter().find(|c| c.head == Some(i))
    }
}

/// Compares `head` with `base` under `policy`.
pub fn compare(base: &Base, head: &Checked, head_name: Option<&str>, policy: Policy) -> Review {
    let (b, h) = (&base.checked.corpus, &head.corpus);
    let pairs = pair_documents(b, h);
    let mut docs = Vec::new();
    let mut renamed_files = HashMap::new();
    for (old, new) in &pairs {
        let old = old
            .map(|i| &b.documents[i])
            .filter(|d| d.publishable(policy));
        let new_doc = new
            .map(|i| &h.documents[i])
            .filter(|d| d.publishable(policy));
        let change = match (old, new_doc) {
            (None, None) => None,
            (Some(o), Some(n)) => {
                if o.source.rel != n.source.rel {
                    renamed_files.insert(o.source.rel.clone(), n.source.rel.clone());
                }
                changed(o, n, *new, head.config.language)
            }
            (None, Some(n)) => Some(added(n, *new)),
            (Some(o), None) => Some(removed(o)),
        };
        docs.extend(change);
    }
    // In hierarchy order, as the site lists them; the removed last.
    docs.sort_by_cached_key(|c| {
        let doc = c.head.map(|i| &h.documents[i]).or(c.base.as_ref());
        (
            c.head.is_none(),
            doc.map(|d| crate::render::hierarchy::sort_key(d)),
        )
    });
    let restricted = Restricted::new(b, h, policy);
    let (introduced, resolved) = diagnostics(base, head, &renamed_files, &docs, &restricted);
    Review {
        base: base.name.clone(),
        base_commit: base.commit.clone(),
        head: head_name.map(str::to_string),
        systems: systems(b, h),
        goals: goals(&pairs, b, h, policy),
        docs,
        introduced,
        resolved,
    }
}

/// Base and head documents side by side (index in each corpus): by id,
/// then what is left by file, then by text (a file renamed together with
/// an id taken from its path).
fn pair_documents(b: &Corpus, h: &Corpus) -> Vec<(Option<usize>, Option<usize>)> {
    let mut pairs = Vec::new();
    let mut used_base = HashSet::new();
    let mut unmatched_head = Vec::new();
    for (j, d) in h.documents.iter().enumerate() {
        match b
            .by_id
            .get(&d.id)
            .or_else(|| b.by_path.get(&d.content_path))
        {
            Some(&i) if used_base.insert(i) => pairs.push((Some(i), Some(j))),
            _ => unmatched_head.push(j),
        }
    }
    let mut unmatched_base: Vec<usize> = (0..b.documents.len())
        .filter(|i| !used_base.contains(i))
        .collect();
    for j in unmatched_head {
        let new = h.documents[j].body();
        let best = unmatched_base
            .iter()
            .enumerate()
            .map(|(k, &i)| (k, similarity(b.documents[i].body(), new)))
            .filter(|&(_, r)| r >= RENAME_SIMILARITY)
            .max_by(|x, y| x.1.total_cmp(&y.1));
        match best {
            Some((k, _)) => pairs.push((Some(unmatched_base.remove(k)), Some(j))),
            None => pairs.push((None, Some(j))),
        }
    }
    pairs.extend(unmatched_base.into_iter().map(|i| (Some(i), None)));
    pairs
}

/// How alike two bodies must be for a deleted and an added file to be one
/// renamed file (git's default is 50 %).
const RENAME_SIMILARITY: f32 = 0.5;

fn similarity(a: &str, b: &str) -> f32 {
    if a == b {
        return 1.0;
    }
    similar::TextDiff::from_lines(a, b).ratio()
}

fn doc_blocks(d: &Document) -> Arc<Doc> {
    Arc::new(blocks(&d.source.text))
}

fn changed(
    o: &Arc<Document>,
    n: &Arc<Document>,
    head: Option<usize>,
    lang: crate::config::Language,
) -> Option<DocChange> {
    let renamed = o.content_path != n.content_path;
    // Any change to the file counts: a new version or status, goals, or
    // front matter only rewritten, as well as the body.
    if !renamed && o.source.text == n.source.text {
        return None;
    }
    let fields = fields::changes(&o.meta, &n.meta, lang);
    let redline = Redline::between(doc_blocks(o), doc_blocks(n));
    Some(DocChange {
        kind: if renamed {
            Kind::Renamed
        } else {
            Kind::Changed
        },
        head,
        base: Some(Arc::clone(o)),
        old_path: Some(o.content_path.clone()),
        old_version: o.meta.version.as_ref().map(|v| v.value.clone()),
        old_status: o.status(),
        fields,
        redline,
        ..sides(n)
    })
}

/// A change's fields from the head's document, nothing from the base.
fn sides(n: &Document) -> DocChange {
    DocChange {
        kind: Kind::Added,
        head: None,
        base: None,
        id: n.id.clone(),
        title: n.title().to_string(),
        url: n.url.clone(),
        old_path: None,
        new_path: Some(n.content_path.clone()),
        old_version: None,
        new_version: n.meta.version.as_ref().map(|v| v.value.clone()),
        old_status: None,
        new_status: n.status(),
        fields: Vec::new(),
        redline: Redline::created(Arc::new(Doc::default())),
    }
}

fn added(n: &Document, head: Option<usize>) -> DocChange {
    DocChange {
        head,
        redline: Redline::created(doc_blocks(n)),
        ..sides(n)
    }
}

fn removed(o: &Arc<Document>) -> DocChange {
    DocChange {
        kind: Kind::Removed,
        base: Some(Arc::clone(o)),
        old_path: Some(o.content_path.clone()),
        new_path: None,
        old_version: o.meta.version.as_ref().map(|v| v.value.clone()),
        new_version: None,
        old_status: o.status(),
        redline: Redline::between(doc_blocks(o), Arc::new(Doc::default())),
        ..sides(o)
    }
}

/// The systems of the register: added, removed and changed, by id.
fn systems(b: &Corpus, h: &Corpus) -> Vec<RowChange> {
    let list = |c: &Corpus| -> Vec<System> {
        c.register
            .as_ref()
            .map(|r| r.systems.clone())
            .unwrap_or_default()
    };
    let (old, new) = (list(b), list(h));
    let by_id: BTreeMap<&str, &System> = old.iter().map(|s| (s.id.value.as_str(), s)).collect();
    let name = |s: &System| format!("{} ({})", s.name(), s.id.value);
    let mut out = Vec::new();
    for s in &new {
        let row = match by_id.get(s.id.value.as_str()) {
            None => Some((Kind::Added, fields::system_rows(None, Some(s)))),
            Some(o) => {
                let f = fields::system_rows(Some(o), Some(s));
                (!f.is_empty()).then_some((Kind::Changed, f))
            }
        };
        if let Some((kind, fields)) = row {
            out.push(RowChange {
                kind,
                name: name(s),
                doc: None,
                fields,
            });
        }
    }
    let ids: HashSet<&str> = new.iter().map(|s| s.id.value.as_str()).collect();
    for o in old.iter().filter(|o| !ids.contains(o.id.value.as_str())) {
        out.push(RowChange {
            kind: Kind::Removed,
            name: name(o),
            doc: None,
            fields: fields::system_rows(Some(o), None),
        });
    }
    out
}

/// The annual goals of the documents shown on both sides (or on one: all
/// of its goals added or removed), matched by what is to be done, then
/// by place.
fn goals(
    pairs: &[(Option<usize>, Option<usize>)],
    b: &Corpus,
    h: &Corpus,
    policy: Policy,
) -> Vec<RowChange> {
    let mut out = Vec::new();
    for &(old, new) in pairs {
        let old = old
            .map(|i| &b.documents[i])
            .filter(|d| d.publishable(policy));
        let newd = new
            .map(|i| &h.documents[i])
            .filter(|d| d.publishable(policy));
        let Some(doc) = newd.or(old) else { continue };
        let of = |d: Option<&Arc<Document>>| {
            d.and_then(|d| d.meta.mal.as_ref())
                .map(|m| m.value.clone())
                .unwrap_or_default()
        };
        let label = (doc.title().to_string(), new.filter(|_| newd.is_some()));
        for (kind, name, fields) in fields::goal_rows(&of(old), &of(newd)) {
            out.push(RowChange {
                kind,
                name,
                doc: Some(label.clone()),
                fields,
            });
        }
    }
    out
}

/// What a review may not name: the documents and pages above the limit on
/// either side, by file, id, path and title.
struct Restricted {
    files: HashSet<String>,
    words: Vec<String>,
}

impl Restricted {
    fn new(b: &Corpus, h: &Corpus, policy: Policy) -> Self {
        let mut r = Restricted {
            files: HashSet::new(),
            words: Vec::new(),
        };
        for d in b.documents.iter().chain(&h.documents) {
            if d.publishable(policy) {
                continue;
            }
            r.files.insert(d.source.rel.clone());
            r.words.push(d.id.clone());
            r.words.push(d.content_path.clone());
            r.words.push(d.title().to_string());
            let stem = d.content_path.trim_end_matches(".md");
            r.words
                .push(stem.rsplit('/').next().unwrap_or(stem).to_string());
        }
        // Start and folder pages above the limit, by file, path and title.
        for p in b.pages.list.iter().chain(&h.pages.list) {
            if p.publishable(policy) {
                continue;
            }
            r.files.insert(p.source.rel.clone());
            r.words.push(p.content_path.clone());
            r.words.extend(p.own_title().map(str::to_string));
        }
        r.words.retain(|w| w.chars().count() >= 3);
        r
    }

    /// Whether `d` is about, or names, a restricted document.
    fn hides(&self, d: &Diagnostic) -> bool {
        let text = format!("{} {}", d.message, d.hint.as_deref().unwrap_or_default());
        self.files.contains(&d.file) || self.words.iter().any(|w| text.contains(w.as_str()))
    }
}

/// The problems of the head that the base does not have, and those of the
/// base the head no longer has: compared by code, file (a renamed file's
/// base path as its new one) and message, not by line, which moves with
/// every edit above it.
fn diagnostics(
    base: &Base,
    head: &Checked,
    renamed: &HashMap<String, String>,
    docs: &[DocChange],
    restricted: &Restricted,
) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    type Key = (Code, String, String);
    let key = |d: &Diagnostic, file: &str| -> Key { (d.code, file.to_string(), d.message.clone()) };
    let compared = |d: &&Diagnostic| !ADOPTION.contains(&d.code) && !restricted.hides(d);
    let mut before: HashMap<Key, usize> = HashMap::new();
    for d in base.checked.diags.iter().filter(compared) {
        let file = renamed.get(&d.file).unwrap_or(&d.file);
        *before.entry(key(d, file)).or_default() += 1;
    }
    let mut after: HashMap<Key, usize> = HashMap::new();
    for d in head.diags.iter().filter(compared) {
        *after.entry(key(d, &d.file)).or_default() += 1;
    }
    let mut introduced = Vec::new();
    let mut seen: HashMap<Key, usize> = HashMap::new();
    for d in head.diags.iter().filter(compared) {
        let k = key(d, &d.file);
        let n = seen.entry(k.clone()).or_default();
        *n += 1;
        if *n > before.get(&k).copied().unwrap_or(0) {
            introduced.push(d.clone());
        }
    }
    // Adoption: a document this change edits.
    let edited: HashSet<&str> = docs.iter().filter_map(|c| c.new_path.as_deref()).collect();
    introduced.extend(
        head.diags
            .iter()
            .filter(|d| ADOPTION.contains(&d.code) && !restricted.hides(d))
            .filter(|d| edited.iter().any(|p| d.file.ends_with(&format!("/{p}"))))
            .cloned(),
    );
    let mut resolved = Vec::new();
    let mut seen: HashMap<Key, usize> = HashMap::new();
    for d in base.checked.diags.iter().filter(compared) {
        let file = renamed.get(&d.file).unwrap_or(&d.file);
        let k = key(d, file);
        let n = seen.entry(k.clone()).or_default();
        *n += 1;
        if *n > after.get(&k).copied().unwrap_or(0) {
            resolved.push(d.clone());
        }
    }
    crate::diagnostic::sort(&mut introduced);
    crate::diagnostic::sort(&mut resolved);
    (introduced, resolved)
}
