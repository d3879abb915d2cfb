//! Document types as the site shows them: the five built-in ones and the
//! site's own (`[types.<name>]`), each with its label, plural and anchor,
//! in the order navigation, the start page and backlinks list them.

use crate::config::Config;
use crate::i18n::Texts;
use crate::model::{DocType, Document};

/// A document type as the site lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// One of the five built-in types.
    Builtin(DocType),
    /// One of the site's own, by name.
    Own(String),
}

impl Kind {
    /// The kind of document `d`.
    pub fn of(d: &Document) -> Kind {
        match &d.meta.custom_type {
            Some(c) => Kind::Own(c.value.clone()),
            None => Kind::Builtin(d.doc_type()),
        }
    }

    /// Whether document `d` is of this kind (without making its kind).
    pub fn is(&self, d: &Document) -> bool {
        match (self, &d.meta.custom_type) {
            (Kind::Own(name), Some(c)) => *name == c.value,
            (Kind::Builtin(t), None) => d.doc_type() == *t,
            _ => false,
        }
    }

    /// Every kind, as lists show them: the policy, the instructions, the
    /// site's own types in declaration order, then plans, annual goals and
    /// other documents.
    pub fn all(config: &Config) -> Vec<Kind> {
        let mut out = vec![
            Kind::Builtin(DocType::Policy),
            Kind::Builtin(DocType::Instruktion),
        ];
        out.extend(
            config
                .types
                .keys()
                .filter(|n| !crate::schema::is_builtin(n))
                .cloned()
                .map(Kind::Own),
        );
        out.extend(
            [DocType::Plan, DocType::Arsmal, DocType::Dokument]
                .into_iter()
                .map(Kind::Builtin),
        );
        out
    }

    /// As written in `typ` (CSS classes, data).
    pub fn key(&self) -> &str {
        match self {
            Kind::Builtin(t) => t.as_str(),
            Kind::Own(n) => n,
        }
    }

    /// The id of its group on the start page.
    pub fn anchor(&self) -> String {
        match self {
            Kind::Builtin(t) => format!("group-{}", super::hierarchy::order(*t)),
            Kind::Own(n) => format!("group-{}", crate::markdown::slug(n)),
        }
    }

    /// One document of the kind, in the site's language.
    pub fn label<'a>(&self, config: &'a Config, t: &'static Texts) -> &'a str {
        match self {
            Kind::Builtin(b) => {
                relabel(config, *b).map_or(t.doc_type(*b), |d| d.label.get(config.language))
            }
            Kind::Own(n) => config
                .types
                .get_key_value(n)
                .map_or(t.type_other, |(_, d)| d.label.get(config.language)),
        }
    }

    /// Several documents of the kind.
    pub fn plural<'a>(&self, config: &'a Config, t: &'static Texts) -> &'a str {
        match self {
            Kind::Builtin(b) => {
                relabel(config, *b).map_or(t.doc_type_plural(*b), |d| d.plural.get(config.language))
            }
            Kind::Own(n) => config
                .types
                .get(n)
                .map_or(t.types_other, |d| d.plural.get(config.language)),
        }
    }
}

/// The label of document `d`'s type.
pub fn label_of<'a>(d: &Document, config: &'a Config, t: &'static Texts) -> &'a str {
    match &d.meta.custom_type {
        Some(c) => config
            .types
            .get(&c.value)
            .map_or(t.type_other, |def| def.label.get(config.language)),
        None => Kind::Builtin(d.doc_type()).label(config, t),
    }
}

/// A built-in type's labels of the site's own (`[types.policy]`).
fn relabel(config: &Config, t: DocType) -> Option<&crate::schema::TypeDef> {
    config.types.get(t.as_str())
}
