//! The one walk over the commits that finds every document's revisions:
//! newest first, following renames, a merge counting for a file only where
//! it differs from every parent.

use gix::bstr::ByteSlice;
use gix::diff::tree_with_rewrites::{Change, Options};
use gix::ObjectId;
use std::collections::HashMap;

use super::{err, ChangeKind, RawRevision, Repo, WalkedHistory};

/// Who and when: author time, time zone offset, author name, summary.
type CommitMeta = (i64, i32, String, String);

/// What a commit changed in the content directory against each parent
/// (against nothing for a root commit); `None` when it changed nothing
/// there. Shared: every walk that visits the commit reads the same.
pub(super) type Diffs = Option<std::sync::Arc<Vec<Vec<Change>>>>;

/// The state of one walk.
pub(super) struct Walk<'r> {
    repo: &'r Repo,
    cap: usize,
    /// Path in history -> the current document it is.
    follow: HashMap<String, String>,
    out: HashMap<String, Vec<RawRevision>>,
    /// Markdown files changed that are no current document: (commit,
    /// blob, path).
    other_md: Vec<(ObjectId, ObjectId, String)>,
    cache: gix::diff::blob::Platform,
    state: gix::diff::tree::State,
    options: Options,
    subtrees: HashMap<ObjectId, Option<ObjectId>>,
}

/// A change to one file as the walk records it.
struct Touched {
    path: String,
    blob: ObjectId,
    kind: ChangeKind,
    source: Option<ObjectId>,
}

impl<'r> Walk<'r> {
    pub(super) fn new(repo: &'r Repo, tracked: &[String], cap: usize) -> Result<Self, String> {
        Ok(Walk {
            repo,
            cap,
            follow: tracked.iter().map(|p| (p.clone(), p.clone())).collect(),
            out: HashMap::new(),
            other_md: Vec::new(),
            cache: repo.repo.diff_resource_cache_for_tree_diff().map_err(err)?,
            state: gix::diff::tree::State::default(),
            options: Options {
                location: Some(gix::diff::tree::recorder::Location::Path),
                rewrites: Some(gix::diff::Rewrites::default()),
            },
            subtrees: HashMap::new(),
        })
    }

    /// Walks from `head` until every document has its revisions (or the
    /// history ends).
    pub(super) fn run(mut self, head: ObjectId) -> Result<WalkedHistory, String> {
        let walk = self
            .repo
            .repo
            .rev_walk([head])
            .sorting(gix::revision::walk::Sorting::ByCommitTime(
                Default::default(),
            ))
            .all()
            .map_err(err)?;
        for info in walk {
            if self.follow.is_empty() {
                break;
            }
            let Ok(info) = info else { break }; // a shallow boundary or a missing object ends the walk
            let parents: Vec<ObjectId> = info.parent_ids.iter().copied().collect();
            if let Some(per_parent) = self.known_changes(info.id, &parents)? {
                self.record(info.id, &per_parent)?;
            }
        }
        Ok((self.out, self.other_md))
    }

    /// [`Walk::changes`] of commit `id`, as an earlier walk found them if
    /// one did.
    fn known_changes(&mut self, id: ObjectId, parents: &[ObjectId]) -> Result<Diffs, String> {
        let lock = |r: &'r Repo| {
            r.diffs
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        if let Some(known) = lock(self.repo).get(&id) {
            return Ok(known.clone());
        }
        let found = self.changes(id, parents)?.map(std::sync::Arc::new);
        lock(self.repo).insert(id, found.clone());
        Ok(found)
    }

    /// The changes of the content directory against each parent (against
    /// nothing for a root commit); `None` when the commit changed nothing
    /// there (it is the same as a parent, or has no content directory).
    fn changes(
        &mut self,
        id: ObjectId,
        parents: &[ObjectId],
    ) -> Result<Option<Vec<Vec<Change>>>, String> {
        let mine = self.subtree(id)?;
        let mut parent_trees = Vec::new();
        for p in parents {
            parent_trees.push(self.subtree(*p).unwrap_or(None));
        }
        if mine.is_none() && parent_trees.iter().all(Option::is_none) {
            return Ok(None);
        }
        // TREESAME to a parent: nothing of ours changed here.
        if parent_trees.contains(&mine) && !parents.is_empty() {
            return Ok(None);
        }
        let bases = if parents.is_empty() {
            vec![None]
        } else {
            parent_trees
        };
        let mut per_parent = Vec::new();
        for base in bases {
            per_parent.push(self.diff(base, mine)?);
        }
        Ok(Some(per_parent))
    }

    /// The changes from tree `old` to tree `new`. Rename tracking costs; it
    /// can only matter where something was both added and deleted, so the
    /// trees are compared without it first.
    fn diff(
        &mut self,
        old: Option<ObjectId>,
        new: Option<ObjectId>,
    ) -> Result<Vec<Change>, String> {
        let tree = |t: Option<ObjectId>| match t {
            Some(t) => self.repo.repo.find_tree(t).map_err(err),
            None => Ok(self.repo.repo.empty_tree()),
        };
        let (old, new) = (tree(old)?, tree(new)?);
        let plain = Options {
            rewrites: None,
            ..self.options.clone()
        };
        let mut changes = self.diff_trees(&old, &new, plain)?;
        let added = changes.iter().any(|c| matches!(c, Change::Addition { .. }));
        let deleted = changes.iter().any(|c| matches!(c, Change::Deletion { .. }));
        if added && deleted {
            changes = self.diff_trees(&old, &new, self.options.clone())?;
        }
        Ok(changes)
    }

    fn diff_trees(
        &mut self,
        old: &gix::Tree<'_>,
        new: &gix::Tree<'_>,
        options: Options,
    ) -> Result<Vec<Change>, String> {
        let mut changes = Vec::new();
        gix::diff::tree_with_rewrites(
            gix::objs::TreeRefIter::from_bytes(&old.data, old.id.kind()),
            gix::objs::TreeRefIter::from_bytes(&new.data, new.id.kind()),
            &mut self.cache,
            &mut self.state,
            &self.repo.repo.objects,
            |change| -> gix::Result<std::ops::ControlFlow<()>> {
                changes.push(change.into_owned());
                Ok(std::ops::ControlFlow::Continue(()))
            },
            options,
        )
        .map_err(err)?;
        self.cache.clear_resource_cache_keep_allocation();
        Ok(changes)
    }

    fn subtree(&mut self, commit: ObjectId) -> Result<Option<ObjectId>, String> {
        if let Some(t) = self.subtrees.get(&commit) {
            return Ok(*t);
        }
        let t = self.repo.subtree(commit, &self.repo.content_prefix)?;
        self.subtrees.insert(commit, t);
        Ok(t)
    }

    /// Records what commit `id` did to the followed documents (its changes
    /// against the first parent; a merge only where it differs from every
    /// parent).
    fn record(&mut self, id: ObjectId, per_parent: &[Vec<Change>]) -> Result<(), String> {
        let (first, others) = per_parent
            .split_first()
            .map_or((&[][..], &[][..]), |(f, o)| (f.as_slice(), o));
        // Who and when, read only if the commit touched a tracked document.
        let mut meta: Option<CommitMeta> = None;
        for change in first {
            let Some(t) = touched(change) else { continue };
            if others
                .iter()
                .any(|o| !o.iter().any(|c| c.location().to_str_lossy() == t.path))
            {
                continue;
            }
            let Some(doc) = self.follow.get(&t.path).cloned() else {
                if t.path.to_ascii_lowercase().ends_with(".md") {
                    self.other_md.push((id, t.blob, t.path.clone()));
                }
                continue;
            };
            match &t.kind {
                ChangeKind::Added => {
                    self.follow.remove(&t.path);
                }
                ChangeKind::Renamed(from) => {
                    self.follow.remove(&t.path);
                    self.follow.insert(from.clone(), doc.clone());
                }
                ChangeKind::Modified => {}
            }
            if meta.is_none() {
                meta = Some(self.meta(id)?);
            }
            let Some((seconds, offset, name, summary)) = &meta else {
                continue;
            };
            let revs = self.out.entry(doc.clone()).or_default();
            revs.push(RawRevision {
                commit: id,
                time: *seconds,
                offset: *offset,
                author: name.clone(),
                summary: summary.clone(),
                blob: t.blob,
                path: t.path,
                kind: t.kind,
                source: t.source,
            });
            if revs.len() >= self.cap {
                self.follow.retain(|_, d| *d != doc);
            }
        }
        Ok(())
    }

    fn meta(&self, id: ObjectId) -> Result<CommitMeta, String> {
        let commit = self.repo.repo.find_commit(id).map_err(err)?;
        let author = commit.author().map_err(err)?;
        let time = author.time().map_err(err)?;
        let name = author.name.to_str_lossy().into_owned();
        let summary = commit
            .message()
            .map(|m| m.summary().to_str_lossy().into_owned())
            .unwrap_or_default();
        Ok((time.seconds, time.offset, name, summary))
    }
}

/// What a change did to a file (blobs only; a deletion is nothing to
/// record, and a copy counts as an addition).
fn touched(change: &Change) -> Option<Touched> {
    let (path, blob, kind, is_blob, source) = match change {
        Change::Addition {
            location,
            id,
            entry_mode,
            ..
        } => (location, *id, ChangeKind::Added, entry_mode.is_blob(), None),
        Change::Modification {
            location,
            id,
            entry_mode,
            ..
        } => (
            location,
            *id,
            ChangeKind::Modified,
            entry_mode.is_blob(),
            None,
        ),
        Change::Rewrite {
            source_location,
            source_id,
            location,
            id,
            entry_mode,
            copy,
            ..
        } if !copy => (
            location,
            *id,
            ChangeKind::Renamed(source_location.to_str_lossy().into_owned()),
            entry_mode.is_blob(),
            Some(*source_id),
        ),
        Change::Rewrite {
            location,
            id,
            entry_mode,
            ..
        } => (location, *id, ChangeKind::Added, entry_mode.is_blob(), None),
        Change::Deletion { .. } => return None,
    };
    is_blob.then(|| Touched {
        path: path.to_str_lossy().into_owned(),
        blob,
        kind,
        source,
    })
}
