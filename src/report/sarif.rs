//! `check --format sarif`: a SARIF 2.1.0 log on stdout, one run of
//! styrdok, for code scanning (GitHub's `upload-sarif`, or any SARIF
//! viewer). Each code that occurs is a rule, with its description from the
//! registry; each diagnostic a result at its file and, where it has one,
//! its line and columns.

use serde::Serialize;

use super::forge::{self, RepoPaths};
use crate::codes::Code;
use crate::diagnostic::Diagnostic;

/// The schema the log names.
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// A SARIF log.
#[derive(Debug, Serialize)]
pub(super) struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

/// The one run of styrdok.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    /// Columns count characters (Unicode code points), not UTF-16 units,
    /// SARIF's default.
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

/// `tool`.
#[derive(Debug, Serialize)]
struct Tool {
    driver: Driver,
}

/// styrdok, its version and its rules.
#[derive(Debug, Serialize)]
struct Driver {
    name: &'static str,
    version: &'static str,
    rules: Vec<Rule>,
}

/// A code, as a rule.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    /// `SD105`.
    id: &'static str,
    /// `UnknownKey`.
    name: &'static str,
    short_description: Message,
    /// The level the code is reported with, where it has only one.
    #[serde(skip_serializing_if = "Option::is_none")]
    default_configuration: Option<Configuration>,
}

/// `reportingConfiguration`: the rule's level.
#[derive(Debug, Serialize)]
struct Configuration {
    level: &'static str,
}

/// A text.
#[derive(Debug, Serialize)]
struct Message {
    text: String,
}

/// One diagnostic.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    /// The rule's place in `driver.rules`.
    rule_index: usize,
    level: &'static str,
    /// The message and its hint.
    message: Message,
    locations: Vec<Location>,
}

/// `location`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

/// The file, and the region in it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

/// A path relative to the repository's top (`%SRCROOT%`), as a URI.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    uri_base_id: &'static str,
}

/// The line, and the columns of the underlined text (`endColumn` one past
/// its last character, as SARIF defines it).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<usize>,
}

/// The log of one check. With `strict` every result is an error.
pub(super) fn log(diags: &[Diagnostic], strict: bool, paths: &RepoPaths) -> Log {
    let mut codes: Vec<Code> = diags.iter().map(|d| d.code).collect();
    codes.sort_unstable();
    codes.dedup();
    let results = diags
        .iter()
        .map(|d| SarifResult {
            rule_id: d.code.as_str(),
            rule_index: codes.binary_search(&d.code).unwrap_or_default(),
            level: if d.is_failure(strict) {
                "error"
            } else {
                "warning"
            },
            message: Message {
                text: forge::text(d),
            },
            locations: vec![location(d, paths)],
        })
        .collect();
    Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "styrdok",
                    version: env!("CARGO_PKG_VERSION"),
                    rules: codes.into_iter().map(rule).collect(),
                },
            },
            column_kind: "unicodeCodePoints",
            results,
        }],
    }
}

fn rule(code: Code) -> Rule {
    let level = match code.severities() {
        "error" => Some("error"),
        "warning" => Some("warning"),
        _ => None,
    };
    Rule {
        id: code.as_str(),
        name: code.name(),
        short_description: Message {
            text: code.description().to_string(),
        },
        default_configuration: level.map(|level| Configuration { level }),
    }
}

fn location(d: &Diagnostic, paths: &RepoPaths) -> Location {
    let region = d.line.map(|start_line| Region {
        start_line,
        start_column: d.column,
        end_column: d.column.map(|c| c + d.width.max(1)),
    });
    Location {
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation {
                // Each segment percent-encoded: non-ASCII and `:` included,
                // so that `a:b.md` is a path, not a URI with a scheme.
                uri: crate::resolve::href_path(&paths.path(&d.file)),
                uri_base_id: "%SRCROOT%",
            },
            region,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_code_that_occurs_is_one_rule_and_results_point_at_it() {
        let diags = [
            Diagnostic::error(Code::UnknownKey, "content/å.md", 9, 1, "x").with_width(3),
            Diagnostic::warning_in(Code::GitProblem, ".git", "shallow"),
            Diagnostic::error(Code::UnknownKey, "content/b.md", 2, 1, "y"),
        ];
        let json = serde_json::to_value(log(&diags, false, &RepoPaths::new("site"))).expect("json");
        let run = &json["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
        let ids: Vec<&str> = rules.iter().filter_map(|r| r["id"].as_str()).collect();
        assert_eq!(ids, ["SD008", "SD105"]);
        assert_eq!(rules[1]["shortDescription"]["text"], "An unknown key.");
        assert_eq!(rules[1]["defaultConfiguration"]["level"], "error");
        let first = &run["results"][0];
        assert_eq!(first["ruleIndex"], 1);
        let at = &first["locations"][0]["physicalLocation"];
        assert_eq!(at["artifactLocation"]["uri"], "site/content/%C3%A5.md");
        assert_eq!(at["region"]["endColumn"], 4);
        let repo = &run["results"][1]["locations"][0]["physicalLocation"];
        assert_eq!(repo["artifactLocation"]["uri"], ".git");
        assert!(repo.get("region").is_none());
        assert_eq!(run["results"][1]["level"], "warning");
    }
}
