//! Building the preview in memory, and again after each change with only
//! what the change needs.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use super::watch;
use crate::diagnostic::Diagnostic;
use crate::site::{self, Options};

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
            Body::Pieces(p) => crate::render::join(p),
        }
    }
}

/// Files rendered into memory, as served.
fn served(memory: crate::render::Memory) -> impl Iterator<Item = (String, Body)> {
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

/// Builds the site in memory, again and again, redoing only what a change
/// needs: files are re-read only when changed, outlines re-parsed only for
/// changed documents, and after an edit to one document's body only the
/// pages that show it are rendered again.
#[derive(Default)]
pub struct Builder {
    cache: crate::load::LoadCache,
    previous: Option<(site::Checked, Arc<Files>)>,
    caches: site::PreviewCaches,
}

/// What a rebuild did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rendered {
    /// Every page.
    All(usize),
    /// Only these pages.
    Pages(usize),
}

impl Builder {
    /// Builds after a change of `kind` to `paths`; `None` builds everything.
    /// `Err` holds the diagnostics of a failed build.
    pub fn build(
        &mut self,
        opts: &Options,
        change: Option<(watch::Change, &[PathBuf])>,
    ) -> Result<(Arc<Files>, Rendered), Vec<Diagnostic>> {
        let previous = self.previous.as_ref().map(|(c, _)| (&c.corpus, &c.graph));
        let named = match change {
            Some((watch::Change::Content, paths)) if previous.is_some() => Some(paths),
            _ => None,
        };
        let checked =
            site::check_incremental(opts, &mut self.cache, previous, named).map_err(|e| {
                vec![Diagnostic::error(
                    crate::load::UNREADABLE,
                    crate::config::FILE_NAME,
                    1,
                    1,
                    e.0,
                )]
            })?;
        if checked.diags.iter().any(|d| d.is_failure(false)) {
            return Err(checked
                .diags
                .into_iter()
                .filter(|d| d.is_failure(false))
                .collect());
        }
        let partial = match (change, &self.previous) {
            (Some((watch::Change::Content, paths)), Some((prev, files))) => {
                affected(prev, &checked, paths).map(|a| (a, files))
            }
            _ => None,
        };
        let (files, rendered) = match partial {
            Some(((docs, areas), old)) => {
                let pages = site::render_preview_pages(opts, &checked, &docs, areas, &self.caches)
                    .map_err(|d| vec![d])?;
                // One copy of the table (its values are shared): the
                // server keeps serving the old one until this is published.
                let mut files = Files::clone(old);
                let mut n = 0;
                for (path, body) in served(pages) {
                    files.insert(path, body);
                    n += 1;
                }
                (Arc::new(files), Rendered::Pages(n))
            }
            None => {
                let all = site::render_preview(opts, &checked, Some(&self.caches))
                    .map_err(|d| vec![d])?;
                let files: Files = served(all).collect();
                let n = files.len();
                (Arc::new(files), Rendered::All(n))
            }
        };
        let old = self.previous.replace((checked, Arc::clone(&files)));
        // Freeing the previous build (every document's links and outline)
        // takes milliseconds the reload need not wait for.
        if let Some(old) = old {
            std::thread::spawn(move || drop(old));
        }
        Ok((files, rendered))
    }
}

/// The documents whose pages a change to `paths` affects, and whether the
/// area coverage page is among them; `None` when more than pages of
/// documents can have changed (a document added, removed or renamed, front
/// matter, the register, an attachment), which needs a full render.
fn affected(
    prev: &site::Checked,
    new: &site::Checked,
    paths: &[PathBuf],
) -> Option<(Vec<usize>, bool)> {
    if paths
        .iter()
        .any(|p| !p.extension().is_some_and(|e| e.eq_ignore_ascii_case("md")))
    {
        return None;
    }
    let (old_docs, new_docs) = (&prev.corpus.documents, &new.corpus.documents);
    if old_docs.len() != new_docs.len() || prev.corpus.attachments != new.corpus.attachments {
        return None;
    }
    let mut docs = std::collections::BTreeSet::new();
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
        areas |= doc.doc_type() == crate::model::DocType::Instruktion;
    }
    Some((docs.into_iter().collect(), areas))
}

/// Builds the whole site in memory once; `Err` holds the diagnostics.
pub fn build(opts: &Options) -> Result<Files, Vec<Diagnostic>> {
    Builder::default()
        .build(opts, None)
        .map(|(f, _)| Arc::try_unwrap(f).unwrap_or_else(|f| Files::clone(&f)))
}
