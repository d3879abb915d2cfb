//! A site's own front matter: the keys it declares in `styrdok.toml` with
//! `[fields.<key>]` (diarienummer, beslutsparagraf, giltig_till, …), each
//! with its type, the document types it is for, whether it is required,
//! its label in both languages and where it shows. The built-in keys keep
//! their meaning; a key neither built in nor declared stays an error.

use chrono::NaiveDate;
use indexmap::IndexMap;
use serde::Deserialize;
use std::sync::LazyLock;

use crate::codes::Code;
use crate::config::Language;
use crate::diagnostic::Diagnostic;
use crate::source::SourceFile;

/// The type of a declared field's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
pub enum FieldKind {
    /// Any non-empty text.
    #[serde(rename = "text")]
    Text,
    /// A date, YYYY-MM-DD.
    #[serde(rename = "date")]
    Date,
    /// A number (integer or decimal).
    #[serde(rename = "number")]
    Number,
    /// `true` or `false` (shown as ja/nej).
    #[serde(rename = "bool")]
    Bool,
    /// One of `choices`.
    #[serde(rename = "choice")]
    Choice,
    /// A list of texts.
    #[serde(rename = "list")]
    List,
    /// The id of a document of the site (checked like `överordnad`).
    #[serde(rename = "document")]
    Document,
}

impl FieldKind {
    /// What a value of this type looks like, for hints.
    pub fn expected(self) -> &'static str {
        match self {
            FieldKind::Text => "a text",
            FieldKind::Date => "a date (YYYY-MM-DD)",
            FieldKind::Number => "a number",
            FieldKind::Bool => "true or false",
            FieldKind::Choice => "one of the field's choices",
            FieldKind::List => "a list of texts",
            FieldKind::Document => "a document id",
        }
    }
}

/// Where a declared field shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
pub enum Show {
    /// In the document-control block of the page (on screen).
    #[serde(rename = "page")]
    Page,
    /// In the printed document-control header.
    #[serde(rename = "print")]
    Print,
    /// As a filter on the search page.
    #[serde(rename = "search")]
    Search,
}

/// A text in both languages, or one text for both.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(untagged)]
pub enum Label {
    /// The same in both.
    One(String),
    /// Swedish and English.
    Both {
        /// Swedish.
        sv: String,
        /// English.
        en: String,
    },
}

impl Label {
    /// The text in `lang`.
    pub fn get(&self, lang: Language) -> &str {
        match (self, lang) {
            (Label::One(s), _) => s,
            (Label::Both { sv, .. }, Language::Sv) => sv,
            (Label::Both { en, .. }, Language::En) => en,
        }
    }
}

fn show_default() -> Vec<Show> {
    vec![Show::Page, Show::Print]
}

/// `[fields.<key>]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldDef {
    /// The value's type.
    #[serde(rename = "type")]
    pub kind: FieldKind,
    /// The document types that may (and, if required, must) have it;
    /// empty: every type.
    #[serde(default)]
    pub types: Vec<String>,
    /// Whether those documents must have it.
    #[serde(default)]
    pub required: bool,
    /// Its label.
    pub label: Label,
    /// The values a `choice` field takes.
    #[serde(default)]
    pub choices: Vec<String>,
    /// Where it shows (default the page and print).
    #[serde(default = "show_default")]
    pub show: Vec<Show>,
}

impl FieldDef {
    /// Whether a document of type `typ` (its `typ:` text) may have it.
    pub fn applies_to(&self, typ: Option<&str>) -> bool {
        self.types.is_empty() || typ.is_some_and(|t| self.types.iter().any(|x| x == t))
    }

    /// Whether it shows at `place`.
    pub fn shows(&self, place: Show) -> bool {
        self.show.contains(&place)
    }
}

/// The declared fields, in the order `styrdok.toml` has them.
pub type Fields = IndexMap<String, FieldDef>;

/// No declared fields: for reading front matter whose problems are not
/// reported (past revisions).
pub fn no_fields() -> &'static Fields {
    static EMPTY: LazyLock<Fields> = LazyLock::new(IndexMap::new);
    &EMPTY
}

/// A key of the site's own fields for the load cache: a change to the
/// declarations reads every document again.
pub fn fields_key(fields: &Fields) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for (k, v) in fields {
        k.hash(&mut h);
        v.hash(&mut h);
    }
    h.finish()
}

/// A declared field's value, as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    /// `text`, `choice` and `document`.
    Text(String),
    /// `date`.
    Date(NaiveDate),
    /// `number`, as written (no float formatting surprises).
    Number(String),
    /// `bool`.
    Bool(bool),
    /// `list`.
    List(Vec<String>),
}

impl FieldValue {
    /// The value for a reader, in `lang`.
    pub fn display(&self, lang: Language) -> String {
        match self {
            FieldValue::Text(s) | FieldValue::Number(s) => s.clone(),
            FieldValue::Date(d) => d.to_string(),
            FieldValue::Bool(b) => match (b, lang) {
                (true, Language::Sv) => "ja".into(),
                (false, Language::Sv) => "nej".into(),
                (true, Language::En) => "yes".into(),
                (false, Language::En) => "no".into(),
            },
            FieldValue::List(items) => items.join(", "),
        }
    }
}

/// The keys no site may declare: the built-in ones.
fn reserved(key: &str) -> bool {
    crate::load::frontmatter::KEYS.contains(&key)
}

/// The line and column where `needle` first occurs in `source`, else 1:1.
fn locate(source: &SourceFile, needle: &str) -> (usize, usize) {
    source
        .text
        .find(needle)
        .map_or((1, 1), |at| source.position(at))
}

/// Checks the declarations against each other and the built-in keys and
/// types: the first problem, at its table in `styrdok.toml`.
pub fn check(fields: &Fields, known_types: &[&str], source: &SourceFile) -> Result<(), Diagnostic> {
    for (key, def) in fields {
        // Keys outside ASCII are quoted in TOML: `[fields."gäller_för"]`.
        let (line, col) = [format!("[fields.{key}]"), format!("[fields.\"{key}\"]")]
            .iter()
            .find(|n| source.text.contains(n.as_str()))
            .map_or((1, 1), |n| locate(source, n));
        let err = |message: String, hint: &str| {
            Err(Diagnostic::error(
                Code::ConfigInvalid,
                &source.rel,
                line,
                col,
                format!("{}: {message}", crate::config::FILE_NAME),
            )
            .with_hint(hint))
        };
        if reserved(key) {
            return err(
                format!("`[fields.{key}]` declares a built-in key"),
                "built-in keys cannot be declared again; choose another name",
            );
        }
        if let Some(t) = def
            .types
            .iter()
            .find(|t| !known_types.contains(&t.as_str()))
        {
            return err(
                format!("`[fields.{key}]` names an unknown document type `{t}`"),
                &format!("known types: {}", known_types.join(", ")),
            );
        }
        match (def.kind, def.choices.is_empty()) {
            (FieldKind::Choice, true) => {
                return err(
                    format!("`[fields.{key}]` is a choice without `choices`"),
                    "add `choices = [\"…\", \"…\"]`",
                )
            }
            (k, false) if k != FieldKind::Choice => {
                return err(
                    format!("`[fields.{key}]` has `choices` but is not `type = \"choice\"`"),
                    "remove `choices`, or set `type = \"choice\"`",
                )
            }
            _ => {}
        }
    }
    Ok(())
}
