//! Stage 4, history: each document's revisions from git (date, author,
//! message, its own version and status then), with a structured redline
//! ([`crate::redline`]) of what changed in every revision, between its
//! adopted versions, and since it was last adopted.

use chrono::DateTime;
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

use crate::git::{ChangeKind, RawRevision, Repo};
use crate::load::frontmatter;
use crate::model::{Corpus, Klassning, Policy, Status};
use crate::redline::{Doc, Redline};
use crate::source::SourceFile;

/// One revision of one document.
#[derive(Debug, Clone)]
pub struct Revision {
    /// Abbreviated commit id.
    pub commit: String,
    /// Author date (in the author's time zone), YYYY-MM-DD.
    pub date: String,
    /// Author name.
    pub author: String,
    /// First line of the commit message.
    pub summary: String,
    /// The document's `version` at this revision.
    pub version: Option<String>,
    /// Its `status` at this revision.
    pub status: Option<Status>,
    /// Whether this revision adopted a (new) version.
    pub adopted: bool,
    /// How the commit touched the document.
    pub kind: ChangeKind,
    /// Redline against the previous published revision (of a first
    /// revision: its text, plain).
    pub redline: Redline,
    /// The document's blocks at this revision.
    pub doc: Arc<Doc>,
    /// One or more revisions above the publishing limit (by their own
    /// front matter) stand here: every other field is empty.
    pub restricted: bool,
    /// The commit also made a revision of another document above the
    /// limit: its message (which may speak of that one) is not shown.
    pub message_withheld: bool,
}

impl Revision {
    /// The entry that stands for revisions this build may not publish:
    /// nothing of them, not even the commit.
    fn restricted() -> Self {
        Revision {
            commit: String::new(),
            date: String::new(),
            author: String::new(),
            summary: String::new(),
            version: None,
            status: None,
            adopted: false,
            kind: ChangeKind::Modified,
            redline: Redline::created(Arc::default()),
            doc: Arc::default(),
            restricted: true,
            message_withheld: true,
        }
    }
}

/// The history of one document.
#[derive(Debug, Clone, Default)]
pub struct DocHistory {
    /// Newest first.
    pub revisions: Vec<Revision>,
    /// Redline of uncommitted changes against `HEAD`, if the work tree differs.
    pub uncommitted: Option<Redline>,
    /// The version last adopted, the redline from it to the current text,
    /// and whether the text is the same.
    pub since_adopted: Option<(String, Redline, bool)>,
    /// Redlines between every two adopted versions and from each to the
    /// current text (the newest [`COMPARED_VERSIONS`]), newest first.
    pub version_pairs: Vec<VersionPair>,
    /// More revisions exist than the cap allowed.
    pub capped: bool,
    /// The document lies in a git submodule: its history is in another
    /// repository and is not read.
    pub in_submodule: bool,
}

/// How many adopted versions of a document are compared pairwise:
/// `n * (n - 1) / 2` redlines.
pub const COMPARED_VERSIONS: usize = 8;

/// A redline from one adopted version to a later one.
#[derive(Debug, Clone)]
pub struct VersionPair {
    /// The earlier version and the date of the revision that adopted it.
    pub from: (String, String),
    /// The later version and its date; `None`: the current text.
    pub to: Option<(String, String)>,
    /// From the one to the other.
    pub redline: Redline,
}

/// The history of the site.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// By content path.
    pub docs: HashMap<String, DocHistory>,
    /// Each start or folder page's last change, by content path: (date,
    /// author).
    pub pages: HashMap<String, (String, String)>,
    /// The site is in git.
    pub in_git: bool,
    /// The clone is shallow: older history is missing.
    pub shallow: bool,
    /// Content paths of the documents in a git submodule, sorted.
    pub in_submodules: Vec<String>,
}

/// One revision with the bytes the history needs: the document's, and for
/// a rename, those of the file it was renamed from.
type RevisionBytes = (RawRevision, Vec<u8>, Option<Vec<u8>>);

/// What the parallel part needs of one document: its content path, current
/// source, revisions with their bytes, and its bytes at `HEAD`.
type Input<'a> = (String, &'a str, Vec<RevisionBytes>, Option<Vec<u8>>);

/// Reads the history of every document of the corpus: one walk over the
/// commits, the blobs read on every core, then texts and redlines
/// computed in parallel. Each revision is classified by its own front
/// matter: of one above the policy's class limit nothing is kept but the
/// fact (see [`Revision::restricted`]). A document the policy does not
/// publish now (a draft) has no history page, and the messages of the
/// commits that made its revisions are withheld from every other page.
pub fn read(repo: &Repo, corpus: &Corpus, cap: usize, policy: Policy) -> Result<History, String> {
    let limit = policy.max_klassning;
    let unpublished: std::collections::HashSet<&str> = corpus
        .documents
        .iter()
        .filter(|d| !d.publishable(policy))
        .map(|d| d.content_path.as_str())
        .collect();
    let (tracked, in_submodules) =
        repo.tracked(corpus.documents.iter().map(|d| d.content_path.clone()));
    let (raw, others) = repo.history_with_others(&tracked, cap.saturating_add(1))?;
    let head = repo.head_files(&tracked);
    // Gather the bytes each document needs, then let the CPU-bound work run in parallel.
    let inputs = inputs(repo, corpus, &raw, &head, &in_submodules);
    let read: Vec<(String, DocHistory, Vec<RestrictedCommit>)> = inputs
        .into_par_iter()
        .map(|(path, current, revs, head_bytes)| {
            let (h, mut restricted) = document(current, &revs, head_bytes, cap, limit);
            if unpublished.contains(path.as_str()) {
                restricted.extend(revs.iter().map(|(r, _, _)| (r.commit, r.summary.clone())));
            }
            (path, h, restricted)
        })
        .collect();
    // Markdown files that are no document now (deleted since) were
    // documents then, and start and folder pages have no history of their
    // own: a commit that wrote one above the limit withholds its message
    // too. A page is read by its own rules (front matter optional).
    let gone: Vec<RestrictedCommit> = others
        .iter()
        .filter(|(_, blob, path)| {
            let bytes = repo.blob(*blob).unwrap_or_default();
            let text = String::from_utf8_lossy(&bytes);
            if crate::model::is_page_path(path) {
                !crate::load::page_publishable(&SourceFile::new("", &text), limit)
            } else {
                !publishable(&text, limit)
            }
        })
        .map(|(commit, _, _)| (*commit, repo.summary(*commit).unwrap_or_default()))
        .collect();
    let pages = page_changes(repo, corpus, &others, limit);
    let mut docs = withhold_messages(read, &gone);
    for p in &in_submodules {
        let h = DocHistory {
            in_submodule: true,
            ..DocHistory::default()
        };
        docs.insert(p.clone(), h);
    }
    Ok(History {
        docs,
        pages,
        in_git: true,
        shallow: repo.is_shallow(),
        in_submodules,
    })
}

/// Each document's and start or folder page's last change as it stood at
/// `commit` (a version's tag): content path -> (date, author). One walk
/// from that commit that ends when every document has its newest
/// revision; a page is read as [`History::pages`] reads it.
pub fn last_changes(
    repo: &Repo,
    commit: gix::ObjectId,
    corpus: &Corpus,
    limit: Klassning,
) -> Result<HashMap<String, (String, String)>, String> {
    let (tracked, _) = repo.tracked(corpus.documents.iter().map(|d| d.content_path.clone()));
    let (raw, others) = repo.history_from(commit, &tracked, 1)?;
    let mut out: HashMap<String, (String, String)> = raw
        .into_iter()
        .filter_map(|(path, revs)| {
            let r = revs.first()?;
            Some((path, (date(r.time, r.offset), r.author.clone())))
        })
        .collect();
    out.extend(page_changes(repo, corpus, &others, limit));
    Ok(out)
}

/// The newest commit of each start or folder page, when the text it wrote
/// may be published: (date, author). A page whose newest text was above
/// the limit gets nothing, not even the date.
fn page_changes(
    repo: &Repo,
    corpus: &Corpus,
    others: &[(gix::ObjectId, gix::ObjectId, String)],
    limit: Klassning,
) -> HashMap<String, (String, String)> {
    let mut pages = HashMap::new();
    for page in &corpus.pages.list {
        // Newest first: the first commit that wrote the page is its last change.
        let Some((commit, blob, _)) = others.iter().find(|(_, _, p)| *p == page.content_path)
        else {
            continue;
        };
        let bytes = repo.blob(*blob).unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes);
        if !crate::load::page_publishable(&SourceFile::new("", &text), limit) {
            continue;
        }
        if let Some((author, seconds, offset)) = repo.author(*commit) {
            pages.insert(page.content_path.clone(), (date(seconds, offset), author));
        }
    }
    pages
}

/// Each document's revisions with the bytes they need (the blob, and for a
/// rename the blob it came from) and its bytes at `HEAD`.
fn inputs<'a>(
    repo: &Repo,
    corpus: &'a Corpus,
    raw: &HashMap<String, Vec<RawRevision>>,
    head: &HashMap<String, Vec<u8>>,
    in_submodules: &[String],
) -> Vec<Input<'a>> {
    let docs = corpus
        .documents
        .iter()
        .filter(|doc| !in_submodules.contains(&doc.content_path))
        .map(|doc| {
            let revs = raw.get(&doc.content_path).cloned().unwrap_or_default();
            (doc, revs)
        })
        .collect::<Vec<_>>();
    // Every blob, and for a rename the blob it came from, read on every core.
    let ids: Vec<gix::ObjectId> = docs
        .iter()
        .flat_map(|(_, revs)| {
            revs.iter()
                .flat_map(|r| std::iter::once(r.blob).chain(r.source))
        })
        .collect();
    let mut blobs = repo.blobs(&ids).into_iter();
    docs.into_iter()
        .map(|(doc, revs)| {
            let with_bytes = revs.into_iter().map(|r| {
                let bytes = blobs.next().unwrap_or_default();
                let source = r.source.map(|_| blobs.next().unwrap_or_default());
                (r, bytes, source)
            });
            (
                doc.content_path.clone(),
                doc.source.text.as_str(),
                with_bytes.collect(),
                head.get(&doc.content_path).cloned(),
            )
        })
        .collect()
}

/// The documents' histories with the messages of every restricted commit
/// (of these documents or of `gone` files) withheld on every page.
fn withhold_messages(
    read: Vec<(String, DocHistory, Vec<RestrictedCommit>)>,
    gone: &[RestrictedCommit],
) -> HashMap<String, DocHistory> {
    let withheld = Withheld::of(
        read.iter()
            .flat_map(|(_, _, commits)| commits)
            .chain(gone.iter()),
    );
    read.into_iter()
        .map(|(path, mut h, _)| {
            for r in &mut h.revisions {
                if withheld.applies(r) {
                    r.message_withheld = true;
                    r.summary.clear();
                }
            }
            (path, h)
        })
        .collect()
}

/// A commit that made a revision above the limit, with its message's
/// first line.
type RestrictedCommit = (gix::ObjectId, String);

/// The commit messages no page may show: those of every commit that made a
/// revision above the limit, whichever documents it changed besides, and
/// any message that quotes one of them (`Revert "…"`).
struct Withheld {
    commits: std::collections::HashSet<String>,
    summaries: Vec<String>,
}

impl Withheld {
    fn of<'a>(restricted: impl Iterator<Item = &'a RestrictedCommit>) -> Self {
        let mut commits = std::collections::HashSet::new();
        let mut summaries = std::collections::BTreeSet::new();
        for (commit, summary) in restricted {
            commits.insert(commit.to_hex_with_len(8).to_string());
            // A short message ("Fix") is too common to be quoted knowingly.
            if summary.trim().chars().count() >= 8 {
                summaries.insert(summary.trim().to_string());
            }
        }
        Withheld {
            commits,
            summaries: summaries.into_iter().collect(),
        }
    }

    fn applies(&self, r: &Revision) -> bool {
        self.commits.contains(&r.commit) || self.summaries.iter().any(|s| r.summary.contains(s))
    }
}

/// The history of one document from its revisions (newest first) and its
/// bytes at `HEAD`.
fn document(
    current_source: &str,
    revs: &[RevisionBytes],
    head_bytes: Option<Vec<u8>>,
    cap: usize,
    limit: Klassning,
) -> (DocHistory, Vec<RestrictedCommit>) {
    let capped = revs.len() > cap;
    let mut restricted_commits = Vec::new();
    // Every revision is classified, also those past the cap: a commit that
    // made a restricted one withholds its message from every document.
    for (r, bytes, _) in revs.iter().skip(cap) {
        if !publishable(&String::from_utf8_lossy(bytes), limit) {
            restricted_commits.push((r.commit, r.summary.clone()));
        }
    }
    // The revisions share the blocks they have in common.
    let mut pool = crate::redline::Blocks::default();
    let mut h = build(
        &revs[..revs.len().min(cap)],
        (capped, limit),
        &mut pool,
        &mut restricted_commits,
    );
    let current_doc = Arc::new(pool.share(blocks(current_source)));
    let current = current_doc.plain_text();
    let head_source = head_bytes.map(|b| crate::source::normalize(&String::from_utf8_lossy(&b)));
    if head_source.as_deref() != Some(current_source) {
        // Against `HEAD`, unless `HEAD` may not be published: then against
        // the newest revision that may.
        let head_doc = match head_source.as_deref() {
            Some(src) if publishable(src, limit) => Arc::new(pool.share(blocks(src))),
            _ => h
                .revisions
                .iter()
                .find(|r| !r.restricted)
                .map(|r| r.doc.clone())
                .unwrap_or_default(),
        };
        h.uncommitted = Some(Redline::between(head_doc, current_doc.clone()));
    }
    if let Some(adopted) = crate::adoption::adopting_revision(&h.revisions, current_source) {
        let version = adopted.version.clone().unwrap_or_default();
        let same = adopted.doc.plain_text() == current;
        let redline = Redline::between(adopted.doc.clone(), current_doc.clone());
        h.since_adopted = Some((version, redline, same));
    }
    h.version_pairs = version_pairs(&h.revisions, &current_doc);
    (h, restricted_commits)
}

/// Redlines from each of the newest adopted versions to the current text
/// and to every later one (published revisions only: a restricted one is
/// no row), newest first.
fn version_pairs(revisions: &[Revision], current: &Arc<Doc>) -> Vec<VersionPair> {
    let adopted: Vec<&Revision> = revisions
        .iter()
        .filter(|r| r.adopted && !r.restricted)
        .take(COMPARED_VERSIONS)
        .collect();
    let label = |r: &Revision| (r.version.clone().unwrap_or_default(), r.date.clone());
    let mut pairs: Vec<VersionPair> = adopted
        .iter()
        .map(|r| VersionPair {
            from: label(r),
            to: None,
            redline: Redline::between(r.doc.clone(), current.clone()),
        })
        .collect();
    for (k, newer) in adopted.iter().enumerate() {
        for older in &adopted[k + 1..] {
            pairs.push(VersionPair {
                from: label(older),
                to: Some(label(newer)),
                redline: Redline::between(older.doc.clone(), newer.doc.clone()),
            });
        }
    }
    pairs
}

/// Whether a document's source at some revision may be published under
/// `limit`, by its own front matter there.
fn publishable(source: &str, limit: Klassning) -> bool {
    frontmatter::read_lenient(&SourceFile::new("", source)).publishable(limit)
}

/// The revisions (newest first) as rows: each published one with its
/// redline against the previous published one, each run of restricted
/// ones as one restricted entry. Adoption is counted among the published.
fn build(
    revs: &[RevisionBytes],
    (capped, limit): (bool, Klassning),
    pool: &mut crate::redline::Blocks,
    restricted_commits: &mut Vec<RestrictedCommit>,
) -> DocHistory {
    // Oldest first to compare each with its predecessor.
    let mut rows: Vec<Revision> = Vec::new();
    // The previous published revision's blocks, `None` before the first one.
    let mut prev_doc: Option<Arc<Doc>> = None;
    let mut prev_adopted_version: Option<String> = None;
    for (n, (r, bytes, source)) in revs.iter().rev().enumerate() {
        let src = SourceFile::new(r.path.clone(), &String::from_utf8_lossy(bytes));
        let meta = frontmatter::read_lenient(&src);
        if !meta.publishable(limit) {
            restricted_commits.push((r.commit, r.summary.clone()));
            if !rows.last().is_some_and(|row| row.restricted) {
                rows.push(Revision::restricted());
            }
            continue;
        }
        let (version, status) = (meta.version.map(|v| v.value), meta.status.map(|s| s.value));
        let doc = Arc::new(pool.share(blocks(&src.text)));
        let adopted = status == Some(Status::Faststalld)
            && version.is_some()
            && version != prev_adopted_version;
        if adopted {
            prev_adopted_version = version.clone();
        }
        // Renamed from a file this build may not publish: that side is not named.
        let kind = match (&r.kind, source) {
            (ChangeKind::Renamed(_), Some(old))
                if !publishable(&String::from_utf8_lossy(old), limit) =>
            {
                ChangeKind::Added
            }
            (kind, _) => kind.clone(),
        };
        let redline = match &prev_doc {
            Some(prev) => Redline::between(prev.clone(), doc.clone()),
            // The oldest of a capped list: what came before is not known.
            None if n == 0 && capped => Redline::between(doc.clone(), doc.clone()),
            None => Redline::created(doc.clone()),
        };
        rows.push(Revision {
            commit: r.commit.to_hex_with_len(8).to_string(),
            date: date(r.time, r.offset),
            author: r.author.clone(),
            summary: r.summary.clone(),
            version,
            status,
            adopted,
            kind,
            redline,
            doc: doc.clone(),
            restricted: false,
            message_withheld: false,
        });
        prev_doc = Some(doc);
    }
    rows.reverse();
    DocHistory {
        revisions: rows,
        uncommitted: None,
        since_adopted: None,
        version_pairs: Vec::new(),
        capped,
        in_submodule: false,
    }
}

/// A commit's author date in the author's time zone, YYYY-MM-DD.
pub(crate) fn date(seconds: i64, offset: i32) -> String {
    DateTime::from_timestamp(seconds + i64::from(offset), 0)
        .map_or_else(String::new, |d| d.date_naive().to_string())
}

/// The document's text as a reader sees it: its blocks as plain text, a
/// line each, front matter left out.
pub fn plain_text(source: &str) -> String {
    blocks(source).plain_text()
}

/// The document's blocks, front matter left out.
pub fn blocks(source: &str) -> Doc {
    with_body(source, Doc::parse)
}

/// `f` of the body of a document's source (all of it if the front matter
/// cannot be read).
fn with_body<T>(source: &str, f: impl FnOnce(&str) -> T) -> T {
    let src = SourceFile::new("", source);
    match frontmatter::split(&src) {
        Ok(s) => f(src.text.get(s.body_offset..).unwrap_or_default()),
        Err(_) => f(&src.text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_leaves_out_front_matter_and_markup() {
        assert_eq!(
            plain_text("---\ntitel: A\n---\n## Rubrik\n\nEtt *ord*.\n"),
            "Rubrik\nEtt ord.\n"
        );
    }

    #[test]
    fn dates_are_in_the_authors_zone() {
        // 2026-01-01 23:30 UTC is already the 2nd in Stockholm (+01:00).
        assert_eq!(date(1_767_310_200, 3600), "2026-01-02");
    }
}
