//! Themes: the default theme is compiled into the binary; a site's
//! `themes/<name>/` overrides any of its files (templates under
//! `templates/`, assets under `static/`), and what it lacks comes from the
//! default.

use std::collections::BTreeMap;
use std::path::Path;

use crate::codes::Code;
use crate::diagnostic::Diagnostic;

macro_rules! embed {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../themes/default/templates/", $name)))),*]
    };
}

const DEFAULT_TEMPLATES: &[(&str, &str)] = embed![
    "base.html",
    "macros.html",
    "document.html",
    "index.html",
    "hierarchy.html",
    "register.html",
    "followup.html",
    "areas.html",
    "history.html",
    "changelog.html",
    "versions.html",
    "search.html",
    "folder.html",
    "review.html",
    "review_document.html",
];

const DEFAULT_ASSETS: &[(&str, &[u8])] = &[
    (
        "style.css",
        include_bytes!("../themes/default/static/style.css"),
    ),
    (
        "switcher.js",
        include_bytes!("../themes/default/static/switcher.js"),
    ),
    (
        "search.js",
        include_bytes!("../themes/default/static/search.js"),
    ),
    (
        "compare.js",
        include_bytes!("../themes/default/static/compare.js"),
    ),
    (
        "site.js",
        include_bytes!("../themes/default/static/site.js"),
    ),
];

/// Templates for `styrdok new`, by kind.
pub const NEW_TEMPLATES: &[(&str, &str)] = &[
    ("plan", include_str!("../themes/default/new/plan.md")),
    (
        "instruktion",
        include_str!("../themes/default/new/instruktion.md"),
    ),
    (
        "dokument",
        include_str!("../themes/default/new/dokument.md"),
    ),
];

/// A theme with everything resolved: the site's files over the defaults.
#[derive(Debug, Clone, Default)]
pub struct Theme {
    /// Template name to source.
    pub templates: BTreeMap<String, String>,
    /// Asset path below `assets/` to bytes.
    pub assets: BTreeMap<String, Vec<u8>>,
    /// Templates for `styrdok new`.
    pub new_templates: BTreeMap<String, String>,
    /// The templates compiled, once for every site a build renders with
    /// the theme (the current one, each version, the versions page).
    pub compiled: Compiled,
}

/// A theme's templates as compiled, with a hash of the templates they were
/// compiled from: a theme whose templates changed since is compiled anew.
#[derive(Clone, Default)]
pub struct Compiled(std::sync::OnceLock<(u64, std::sync::Arc<tera::Tera>)>);

impl std::fmt::Debug for Compiled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.get().is_some() {
            "Compiled(yes)"
        } else {
            "Compiled(no)"
        })
    }
}

impl Theme {
    /// A hash of the templates.
    fn templates_hash(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.templates.hash(&mut h);
        h.finish()
    }

    /// The templates compiled by `compile`, or as compiled before from the
    /// same templates.
    pub fn compiled<E>(
        &self,
        compile: impl FnOnce() -> Result<tera::Tera, E>,
    ) -> Result<std::sync::Arc<tera::Tera>, E> {
        let hash = self.templates_hash();
        if let Some((h, tera)) = self.compiled.0.get() {
            if *h == hash {
                return Ok(std::sync::Arc::clone(tera));
            }
        }
        let tera = std::sync::Arc::new(compile()?);
        // The first compilation is kept; a later one of other templates
        // is used once.
        let _ = self.compiled.0.set((hash, std::sync::Arc::clone(&tera)));
        Ok(tera)
    }
}

impl Theme {
    /// The built-in default theme.
    pub fn builtin() -> Theme {
        Theme {
            templates: DEFAULT_TEMPLATES
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            assets: DEFAULT_ASSETS
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_vec()))
                .collect(),
            new_templates: NEW_TEMPLATES
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            compiled: Compiled::default(),
        }
    }

    /// The default theme overlaid with `root/themes/<name>/`, if it exists.
    pub fn load(root: &Path, name: &str) -> Result<Theme, Diagnostic> {
        let mut theme = Theme::builtin();
        let dir = root.join("themes").join(name);
        if !dir.is_dir() {
            if name != "default" {
                return Err(Diagnostic::error_in(
                    Code::ConfigInvalid,
                    crate::config::FILE_NAME,
                    crate::tr!(
                        "temat `{name}` finns inte: det finns ingen mapp themes/{name}/",
                        "theme `{name}` not found: there is no themes/{name}/ directory"
                    ),
                )
                .with_hint(crate::tr!(
                    "skapa mappen, eller ta bort `theme` för att använda det inbyggda standardtemat",
                    "create the directory, or remove `theme` to use the built-in default"
                )));
            }
            return Ok(theme);
        }
        overlay(
            &dir.join("templates"),
            &format!("themes/{name}/templates"),
            &mut |rel, bytes| {
                let text = String::from_utf8(bytes)
                    .map_err(|_| not_utf8(&format!("themes/{name}/templates/{rel}")))?;
                theme.templates.insert(rel.to_string(), text);
                Ok(())
            },
        )?;
        overlay(
            &dir.join("static"),
            &format!("themes/{name}/static"),
            &mut |rel, bytes| {
                theme.assets.insert(rel.to_string(), bytes);
                Ok(())
            },
        )?;
        overlay(
            &dir.join("new"),
            &format!("themes/{name}/new"),
            &mut |rel, bytes| {
                let text = String::from_utf8(bytes)
                    .map_err(|_| not_utf8(&format!("themes/{name}/new/{rel}")))?;
                theme
                    .new_templates
                    .insert(rel.trim_end_matches(".md").to_string(), text);
                Ok(())
            },
        )?;
        Ok(theme)
    }
}

/// The message for a theme file that is not UTF-8.
fn not_utf8(file: &str) -> String {
    crate::tr!("{file} är inte UTF-8", "{file} is not UTF-8")
}

/// Takes one file of a theme directory: its relative path and bytes.
type AddFile<'a> = dyn FnMut(&str, Vec<u8>) -> Result<(), String> + 'a;

fn overlay(dir: &Path, shown: &str, add: &mut AddFile<'_>) -> Result<(), Diagnostic> {
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            Diagnostic::error(
                Code::ThemeError,
                shown,
                1,
                1,
                crate::tr!("temat kan inte läsas: {e}", "cannot read theme: {e}"),
            )
        })?;
        if !entry.file_type().is_file() || crate::text::is_ignored(entry.file_name()) {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let rel: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let rel = rel.join("/");
        let bytes = std::fs::read(entry.path()).map_err(|e| {
            Diagnostic::error(
                Code::ThemeError,
                &format!("{shown}/{rel}"),
                1,
                1,
                crate::tr!("kan inte läsas: {e}", "cannot read: {e}"),
            )
        })?;
        add(&rel, bytes)
            .map_err(|m| Diagnostic::error(Code::ThemeError, &format!("{shown}/{rel}"), 1, 1, m))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_template_is_embedded() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        on_disk.sort();
        let mut embedded: Vec<String> = DEFAULT_TEMPLATES
            .iter()
            .map(|(n, _)| n.to_string())
            .collect();
        embedded.sort();
        assert_eq!(on_disk, embedded);
    }
}
