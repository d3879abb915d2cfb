//! git as the tests run it to make repositories: fixed authors and dates,
//! so commit ids and history pages are the same on every run, and no
//! system or user configuration.

use std::path::Path;
use std::process::Command;

/// A commit's author (and committer): name and e-mail.
pub type Author = (&'static str, &'static str);

/// The author of commits that name no other.
pub const ASA: Author = ("Åsa Öberg", "asa@example.se");
/// A second author.
pub const PER: Author = ("Per Ek", "per@example.se");
/// The date of commits that name no other.
pub const DATE: &str = "2026-01-10T10:00:00+01:00";

/// git in one directory, as one author at one time.
#[derive(Clone, Copy)]
pub struct Git<'a> {
    dir: &'a Path,
    author: Author,
    date: &'a str,
}

/// git in `dir`, as [`ASA`] at [`DATE`].
pub fn git(dir: &Path) -> Git<'_> {
    Git {
        dir,
        author: ASA,
        date: DATE,
    }
}

impl<'a> Git<'a> {
    /// The same, as `author`.
    pub fn by(self, author: Author) -> Self {
        Git { author, ..self }
    }

    /// The same, at `date` (author and committer date).
    pub fn at(self, date: &'a str) -> Self {
        Git { date, ..self }
    }

    /// Runs `git ARGS`, asserting success.
    pub fn run(&self, args: &[&str]) -> &Self {
        let out = Command::new("git")
            .args(args)
            .current_dir(self.dir)
            .env("GIT_AUTHOR_NAME", self.author.0)
            .env("GIT_AUTHOR_EMAIL", self.author.1)
            .env("GIT_COMMITTER_NAME", self.author.0)
            .env("GIT_COMMITTER_EMAIL", self.author.1)
            .env("GIT_AUTHOR_DATE", self.date)
            .env("GIT_COMMITTER_DATE", self.date)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", self.dir)
            .output()
            .expect("git");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        self
    }

    /// What `git ARGS` prints, trimmed, asserting success.
    pub fn output(&self, args: &[&str]) -> String {
        let out = Command::new("git")
            .args(args)
            .current_dir(self.dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", self.dir)
            .output()
            .expect("git");
        assert!(out.status.success(), "git {args:?}");
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// A new repository on `main` with everything in the directory in
    /// one commit.
    pub fn init_with_commit(&self, message: &str) -> &Self {
        self.run(&["init", "-q", "-b", "main"])
            .run(&["add", "-A"])
            .run(&["commit", "-q", "-m", message])
    }

    /// Commits every change to tracked files (`commit -am`).
    pub fn commit_all(&self, message: &str) -> &Self {
        self.run(&["commit", "-q", "-am", message])
    }
}
