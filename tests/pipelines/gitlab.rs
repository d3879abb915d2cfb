//! The GitLab pipeline, `examples/ci/gitlab-ci.yml`: its jobs as GitLab
//! picks them (workflow and job rules, stages), each job's commands run as
//! one shell, its artifacts looked for afterwards.

use std::path::Path;
use std::process::Output;

use yaml_rust2::Yaml;

use super::{
    assert_installs_first, assert_published, context, describe, holds, load, mapping, run_shell,
    strings, Change, Context, Repo, FEATURE, GITLAB, INSTALL,
};

/// A GitLab job as the test runs it.
pub(super) struct GitlabJob {
    name: String,
    /// Its `before_script` and `script` but the install, one shell.
    script: String,
    env: Vec<(String, String)>,
    /// `artifacts:paths`, and `artifacts:reports:codequality`.
    paths: Vec<String>,
    report: Option<String>,
}

/// Top-level keys of a `.gitlab-ci.yml` that are not jobs.
const GITLAB_KEYWORDS: [&str; 10] = [
    "default",
    "include",
    "stages",
    "variables",
    "workflow",
    "image",
    "services",
    "cache",
    "before_script",
    "after_script",
];

/// `$VAR` in a GitLab rule: its value, empty when undefined.
fn gitlab_operand(ctx: &Context, s: &str) -> String {
    let name = s
        .strip_prefix('$')
        .unwrap_or_else(|| panic!("not a variable in a rule: {s}"));
    ctx.get(name).cloned().unwrap_or_default()
}

/// Whether `rules:` let a job or pipeline run: the first rule whose `if`
/// holds decides, by its `when`; no rules, run.
fn gitlab_rules_allow(rules: &Yaml, ctx: &Context) -> bool {
    let Some(rules) = rules.as_vec() else {
        return rules.is_badvalue();
    };
    let operand = |s: &str| gitlab_operand(ctx, s);
    rules
        .iter()
        .find(|r| r["if"].as_str().is_none_or(|c| holds(c, &operand)))
        .is_some_and(|r| r["when"].as_str() != Some("never"))
}

/// The jobs a GitLab pipeline with the variables `ctx` runs, in the order
/// of their stages.
pub(super) fn gitlab_pipeline(ctx: &Context) -> Vec<GitlabJob> {
    let doc = load(GITLAB);
    if !gitlab_rules_allow(&doc["workflow"]["rules"], ctx) {
        return Vec::new();
    }
    let stages = strings(&doc["stages"], "stages");
    let mut jobs: Vec<(usize, GitlabJob)> = Vec::new();
    for (key, job) in doc.as_hash().expect("a mapping") {
        let name = key.as_str().expect("job name");
        if GITLAB_KEYWORDS.contains(&name) || name.starts_with('.') {
            continue;
        }
        if !gitlab_rules_allow(&job["rules"], ctx) {
            continue;
        }
        let stage = job["stage"].as_str().unwrap_or("test");
        let order = stages
            .iter()
            .position(|s| s == stage)
            .unwrap_or_else(|| panic!("{name}: stage {stage} is not in stages"));
        jobs.push((order, gitlab_job(&doc, name, job, ctx)));
    }
    jobs.sort_by_key(|(order, _)| *order);
    jobs.into_iter().map(|(_, job)| job).collect()
}

fn gitlab_job(doc: &Yaml, name: &str, job: &Yaml, ctx: &Context) -> GitlabJob {
    // A job's own before_script replaces the default one.
    let before = if job["before_script"].is_badvalue() {
        &doc["default"]["before_script"]
    } else {
        &job["before_script"]
    };
    let mut commands = strings(before, name);
    commands.extend(strings(&job["script"], name));
    assert_installs_first(name, &commands);
    commands.retain(|c| !c.contains(INSTALL));
    let mut env = mapping(&doc["variables"], "variables");
    env.extend(mapping(&job["variables"], name));
    env.extend(ctx.iter().map(|(k, v)| (k.clone(), v.clone())));
    let artifacts = &job["artifacts"];
    let report = artifacts["reports"]["codequality"]
        .as_str()
        .map(String::from);
    if report.is_some() {
        assert_eq!(
            artifacts["when"].as_str(),
            Some("always"),
            "{name}: the report must be kept when the check fails"
        );
    }
    GitlabJob {
        name: name.to_string(),
        script: commands.join("\n"),
        env,
        paths: strings(&artifacts["paths"], name),
        report,
    }
}

/// The variables of a merge request pipeline from the feature branch.
fn gitlab_merge_request(repo: &Repo) -> Context {
    let dir = repo.dir().to_str().expect("UTF-8 path");
    context(&[
        ("CI", "true"),
        ("CI_PIPELINE_SOURCE", "merge_request_event"),
        ("CI_DEFAULT_BRANCH", "main"),
        ("CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "main"),
        ("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", FEATURE),
        ("CI_PROJECT_DIR", dir),
        ("STYRDOK_GIT", "https://git.example.se/styrdok.git"),
    ])
}

/// The variables of a pipeline for a push to the default branch.
fn gitlab_main(repo: &Repo, publish_dir: &Path) -> Context {
    let dir = repo.dir().to_str().expect("UTF-8 path");
    context(&[
        ("CI", "true"),
        ("CI_PIPELINE_SOURCE", "push"),
        ("CI_DEFAULT_BRANCH", "main"),
        ("CI_COMMIT_BRANCH", "main"),
        ("CI_PROJECT_DIR", dir),
        ("STYRDOK_GIT", "https://git.example.se/styrdok.git"),
        ("PUBLISH_DIR", publish_dir.to_str().expect("UTF-8 path")),
    ])
}

/// Runs a job, asserting that it succeeded and left its artifacts.
fn run_gitlab_job_ok(repo: &Repo, job: &GitlabJob) -> Output {
    let out = run_shell(repo.dir(), &job.script, &job.env);
    assert!(out.status.success(), "job {}: {}", job.name, describe(&out));
    for path in job.paths.iter().chain(&job.report) {
        assert!(
            repo.dir().join(path).exists(),
            "job {}: no artifact {path}",
            job.name
        );
    }
    out
}

pub(super) fn names(jobs: &[GitlabJob]) -> Vec<&str> {
    jobs.iter().map(|j| j.name.as_str()).collect()
}

/// The Code Quality report a job left, parsed.
fn code_quality(repo: &Repo, job: &GitlabJob) -> Vec<serde_json::Value> {
    let rel = job.report.as_deref().expect("a codequality report");
    let text = repo.site.read(rel);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{rel} is not a JSON list ({e}): {text}"))
}

#[test]
fn gitlab_merge_request_checks_clean_and_writes_the_review_site() {
    let repo = Repo::new(Change::Clean).without_origin_main();
    let jobs = gitlab_pipeline(&gitlab_merge_request(&repo));
    assert_eq!(names(&jobs), ["check", "review"]);
    for job in &jobs {
        run_gitlab_job_ok(&repo, job);
    }
    assert_eq!(
        code_quality(&repo, &jobs[0]),
        Vec::<serde_json::Value>::new()
    );
    for page in [
        "output-review/index.html",
        "output-review/granskning/index.html",
    ] {
        assert!(repo.dir().join(page).is_file(), "no {page}");
    }
}

#[test]
fn gitlab_check_fails_on_an_error_and_still_writes_the_report() {
    let repo = Repo::new(Change::BrokenLink);
    let jobs = gitlab_pipeline(&gitlab_merge_request(&repo));
    let check = jobs
        .iter()
        .find(|j| j.name == "check")
        .expect("a check job");
    let out = run_shell(repo.dir(), &check.script, &check.env);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    // The human-readable problems in the log, after the report was written.
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("error[SD303]"),
        "{}",
        describe(&out)
    );
    let report = code_quality(&repo, check);
    assert!(
        report.iter().any(|issue| {
            issue["location"]["path"] == "content/instruktioner/drift.md"
                && issue["location"]["lines"]["begin"] == 13
        }),
        "the report lacks the broken link: {report:?}"
    );
}

#[test]
fn gitlab_default_branch_checks_builds_and_publishes() {
    let repo = Repo::merged(Change::Clean);
    let publish_dir = repo.publish_dir();
    let jobs = gitlab_pipeline(&gitlab_main(&repo, &publish_dir));
    assert_eq!(names(&jobs), ["check", "publish"]);
    for job in &jobs {
        run_gitlab_job_ok(&repo, job);
    }
    assert_published(&publish_dir);
    // Publishing again swaps the directory a second time.
    run_gitlab_job_ok(&repo, &jobs[1]);
    assert_published(&publish_dir);
}
