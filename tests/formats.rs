//! `check --format github|gitlab|sarif`: diagnostics where reviewers read
//! them. Each format is pinned with a snapshot and checked against its
//! grammar or schema: the GitHub workflow commands parsed back, the GitLab
//! Code Quality report against its documented fields, the SARIF log
//! against the official SARIF 2.1.0 schema. Paths are the repository's
//! when the site is in a subdirectory of one.

mod common;

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

use common::git::git;
use common::TestSite;

/// The site with errors and warnings of every kind the formats must carry.
fn site() -> TestSite {
    TestSite::fixture("formats/ci")
}

/// A site whose only problem has no position: its content directory is
/// missing (reported against styrdok.toml, at no line).
fn site_without_positions() -> TestSite {
    TestSite::empty().file("styrdok.toml", "content_dir = \"texter\"\n")
}

/// `check --format FORMAT ARGS` on the site at `root`: stdout, stderr and
/// the exit code.
fn check(root: &Path, format: &str, args: &[&str]) -> (String, String, Option<i32>) {
    let mut all = vec!["check", "--format", format];
    all.extend_from_slice(args);
    let out = common::styrdok(&all, root);
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code(),
    )
}

/// `check --format FORMAT` as JSON (gitlab, sarif and json itself).
fn check_json(root: &Path, format: &str, args: &[&str]) -> Value {
    let (stdout, stderr, _) = check(root, format, args);
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}\n{stderr}"))
}

/// The diagnostics as `check --format json` gives them.
fn diagnostics(root: &Path) -> Vec<Value> {
    check_json(root, "json", &[])
        .as_array()
        .expect("array")
        .clone()
}

/// A diagnostic's message, and its hint on a line of its own.
fn text_of(d: &Value) -> String {
    let message = d["message"].as_str().expect("message");
    match d["hint"].as_str() {
        Some(hint) => format!("{message}\nhelp: {hint}"),
        None => message.to_string(),
    }
}

// ---------------------------------------------------------------- github

/// One workflow command, as the Actions runner reads it:
/// `::NAME[ KEY=VALUE[,KEY=VALUE]...]::DATA`, values unescaped.
#[derive(Debug)]
struct Command {
    name: String,
    props: BTreeMap<String, String>,
    data: String,
}

/// Parses a line of the documented grammar, panicking where it breaks it:
/// the command part ends at the first `::` (a property escapes its `:`),
/// properties are split at `,` (escaped in values), and neither part holds
/// a raw CR or LF.
fn parse_command(line: &str) -> Command {
    assert!(!line.contains(['\r', '\n']), "a raw line break in {line:?}");
    let rest = line
        .strip_prefix("::")
        .unwrap_or_else(|| panic!("no leading `::` in {line:?}"));
    let (head, data) = rest
        .split_once("::")
        .unwrap_or_else(|| panic!("no `::` before the data in {line:?}"));
    let (name, props) = head.split_once(' ').unwrap_or((head, ""));
    let props = props
        .split(',')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (key, value) = p
                .split_once('=')
                .unwrap_or_else(|| panic!("property without `=`: {p:?} in {line:?}"));
            (
                key.to_string(),
                unescape(value, &["%0D", "%0A", "%3A", "%2C", "%25"]),
            )
        })
        .collect();
    Command {
        name: name.to_string(),
        props,
        data: unescape(data, &["%0D", "%0A", "%25"]),
    }
}

/// Undoes the toolkit's escaping, left to right; every `%` must start one
/// of `escapes` (an unescaped `%` would be read differently by the runner).
fn unescape(s: &str, escapes: &[&str]) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('%') {
        out.push_str(&rest[..i]);
        let code = rest.get(i..i + 3).unwrap_or_default();
        assert!(escapes.contains(&code), "a bare `%` in {s:?}");
        out.push(match code {
            "%0D" => '\r',
            "%0A" => '\n',
            "%3A" => ':',
            "%2C" => ',',
            _ => '%',
        });
        rest = &rest[i + 3..];
    }
    out.push_str(rest);
    out
}

#[test]
fn github_output_snapshot() {
    let site = site();
    let (stdout, stderr, code) = check(site.path(), "github", &[]);
    assert_eq!(code, Some(1));
    assert!(stdout.lines().all(|l| l.starts_with("::")), "{stdout}");
    // The summary stays on stderr, out of the log's commands.
    assert_eq!(
        stderr.lines().next(),
        Some("checked 4 files: 4 errors, 1 warning")
    );
    insta::assert_snapshot!(stdout);
}

#[test]
fn github_commands_parse_back_to_every_diagnostic() {
    let site = site();
    let diags = diagnostics(site.path());
    let (stdout, _, _) = check(site.path(), "github", &[]);
    let commands: Vec<Command> = stdout.lines().map(parse_command).collect();
    assert_eq!(commands.len(), diags.len());
    for (c, d) in commands.iter().zip(&diags) {
        assert_eq!(c.name, d["severity"].as_str().expect("severity"));
        assert_eq!(c.props["file"], d["file"].as_str().expect("file"));
        assert_eq!(c.props["title"], d["code"].as_str().expect("code"));
        let number = |key: &str| {
            c.props
                .get(key)
                .map(|v| v.parse::<u64>().expect("a number"))
        };
        assert_eq!(number("line"), d["line"].as_u64());
        assert_eq!(number("col"), d["column"].as_u64());
        if let Some(col) = number("col") {
            assert!(number("endColumn").expect("endColumn") > col);
        }
        let known = ["file", "line", "col", "endColumn", "title"];
        assert!(c.props.keys().all(|k| known.contains(&k.as_str())), "{c:?}");
        assert_eq!(c.data, text_of(d));
    }
    // What needed escaping was there to escape.
    assert!(stdout.contains("`50%25, klar: ja`"), "{stdout}");
    assert!(
        stdout.contains("file=content/åtgärder%2C del 1.md,"),
        "{stdout}"
    );
    assert!(stdout.contains("%0Ahelp: "), "{stdout}");
}

// ---------------------------------------------------------------- gitlab

#[test]
fn gitlab_output_snapshot() {
    let site = site();
    let (stdout, _, code) = check(site.path(), "gitlab", &[]);
    assert_eq!(code, Some(1));
    insta::assert_snapshot!(stdout);
}

/// Asserts the fields GitLab's Code Quality documentation lists, with
/// their types: `description`, `check_name`, `fingerprint` (unique in the
/// report), `severity` (one of five), `location.path`,
/// `location.lines.begin`; `location.positions.begin.line` and `.column`
/// where the diagnostic has a position.
fn assert_code_quality_report(report: &Value, diags: &[Value]) {
    fn string(v: &Value) -> &str {
        v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))
    }
    let issues = report.as_array().expect("a report is an array");
    assert_eq!(issues.len(), diags.len());
    let mut fingerprints = std::collections::BTreeSet::new();
    for (issue, d) in issues.iter().zip(diags) {
        assert_eq!(string(&issue["description"]), text_of(d));
        assert_eq!(string(&issue["check_name"]), string(&d["code"]));
        assert!(fingerprints.insert(string(&issue["fingerprint"]).to_string()));
        let severities = ["info", "minor", "major", "critical", "blocker"];
        assert!(severities.contains(&string(&issue["severity"])), "{issue}");
        let location = &issue["location"];
        assert_eq!(string(&location["path"]), string(&d["file"]));
        let begin = location["lines"]["begin"].as_u64().expect("lines.begin");
        assert_eq!(begin, d["line"].as_u64().unwrap_or(1));
        match d["column"].as_u64() {
            Some(column) => {
                let at = &location["positions"]["begin"];
                assert_eq!(at["line"].as_u64(), Some(begin));
                assert_eq!(at["column"].as_u64(), Some(column));
            }
            None => assert!(location.get("positions").is_none(), "{issue}"),
        }
    }
}

#[test]
fn gitlab_report_has_the_documented_fields_and_types() {
    for site in [site(), site_without_positions()] {
        let report = check_json(site.path(), "gitlab", &[]);
        assert_code_quality_report(&report, &diagnostics(site.path()));
    }
    let report = check_json(site().path(), "gitlab", &[]);
    let severities: Vec<&str> = report
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|i| i["severity"].as_str())
        .collect();
    assert_eq!(severities, ["major", "minor", "major", "major", "major"]);
}

// ----------------------------------------------------------------- sarif

/// The pattern the official schema gives `language` (of a run and of a tool
/// component): a stray `]`, a known erratum, which makes the schema fail
/// the draft-07 meta-schema's `regex` format, so that no validator that
/// checks the schema first will compile it.
const BROKEN_LANGUAGE_PATTERN: &str = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;

/// The same without the stray `]` (styrdok writes no `language`).
const LANGUAGE_PATTERN: &str = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}?$""#;

/// The SARIF 2.1.0 schema (vendored unchanged, see
/// `tests/fixtures/formats/README.md`), its one erratum mended in memory,
/// with format checks (URIs) on.
fn sarif_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(common::fixture_dir("formats/sarif-schema-2.1.0.json"))
        .expect("schema");
    assert_eq!(text.matches(BROKEN_LANGUAGE_PATTERN).count(), 2);
    let text = text.replace(BROKEN_LANGUAGE_PATTERN, LANGUAGE_PATTERN);
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles")
}

/// Every way the log breaks the schema, one per line.
fn schema_errors(validator: &jsonschema::Validator, log: &Value) -> String {
    validator
        .iter_errors(log)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn sarif_output_snapshot() {
    let site = site();
    let (stdout, _, code) = check(site.path(), "sarif", &[]);
    assert_eq!(code, Some(1));
    let version = format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION"));
    assert!(stdout.contains(&version), "{stdout}");
    let redacted = stdout.replace(&version, "\"version\": \"[version]\"");
    insta::assert_snapshot!(redacted);
}

#[test]
fn sarif_log_is_valid_against_the_sarif_2_1_0_schema() {
    let validator = sarif_validator();
    for site in [site(), site_without_positions()] {
        for args in [&[][..], &["--strict"][..]] {
            let log = check_json(site.path(), "sarif", args);
            assert_eq!(schema_errors(&validator, &log), "", "{log:#}");
        }
    }
    // The validator does reject what the schema forbids.
    let mut log = check_json(site().path(), "sarif", &[]);
    log["runs"][0]["results"][0]["level"] = "fatal".into();
    log["runs"][0]["results"][1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        "content/a b.md".into();
    let errors = schema_errors(&validator, &log);
    assert!(errors.contains("/runs/0/results/0/level"), "{errors}");
    assert!(errors.contains("/artifactLocation/uri"), "{errors}");
}

#[test]
fn sarif_results_carry_each_diagnostic() {
    let site = site();
    let diags = diagnostics(site.path());
    let log = check_json(site.path(), "sarif", &[]);
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), diags.len());
    for (r, d) in results.iter().zip(&diags) {
        let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], d["code"]);
        assert_eq!(r["ruleId"], d["code"]);
        assert_eq!(r["level"], d["severity"]);
        assert_eq!(r["message"]["text"].as_str(), Some(text_of(d).as_str()));
        let at = &r["locations"][0]["physicalLocation"];
        assert_eq!(at["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert_eq!(at["region"]["startLine"], d["line"]);
        assert_eq!(at["region"]["startColumn"], d["column"]);
    }
    let uri = &results[3]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    assert_eq!(uri, "content/%C3%A5tg%C3%A4rder,%20del%201.md");
}

// ------------------------------------------------- strict, exit codes, paths

#[test]
fn strict_makes_every_diagnostic_an_error_in_each_format() {
    let site = site();
    let (github, _, _) = check(site.path(), "github", &["--strict"]);
    assert!(
        github.lines().all(|l| l.starts_with("::error ")),
        "{github}"
    );
    let gitlab = check_json(site.path(), "gitlab", &["--strict"]);
    assert!(gitlab
        .as_array()
        .expect("array")
        .iter()
        .all(|i| i["severity"] == "major"));
    let sarif = check_json(site.path(), "sarif", &["--strict"]);
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert!(results.iter().all(|r| r["level"] == "error"), "{sarif:#}");
}

#[test]
fn exit_codes_are_those_of_the_human_format() {
    // One warning: 0, and 1 with --strict, whatever the format.
    let warned = TestSite::fixture("check/revision_due");
    for format in ["github", "gitlab", "sarif"] {
        assert_eq!(check(warned.path(), format, &[]).2, Some(0), "{format}");
        assert_eq!(
            check(warned.path(), format, &["--strict"]).2,
            Some(1),
            "{format}"
        );
        assert_eq!(check(site().path(), format, &[]).2, Some(1), "{format}");
        let clean = TestSite::fixture("check/clean");
        let (stdout, _, code) = check(clean.path(), format, &[]);
        assert_eq!(code, Some(0), "{format}");
        if format == "github" {
            assert_eq!(stdout, "");
        }
    }
}

#[test]
fn a_problem_without_a_position_names_the_file_alone() {
    let site = site_without_positions();
    let (github, _, code) = check(site.path(), "github", &[]);
    assert_eq!(code, Some(1));
    let c = parse_command(github.trim_end());
    let keys: Vec<&str> = c.props.keys().map(String::as_str).collect();
    assert_eq!(keys, ["file", "title"]);
    assert_eq!(c.props["file"], "styrdok.toml");
    let sarif = check_json(site.path(), "sarif", &[]);
    let at = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    assert_eq!(at["artifactLocation"]["uri"], "styrdok.toml");
    assert!(at.get("region").is_none(), "{at}");
}

/// The paths each forge format gives, in order: github's `file`, gitlab's
/// `location.path` and sarif's `uri` (percent-decoded for comparison).
fn forge_paths(root: &Path) -> Vec<(String, String, String)> {
    let (github, _, _) = check(root, "github", &[]);
    let gitlab = check_json(root, "gitlab", &[]);
    let sarif = check_json(root, "sarif", &[]);
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    github
        .lines()
        .map(|l| parse_command(l).props["file"].clone())
        .zip(gitlab.as_array().expect("array"))
        .zip(results)
        .map(|((g, l), s)| {
            let uri = s["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .expect("uri");
            (
                g,
                l["location"]["path"].as_str().expect("path").to_string(),
                decode(uri),
            )
        })
        .collect()
}

/// Undoes percent-encoding (UTF-8).
fn decode(uri: &str) -> String {
    let mut bytes = Vec::new();
    let mut rest = uri.as_bytes();
    while let Some((&b, tail)) = rest.split_first() {
        if b == b'%' && tail.len() >= 2 {
            let hex = std::str::from_utf8(&tail[..2]).expect("hex");
            bytes.push(u8::from_str_radix(hex, 16).expect("hex"));
            rest = &tail[2..];
        } else {
            bytes.push(b);
            rest = tail;
        }
    }
    String::from_utf8(bytes).expect("UTF-8")
}

#[test]
fn paths_are_relative_to_the_repository_when_the_site_is_in_a_subdirectory() {
    let repo = tempfile::tempdir().expect("temp dir");
    let root = repo.path().join("site");
    common::copy_dir(&common::fixture_dir("formats/ci"), &root);
    git(repo.path()).init_with_commit("A site in a subdirectory");
    let files: Vec<String> = diagnostics(&root)
        .iter()
        .map(|d| d["file"].as_str().expect("file").to_string())
        .collect();
    // The JSON format keeps paths relative to the site root.
    assert!(files.iter().all(|f| f.starts_with("content/")), "{files:?}");
    let expected: Vec<(String, String, String)> = files
        .iter()
        .map(|f| {
            let p = format!("site/{f}");
            (p.clone(), p.clone(), p)
        })
        .collect();
    assert_eq!(forge_paths(&root), expected);
    // A site at the top of its repository: the paths as they are.
    let top = site();
    git(top.path()).init_with_commit("A site at the top");
    let as_they_are: Vec<(String, String, String)> = files
        .iter()
        .map(|f| (f.clone(), f.clone(), f.clone()))
        .collect();
    assert_eq!(forge_paths(top.path()), as_they_are);
}
