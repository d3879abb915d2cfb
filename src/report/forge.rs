//! What the CI formats (`github`, `gitlab`, `sarif`) share: paths as the
//! forge names them (from the top of the repository, not the site root),
//! and a diagnostic's text with its hint.

use crate::diagnostic::Diagnostic;

/// Turns paths relative to the site root into paths relative to the top of
/// the git repository, which is where forges resolve the paths of
/// annotations and reports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RepoPaths {
    /// The site root relative to the repository's top, `/`-separated; empty
    /// at the top or outside git.
    prefix: String,
}

impl RepoPaths {
    /// For a site root at `prefix` in its repository (as
    /// [`crate::git::site_prefix`] gives it); the empty string leaves paths
    /// as they are.
    pub fn new(prefix: &str) -> Self {
        RepoPaths {
            prefix: prefix.trim_matches('/').to_string(),
        }
    }

    /// `file` (relative to the site root) as the forge names it: below the
    /// prefix, with `.` and `..` segments resolved. `.git`, a problem with
    /// the repository as a whole, is at the top whatever the prefix.
    pub fn path(&self, file: &str) -> String {
        if self.prefix.is_empty() || file == ".git" {
            return file.to_string();
        }
        let mut parts: Vec<&str> = self.prefix.split('/').collect();
        for segment in file.split('/') {
            match segment {
                "" | "." => {}
                ".." if parts.last().is_some_and(|p| *p != "..") => {
                    parts.pop();
                }
                _ => parts.push(segment),
            }
        }
        parts.join("/")
    }
}

/// The message, then the hint on a line of its own (`help: ...`), as the
/// human format shows it.
pub(super) fn text(d: &Diagnostic) -> String {
    match &d.hint {
        Some(hint) => format!("{}\nhelp: {hint}", d.message),
        None => d.message.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::Code;

    #[test]
    fn paths_are_prefixed_with_the_site_root_in_the_repository() {
        let top = RepoPaths::new("");
        assert_eq!(top.path("content/a.md"), "content/a.md");
        let sub = RepoPaths::new("docs/site");
        assert_eq!(sub.path("content/a.md"), "docs/site/content/a.md");
        assert_eq!(sub.path("styrdok.toml"), "docs/site/styrdok.toml");
        assert_eq!(
            sub.path("./content/../texter/a.md"),
            "docs/site/texter/a.md"
        );
        assert_eq!(sub.path("../../../a.md"), "../a.md");
        assert_eq!(sub.path(".git"), ".git");
    }

    #[test]
    fn the_hint_follows_the_message_on_its_own_line() {
        let d = Diagnostic::error(Code::UnknownKey, "a.md", 1, 1, "unknown key");
        assert_eq!(text(&d), "unknown key");
        assert_eq!(
            text(&d.with_hint("remove it")),
            "unknown key\nhelp: remove it"
        );
    }
}
