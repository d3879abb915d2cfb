//! The governing-documents hierarchy (seed figure 1), drawn from
//! `överordnad` as an inline SVG tree, plus the same tree as a nested list
//! for screen readers and text browsers.

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
pub fn sort_key(doc: &crate::model::Document) -> (u8, u8, String) {
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
            format!("{}\u{0}{}", c.value, doc.title().to_lowercase()),
        ),
        None => (order(doc.doc_type()), kind, doc.title().to_lowercase()),
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

const ROW: usize = 44;
const BOX_H: usize = 34;
const INDENT: usize = 28;
const WIDTH: usize = 720;

/// The SVG figure. `href(i)` gives the link to document `i` from the page.
/// With a `caption`, the figure carries it; without, the text around the
/// figure (a document's own caption) describes it and `label` names it.
pub fn svg(
    corpus: &Corpus,
    tree: &Tree,
    href: &dyn Fn(usize) -> String,
    caption: Option<&str>,
    label: &str,
    type_label: &dyn Fn(&Document) -> String,
) -> String {
    let mut rows: Vec<(usize, usize, Option<usize>)> = Vec::new(); // (doc, depth, parent row)
    fn walk(
        tree: &Tree,
        i: usize,
        depth: usize,
        parent: Option<usize>,
        rows: &mut Vec<(usize, usize, Option<usize>)>,
    ) {
        let me = rows.len();
        rows.push((i, depth, parent));
        for &c in &tree.children[i] {
            walk(tree, c, depth + 1, Some(me), rows);
        }
    }
    for &r in &tree.roots {
        walk(tree, r, 0, None, &mut rows);
    }
    let height = rows.len() * ROW + 8;
    let mut s = String::new();
    let naming = match caption {
        Some(_) => "aria-labelledby=\"hierarchy-caption\"".to_string(),
        None => format!("aria-label=\"{}\"", escape_attr(label)),
    };
    let _ = writeln!(
        s,
        "<figure class=\"hierarchy\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" role=\"group\" {naming}>"
    );
    for (row, &(_, depth, parent)) in rows.iter().enumerate() {
        if let Some(p) = parent {
            let px = rows[p].1 * INDENT + 12;
            let py = p * ROW + 4 + BOX_H;
            let x = depth * INDENT;
            let y = row * ROW + 4 + BOX_H / 2;
            let _ = writeln!(s, "<path d=\"M{px} {py} V{y} H{x}\" fill=\"none\" stroke=\"#4a5360\" stroke-width=\"1.5\"/>");
        }
    }
    for (row, &(i, depth, _)) in rows.iter().enumerate() {
        let doc = &corpus.documents[i];
        let x = depth * INDENT;
        let y = row * ROW + 4;
        let w = WIDTH - x - 2;
        let (fill, stroke) = colours(doc.doc_type());
        let max_chars = (w.saturating_sub(24)) / 8;
        let label = format!("{}: {}", type_label(doc), doc.title());
        let shown = truncate(doc.title(), max_chars);
        let _ = writeln!(
            s,
            "<a class=\"node\" href=\"{}\"><title>{}</title><rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{BOX_H}\" rx=\"5\" fill=\"{fill}\" stroke=\"{stroke}\"/><text x=\"{}\" y=\"{}\" font-size=\"14\" fill=\"#1b1f24\">{}</text></a>",
            escape_attr(&href(i)),
            escape_text(&label),
            x + 10,
            y + 22,
            escape_text(&shown)
        );
    }
    s.push_str("</svg>\n");
    if let Some(c) = caption {
        let _ = writeln!(
            s,
            "<figcaption id=\"hierarchy-caption\">{}</figcaption>",
            escape_text(c)
        );
    }
    s.push_str("</figure>\n");
    s
}

/// The same tree as a nested list.
pub fn list(
    corpus: &Corpus,
    tree: &Tree,
    href: &dyn Fn(usize) -> String,
    type_label: &dyn Fn(&Document) -> String,
) -> String {
    fn item(
        corpus: &Corpus,
        tree: &Tree,
        i: usize,
        href: &dyn Fn(usize) -> String,
        type_label: &dyn Fn(&Document) -> String,
        s: &mut String,
    ) {
        let doc = &corpus.documents[i];
        let _ = write!(
            s,
            "<li><a href=\"{}\">{}</a> <span class=\"muted\">({})</span>",
            escape_attr(&href(i)),
            escape_text(doc.title()),
            type_label(doc)
        );
        if !tree.children[i].is_empty() {
            s.push_str("<ul>");
            for &c in &tree.children[i] {
                item(corpus, tree, c, href, type_label, s);
            }
            s.push_str("</ul>");
        }
        s.push_str("</li>\n");
    }
    let mut s = String::from("<ul class=\"tree\">\n");
    for &r in &tree.roots {
        item(corpus, tree, r, href, type_label, &mut s);
    }
    s.push_str("</ul>\n");
    s
}

fn colours(t: DocType) -> (&'static str, &'static str) {
    match t {
        DocType::Policy => ("#dce8f5", "#123c69"),
        DocType::Instruktion => ("#e3f1e6", "#1d6b35"),
        DocType::Plan => ("#fbeedd", "#8a4b00"),
        DocType::Arsmal => ("#efe6f7", "#5b2a86"),
        DocType::Dokument => ("#eef0f3", "#4a5360"),
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
    t.push('…');
    t
}

/// Escapes text for HTML element content.
pub fn escape_text(s: &str) -> String {
    crate::text::escape_text(s)
}
