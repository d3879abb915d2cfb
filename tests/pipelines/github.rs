//! The GitHub (and Forgejo) workflow, `examples/ci/github-actions.yml`:
//! its jobs as the event of the test picks them (`on:`, the jobs' `if:`),
//! each `run:` step run in order, `${{ }}` expressions replaced by test
//! values.

use std::path::Path;
use std::process::Output;

use yaml_rust2::Yaml;

use super::{
    assert_installs_first, assert_published, context, describe, holds, load, mapping, run_shell,
    strings, Change, Context, Repo, FEATURE, GITHUB, INSTALL,
};

/// A step of a GitHub (or Forgejo) job as the test treats it.
pub(super) enum Step {
    /// `actions/checkout`: the repository is checked out already.
    Checkout,
    /// `actions/upload-artifact`: what it uploads must exist.
    Upload(String),
    /// A `run:` step: its name, shell and environment.
    Run(String, String, Vec<(String, String)>),
}

/// `${{ x }}`: the value the test gives `x`; an undefined `vars.*` is
/// empty, as on the forge; anything else the test does not know fails.
fn github_value(ctx: &Context, name: &str) -> String {
    match ctx.get(name) {
        Some(v) => v.clone(),
        None if name.starts_with("vars.") => String::new(),
        None => panic!("no test value for the expression {name}"),
    }
}

/// `text` with every `${{ ... }}` replaced by its test value.
fn github_substitute(ctx: &Context, text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${{") {
        out.push_str(&rest[..start]);
        let len = rest[start..]
            .find("}}")
            .unwrap_or_else(|| panic!("unclosed expression in {text}"));
        out.push_str(&github_value(ctx, rest[start + 3..start + len].trim()));
        rest = &rest[start + len + 2..];
    }
    out.push_str(rest);
    out
}

/// Whether the workflow's `on:` starts it for the event of `ctx` (with
/// `github.event_name` and the branch filtered on).
fn github_triggered(doc: &Yaml, ctx: &Context) -> bool {
    let event = github_value(ctx, "github.event_name");
    let trigger = &doc["on"][event.as_str()];
    if trigger.is_badvalue() {
        return false;
    }
    let branch = match event.as_str() {
        "pull_request" => github_value(ctx, "github.base_ref"),
        _ => github_value(ctx, "github.ref_name"),
    };
    let branches = strings(&trigger["branches"], "on.branches");
    branches.is_empty() || branches.contains(&branch)
}

/// The jobs a workflow runs for the event of `ctx`: name and steps. Step
/// conditions are not evaluated: in these pipelines they only say what
/// runs after an earlier step failed, and the test stops at a failure.
pub(super) fn github_workflow(ctx: &Context) -> Vec<(String, Vec<Step>)> {
    let doc = load(GITHUB);
    assert!(!doc["on"].is_badvalue(), "{GITHUB}: no `on:`");
    if !github_triggered(&doc, ctx) {
        return Vec::new();
    }
    assert_eq!(doc["defaults"]["run"]["shell"].as_str(), Some("bash"));
    let operand = |s: &str| github_value(ctx, s);
    let mut jobs = Vec::new();
    for (key, job) in doc["jobs"].as_hash().expect("jobs") {
        let name = key.as_str().expect("job name");
        if job["if"].as_str().is_some_and(|c| !holds(c, &operand)) {
            continue;
        }
        let mut env = mapping(&doc["env"], "env");
        env.extend(mapping(&job["env"], name));
        jobs.push((name.to_string(), github_steps(name, job, &env, ctx)));
    }
    jobs
}

fn github_steps(job_name: &str, job: &Yaml, env: &[(String, String)], ctx: &Context) -> Vec<Step> {
    let steps = job["steps"].as_vec().expect("steps");
    let runs: Vec<String> = steps
        .iter()
        .filter_map(|s| s["run"].as_str().map(String::from))
        .collect();
    assert_installs_first(job_name, &runs);
    let mut out = Vec::new();
    for step in steps {
        let name = step["name"].as_str().unwrap_or("(unnamed)").to_string();
        if let Some(uses) = step["uses"].as_str() {
            if uses.starts_with("actions/checkout@") {
                assert_eq!(
                    step["with"]["fetch-depth"].as_i64(),
                    Some(0),
                    "{job_name}: checkout must fetch the whole history"
                );
                out.push(Step::Checkout);
            } else if uses.starts_with("actions/upload-artifact@") {
                let path = step["with"]["path"].as_str().expect("upload path");
                out.push(Step::Upload(path.to_string()));
            }
            continue;
        }
        let run = step["run"].as_str().expect("a step runs or uses");
        if run.contains(INSTALL) {
            continue;
        }
        let mut step_env = env.to_vec();
        step_env.extend(mapping(&step["env"], &name));
        let step_env = step_env
            .into_iter()
            .map(|(k, v)| (k, github_substitute(ctx, &v)))
            .collect();
        out.push(Step::Run(name, github_substitute(ctx, run), step_env));
    }
    assert!(
        matches!(out.first(), Some(Step::Checkout)),
        "{job_name}: the first step checks out"
    );
    out
}

/// Runs a job's steps in order up to the first that fails: the outputs of
/// the `run:` steps, by step name. An upload step's path must exist.
fn run_github_job(repo: &Repo, steps: &[Step]) -> Vec<(String, Output)> {
    let mut outputs = Vec::new();
    for step in steps {
        match step {
            Step::Checkout => {}
            Step::Upload(path) => {
                assert!(
                    repo.dir().join(path).exists(),
                    "nothing to upload at {path}"
                );
            }
            Step::Run(name, script, env) => {
                let out = run_shell(repo.dir(), script, env);
                let failed = !out.status.success();
                outputs.push((name.clone(), out));
                if failed {
                    break;
                }
            }
        }
    }
    outputs
}

/// Runs a job, asserting that every step succeeded.
fn run_github_job_ok(repo: &Repo, name: &str, steps: &[Step]) -> Vec<(String, Output)> {
    let outputs = run_github_job(repo, steps);
    for (step, out) in &outputs {
        assert!(out.status.success(), "{name}, {step}: {}", describe(out));
    }
    outputs
}

/// The workflow commands (`::error`, `::warning`) a step printed.
fn annotations(out: &Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.starts_with("::error") || l.starts_with("::warning"))
        .map(String::from)
        .collect()
}

fn github_pull_request() -> Context {
    context(&[
        ("github.event_name", "pull_request"),
        ("github.base_ref", "main"),
        ("github.head_ref", FEATURE),
        ("github.ref", "refs/pull/1/merge"),
        ("github.ref_name", "1/merge"),
        ("vars.STYRDOK_GIT", "https://git.example.se/styrdok.git"),
    ])
}

fn github_push_to_main(publish_dir: &Path) -> Context {
    context(&[
        ("github.event_name", "push"),
        ("github.base_ref", ""),
        ("github.ref", "refs/heads/main"),
        ("github.ref_name", "main"),
        ("vars.STYRDOK_GIT", "https://git.example.se/styrdok.git"),
        (
            "vars.PUBLISH_DIR",
            publish_dir.to_str().expect("UTF-8 path"),
        ),
    ])
}

/// The output of the step of that name.
fn step<'a>(outputs: &'a [(String, Output)], name: &str) -> &'a Output {
    outputs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, out)| out)
        .unwrap_or_else(|| panic!("no step {name} ran"))
}

#[test]
fn github_pull_request_checks_clean_and_writes_the_review_site() {
    let repo = Repo::new(Change::Clean);
    let jobs = github_workflow(&github_pull_request());
    let job_names: Vec<&str> = jobs.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(job_names, ["check"]);
    let outputs = run_github_job_ok(&repo, "check", &jobs[0].1);
    let check = step(&outputs, "Check");
    assert_eq!(
        annotations(check),
        Vec::<String>::new(),
        "{}",
        describe(check)
    );
    step(&outputs, "Review site");
    for page in [
        "output-review/index.html",
        "output-review/granskning/index.html",
    ] {
        assert!(repo.dir().join(page).is_file(), "no {page}");
    }
}

#[test]
fn github_check_step_fails_with_an_annotation_on_the_line() {
    let repo = Repo::new(Change::BrokenLink);
    let jobs = github_workflow(&github_pull_request());
    let outputs = run_github_job(&repo, &jobs[0].1);
    let (name, out) = outputs.last().expect("a step ran");
    assert_eq!(name, "Check", "the step that failed");
    assert_eq!(out.status.code(), Some(1), "{}", describe(out));
    let found = annotations(out);
    assert!(
        found.iter().any(|a| a.starts_with("::error ")
            && a.contains("file=content/instruktioner/drift.md")
            && a.contains("line=13")),
        "no annotation of the broken link: {found:?}"
    );
}

#[test]
fn github_push_to_main_builds_and_publishes() {
    let repo = Repo::merged(Change::Clean);
    let publish_dir = repo.publish_dir();
    let jobs = github_workflow(&github_push_to_main(&publish_dir));
    let job_names: Vec<&str> = jobs.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(job_names, ["publish"]);
    run_github_job_ok(&repo, "publish", &jobs[0].1);
    assert_published(&publish_dir);
    run_github_job_ok(&repo, "publish", &jobs[0].1);
    assert_published(&publish_dir);
}
