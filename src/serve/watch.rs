//! Watching the site for changes. The classification of a changed path is
//! pure and tested here; notify (with debouncing) only feeds it, and the
//! rebuild is a callback: this module knows nothing of the server.

use std::path::{Component, Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify::{EventKind, RecursiveMode};

/// What kind of change a path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// A document, the register or an attachment under content/.
    Content,
    /// A template or asset of the site's theme.
    Theme,
    /// `styrdok.toml`.
    Config,
}

/// Where things are in the site, for classification.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The site root.
    pub root: PathBuf,
    /// The content directory, relative to the root.
    pub content: PathBuf,
    /// The output directory, relative to the root (never watched).
    pub output: PathBuf,
}

/// Classifies a changed path; `None` for anything a build does not read
/// (what [`crate::text::is_ignored_name`], the build's own list, names).
pub fn classify(layout: &Layout, path: &Path) -> Option<Change> {
    let rel = path.strip_prefix(&layout.root).ok()?;
    let names: Vec<String> = rel
        .components()
        .map(|c| match c {
            Component::Normal(n) => Some(n.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()?;
    if names.is_empty() || names.iter().any(|n| crate::text::is_ignored_name(n)) {
        return None;
    }
    if rel.starts_with(&layout.output) && !layout.output.as_os_str().is_empty() {
        return None;
    }
    if rel == Path::new(crate::config::FILE_NAME) {
        return Some(Change::Config);
    }
    if rel.starts_with(&layout.content) {
        return Some(Change::Content);
    }
    if names[0] == "themes" {
        return Some(Change::Theme);
    }
    None
}

/// The most far-reaching of a batch of changes: config over theme over content.
pub fn summarize(layout: &Layout, paths: &[PathBuf]) -> Option<(Change, Vec<PathBuf>)> {
    let mut kinds: Vec<(Change, PathBuf)> = paths
        .iter()
        .filter_map(|p| classify(layout, p).map(|k| (k, p.clone())))
        .collect();
    kinds.sort();
    let top = kinds.iter().map(|(k, _)| *k).max()?;
    Some((top, kinds.into_iter().map(|(_, p)| p).collect()))
}

/// A running watcher; dropping it stops watching.
pub struct Watching {
    _watcher: Box<dyn notify::Watcher + Send>,
}

/// Whether a file system event can change what a build reads: reads and
/// opens (which the build itself causes) cannot.
pub fn is_relevant(kind: &EventKind) -> bool {
    !matches!(kind, EventKind::Access(_) | EventKind::Other)
}

/// Watches the site and sends every relevant change as it happens; the
/// receiver debounces them with [`debounce`]. `poll` uses a polling watcher
/// (network drives, containers).
pub fn watch(
    layout: Layout,
    poll: bool,
    tx: mpsc::Sender<(Change, Vec<PathBuf>)>,
) -> notify::Result<Watching> {
    let handler_layout = layout.clone();
    let handler = move |res: notify::Result<notify::Event>| {
        let Ok(event) = res else { return };
        if !is_relevant(&event.kind) {
            return;
        }
        if let Some(batch) = summarize(&handler_layout, &event.paths) {
            let _ = tx.send(batch);
        }
    };
    let mut watcher: Box<dyn notify::Watcher + Send> = if poll {
        let config = notify::Config::default()
            .with_poll_interval(Duration::from_millis(250))
            .with_compare_contents(true);
        Box::new(notify::PollWatcher::new(handler, config)?)
    } else {
        Box::new(notify::recommended_watcher(handler)?)
    };
    add_watches(watcher.as_mut(), &layout)?;
    Ok(Watching { _watcher: watcher })
}

/// Waits until no change has arrived for `quiet`, folding everything that
/// came in meanwhile into one batch: one rebuild for an editor's burst of
/// events (write temp file, rename over, touch).
pub fn debounce(
    rx: &mpsc::Receiver<(Change, Vec<PathBuf>)>,
    first: (Change, Vec<PathBuf>),
    quiet: Duration,
) -> (Change, Vec<PathBuf>) {
    let (mut kind, mut paths) = first;
    while let Ok((k, p)) = rx.recv_timeout(quiet) {
        kind = kind.max(k);
        paths.extend(p);
    }
    paths.sort();
    paths.dedup();
    (kind, paths)
}

fn add_watches(w: &mut dyn notify::Watcher, layout: &Layout) -> notify::Result<()> {
    // The root itself (not recursively): styrdok.toml, and themes/ appearing.
    w.watch(&layout.root, RecursiveMode::NonRecursive)?;
    let content = layout.root.join(&layout.content);
    if content.is_dir() {
        w.watch(&content, RecursiveMode::Recursive)?;
    }
    let themes = layout.root.join("themes");
    if themes.is_dir() {
        w.watch(&themes, RecursiveMode::Recursive)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout() -> Layout {
        Layout {
            root: PathBuf::from("/site"),
            content: PathBuf::from("content"),
            output: PathBuf::from("output"),
        }
    }

    fn kind(p: &str) -> Option<Change> {
        classify(&layout(), Path::new(p))
    }

    #[test]
    fn documents_themes_and_config_are_changes() {
        assert_eq!(
            kind("/site/content/instruktioner/drift.md"),
            Some(Change::Content)
        );
        assert_eq!(
            kind("/site/content/systemregister.yaml"),
            Some(Change::Content)
        );
        assert_eq!(
            kind("/site/content/bilagor/rutin.pdf"),
            Some(Change::Content)
        );
        assert_eq!(
            kind("/site/themes/egen/templates/base.html"),
            Some(Change::Theme)
        );
        assert_eq!(kind("/site/styrdok.toml"), Some(Change::Config));
    }

    #[test]
    fn editor_files_and_output_are_not() {
        for p in [
            "/site/content/drift.md.orig",
            "/site/content/drift.markdown",
            "/site/content/Thumbs.db",
            "/site/content/.drift.md.swp",
            "/site/content/drift.md~",
            "/site/content/4913",
            "/site/content/#drift.md#",
            "/site/content/.#drift.md",
            "/site/content/drift.md.tmp",
            "/site/output/index.html",
            "/site/.output.styrdok-new-12/index.html",
            "/site/.git/index",
            "/site/README.md",
            "/elsewhere/content/a.md",
        ] {
            assert_eq!(kind(p), None, "{p}");
        }
    }

    #[test]
    fn a_batch_is_as_wide_as_its_widest_change() {
        let paths: Vec<PathBuf> = [
            "/site/content/a.md",
            "/site/styrdok.toml",
            "/site/content/.a.md.swp",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        let (kind, relevant) = summarize(&layout(), &paths).unwrap();
        assert_eq!(kind, Change::Config);
        assert_eq!(relevant.len(), 2);
        assert!(summarize(&layout(), &[PathBuf::from("/site/content/x~")]).is_none());
    }

    #[test]
    fn reads_are_not_changes() {
        use notify::event::{AccessKind, CreateKind, ModifyKind, RenameMode};
        assert!(!is_relevant(&EventKind::Access(AccessKind::Any)));
        assert!(is_relevant(&EventKind::Modify(ModifyKind::Name(
            RenameMode::To
        ))));
        assert!(is_relevant(&EventKind::Create(CreateKind::File)));
        assert!(is_relevant(&EventKind::Remove(
            notify::event::RemoveKind::File
        )));
    }

    #[test]
    fn a_burst_becomes_one_batch() {
        let (tx, rx) = mpsc::channel();
        tx.send((Change::Theme, vec![PathBuf::from("/site/themes/a")]))
            .unwrap();
        tx.send((Change::Content, vec![PathBuf::from("/site/content/a.md")]))
            .unwrap();
        drop(tx);
        let batch = debounce(
            &rx,
            (Change::Content, vec![PathBuf::from("/site/content/a.md")]),
            Duration::from_millis(1),
        );
        assert_eq!(batch.0, Change::Theme);
        assert_eq!(batch.1.len(), 2);
    }

    #[test]
    fn an_atomic_save_is_seen_through_its_target() {
        // Editors write `.drift.md.tmp1234` then rename it over `drift.md`:
        // the rename's target is a content change, the temp file is noise.
        let paths: Vec<PathBuf> = ["/site/content/.drift.md.tmp1234", "/site/content/drift.md"]
            .iter()
            .map(PathBuf::from)
            .collect();
        assert_eq!(
            summarize(&layout(), &paths).map(|b| b.0),
            Some(Change::Content)
        );
    }
}
