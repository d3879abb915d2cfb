//! `styrdok.toml`: every setting with its default, read strictly (an unknown
//! key is an error that names it). Area and section defaults come from the
//! seed policy's chapter 4 and the plan contents that policy 3.2 asks for.

use serde::Deserialize;
use std::path::{Path, PathBuf};

use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::model::{InstructionKind, Klassning, Policy};
use crate::source::SourceFile;

/// The name of the configuration file at the site root.
pub const FILE_NAME: &str = "styrdok.toml";

/// The site's configuration.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// The organisation's name, shown in every page's header.
    pub title: String,
    /// Language of the site's own texts.
    pub language: Language,
    /// Theme under `themes/<name>/` overriding the built-in default.
    pub theme: String,
    /// Where the Markdown lives, relative to the site root.
    pub content_dir: PathBuf,
    /// Where the site is written, relative to the site root.
    pub output_dir: PathBuf,
    /// Versions built from git tags.
    pub versions: Versions,
    /// What this build may publish.
    pub publish: Publish,
    /// Follow-up rules (seed ch. 5).
    pub review: Review,
    /// Required areas of each instruction (seed ch. 4).
    pub areas: Areas,
    /// Required sections of a system security plan.
    pub plan: PlanConfig,
    /// Revision history from git.
    pub history: HistoryConfig,
    /// The site's own front-matter keys (`[fields.<key>]`).
    pub fields: crate::schema::Fields,
    /// The site's own document types (`[types.<name>]`).
    pub types: crate::schema::Types,
}

/// `[history]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HistoryConfig {
    /// Read history from git at all.
    pub enabled: bool,
    /// At most this many revisions per document are shown.
    pub max_revisions: usize,
}

impl Default for HistoryConfig {
    fn default() -> Self {
        HistoryConfig {
            enabled: true,
            max_revisions: 50,
        }
    }
}

/// Language of the site's own texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default, clap::ValueEnum)]
#[repr(u8)]
pub enum Language {
    /// Swedish (default).
    #[default]
    #[serde(rename = "sv")]
    #[value(name = "sv")]
    Sv = 0,
    /// English.
    #[serde(rename = "en")]
    #[value(name = "en")]
    En = 1,
}

/// `[versions]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Versions {
    /// Whether tags are built as versions.
    pub enabled: bool,
    /// Glob that selects the tags (`*` matches any run of characters).
    pub tag_pattern: String,
}

impl Default for Versions {
    fn default() -> Self {
        Versions {
            enabled: true,
            tag_pattern: "v*".into(),
        }
    }
}

/// `[publish]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Publish {
    /// The most sensitive class this build may publish.
    pub max_klassning: Klassning,
    /// What happens to attachments no document links to.
    pub unlinked_attachments: Unlinked,
    /// The text of every adopted document must be the text that adopted
    /// its version: SD606 is an error, not a warning.
    pub require_adopted: bool,
    /// Publish drafts (`utkast`, `remiss`) too; `build` leaves them out
    /// by default (`--drafts` and `serve` include them).
    pub drafts: bool,
    /// Also write each published document as a PDF under `pdf/` (as
    /// `build --pdf`).
    pub pdf: bool,
    /// Where the published site is reached (`https://intranat/it/`): a
    /// PDF links other documents there; without it their titles are plain
    /// text, as a PDF has no site beside it.
    #[serde(default, deserialize_with = "http_url")]
    pub base_url: Option<String>,
}

/// `[publish] base_url`: an `http://` or `https://` URL.
fn http_url<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let url = String::deserialize(d)?;
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://"))
        || url.contains(char::is_whitespace)
    {
        return Err(serde::de::Error::custom(crate::tr!(
            "`base_url` ska vara en http- eller https-adress, till exempel \"https://intranat.example/it/\"",
            "`base_url` must be an http or https URL, e.g. \"https://intranat.example/it/\""
        )));
    }
    Ok(Some(url))
}

impl Default for Publish {
    fn default() -> Self {
        Publish {
            max_klassning: Klassning::Intern,
            unlinked_attachments: Unlinked::Skip,
            require_adopted: false,
            drafts: false,
            pdf: false,
            base_url: None,
        }
    }
}

impl Publish {
    /// What this build may publish: the one rule every stage asks.
    pub fn policy(&self) -> Policy {
        Policy {
            max_klassning: self.max_klassning,
            drafts: self.drafts,
        }
    }
}

/// `[publish] unlinked_attachments`: an attachment is published when a
/// published document links to it; one that no document links to is
/// skipped (with a warning) or published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Default)]
pub enum Unlinked {
    /// Not published (default).
    #[default]
    #[serde(rename = "skip")]
    Skip,
    /// Published as if a published document linked to it.
    #[serde(rename = "publish")]
    Publish,
}

/// `[review]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Review {
    /// Warn this many days before `nästa_revision`.
    pub warn_days_before: u32,
    /// A threat analysis older than this many months is stale.
    pub hotbild_max_months: u32,
}

impl Default for Review {
    fn default() -> Self {
        Review {
            warn_days_before: 30,
            hotbild_max_months: 12,
        }
    }
}

/// A required area or section: its name and other headings that cover it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(untagged)]
pub enum Requirement {
    /// Just the name.
    Name(String),
    /// A name with aliases.
    Full {
        /// The name, as shown in the coverage table.
        name: String,
        /// Other heading texts that cover it.
        #[serde(default)]
        aliases: Vec<String>,
    },
}

impl Requirement {
    /// The name.
    pub fn name(&self) -> &str {
        match self {
            Requirement::Name(n) | Requirement::Full { name: n, .. } => n,
        }
    }

    /// The name followed by its aliases.
    pub fn spellings(&self) -> Vec<&str> {
        match self {
            Requirement::Name(n) => vec![n],
            Requirement::Full { name, aliases } => std::iter::once(name.as_str())
                .chain(aliases.iter().map(String::as_str))
                .collect(),
        }
    }
}

/// `[areas]`: the areas each instruction must cover.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Areas {
    /// IT-säkerhetsinstruktion Förvaltning.
    #[serde(rename = "förvaltning", alias = "forvaltning")]
    pub forvaltning: Vec<Requirement>,
    /// IT-säkerhetsinstruktion Drift.
    pub drift: Vec<Requirement>,
    /// IT-säkerhetsinstruktion Användare.
    #[serde(rename = "användare", alias = "anvandare")]
    pub anvandare: Vec<Requirement>,
}

impl Areas {
    /// The areas of one instruction.
    pub fn of(&self, kind: InstructionKind) -> &[Requirement] {
        match kind {
            InstructionKind::Forvaltning => &self.forvaltning,
            InstructionKind::Drift => &self.drift,
            InstructionKind::Anvandare => &self.anvandare,
        }
    }
}

fn req(name: &str, aliases: &[&str]) -> Requirement {
    if aliases.is_empty() {
        Requirement::Name(name.into())
    } else {
        Requirement::Full {
            name: name.into(),
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
        }
    }
}

impl Default for Areas {
    /// Seed chapter 4, one area per item of each list.
    fn default() -> Self {
        Areas {
            forvaltning: vec![
                req("Behörighetsadministration", &[]),
                req("Behörighetskontroll", &[]),
                req(
                    "Loggning och sårbarhet",
                    &["Loggning och sårbarhetshantering"],
                ),
                req("Distansarbete", &[]),
                req("Drift och förvaltning", &["Drift- och förvaltning"]),
                req("Tillträdesskydd", &[]),
                req("Säkerhetskopiering och lagring", &[]),
                req("Avveckling av datamedia", &[]),
                req("Datakommunikation", &[]),
            ],
            drift: vec![
                req(
                    "System- och driftdokumentation",
                    &[
                        "System- och driftdokumentationer",
                        "Systemdokumentation och driftdokumentation",
                    ],
                ),
                req("Förvaring av datamedia", &[]),
                req("Bemanning", &[]),
                req(
                    "Tillträdes- och brandskydd",
                    &["Tillträdesskydd och brandskydd"],
                ),
                req("Elförsörjning", &[]),
                req("Regler för säkerhetskopiering", &["Säkerhetskopiering"]),
            ],
            anvandare: vec![
                req("Informationsklassning", &[]),
                req("Distansarbete", &[]),
                req("IT-incidenthantering", &["Incidenthantering"]),
                req("Säkerhetskopiering och lagring", &[]),
                req("E-post", &[]),
                req("Användning av Internet", &["Internetanvändning"]),
            ],
        }
    }
}

/// `[plan]`: what a system security plan must contain.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PlanConfig {
    /// Required sections (headings).
    pub sections: Vec<Requirement>,
}

impl Default for PlanConfig {
    fn default() -> Self {
        PlanConfig {
            sections: vec![
                req("Systembeskrivning", &[]),
                req("Informationsklassning", &[]),
                req(
                    "Hot- och riskanalys",
                    &[
                        "Hotbild och riskanalys",
                        "Risk- och sårbarhetsanalys",
                        "Riskanalys",
                    ],
                ),
                req("Säkerhetsåtgärder", &[]),
                req(
                    "Kontinuitetsplanering",
                    &["Kontinuitet", "Kontinuitetsplan"],
                ),
                req("Driftgodkännande", &[]),
            ],
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "IT-säkerhet".into(),
            language: Language::Sv,
            theme: "default".into(),
            content_dir: "content".into(),
            output_dir: "output".into(),
            versions: Versions::default(),
            publish: Publish::default(),
            review: Review::default(),
            areas: Areas::default(),
            plan: PlanConfig::default(),
            history: HistoryConfig::default(),
            fields: crate::schema::Fields::new(),
            types: crate::schema::Types::new(),
        }
    }
}

impl Config {
    /// Parses `styrdok.toml` text; `Err` holds the diagnostic.
    pub fn parse(source: &SourceFile) -> Result<Config, Diagnostic> {
        let config = Self::parse_toml(source)?;
        crate::schema::check(config.schema(), source)?;
        Ok(config)
    }

    /// The site's own fields and types, for reading front matter.
    pub fn schema(&self) -> crate::schema::Schema<'_> {
        crate::schema::Schema {
            fields: &self.fields,
            types: &self.types,
        }
    }

    fn parse_toml(source: &SourceFile) -> Result<Config, Diagnostic> {
        toml::from_str::<Config>(&source.text).map_err(|e| {
            let (line, col) = e.span().map_or((1, 1), |s| source.position(s.start));
            let width = e.span().map_or(1, |s| {
                source.text.get(s.clone()).map_or(1, |t| t.chars().count())
            });
            let msg = e.message().trim().to_string();
            let code = if msg.starts_with("unknown field") {
                Code::ConfigUnknownKey
            } else {
                Code::ConfigInvalid
            };
            let message = crate::tr!("fel i {FILE_NAME}: {msg}", "{FILE_NAME}: {msg}");
            Diagnostic::error(code, &source.rel, line, col, message).with_width(width)
        })
    }

    /// Reads `styrdok.toml` from the site root. `Ok(Err(_))` is a diagnostic
    /// in the file; `Err` is an I/O problem.
    pub fn load(root: &Path) -> std::io::Result<Result<Config, Diagnostic>> {
        let path = root.join(FILE_NAME);
        let bytes = std::fs::read(&path)?;
        let text = String::from_utf8_lossy(&bytes);
        Ok(Config::parse(&SourceFile::new(FILE_NAME, &text)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Diagnostic> {
        Config::parse(&SourceFile::new(FILE_NAME, text))
    }

    #[test]
    fn empty_file_is_valid_and_defaults_follow_the_seed() {
        let c = parse("").unwrap();
        assert_eq!(c.areas.forvaltning.len(), 9);
        assert_eq!(c.areas.anvandare.len(), 6);
        assert_eq!(c.areas.drift.len(), 6);
        assert_eq!(c.review.hotbild_max_months, 12);
        assert_eq!(c.publish.max_klassning, Klassning::Intern);
        assert_eq!(c.versions.tag_pattern, "v*");
        assert_eq!(c.publish.unlinked_attachments, Unlinked::Skip);
    }

    #[test]
    fn pdf_and_base_url_are_keys_of_publish() {
        let c = parse("").unwrap();
        assert!(!c.publish.pdf);
        assert_eq!(c.publish.base_url, None);
        let c =
            parse("[publish]\npdf = true\nbase_url = \"https://intranat.example/it/\"\n").unwrap();
        assert!(c.publish.pdf);
        assert_eq!(
            c.publish.base_url.as_deref(),
            Some("https://intranat.example/it/")
        );
        let d = parse("[publish]\nbase_url = \"javascript:alert(1)\"\n").unwrap_err();
        assert_eq!((d.code, d.line), (Code::ConfigInvalid, Some(2)));
        let d = parse("[publish]\npdf = \"ja\"\n").unwrap_err();
        assert_eq!((d.code, d.line), (Code::ConfigInvalid, Some(2)));
    }

    #[test]
    fn unlinked_attachments_take_skip_or_publish() {
        let c = parse("[publish]\nunlinked_attachments = \"publish\"\n").unwrap();
        assert_eq!(c.publish.unlinked_attachments, Unlinked::Publish);
        let d = parse("[publish]\nunlinked_attachments = \"alla\"\n").unwrap_err();
        assert_eq!((d.code, d.line), (Code::ConfigInvalid, Some(2)));
        let d = parse("[publish]\nunlinked = \"skip\"\n").unwrap_err();
        assert_eq!((d.code, d.line), (Code::ConfigUnknownKey, Some(2)));
    }

    #[test]
    fn require_adopted_is_a_bool_of_publish() {
        assert!(!parse("").unwrap().publish.require_adopted);
        let c = parse("[publish]\nrequire_adopted = true\n").unwrap();
        assert!(c.publish.require_adopted);
        let d = parse("[publish]\nrequire_adopted = \"ja\"\n").unwrap_err();
        assert_eq!((d.code, d.line), (Code::ConfigInvalid, Some(2)));
        let d = parse("[publish]\nrequire_adoption = true\n").unwrap_err();
        assert_eq!((d.code, d.line), (Code::ConfigUnknownKey, Some(2)));
    }

    #[test]
    fn unknown_keys_are_named_with_their_line() {
        let d = parse("title = \"X\"\n[review]\nwarn_days = 3\n").unwrap_err();
        assert_eq!(d.code, Code::ConfigUnknownKey);
        assert_eq!(d.line, Some(3));
        assert!(d.message.contains("warn_days"), "{}", d.message);
    }

    #[test]
    fn areas_take_names_and_aliases() {
        let c = parse(
            "[areas]\ndrift = [\"Bemanning\", { name = \"El\", aliases = [\"Elförsörjning\"] }]\n",
        )
        .unwrap();
        assert_eq!(c.areas.drift[1].spellings(), vec!["El", "Elförsörjning"]);
        assert_eq!(
            c.areas.forvaltning.len(),
            9,
            "other instructions keep their defaults"
        );
    }

    #[test]
    fn drafts_are_left_out_unless_asked_for() {
        assert!(!parse("").unwrap().publish.policy().drafts);
        let c = parse("[publish]\ndrafts = true\n").unwrap();
        assert!(c.publish.policy().drafts);
        let d = parse("[publish]\ndraft = true\n").unwrap_err();
        assert_eq!((d.code, d.line), (Code::ConfigUnknownKey, Some(2)));
        let d = parse("[publish]\ndrafts = \"ja\"\n").unwrap_err();
        assert_eq!((d.code, d.line), (Code::ConfigInvalid, Some(2)));
    }

    #[test]
    fn bad_enum_values_are_errors() {
        let d = parse("[publish]\nmax_klassning = \"hemlig\"\n").unwrap_err();
        assert_eq!((d.code, d.line), (Code::ConfigInvalid, Some(2)));
    }
}
