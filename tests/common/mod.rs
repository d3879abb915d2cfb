//! A chaining helper for tests: a site in a temp dir, built or checked by
//! the real binary (as mdBook's book_test does), and the helpers every test
//! file shares: git with fixed authors and dates, edits of a site's files,
//! what builds left on disk.
#![allow(dead_code, unreachable_pub)]

pub mod git;
pub mod server;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The date every test checks against.
pub const TODAY: &str = "2026-11-27";

/// A site in a temporary directory.
pub struct TestSite {
    dir: tempfile::TempDir,
}

impl TestSite {
    /// An empty site with an empty styrdok.toml.
    pub fn empty() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("styrdok.toml"), "").expect("write config");
        std::fs::create_dir_all(dir.path().join("content")).expect("content dir");
        TestSite { dir }
    }

    /// A copy of `tests/fixtures/<name>`, a whole site.
    pub fn fixture(name: &str) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_dir(&fixture_dir(name), dir.path());
        TestSite { dir }
    }

    /// Writes every file of `tests/fixtures/<name>` below the site root,
    /// over what is there: a case that is another site plus a few files.
    pub fn with(self, name: &str) -> Self {
        copy_dir(&fixture_dir(name), self.path());
        self
    }

    /// Writes a file below the site root.
    pub fn file(self, rel: &str, text: &str) -> Self {
        self.write(rel, text.as_bytes());
        self
    }

    /// Writes bytes below the site root.
    pub fn write(&self, rel: &str, bytes: &[u8]) {
        let p = self.path().join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, bytes).expect("write");
    }

    /// Removes a file below the site root.
    pub fn remove(self, rel: &str) -> Self {
        std::fs::remove_file(self.path().join(rel)).expect("remove");
        self
    }

    /// Replaces the first `from` by `to` in a file below the site root,
    /// which must contain it.
    pub fn edit(&self, rel: &str, from: &str, to: &str) -> &Self {
        let path = self.path().join(rel);
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.contains(from), "{rel} lacks {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
        self
    }

    /// `edit`, for a site being built up by value.
    pub fn edited(self, rel: &str, from: &str, to: &str) -> Self {
        self.edit(rel, from, to);
        self
    }

    /// A file below the site root.
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// The site root.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs `styrdok ARGS --root SITE --today TODAY`.
    pub fn run(&self, args: &[&str]) -> Output {
        styrdok(args, self.path())
    }

    /// `styrdok ARGS --root SITE --today TODAY` with at most `seconds` of
    /// CPU time (`ulimit -t`): a guard against runaway work that a loaded
    /// machine cannot trip, as a bound on wall time could. A process the
    /// limit stops has no exit code.
    pub fn run_with_cpu_limit(&self, seconds: u32, args: &[&str]) -> Output {
        Command::new("sh")
            .arg("-c")
            .arg(format!("ulimit -t {seconds}; exec \"$@\""))
            .arg("sh")
            .arg(env!("CARGO_BIN_EXE_styrdok"))
            .args(args)
            .arg("--root")
            .arg(self.path())
            .arg("--today")
            .arg(TODAY)
            .env("NO_COLOR", "1")
            .env("STYRDOK_LANG", "en")
            .output()
            .expect("sh")
    }

    /// `check --format json`: the diagnostics as (code, file, line, column).
    pub fn check(&self) -> Vec<(String, String, u64, u64)> {
        self.check_json()
            .iter()
            .map(|d| {
                (
                    d["code"].as_str().unwrap_or_default().to_string(),
                    d["file"].as_str().unwrap_or_default().to_string(),
                    d["line"].as_u64().unwrap_or_default(),
                    d["column"].as_u64().unwrap_or_default(),
                )
            })
            .collect()
    }

    /// `check --format json`: the diagnostics as (code, file, line).
    pub fn codes(&self) -> Vec<(String, String, u64)> {
        self.check()
            .into_iter()
            .map(|(c, f, l, _)| (c, f, l))
            .collect()
    }

    /// `check --format json` as printed, for a snapshot.
    pub fn check_json_text(&self) -> String {
        let out = self.run(&["check", "--format", "json"]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// `check --format json`, parsed.
    pub fn check_json(&self) -> Vec<serde_json::Value> {
        let out = self.run(&["check", "--format", "json"]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        serde_json::from_str(&stdout).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {stdout}\n{}",
                String::from_utf8_lossy(&out.stderr)
            )
        })
    }

    /// The options `serve` builds this site with, in process: drafts
    /// published, as on [`TODAY`].
    pub fn preview_options(&self) -> styrdok::pipeline::Options {
        styrdok::pipeline::Options {
            root: self.path().to_path_buf(),
            today: chrono::NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").expect("date"),
            max_klassning: None,
            drafts: true,
            output_dir: None,
            lang: None,
        }
    }

    /// Builds, asserting success.
    pub fn build(&self) -> &Self {
        self.build_with(&[])
    }

    /// Builds with more arguments (`--max-klassning ...`), asserting success.
    pub fn build_with(&self, args: &[&str]) -> &Self {
        let mut all = vec!["build"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        assert!(
            out.status.success(),
            "build {args:?} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        self
    }

    /// A file of the output.
    pub fn output(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path().join("output").join(rel))
            .unwrap_or_else(|e| panic!("output/{rel}: {e}"))
    }

    /// The `<main>` of a built page, for a snapshot.
    pub fn main(&self, page: &str) -> String {
        between(&self.output(page), "<main", "</main>").to_string()
    }

    /// The body of a built document page: its `doc-body` division, up to
    /// the history section.
    pub fn body(&self, page: &str) -> String {
        let html = self.output(page);
        let body = between(
            &html,
            "<div class=\"doc-body\">",
            "<section class=\"doc-history\"",
        );
        body.trim_end().to_string()
    }

    /// Every file below output/, sorted, relative.
    pub fn output_files(&self) -> Vec<String> {
        let root = self.path().join("output");
        let mut v: Vec<String> = walk(&root)
            .iter()
            .map(|p| {
                p.strip_prefix(&root)
                    .expect("prefix")
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        v.sort();
        v
    }
}

/// Runs the binary with `--root` and `--today`.
pub fn styrdok(args: &[&str], root: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_styrdok"))
        .args(args)
        .arg("--root")
        .arg(root)
        .arg("--today")
        .arg(TODAY)
        .env("NO_COLOR", "1")
        // Diagnostics in English, whatever the site's language: the tests
        // read them; `tests/language.rs` checks both languages.
        .env("STYRDOK_LANG", "en")
        .output()
        .expect("run styrdok")
}

/// Asserts that a run succeeded, showing its stderr when it did not.
pub fn assert_success(out: &Output) {
    assert!(
        out.status.success(),
        "{:?}:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `text` from the first `start` up to (not including) the first `end`
/// after it; panics, showing `text`, when either is missing.
pub fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("no {start:?} in {text}"));
    let len = text[from..]
        .find(end)
        .unwrap_or_else(|| panic!("no {end:?} after {start:?} in {text}"));
    &text[from..from + len]
}

/// `tests/fixtures/<name>`.
pub fn fixture_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Files below `dir`, recursively.
pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Copies every file below `from` to the same place below `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    for p in walk(from) {
        let rel = p.strip_prefix(from).expect("prefix");
        let dest = to.join(rel);
        std::fs::create_dir_all(dest.parent().expect("parent")).expect("mkdir");
        std::fs::copy(&p, &dest).expect("copy");
    }
}

/// Every file the builds of `site` left on disk (everything below its root
/// but the sources: `content/`, `themes/`, `.git/`, `styrdok.toml`), with
/// the markers found in its name or bytes, ignoring case.
pub fn left_on_disk_with(site: &Path, markers: &[&str]) -> Vec<String> {
    let sources = ["content", "themes", ".git", "styrdok.toml"];
    walk(site)
        .into_iter()
        .filter_map(|p| {
            let rel = p.strip_prefix(site).ok()?.to_string_lossy().into_owned();
            if sources
                .iter()
                .any(|s| rel == *s || rel.starts_with(&format!("{s}/")))
            {
                return None;
            }
            let bytes = std::fs::read(&p).unwrap_or_default();
            let text = format!("{rel}\n{}", String::from_utf8_lossy(&bytes)).to_lowercase();
            markers
                .iter()
                .any(|m| text.contains(&m.to_lowercase()))
                .then_some(rel)
        })
        .collect()
}
