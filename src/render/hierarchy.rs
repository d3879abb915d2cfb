//! The governing-documents hierarchy (seed figure 1) built from
//! `överordnad`: the tree, the order of documents in it (natural: "Plan 2"
//! before "Plan 10"), and the tree as a nested list, the text alternative
//! of the figure (drawn by [`super::hierarchy_svg`]).

use std::fmt::Write;

use crate::markdown::escape_attr;
use crate::model::{Corpus, DocType, Document};

/// The hierarchy as a forest: children of each document, roots first.
pub struct Tree {
    /// Documents without a (known, visible) parent, policy first.
    pub roots: Vec<usize>,
    /// Children of each document, ordered.
    pub children: Vec<Vec<usize>>,
}

/// Builds the tree over the visible documents.
pub fn tree(corpus: &Corpus, visible: &[bool]) -> Tree {
    let docs = &corpus.documents;
    let mut children = vec![Vec::new(); docs.len()];
    let mut roots = Vec::new();
    for (i, doc) in docs.iter().enumerate() {
        if !visible[i] {
            continue;
        }
        let parent = doc
            .meta
            .overordnad
            .as_ref()
            .and_then(|o| corpus.by_id.get(&o.value).copied())
            .filter(|&p| p != i && visible[p]);
        match parent {
            Some(p) if !is_ancestor(corpus, i, p) => children[p].push(i),
            _ => roots.push(i),
        }
    }
    let key = |&i: &usize| sort_key(&docs[i]);
    roots.sort_by_cached_key(key);
    for c in &mut children {
        c.sort_by_cached_key(key);
    }
    Tree { roots, children }
}

/// Whether `a` is an ancestor of `b` (guards against cycles).
fn is_ancestor(corpus: &Corpus, a: usize, b: usize) -> bool {
    let mut cur = b;
    for _ in 0..corpus.documents.len() {
        let Some(p) = corpus.documents[cur]
            .meta
            .overordnad
            .as_ref()
            .and_then(|o| corpus.by_id.get(&o.value).copied())
        else {
            return false;
        };
        if p == a {
            return true;
        }
        cur = p;
    }
    true
}

/// Sort key of documents in lists and the tree: by type, the instructions
/// in the policy's order (Förvaltning, Drift, Användare), then by title.
pub fn sort_key(doc: &crate::model::Document) -> (u8, u8, Natural) {
    let kind = doc.meta.instruktion.as_ref().map_or(0, |k| match k.value {
        crate::model::InstructionKind::Forvaltning => 0,
        crate::model::InstructionKind::Drift => 1,
        crate::model::InstructionKind::Anvandare => 2,
    });
    match &doc.meta.custom_type {
        // The site's own types come after the instructions, by name.
        Some(c) => (
            1,
            3,
            Natural::new(&format!("{}\u{0}{}", c.value, doc.title())),
        ),
        None => (order(doc.doc_type()), kind, Natural::new(doc.title())),
    }
}

/// Sort order of document types in lists and the tree.
pub fn order(t: DocType) -> u8 {
    match t {
        DocType::Policy => 0,
        DocType::Instruktion => 1,
        DocType::Plan => 2,
        DocType::Arsmal => 3,
        DocType::Dokument => 4,
    }
}

/// The same tree as a nested list with class `class`: each document
/// linked, with `about(doc)` (its type and status) after it.
pub fn list(
    corpus: &Corpus,
    tree: &Tree,
    class: &str,
    href: &dyn Fn(usize) -> String,
    about: &dyn Fn(&Document) -> String,
) -> String {
    fn item(
        corpus: &Corpus,
        tree: &Tree,
        i: usize,
        href: &dyn Fn(usize) -> String,
        about: &dyn Fn(&Document) -> String,
        s: &mut String,
    ) {
        let doc = &corpus.documents[i];
        let _ = write!(
            s,
            "<li><a href=\"{}\">{}</a>",
            escape_attr(&href(i)),
            escape_text(doc.title())
        );
        let said = about(doc);
        if !said.is_empty() {
            let _ = write!(s, " <span class=\"muted\">({})</span>", escape_text(&said));
        }
        if !tree.children[i].is_empty() {
            s.push_str("<ul>");
            for &c in &tree.children[i] {
                item(corpus, tree, c, href, about, s);
            }
            s.push_str("</ul>");
        }
        s.push_str("</li>\n");
    }
    let mut s = format!("<ul class=\"{class}\">\n");
    for &r in &tree.roots {
        item(corpus, tree, r, href, about, &mut s);
    }
    s.push_str("</ul>\n");
    s
}

/// A sort key that orders runs of digits by their value, so that "Plan 2"
/// comes before "Plan 10", and letters without regard to case.
/// The lengths of the digit runs with their leading zeros break ties last
/// ("Plan 2" before "Plan 02").
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Natural(Vec<Chunk>, Vec<usize>);

/// A run of a [`Natural`] key: digits (by value) or other characters;
/// where one key has digits and the other letters, the digits come first.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Chunk {
    /// Digits without leading zeros, compared by length and then digit by
    /// digit (any length, no overflow).
    Number(usize, String),
    /// Other characters, lowercase.
    Text(String),
}

impl Natural {
    /// The key of `s`.
    pub fn new(s: &str) -> Self {
        let mut chunks = Vec::new();
        let mut zeros = Vec::new();
        let mut rest = s;
        while let Some(c) = rest.chars().next() {
            let digit = c.is_ascii_digit();
            let end = rest
                .find(|ch: char| ch.is_ascii_digit() != digit)
                .unwrap_or(rest.len());
            let (run, tail) = rest.split_at(end);
            chunks.push(if digit {
                let value = run.trim_start_matches('0');
                zeros.push(run.len());
                Chunk::Number(value.len(), value.to_string())
            } else {
                Chunk::Text(run.to_lowercase())
            });
            rest = tail;
        }
        Natural(chunks, zeros)
    }
}

/// Escapes text for HTML element content.
pub fn escape_text(s: &str) -> String {
    crate::text::escape_text(s)
}

#[cfg(test)]
mod tests {
    use super::Natural;

    #[test]
    fn digit_runs_sort_by_value_and_letters_without_case() {
        let mut titles = vec![
            "Plan 10", "plan 2", "Plan 1", "Plan 11", "Plan 02", "Plan", "Plan 2a",
        ];
        titles.sort_by_key(|t| Natural::new(t));
        assert_eq!(
            titles,
            ["Plan", "Plan 1", "plan 2", "Plan 02", "Plan 2a", "Plan 10", "Plan 11"]
        );
        // Longer than any integer type: compared by digits, no overflow.
        let big = "9".repeat(60);
        assert!(Natural::new(&format!("x{big}")) < Natural::new(&format!("x1{big}")));
        assert!(Natural::new("Å 3") > Natural::new("A 30"));
    }
}
