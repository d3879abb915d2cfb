//! A site opened once: its configuration parsed, its theme loaded and its
//! git repository opened (when first needed), for every stage to share.

use chrono::NaiveDate;
use std::cell::OnceCell;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::Checked;
use crate::config::{self, Config};
use crate::diagnostic::Diagnostic;
use crate::git::{self, Repo};
use crate::history::History;
use crate::model::Klassning;
use crate::render;
use crate::source::SourceFile;
use crate::theme::Theme;

/// What a run is asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// The site root (where styrdok.toml is).
    pub root: PathBuf,
    /// The date review rules use.
    pub today: NaiveDate,
    /// Overrides `[publish] max_klassning`.
    pub max_klassning: Option<Klassning>,
    /// Publishes drafts whatever `[publish] drafts` says (`--drafts`, and
    /// the preview).
    pub drafts: bool,
    /// Overrides `output_dir`.
    pub output_dir: Option<PathBuf>,
    /// The language of diagnostics (`--lang`); default the site's.
    pub lang: Option<crate::config::Language>,
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

/// A site, opened once.
pub struct Project {
    /// What the run was asked to do.
    pub opts: Options,
    /// The configuration, with the command line's overrides (the defaults
    /// when the file has an error).
    pub config: Config,
    /// The configuration file's text.
    pub config_source: Arc<SourceFile>,
    /// Why the configuration could not be read: then only this is reported.
    pub config_error: Option<Diagnostic>,
    /// The content directory on disk.
    pub content_dir: PathBuf,
    /// The content directory as written relative to the site root.
    pub content_rel: String,
    theme: Result<Theme, Diagnostic>,
    repo: OnceCell<Result<Option<Repo>, String>>,
}

impl Project {
    /// Opens the site at `opts.root`: reads and parses styrdok.toml and
    /// loads the theme. An error only when there is no site there.
    pub fn open(opts: &Options) -> Result<Project, RunError> {
        let root = &opts.root;
        let path = root.join(config::FILE_NAME);
        // Until the configuration is read, its own problems (and a missing
        // one) speak the language asked for, else Swedish.
        crate::i18n::set_diagnostic_language(opts.lang.unwrap_or_default());
        if !path.is_file() {
            return Err(RunError(crate::tr!(
                "det finns ingen {} i {}: kör styrdok i webbplatsens rotmapp, ange --root MAPP, eller skapa en webbplats med `styrdok init MAPP`",
                "no {} in {}: run styrdok in a site's root, pass --root DIR, or create a site with `styrdok init DIR`",
                config::FILE_NAME,
                root.display()
            )));
        }
        let text = std::fs::read(&path).map_err(|e| {
            RunError(crate::tr!(
                "{} kan inte läsas: {e}",
                "cannot read {}: {e}",
                path.display()
            ))
        })?;
        let source = SourceFile::new(config::FILE_NAME, &String::from_utf8_lossy(&text));
        let (mut config, config_error) = match Config::parse(&source) {
            Ok(c) => (c, None),
            Err(d) => (Config::default(), Some(d)),
        };
        if let Some(k) = opts.max_klassning {
            config.publish.max_klassning = k;
        }
        if opts.drafts {
            config.publish.drafts = true;
        }
        if let Some(o) = &opts.output_dir {
            config.output_dir = o.clone();
        }
        crate::i18n::set_diagnostic_language(opts.lang.unwrap_or(config.language));
        let theme = Theme::load(root, &config.theme);
        Ok(Project {
            opts: opts.clone(),
            content_dir: root.join(&config.content_dir),
            content_rel: rel_display(&config.content_dir),
            config,
            config_source: Arc::new(source),
            config_error,
            theme,
            repo: OnceCell::new(),
        })
    }

    /// The theme, or why it could not be loaded.
    pub fn theme(&self) -> Result<&Theme, Diagnostic> {
        self.theme.as_ref().map_err(Diagnostic::clone)
    }

    /// Loads the theme again (its files changed).
    pub fn reload_theme(&mut self) {
        self.theme = Theme::load(&self.opts.root, &self.config.theme);
    }

    /// The site's git repository, opened the first time it is asked for;
    /// `None` when the site is not in git.
    pub fn repo(&self) -> Result<Option<&Repo>, &str> {
        self.repo
            .get_or_init(|| git::open(&self.opts.root, &self.content_dir))
            .as_ref()
            .map(Option::as_ref)
            .map_err(String::as_str)
    }

    /// The output directory.
    pub fn output_dir(&self) -> PathBuf {
        self.opts.root.join(&self.config.output_dir)
    }

    /// The name of the scrollable region around tables, in the site's language.
    pub fn table_label(&self) -> &'static str {
        crate::markdown::table_label(self.config.language)
    }

    /// The current edition of a checked site, for rendering.
    pub fn site<'a>(
        &'a self,
        checked: &'a Checked,
        theme: &'a Theme,
        history: Option<&'a History>,
    ) -> render::Site<'a> {
        render::Site {
            corpus: &checked.corpus,
            graph: &checked.graph,
            config: &checked.config,
            theme,
            content_dir: &self.content_dir,
            today: self.opts.today,
            history,
            adoption: checked.adoption.as_ref(),
            edition: render::Edition::default(),
            changes: None,
            preview: false,
            search_cache: None,
            prepared: None,
            review: None,
        }
    }
}

/// A relative path as written, `/`-separated, without `.` segments.
fn rel_display(p: &Path) -> String {
    let s: Vec<String> = p
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    s.join("/")
}
