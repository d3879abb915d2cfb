//! Git, read in-process with gix: the history of every document in one
//! walk over the commits, blobs and trees at any commit, and tags.

use gix::bstr::ByteSlice;
use gix::ObjectId;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

mod walk;

/// How a commit touched a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeKind {
    /// The document was created (as far as history goes).
    Added,
    /// Its content changed.
    Modified,
    /// It was renamed (maybe also changed) from this content path.
    Renamed(String),
}

/// One commit that touched one document.
#[derive(Debug, Clone)]
pub struct RawRevision {
    /// The commit.
    pub commit: ObjectId,
    /// Author time, seconds since the epoch.
    pub time: i64,
    /// The author's time zone offset, in seconds.
    pub offset: i32,
    /// Author name.
    pub author: String,
    /// First line of the message.
    pub summary: String,
    /// The document's blob at this commit.
    pub blob: ObjectId,
    /// Its content path at this commit.
    pub path: String,
    /// What happened.
    pub kind: ChangeKind,
    /// For a rename, the blob it was renamed from: the history must know
    /// that side's class before it may name it.
    pub source: Option<ObjectId>,
}

/// The first `cap` revisions of each document of a walk that took more:
/// what a walk with that cap finds, for it visits the same commits in the
/// same order and only stops following a document sooner. The other
/// Markdown files are those of every commit the longer walk visited, newest
/// first: a capped walk could end before a start page's last change.
fn capped(found: &WalkedHistory, cap: usize) -> WalkedHistory {
    let (docs, others) = found;
    let docs = docs
        .iter()
        .map(|(path, revs)| (path.clone(), revs.iter().take(cap).cloned().collect()))
        .collect();
    (docs, others.clone())
}

/// A tag matching the pattern: its name, the commit it points at, and the
/// commit's time.
pub type Tag = (String, ObjectId, i64);

/// What [`Repo::history_with_others`] finds: each tracked document's
/// revisions, and (commit, blob, path) of the other Markdown files changed.
pub type WalkedHistory = (
    HashMap<String, Vec<RawRevision>>,
    Vec<(ObjectId, ObjectId, String)>,
);

/// A site's files at a commit: `styrdok.toml` (if there) and the content
/// files by content-relative path.
pub type SiteFiles = (Option<Vec<u8>>, BTreeMap<String, Vec<u8>>);

/// A repository that holds a site.
pub struct Repo {
    repo: gix::Repository,
    /// The content directory's path relative to the work tree, `/`-separated, no trailing slash.
    content_prefix: String,
    /// The site root's path relative to the work tree.
    site_prefix: String,
    /// The last walk (see [`Repo::history_with_others`]): the adoption
    /// check walks the whole history, and the history pages then need
    /// the newest revisions of the same documents.
    walked: std::sync::Mutex<Option<Walked>>,
    /// What each commit a walk visited changed in the content directory,
    /// against each parent (`None`: nothing): the walks from each version's
    /// tag visit the commits the walk from `HEAD` diffed already.
    diffs: std::sync::Mutex<HashMap<ObjectId, walk::Diffs>>,
}

/// A walk kept: from which commit, of which documents, at most how many
/// revisions each, and what it found.
struct Walked {
    head: ObjectId,
    tracked: Vec<String>,
    cap: usize,
    found: WalkedHistory,
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

fn rel(path: &Path, base: &Path) -> Option<String> {
    let p = crate::platform::canonicalize(path).ok()?;
    let b = crate::platform::canonicalize(base).ok()?;
    let r = p.strip_prefix(&b).ok()?;
    Some(
        r.components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/"),
    )
}

/// A problem with the repository: SD008, a warning about the repository
/// as a whole (`.git`), at no line.
pub fn problem(message: impl Into<String>) -> crate::diagnostic::Diagnostic {
    crate::diagnostic::Diagnostic::warning_in(crate::codes::Code::GitProblem, ".git", message)
}

/// A blob's bytes, taken from the buffer gix inflated it into (not
/// copied) but without that buffer's slack: blobs are held by the
/// thousand, and the slack was twice their size (measured with heaptrack
/// on a 3,000-commit history).
fn read_blob(repo: &gix::Repository, id: ObjectId) -> Result<Vec<u8>, String> {
    let mut bytes = repo.find_blob(id).map_err(err)?.take_data();
    bytes.shrink_to_fit();
    Ok(bytes)
}

/// Opens the repository the site lives in; `Ok(None)` when it is not in git.
pub fn open(site_root: &Path, content_dir: &Path) -> Result<Option<Repo>, String> {
    let mut repo = match gix::discover(site_root) {
        Ok(r) => r,
        Err(_) => return Ok(None),
    };
    // The history walk diffs each commit's tree against its parent's, and
    // the next commit's parent is the tree just read: without a cache of
    // decoded objects every tree is inflated (and its deltas resolved)
    // twice or more. gix leaves the cache off unless asked.
    repo.object_cache_size_if_unset(32 * 1024 * 1024);
    let Some(workdir) = repo.workdir().map(Path::to_path_buf) else {
        return Ok(None);
    };
    let (Some(content_prefix), Some(site_prefix)) =
        (rel(content_dir, &workdir), rel(site_root, &workdir))
    else {
        return Ok(None);
    };
    Ok(Some(Repo {
        repo,
        content_prefix,
        site_prefix,
        walked: std::sync::Mutex::new(None),
        diffs: std::sync::Mutex::default(),
    }))
}

/// Where the site root is in the work tree of the repository it lives in:
/// `site` for a site at `<repo>/site`, the empty string at the top, `None`
/// outside git. Forges name files from the top of the repository, so the
/// CI formats of `check` put this before each path.
pub fn site_prefix(site_root: &Path) -> Option<String> {
    let repo = gix::discover(site_root).ok()?;
    rel(site_root, repo.workdir()?)
}

impl Repo {
    /// Whether the clone is shallow (history is cut off).
    pub fn is_shallow(&self) -> bool {
        self.repo.is_shallow().unwrap_or(false)
    }

    /// What of the repository a build reads besides the work tree, as
    /// text: where `HEAD` points, every reference and what it points at,
    /// and the shallow boundary. Objects never change, so two builds that
    /// see the same state read the same history and versions.
    /// `None` when some of it cannot be read.
    pub fn state(&self) -> Option<String> {
        use std::fmt::Write as _;
        let mut text = format!("HEAD {:?}\n", self.head());
        let head = self.repo.head_name().ok()?;
        let _ = writeln!(
            text,
            "HEAD-name {:?}",
            head.map(|n| n.as_bstr().to_string())
        );
        let mut refs: Vec<String> = Vec::new();
        for r in self.repo.references().ok()?.all().ok()? {
            let r = r.ok()?;
            refs.push(format!("{} {:?}", r.name().as_bstr(), r.target()));
        }
        refs.sort();
        for r in refs {
            let _ = writeln!(text, "ref {r}");
        }
        let shallow = match std::fs::read(self.repo.shallow_file().ok()?) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(_) => return None,
        };
        let _ = writeln!(
            text,
            "shallow {}",
            String::from_utf8_lossy(&shallow).replace('\n', " ")
        );
        Some(text)
    }

    /// The commit `HEAD` points at, if any.
    pub fn head(&self) -> Option<ObjectId> {
        self.repo.head_id().ok().map(|id| id.detach())
    }

    /// The commit `HEAD` points at; `None` before the first commit, an
    /// error when `HEAD` cannot be resolved (a broken ref).
    fn head_checked(&self) -> Result<Option<ObjectId>, String> {
        let head = self.repo.head().map_err(err)?;
        if head.is_unborn() {
            return Ok(None);
        }
        match head.id() {
            Some(id) => Ok(Some(id.detach())),
            None => Err(crate::tr!(
                "HEAD pekar inte på någon incheckning",
                "HEAD points at no commit"
            )),
        }
    }

    /// The root tree of `commit`.
    fn tree_at(&self, commit: ObjectId) -> Result<gix::Tree<'_>, String> {
        self.repo
            .find_commit(commit)
            .map_err(err)?
            .tree()
            .map_err(err)
    }

    /// The tree id of `dir` (relative to the work tree) at `commit`.
    pub(crate) fn subtree(&self, commit: ObjectId, dir: &str) -> Result<Option<ObjectId>, String> {
        let tree = self.tree_at(commit)?;
        if dir.is_empty() {
            return Ok(Some(tree.id));
        }
        let entry = tree.lookup_entry_by_path(dir).map_err(err)?;
        Ok(entry.filter(|e| e.mode().is_tree()).map(|e| e.object_id()))
    }

    /// Every commit reachable from `HEAD` that touched one of `tracked`
    /// (content paths of the current documents), following renames, newest
    /// first; at most `cap` revisions per document. One walk for all documents.
    pub fn history(
        &self,
        tracked: &[String],
        cap: usize,
    ) -> Result<HashMap<String, Vec<RawRevision>>, String> {
        self.history_with_others(tracked, cap).map(|(docs, _)| docs)
    }

    /// Like [`Repo::history`], and besides the commits in that walk that
    /// changed a Markdown file which is no current document (one deleted
    /// since), with the blob they wrote: (commit, blob).
    pub fn history_with_others(
        &self,
        tracked: &[String],
        cap: usize,
    ) -> Result<WalkedHistory, String> {
        let Some(head) = self.head_checked()? else {
            return Ok(Default::default());
        };
        let mut walked = self
            .walked
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(w) = walked
            .as_ref()
            .filter(|w| w.head == head && w.cap >= cap && w.tracked == tracked)
        {
            return Ok(capped(&w.found, cap));
        }
        let found = self.history_from(head, tracked, cap)?;
        let kept = Walked {
            head,
            tracked: tracked.to_vec(),
            cap,
            found,
        };
        let out = capped(&kept.found, cap);
        *walked = Some(kept);
        Ok(out)
    }

    /// Like [`Repo::history_with_others`], walking from `commit` (a tag)
    /// rather than from `HEAD`.
    pub fn history_from(
        &self,
        commit: ObjectId,
        tracked: &[String],
        cap: usize,
    ) -> Result<WalkedHistory, String> {
        walk::Walk::new(self, tracked, cap)?.run(commit)
    }

    /// A commit's author name and author date (seconds, offset).
    pub fn author(&self, commit: ObjectId) -> Option<(String, i64, i32)> {
        let commit = self.repo.find_commit(commit).ok()?;
        let author = commit.author().ok()?;
        let time = author.time().ok()?;
        Some((
            author.name.to_str_lossy().into_owned(),
            time.seconds,
            time.offset,
        ))
    }

    /// The first line of a commit's message.
    pub fn summary(&self, commit: ObjectId) -> Option<String> {
        let commit = self.repo.find_commit(commit).ok()?;
        let message = commit.message().ok()?;
        Some(message.summary().to_str_lossy().into_owned())
    }

    /// The bytes of a blob.
    pub fn blob(&self, id: ObjectId) -> Result<Vec<u8>, String> {
        read_blob(&self.repo, id)
    }

    /// The bytes of each of these blobs, in order (empty for one that
    /// cannot be read), read on every core: inflating revisions is most
    /// of what reading a long history costs. Each core reads through its
    /// own handle on the repository.
    pub fn blobs(&self, ids: &[ObjectId]) -> Vec<Vec<u8>> {
        self.try_blobs(ids)
            .into_iter()
            .map(Result::unwrap_or_default)
            .collect()
    }

    /// Like [`Repo::blobs`], with each blob's error.
    fn try_blobs(&self, ids: &[ObjectId]) -> Vec<Result<Vec<u8>, String>> {
        use rayon::prelude::*;
        let shared = self.repo.clone().into_sync();
        ids.par_iter()
            .map_init(|| shared.to_thread_local(), |repo, &id| read_blob(repo, id))
            .collect()
    }

    /// The bytes at `HEAD` of each of these content files that is there.
    pub fn head_files(&self, content_paths: &[String]) -> HashMap<String, Vec<u8>> {
        let mut out = HashMap::new();
        let Some(tree) = self
            .head()
            .and_then(|h| self.repo.find_commit(h).ok())
            .and_then(|c| c.tree().ok())
        else {
            return out;
        };
        for p in content_paths {
            let path = join(&self.content_prefix, p);
            if let Ok(Some(entry)) = tree.lookup_entry_by_path(&path) {
                if let Ok(bytes) = self.blob(entry.object_id()) {
                    out.insert(p.clone(), bytes);
                }
            }
        }
        out
    }

    /// The bytes of a content file at `HEAD`, if it is there.
    pub fn head_file(&self, content_path: &str) -> Option<Vec<u8>> {
        let tree = self.repo.find_commit(self.head()?).ok()?.tree().ok()?;
        let path = join(&self.content_prefix, content_path);
        let entry = tree.lookup_entry_by_path(&path).ok()??;
        self.blob(entry.object_id()).ok()
    }

    /// Tags whose name matches `pattern` (`*` any run, `?` one character),
    /// each with the commit it points at, sorted by commit time then name;
    /// and the refs that could not be read (skipped, as git does).
    pub fn tags(&self, pattern: &str) -> Result<(Vec<Tag>, Vec<String>), String> {
        let mut out = Vec::new();
        let mut broken = Vec::new();
        let refs = self.repo.references().map_err(err)?;
        for r in refs.tags().map_err(err)? {
            let r = match r {
                Ok(r) => r,
                Err(e) => {
                    broken.push(broken_ref(&e));
                    continue;
                }
            };
            let name = r.name().shorten().to_str_lossy().into_owned();
            if !glob(pattern, &name) {
                continue;
            }
            let mut r = r;
            let Ok(commit) = r.peel_to_commit() else {
                continue;
            };
            let time = commit.time().map(|t| t.seconds).unwrap_or(0);
            out.push((name, commit.id, time));
        }
        out.sort_by(|a, b| (a.2, &a.0).cmp(&(b.2, &b.0)));
        Ok((out, broken))
    }

    /// Of these content paths, those whose history this repository holds,
    /// and those inside a submodule (whose history is another repository's).
    pub fn tracked(
        &self,
        content_paths: impl Iterator<Item = String>,
    ) -> (Vec<String>, Vec<String>) {
        let mut tracked: Vec<String> = content_paths.collect();
        let in_submodules = self.in_submodules(&tracked);
        tracked.retain(|p| !in_submodules.contains(p));
        (tracked, in_submodules)
    }

    /// Which of these content paths lie inside a git submodule at `HEAD`
    /// (their history is in another repository).
    pub fn in_submodules(&self, content_paths: &[String]) -> Vec<String> {
        let Some(tree) = self
            .head()
            .and_then(|h| self.repo.find_commit(h).ok())
            .and_then(|c| c.tree().ok())
        else {
            return Vec::new();
        };
        let mut gitlinks: HashMap<String, bool> = HashMap::new();
        let mut is_gitlink = |dir: String| {
            *gitlinks.entry(dir).or_insert_with_key(|dir| {
                matches!(tree.lookup_entry_by_path(dir.as_str()), Ok(Some(e)) if e.mode().is_commit())
            })
        };
        content_paths
            .iter()
            .filter(|p| {
                let path = join(&self.content_prefix, p);
                let dirs = path.match_indices('/').map(|(i, _)| path[..i].to_string());
                dirs.into_iter().any(&mut is_gitlink)
            })
            .cloned()
            .collect()
    }

    /// The commit a revision names (`main`, `origin/main`, a tag, a commit
    /// id, `HEAD~2`: what `git rev-parse` takes), peeled to a commit.
    pub fn commit_of(&self, spec: &str) -> Result<ObjectId, String> {
        let id = self.repo.rev_parse_single(spec).map_err(|e| {
            crate::tr!(
                "`{spec}` anger ingen incheckning här: {e}",
                "`{spec}` names no commit here: {e}"
            )
        })?;
        let object = id.object().map_err(err)?;
        let commit = object
            .peel_to_kind(gix::object::Kind::Commit)
            .map_err(|_| {
                crate::tr!(
                    "`{spec}` anger inte en incheckning",
                    "`{spec}` does not name a commit"
                )
            })?;
        Ok(commit.id)
    }

    /// The repository's main branch, as a revision: what `origin/HEAD`
    /// points at, else the first of `main`, `master`, `trunk` (local, then
    /// on `origin`) that exists.
    pub fn main_branch(&self) -> Option<String> {
        if let Ok(Some(r)) = self.repo.try_find_reference("refs/remotes/origin/HEAD") {
            if let Some(target) = r.target().try_name() {
                let name = target.as_bstr().to_string();
                if let Some(short) = name.strip_prefix("refs/remotes/") {
                    return Some(short.to_string());
                }
            }
        }
        ["main", "master", "trunk"]
            .iter()
            .flat_map(|b| [b.to_string(), format!("origin/{b}")])
            .find(|b| self.commit_of(b).is_ok())
    }

    /// Every file of the site at `commit`: `styrdok.toml` (if there) and the
    /// files under the content directory, with content-relative paths.
    pub fn site_files(&self, commit: ObjectId) -> Result<SiteFiles, String> {
        let tree = self.tree_at(commit)?;
        let config_path = join(&self.site_prefix, crate::config::FILE_NAME);
        let config = match tree.lookup_entry_by_path(&config_path).map_err(err)? {
            Some(e) if e.mode().is_blob() => Some(self.blob(e.object_id())?),
            _ => None,
        };
        let mut files = BTreeMap::new();
        let Some(content) = self.subtree(commit, &self.content_prefix)? else {
            return Ok((config, files));
        };
        let content = self.repo.find_tree(content).map_err(err)?;
        let mut recorder = gix::traverse::tree::Recorder::default();
        content
            .traverse()
            .breadthfirst(&mut recorder)
            .map_err(err)?;
        let entries: Vec<_> = recorder
            .records
            .into_iter()
            .filter(|e| e.mode.is_blob())
            .collect();
        let ids: Vec<ObjectId> = entries.iter().map(|e| e.oid).collect();
        for (entry, bytes) in entries.iter().zip(self.try_blobs(&ids)) {
            files.insert(entry.filepath.to_str_lossy().into_owned(), bytes?);
        }
        Ok((config, files))
    }
}

/// A ref that could not be read, in words: the line and what is wrong with it.
fn broken_ref(e: &gix::Error) -> String {
    let meta = e.metadata_merged();
    let mut text = e.probable_cause().to_string();
    // Its number counts lines of the part of the file that was read: not
    // the file's. The line itself says which it is.
    if let Some(input) = meta.get("input") {
        text = format!("{input}: {text}");
    }
    text
}

fn join(prefix: &str, rel: &str) -> String {
    if prefix.is_empty() {
        rel.to_string()
    } else {
        format!("{prefix}/{rel}")
    }
}

/// Matches a tag name against a pattern with `*` and `?`.
pub fn glob(pattern: &str, name: &str) -> bool {
    fn go(p: &[char], n: &[char]) -> bool {
        match (p.first(), n.first()) {
            (None, None) => true,
            (Some('*'), _) => go(&p[1..], n) || (!n.is_empty() && go(p, &n[1..])),
            (Some('?'), Some(_)) => go(&p[1..], &n[1..]),
            (Some(a), Some(b)) if a == b => go(&p[1..], &n[1..]),
            _ => false,
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    go(&p, &n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_patterns() {
        assert!(glob("v*", "v1.0"));
        assert!(glob("v*", "v"));
        assert!(!glob("v*", "release-1"));
        assert!(glob("v?.*", "v2.13"));
        assert!(glob("*", "anything"));
    }
}
