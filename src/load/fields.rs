//! Typed reading of YAML nodes: strings, dates, keywords and booleans, each
//! failure a diagnostic at the node's position. Shared by front matter and
//! the system register.

use chrono::NaiveDate;
use unicode_normalization::UnicodeNormalization;

use super::yaml::{Node, Value};
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::model::Spanned;
pub use crate::text::closest;

/// Reads fields from nodes of one file, collecting diagnostics.
pub struct FieldReader<'a> {
    /// File path relative to the site root.
    pub file: &'a str,
    /// Line in the file where the YAML text starts, minus one.
    pub line_offset: usize,
    /// Collected problems.
    pub diags: Vec<Diagnostic>,
}

impl<'a> FieldReader<'a> {
    /// A reader for YAML text starting on `first_line` of `file`.
    pub fn new(file: &'a str, first_line: usize) -> Self {
        FieldReader {
            file,
            line_offset: first_line.saturating_sub(1),
            diags: Vec::new(),
        }
    }

    /// The absolute line of a node.
    pub fn line(&self, node: &Node) -> usize {
        node.pos.line + self.line_offset
    }

    /// Records an error at a node.
    pub fn error(&mut self, code: Code, node: &Node, message: String) -> &mut Diagnostic {
        let d = Diagnostic::error(code, self.file, self.line(node), node.pos.col, message)
            .with_width(node.width());
        self.diags.push(d);
        let last = self.diags.len() - 1;
        &mut self.diags[last]
    }

    fn spanned<T>(&self, node: &Node, value: T) -> Spanned<T> {
        Spanned {
            value,
            line: self.line(node),
            col: node.pos.col,
            width: node.width(),
        }
    }

    /// A non-empty text value.
    pub fn string(&mut self, key: &str, node: &Node) -> Option<Spanned<String>> {
        match &node.value {
            Value::Scalar { text, .. } if !node.is_null() => {
                let t = text.trim();
                if t.is_empty() {
                    self.error(
                        Code::WrongType,
                        node,
                        crate::tr!("fältet `{key}` är tomt", "`{key}` is empty"),
                    );
                    return None;
                }
                Some(self.spanned(node, t.to_string()))
            }
            _ => {
                let kind = node.kind_name();
                self.error(
                    Code::WrongType,
                    node,
                    crate::tr!(
                        "fältet `{key}` ska vara text, men är {kind}",
                        "`{key}` must be text, found {kind}"
                    ),
                );
                None
            }
        }
    }

    /// A `YYYY-MM-DD` date.
    pub fn date(&mut self, key: &str, node: &Node) -> Option<Spanned<NaiveDate>> {
        let text = self.string(key, node)?;
        match parse_date(&text.value) {
            Some(d) => Some(Spanned {
                value: d,
                line: text.line,
                col: text.col,
                width: text.width,
            }),
            None => {
                let value = &text.value;
                let msg = crate::tr!(
                    "fältet `{key}` är inte ett giltigt datum: `{value}`",
                    "`{key}` is not a valid date: `{value}`"
                );
                self.error(Code::BadDate, node, msg).hint = Some(crate::tr!(
                    "skriv datum som ÅÅÅÅ-MM-DD, t.ex. 2026-11-27",
                    "write dates as YYYY-MM-DD, e.g. 2026-11-27"
                ));
                None
            }
        }
    }

    /// One of a closed set of keywords.
    pub fn keyword<T: Copy>(
        &mut self,
        key: &str,
        node: &Node,
        parse: fn(&str) -> Option<T>,
        all: &[&str],
    ) -> Option<Spanned<T>> {
        let text = self.string(key, node)?;
        if let Some(v) = parse(&text.value) {
            return Some(self.spanned(node, v));
        }
        // Decomposed å/ä/ö (as some editors on macOS write them) is the same keyword.
        let composed: String = text.value.nfc().collect();
        if let Some(v) = parse(&composed) {
            return Some(self.spanned(node, v));
        }
        let hint = one_of_hint(&text.value, all);
        let value = &text.value;
        self.error(
            Code::BadValue,
            node,
            crate::tr!(
                "`{value}` är inte ett giltigt värde för fältet `{key}`",
                "`{value}` is not a valid value for `{key}`"
            ),
        )
        .hint = Some(hint);
        None
    }

    /// `true` or `false`.
    pub fn boolean(&mut self, key: &str, node: &Node) -> Option<bool> {
        match node.as_str() {
            Some("true" | "True" | "TRUE") => Some(true),
            Some("false" | "False" | "FALSE") => Some(false),
            _ => {
                let found = node
                    .as_str()
                    .map_or_else(|| node.kind_name(), |s| format!("`{s}`"));
                self.error(
                    Code::WrongType,
                    node,
                    crate::tr!(
                        "fältet `{key}` ska vara true eller false, men är {found}",
                        "`{key}` must be true or false, found {found}"
                    ),
                );
                None
            }
        }
    }

    /// The value of a site's own field, read as its declaration says.
    pub fn field(
        &mut self,
        key: &str,
        def: &crate::schema::FieldDef,
        node: &Node,
    ) -> Option<Spanned<crate::schema::FieldValue>> {
        use crate::schema::{FieldKind, FieldValue};
        let value = match def.kind {
            FieldKind::Text => FieldValue::Text(self.string(key, node)?.value),
            FieldKind::Document => {
                FieldValue::Text(crate::load::nfc(&self.string(key, node)?.value))
            }
            FieldKind::Date => FieldValue::Date(self.date(key, node)?.value),
            FieldKind::Bool => FieldValue::Bool(self.boolean(key, node)?),
            FieldKind::Number => {
                let text = self.string(key, node)?.value;
                let number = text.replace(',', ".");
                if number.parse::<f64>().map_or(true, |n| !n.is_finite()) {
                    self.error(
                        Code::WrongType,
                        node,
                        crate::tr!(
                            "fältet `{key}` ska vara ett tal, men är `{text}`",
                            "`{key}` must be a number, found `{text}`"
                        ),
                    )
                    .hint = Some(crate::tr!(
                        "skriv ett tal, t.ex. 12 eller 3,5",
                        "write a number, e.g. 12 or 3.5"
                    ));
                    return None;
                }
                FieldValue::Number(text)
            }
            FieldKind::Choice => {
                let text = self.string(key, node)?.value;
                let composed = crate::load::nfc(&text);
                if !def.choices.iter().any(|c| crate::load::nfc(c) == composed) {
                    let all: Vec<&str> = def.choices.iter().map(String::as_str).collect();
                    let hint = one_of_hint(&text, &all);
                    self.error(
                        Code::BadValue,
                        node,
                        crate::tr!(
                            "`{text}` är inte ett giltigt värde för fältet `{key}`",
                            "`{text}` is not a valid value for `{key}`"
                        ),
                    )
                    .hint = Some(hint);
                    return None;
                }
                FieldValue::Text(text)
            }
            FieldKind::List => FieldValue::List(self.list(key, node)?),
        };
        Some(self.spanned(node, value))
    }

    /// A list of texts (one text alone is a list of one).
    fn list(&mut self, key: &str, node: &Node) -> Option<Vec<String>> {
        let Value::Seq(items) = &node.value else {
            return self.string(key, node).map(|s| vec![s.value]);
        };
        let mut out = Vec::new();
        for item in items {
            out.push(self.string(key, item)?.value);
        }
        if out.is_empty() {
            self.error(
                Code::WrongType,
                node,
                crate::tr!("fältet `{key}` är en tom lista", "`{key}` is an empty list"),
            );
            return None;
        }
        Some(out)
    }

    /// The entries of a mapping node, or a diagnostic.
    pub fn mapping<'n>(&mut self, what: &str, node: &'n Node) -> Option<&'n [(Node, Node)]> {
        match &node.value {
            Value::Map(entries) => Some(entries),
            _ => {
                let kind = node.kind_name();
                self.error(
                    Code::WrongType,
                    node,
                    crate::tr!(
                        "{what} ska bestå av fält med värden, men är {kind}",
                        "{what} must be a mapping of keys to values, found {kind}"
                    ),
                );
                None
            }
        }
    }

    /// Reports a key that is not one of `known`, with a suggestion.
    pub fn unknown_key(&mut self, key_node: &Node, key: &str, known: &[&str], context: &str) {
        let mut d = Diagnostic::error(
            Code::UnknownKey,
            self.file,
            self.line(key_node),
            key_node.pos.col,
            crate::tr!(
                "okänt fält `{key}` i {context}",
                "unknown key `{key}` in {context}"
            ),
        )
        .with_width(key_node.width());
        d.hint = Some(match closest(key, known) {
            Some(best) => crate::tr!("menade du `{best}`?", "did you mean `{best}`?"),
            None => {
                let known = known.join(", ");
                crate::tr!("kända fält: {known}", "known keys: {known}")
            }
        });
        self.diags.push(d);
    }

    /// Records a missing key at a line and column.
    pub fn missing(&mut self, line: usize, col: usize, message: String, hint: Option<String>) {
        let mut d =
            Diagnostic::error(Code::MissingKey, self.file, line, col, message).with_width(3);
        d.hint = hint;
        self.diags.push(d);
    }
}

/// The hint for a value not in `all`: the closest one, and all of them.
pub fn one_of_hint(value: &str, all: &[&str]) -> String {
    let expected: Vec<String> = all.iter().map(|k| format!("`{k}`")).collect();
    let expected = expected.join(", ");
    match closest(value, all) {
        Some(best) => crate::tr!(
            "menade du `{best}`? (tillåtna värden: {expected})",
            "did you mean `{best}`? (expected one of {expected})"
        ),
        None => crate::tr!("tillåtna värden: {expected}", "expected one of {expected}"),
    }
}

/// Parses a strict `YYYY-MM-DD` date.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_be_real_and_iso() {
        assert!(parse_date("2026-02-28").is_some());
        assert!(parse_date("2026-02-30").is_none());
        assert!(parse_date("2026-2-3").is_none());
        assert!(parse_date("27/11/2026").is_none());
    }

    #[test]
    fn suggestions_find_near_misses() {
        assert_eq!(
            closest("fastställd_a", &["fastställd", "fastställd_av"]),
            Some("fastställd_av")
        );
        assert_eq!(
            closest("nasta_revision", &["nästa_revision", "titel"]),
            Some("nästa_revision")
        );
        assert_eq!(closest("zzz", &["nästa_revision", "titel"]), None);
    }
}
