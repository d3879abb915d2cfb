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
use crate::model::DocType;
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
    pub fn expected(self) -> String {
        match self {
            FieldKind::Text => crate::tr!("en text", "a text"),
            FieldKind::Date => crate::tr!("ett datum (ÅÅÅÅ-MM-DD)", "a date (YYYY-MM-DD)"),
            FieldKind::Number => crate::tr!("ett tal", "a number"),
            FieldKind::Bool => crate::tr!("true eller false", "true or false"),
            FieldKind::Choice => crate::tr!("ett av fältets val", "one of the field's choices"),
            FieldKind::List => crate::tr!("en lista med texter", "a list of texts"),
            FieldKind::Document => crate::tr!("ett dokument-id", "a document id"),
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

/// The declared document types, in the order `styrdok.toml` has them.
pub type Types = IndexMap<String, TypeDef>;

/// What front matter is read with: the site's own fields and types.
#[derive(Debug, Clone, Copy)]
pub struct Schema<'a> {
    /// `[fields.<key>]`.
    pub fields: &'a Fields,
    /// `[types.<name>]`.
    pub types: &'a Types,
}

impl Schema<'static> {
    /// Nothing declared: for reading front matter whose problems are not
    /// reported (past revisions).
    pub fn none() -> Schema<'static> {
        static FIELDS: LazyLock<Fields> = LazyLock::new(IndexMap::new);
        static TYPES: LazyLock<Types> = LazyLock::new(IndexMap::new);
        Schema {
            fields: &FIELDS,
            types: &TYPES,
        }
    }
}

/// Whether `name` is one of the five built-in types (which `[types.<name>]`
/// may only relabel).
pub fn is_builtin(name: &str) -> bool {
    DocType::parse(name).is_some()
}

impl Schema<'_> {
    /// A key for the load cache: a change to the declarations reads every
    /// document again.
    pub fn key(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for (k, v) in self.fields {
            k.hash(&mut h);
            v.hash(&mut h);
        }
        for (k, v) in self.types {
            k.hash(&mut h);
            v.hash(&mut h);
        }
        h.finish()
    }
}

fn parents_default() -> Vec<String> {
    vec!["policy".into()]
}

fn yes() -> bool {
    true
}

/// `[types.<name>]`: a document type of the site's own (riktlinje, rutin,
/// klassningsmodell, …). Its documents are governing documents like
/// `dokument` ones, with the label, place and sections declared here.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeDef {
    /// One document of the type: "Riktlinje".
    pub label: Label,
    /// Several: "Riktlinjer".
    pub plural: Label,
    /// The types a document of this type may be governed by (`överordnad`).
    #[serde(default = "parents_default")]
    pub parents: Vec<String>,
    /// Sections every document of the type must have, matched as areas are.
    #[serde(default)]
    pub sections: Vec<crate::config::Requirement>,
    /// Whether its documents carry `nästa_revision` (a review date).
    #[serde(default = "yes")]
    pub review_date: bool,
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

/// Where `[<table>.<key>]` is in `styrdok.toml` (quoted or not).
fn table_at(source: &SourceFile, table: &str, key: &str) -> (usize, usize) {
    // Keys outside ASCII are quoted in TOML: `[fields."gäller_för"]`.
    [format!("[{table}.{key}]"), format!("[{table}.\"{key}\"]")]
        .iter()
        .find(|n| source.text.contains(n.as_str()))
        .map_or((1, 1), |n| locate(source, n))
}

/// The hint that lists the document types there are.
fn known_types(known: &[&str]) -> String {
    let known = known.join(", ");
    crate::tr!("kända dokumenttyper: {known}", "known types: {known}")
}

/// Checks the declarations against each other and the built-in keys and
/// types: the first problem, at its table in `styrdok.toml`.
pub fn check(schema: Schema<'_>, source: &SourceFile) -> Result<(), Diagnostic> {
    let builtin: Vec<&str> = DocType::ALL.iter().map(|t| t.as_str()).collect();
    let mut known = builtin.clone();
    known.extend(schema.types.keys().map(String::as_str));
    let err = |table: &str, key: &str, (message, hint): (String, String)| {
        let (line, col) = table_at(source, table, key);
        Diagnostic::error(
            Code::ConfigInvalid,
            &source.rel,
            line,
            col,
            crate::tr!(
                "fel i {}: {message}",
                "{}: {message}",
                crate::config::FILE_NAME
            ),
        )
        .with_hint(hint)
    };
    for (name, def) in schema.types {
        if let Some(problem) = type_problem(name, def, &builtin, &known) {
            return Err(err("types", name, problem));
        }
    }
    for (key, def) in schema.fields {
        if let Some(problem) = field_problem(key, def, &known) {
            return Err(err("fields", key, problem));
        }
    }
    Ok(())
}

/// What is wrong with `[types.<name>]`, as message and hint.
fn type_problem(
    name: &str,
    def: &TypeDef,
    builtin: &[&str],
    known: &[&str],
) -> Option<(String, String)> {
    // A built-in type may be given labels of its own, nothing else:
    // its rules are styrdok's.
    let relabels = def.parents == parents_default() && def.sections.is_empty() && def.review_date;
    if builtin.contains(&name) && !relabels {
        return Some((
            crate::tr!(
                "`[types.{name}]` ger en inbyggd dokumenttyp andra regler än dess egna",
                "`[types.{name}]` gives a built-in type rules of its own"
            ),
            crate::tr!(
                "en inbyggd typ ({}) kan bara få egna `label` och `plural`; välj ett annat namn för en egen typ",
                "a built-in type ({}) can only be given its own `label` and `plural`; choose another name for a type of your own",
                builtin.join(", ")
            ),
        ));
    }
    if let Some(p) = def.parents.iter().find(|p| !known.contains(&p.as_str())) {
        return Some((
            crate::tr!(
                "`[types.{name}]` anger en okänd överordnad dokumenttyp `{p}`",
                "`[types.{name}]` names an unknown parent type `{p}`"
            ),
            known_types(known),
        ));
    }
    None
}

/// What is wrong with `[fields.<key>]`, as message and hint.
fn field_problem(key: &str, def: &FieldDef, known: &[&str]) -> Option<(String, String)> {
    if reserved(key) {
        return Some((
            crate::tr!(
                "`[fields.{key}]` deklarerar ett inbyggt fält",
                "`[fields.{key}]` declares a built-in key"
            ),
            crate::tr!(
                "inbyggda fält kan inte deklareras igen; välj ett annat namn",
                "built-in keys cannot be declared again; choose another name"
            ),
        ));
    }
    if let Some(t) = def.types.iter().find(|t| !known.contains(&t.as_str())) {
        return Some((
            crate::tr!(
                "`[fields.{key}]` anger en okänd dokumenttyp `{t}`",
                "`[fields.{key}]` names an unknown document type `{t}`"
            ),
            known_types(known),
        ));
    }
    match (def.kind, def.choices.is_empty()) {
        (FieldKind::Choice, true) => {
            return Some((
                crate::tr!(
                    "`[fields.{key}]` är ett val utan `choices`",
                    "`[fields.{key}]` is a choice without `choices`"
                ),
                crate::tr!(
                    "lägg till `choices = [\"…\", \"…\"]`",
                    "add `choices = [\"…\", \"…\"]`"
                ),
            ))
        }
        (k, false) if k != FieldKind::Choice => {
            return Some((
                crate::tr!(
                    "`[fields.{key}]` har `choices` men är inte `type = \"choice\"`",
                    "`[fields.{key}]` has `choices` but is not `type = \"choice\"`"
                ),
                crate::tr!(
                    "ta bort `choices`, eller sätt `type = \"choice\"`",
                    "remove `choices`, or set `type = \"choice\"`"
                ),
            ))
        }
        _ => {}
    }
    None
}
