//! The example CI pipelines of `examples/ci/` (README, CI pipelines), run
//! without their forge: each job's shell commands are read from the YAML in
//! the order the forge runs them and run with `bash -e -o pipefail` in a
//! site repository as a runner has it (a `main` branch pushed to a bare
//! `origin`, a feature branch with a changed document checked out), with
//! this build's styrdok on PATH in place of the pipeline's install step.
//! The forges' variables and `${{ }}` expressions get test values; which
//! jobs run is decided from the pipelines' own rules and conditions.

mod common;
#[path = "pipelines/github.rs"]
mod github;
#[path = "pipelines/gitlab.rs"]
mod gitlab;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::git::git;
use common::{TestSite, TODAY};
use yaml_rust2::{Yaml, YamlLoader};

const GITLAB: &str = "examples/ci/gitlab-ci.yml";
const GITHUB: &str = "examples/ci/github-actions.yml";
const DRIFT: &str = "content/instruktioner/drift.md";
const FEATURE: &str = "drift-helger";
/// What marks a pipeline's install step (see the comments in the files).
const INSTALL: &str = "cargo install";

/// Forge variables or expression values, by name.
type Context = BTreeMap<String, String>;

/// The change on the feature branch.
#[derive(Clone, Copy)]
enum Change {
    /// An edit of a draft's text: `check --strict` stays clean.
    Clean,
    /// A link to a heading that does not exist: error SD303 on line 13.
    BrokenLink,
}

/// A site repository as a runner checks it out, and a directory to
/// publish into.
struct Repo {
    site: TestSite,
    _origin: tempfile::TempDir,
    web: tempfile::TempDir,
}

impl Repo {
    /// The basic fixture committed on `main` and pushed to a bare `origin`
    /// (fetched, so `origin/main` exists), then the feature branch with the
    /// change committed and checked out.
    fn new(change: Change) -> Repo {
        let site = TestSite::fixture("basic");
        let dir = site.path();
        let origin = tempfile::tempdir().expect("temp dir");
        let origin_path = origin.path().to_str().expect("UTF-8 temp path");
        git(dir).init_with_commit("Grundversion");
        git(dir)
            .run(&["clone", "-q", "--bare", ".", origin_path])
            .run(&["remote", "add", "origin", origin_path])
            .run(&["fetch", "-q", "origin"])
            .run(&["switch", "-q", "-c", FEATURE]);
        match change {
            Change::Clean => site.edit(
                DRIFT,
                "Driften bemannas dygnet runt.",
                "Driften bemannas dygnet runt, även helger.",
            ),
            Change::BrokenLink => site.edit(DRIFT, "policy.md#2-mål", "policy.md#saknas"),
        };
        git(dir)
            .at("2026-02-02T09:00:00+01:00")
            .commit_all("Drift: helger");
        let web = tempfile::tempdir().expect("temp dir");
        Repo {
            site,
            _origin: origin,
            web,
        }
    }

    /// The same after the merge request is merged: `main` checked out,
    /// fast-forwarded to the feature branch.
    fn merged(change: Change) -> Repo {
        let repo = Repo::new(change);
        git(repo.dir())
            .run(&["switch", "-q", "main"])
            .run(&["merge", "-q", "--ff-only", FEATURE]);
        repo
    }

    fn dir(&self) -> &Path {
        self.site.path()
    }

    /// PUBLISH_DIR: a directory below the web root that already holds an
    /// older site (one page the new site does not have).
    fn publish_dir(&self) -> PathBuf {
        let dest = self.web.path().join("styrdok");
        std::fs::create_dir_all(&dest).expect("mkdir");
        std::fs::write(dest.join("gammal.html"), "old site").expect("write");
        dest
    }

    /// Forgets `origin/main`, so that a job must fetch it itself.
    fn without_origin_main(self) -> Repo {
        git(self.dir()).run(&["update-ref", "-d", "refs/remotes/origin/main"]);
        self
    }
}

fn context(pairs: &[(&str, &str)]) -> Context {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A pipeline file of this repository, parsed.
fn load(rel: &str) -> Yaml {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let mut docs = YamlLoader::load_from_str(&text).unwrap_or_else(|e| panic!("{rel}: {e}"));
    assert_eq!(docs.len(), 1, "{rel}: one YAML document");
    docs.remove(0)
}

/// A scalar as the forge reads it into a string (GitLab's `GIT_DEPTH: 0`).
fn scalar(y: &Yaml) -> Option<String> {
    match y {
        Yaml::String(s) | Yaml::Real(s) => Some(s.clone()),
        Yaml::Integer(i) => Some(i.to_string()),
        Yaml::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A string or a list of strings (GitLab's `script`, `paths`); none when
/// the key is absent.
fn strings(y: &Yaml, what: &str) -> Vec<String> {
    match y {
        Yaml::BadValue | Yaml::Null => Vec::new(),
        Yaml::String(s) => vec![s.clone()],
        Yaml::Array(items) => items
            .iter()
            .map(|i| scalar(i).unwrap_or_else(|| panic!("{what}: not a string: {i:?}")))
            .collect(),
        other => panic!("{what}: not a string or a list: {other:?}"),
    }
}

/// A mapping of names to scalars (`variables:`, `env:`), with `${{ }}`
/// expressions in the values replaced when `ctx` is given.
fn mapping(y: &Yaml, what: &str) -> Vec<(String, String)> {
    let Some(hash) = y.as_hash() else {
        assert!(y.is_badvalue() || y.is_null(), "{what}: not a mapping");
        return Vec::new();
    };
    hash.iter()
        .map(|(k, v)| {
            let key = scalar(k).unwrap_or_else(|| panic!("{what}: key {k:?}"));
            let value = scalar(v)
                .or_else(|| scalar(&v["value"]))
                .unwrap_or_else(|| panic!("{what}.{key}: {v:?}"));
            (key, value)
        })
        .collect()
}

/// Whether a GitLab rule or a GitHub `if:` holds, for the forms these
/// pipelines use: comparisons (`==`, `!=`) and bare operands joined by `&&`
/// and `||`; `operand` gives the value of anything not quoted. Anything
/// else (parentheses, negation, regular expressions) is refused, so that a
/// condition the test cannot read fails here instead of being guessed.
fn holds(expr: &str, operand: &dyn Fn(&str) -> String) -> bool {
    let expr = expr.trim();
    let expr = expr
        .strip_prefix("${{")
        .and_then(|e| e.strip_suffix("}}"))
        .unwrap_or(expr);
    assert!(
        !expr.replace("!=", "").contains(['(', ')', '!', '~']),
        "condition beyond what the test reads: {expr}"
    );
    let value = |s: &str| {
        let s = s.trim();
        let quoted = ['"', '\''].iter().find_map(|q| {
            s.strip_prefix(*q)
                .and_then(|r| r.strip_suffix(*q))
                .map(str::to_string)
        });
        quoted.unwrap_or_else(|| operand(s))
    };
    expr.split("||").any(|alternative| {
        alternative.split("&&").all(|term| {
            if let Some((l, r)) = term.split_once("==") {
                value(l) == value(r)
            } else if let Some((l, r)) = term.split_once("!=") {
                value(l) != value(r)
            } else {
                !value(term).is_empty()
            }
        })
    })
}

/// Runs a job's or step's shell as the forges do (`bash -e -o pipefail`)
/// in `dir`, with nothing of this process's environment but PATH (styrdok
/// first) and TMPDIR, and the forge's variables in `env`.
fn run_shell(dir: &Path, script: &str, env: &[(String, String)]) -> Output {
    let bin = Path::new(env!("CARGO_BIN_EXE_styrdok"))
        .parent()
        .expect("binary's directory")
        .to_path_buf();
    let path = std::env::var_os("PATH").unwrap_or_default();
    let path = std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(&path)))
        .expect("PATH");
    let mut cmd = Command::new("bash");
    cmd.args(["-e", "-o", "pipefail", "-c", script])
        .current_dir(dir)
        .env_clear()
        .env("PATH", path)
        .env("HOME", dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("NO_COLOR", "1")
        .env("STYRDOK_TODAY", TODAY)
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    if let Some(tmp) = std::env::var_os("TMPDIR") {
        cmd.env("TMPDIR", tmp);
    }
    cmd.output().expect("bash")
}

fn describe(out: &Output) -> String {
    format!(
        "{:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Asserts that a job installs styrdok once, before any command uses it.
fn assert_installs_first(what: &str, commands: &[String]) {
    let installs = commands.iter().filter(|c| c.contains(INSTALL)).count();
    assert!(installs <= 1, "{what}: {installs} install commands");
    let first_use = commands
        .iter()
        .position(|c| !c.contains(INSTALL) && c.contains("styrdok "));
    if let Some(first_use) = first_use {
        let install = commands.iter().position(|c| c.contains(INSTALL));
        let install = install.unwrap_or_else(|| panic!("{what}: styrdok is never installed"));
        assert!(
            install < first_use,
            "{what}: styrdok is used before it is installed"
        );
    }
}

/// The site is in PUBLISH_DIR, the older one gone, nothing left beside it.
fn assert_published(publish_dir: &Path) {
    assert!(
        publish_dir.join("index.html").is_file(),
        "nothing published"
    );
    assert!(
        !publish_dir.join("gammal.html").exists(),
        "the older site was not replaced"
    );
    let web = publish_dir.parent().expect("web root");
    let mut left: Vec<String> = std::fs::read_dir(web)
        .expect("read web root")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["styrdok"], "left beside PUBLISH_DIR");
}

#[test]
fn a_push_to_another_branch_runs_nothing() {
    let other = context(&[
        ("CI_PIPELINE_SOURCE", "push"),
        ("CI_DEFAULT_BRANCH", "main"),
        ("CI_COMMIT_BRANCH", FEATURE),
    ]);
    assert!(gitlab::names(&gitlab::gitlab_pipeline(&other)).is_empty());
    let other = context(&[
        ("github.event_name", "push"),
        ("github.ref", "refs/heads/drift-helger"),
        ("github.ref_name", FEATURE),
    ]);
    assert!(github::github_workflow(&other).is_empty());
}
