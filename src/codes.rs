//! Every diagnostic code, in one registry (as ruff's `codes.rs`): its
//! stable text (`SD104`), the severities it is reported with, and what it
//! means (its doc comment, which SARIF shows as the rule's text). The
//! README's table of codes is checked against this list.

use serde::Serialize;

macro_rules! codes {
    ($($(#[doc = $doc:literal])+ $name:ident = $code:literal, $severity:literal;)+) => {
        /// A diagnostic code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($(#[doc = $doc])+ $name,)+
        }

        impl Code {
            /// Every code, in order.
            pub const ALL: &'static [Code] = &[$(Code::$name),+];

            /// The stable text, e.g. `SD104`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$name => $code),+ }
            }

            /// The severities it is reported with, as the README's table
            /// gives them: `error`, `warning` or `error/warning`.
            pub fn severities(self) -> &'static str {
                match self { $(Code::$name => $severity),+ }
            }

            /// The name in the registry, e.g. `MissingKey` (SARIF's rule name).
            pub fn name(self) -> &'static str {
                match self { $(Code::$name => stringify!($name)),+ }
            }

            /// What it means in one sentence: its doc comment here, e.g.
            /// "A required key is missing." (SARIF's short description).
            pub fn description(self) -> &'static str {
                match self { $(Code::$name => concat!($($doc),+)),+ }.trim()
            }
        }
    };
}

codes! {
    /// `styrdok.toml` is not valid TOML or has a bad value.
    ConfigInvalid = "SD001", "error";
    /// An unknown key in `styrdok.toml`.
    ConfigUnknownKey = "SD002", "error";
    /// The output (a file or directory in it) cannot be written.
    OutputUnwritable = "SD003", "error";
    /// A file cannot be read or is not UTF-8.
    Unreadable = "SD004", "error";
    /// A symlink that leaves `content/` or loops, or an attachment that is one.
    BadSymlink = "SD005", "error/warning";
    /// A file would be written over a generated page, a document, a page or another file, or into a folder spelt otherwise in case.
    OutputCollision = "SD006", "error";
    /// A theme template does not compile or render.
    ThemeError = "SD007", "error";
    /// Git history could not be read completely.
    GitProblem = "SD008", "warning";
    /// A file name that cannot be published, or that Windows refuses.
    UnsafeName = "SD009", "error/warning";
    /// An attachment no document links to.
    UnlinkedAttachment = "SD010", "warning";
    /// An attachment of a type a browser or web server runs.
    ActiveAttachment = "SD011", "error";
    /// No front matter.
    NoFrontMatter = "SD101", "error";
    /// Front matter not closed.
    UnclosedFrontMatter = "SD102", "error";
    /// Front matter is not valid YAML.
    YamlSyntax = "SD103", "error";
    /// A required key is missing.
    MissingKey = "SD104", "error";
    /// An unknown key.
    UnknownKey = "SD105", "error";
    /// A value of the wrong type.
    WrongType = "SD106", "error";
    /// Not a real date.
    BadDate = "SD107", "error";
    /// Not one of the allowed values.
    BadValue = "SD108", "error";
    /// A key given twice.
    DuplicateKey = "SD109", "error";
    /// A key that does not apply to the document's type or status.
    KeyNotForType = "SD110", "error";
    /// A date that cannot be right (in the future, or before the adoption).
    ImpossibleDate = "SD111", "error";
    /// Two documents with one id.
    DuplicateId = "SD201", "error";
    /// `överordnad` names no document.
    UnknownParent = "SD203", "error";
    /// The `överordnad` chain loops.
    CyclicParent = "SD204", "error";
    /// The chain of governing documents does not end at the policy.
    OutsideHierarchy = "SD205", "error";
    /// A second policy in force.
    SecondPolicy = "SD206", "error";
    /// `ersatt_av` names no document (or the document itself).
    UnknownReplacement = "SD207", "error";
    /// A link to a missing file, or to a folder without a page.
    MissingFile = "SD301", "error";
    /// An `id:` link to an unknown id.
    MissingId = "SD302", "error";
    /// A link to a missing heading.
    MissingAnchor = "SD303", "error";
    /// A link that leaves `content/`.
    LeavesContent = "SD304", "error";
    /// A link to a document of a stricter class.
    LinkToStricter = "SD305", "warning";
    /// A link from a document in force to a repealed one.
    LinkToRepealed = "SD306", "warning";
    /// An instruction lacks an area the policy requires.
    MissingArea = "SD401", "error";
    /// A plan lacks a required section.
    MissingSection = "SD501", "error";
    /// A plan names a system not in the register.
    UnknownSystem = "SD502", "error";
    /// An adopted plan without `driftgodkännande`.
    NoApproval = "SD503", "error";
    /// A critical system without a plan.
    CriticalWithoutPlan = "SD504", "error";
    /// A system without `systemägare`.
    SystemWithoutOwner = "SD505", "error";
    /// Two systems with one id.
    DuplicateSystem = "SD507", "error";
    /// `nästa_revision` has passed.
    RevisionOverdue = "SD601", "warning";
    /// `nästa_revision` is near.
    RevisionDueSoon = "SD602", "warning";
    /// The threat analysis is old.
    StaleThreatAnalysis = "SD603", "warning";
    /// An annual goal lacks one of the five points of policy 2.2.
    GoalIncomplete = "SD604", "error";
    /// A plan's threat analysis has not been made (`hotbild_analyserad` empty).
    ThreatNeverAnalysed = "SD605", "warning";
    /// The text of an adopted version changed without a new version.
    AdoptedTextChanged = "SD606", "error/warning";
    /// The version in force was adopted again for a different text.
    VersionReused = "SD607", "warning";
    /// Raw HTML the sanitiser removes, or that nests too deep.
    UnsafeHtml = "SD701", "warning";
    /// A `javascript:`, `vbscript:` or `data:` URL.
    UnsafeUrl = "SD702", "warning";
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The README's table of diagnostics lists exactly these codes, each
    /// with these severities.
    #[test]
    fn the_readme_table_matches_the_registry() {
        let readme = include_str!("../README.md");
        let rows: Vec<(String, String)> = readme
            .lines()
            .filter(|l| l.starts_with("| SD"))
            .map(|l| {
                let cells: Vec<&str> = l.split('|').map(str::trim).collect();
                (cells[1].to_string(), cells[2].to_string())
            })
            .collect();
        let registry: Vec<(String, String)> = Code::ALL
            .iter()
            .map(|c| (c.as_str().to_string(), c.severities().to_string()))
            .collect();
        assert_eq!(rows, registry);
    }

    #[test]
    fn every_code_has_a_name_and_a_one_line_description() {
        assert_eq!(Code::MissingKey.name(), "MissingKey");
        assert_eq!(Code::MissingKey.description(), "A required key is missing.");
        for c in Code::ALL {
            let d = c.description();
            assert!(
                !d.is_empty() && d.ends_with('.') && !d.contains('\n'),
                "{c}: {d:?}"
            );
        }
    }

    #[test]
    fn codes_are_unique_and_ordered() {
        let texts: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        let mut sorted = texts.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(texts, sorted);
    }
}
