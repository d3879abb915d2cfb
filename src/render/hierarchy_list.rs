//! The hierarchy figure as a nested list in the figure's own groups: what
//! narrow screens show instead of the drawing (see [`super::hierarchy_svg`]).

use std::fmt::Write;

use super::hierarchy::Tree;
use super::hierarchy_svg::{
    descendants, grouped, is_instruction, short_title, top_of, Gathered, Labels,
};
use crate::model::{Corpus, Document};
use crate::text::{escape_attr, escape_text};

/// The figure as a nested list, in the same groups, for narrow screens:
/// the policy, the instructions under it, and under each the group
/// headings with their documents.
pub(super) fn fallback(s: &mut String, corpus: &Corpus, tree: &Tree, labels: &Labels<'_>) {
    let docs = &corpus.documents;
    let top = top_of(corpus, tree);
    s.push_str("<ul class=\"hierarchy-list\">\n");
    if let Some(p) = top {
        list_item(s, corpus, p, labels, false);
        s.push_str("<ul>\n");
        let (instructions, others): (Vec<usize>, Vec<usize>) = tree.children[p]
            .iter()
            .partition(|&&c| is_instruction(&docs[c]));
        for &i in &instructions {
            list_item(s, corpus, i, labels, false);
            let groups = grouped(corpus, tree, labels, &tree.children[i]);
            if !groups.is_empty() {
                s.push_str("<ul>\n");
                list_groups(s, corpus, labels, groups);
                s.push_str("</ul>\n");
            }
            s.push_str("</li>\n");
        }
        list_groups(s, corpus, labels, grouped(corpus, tree, labels, &others));
        s.push_str("</ul>\n</li>\n");
    }
    let mut items = Vec::new();
    for &r in tree.roots.iter().filter(|&&r| Some(r) != top) {
        descendants(tree, r, 0, &mut items);
    }
    if !items.is_empty() {
        list_groups(
            s,
            corpus,
            labels,
            vec![Gathered {
                heading: labels.unplaced.to_string(),
                doc_type: None,
                items,
            }],
        );
    }
    s.push_str("</ul>\n");
}

/// `<li>` with a document's link and its status (the `</li>` left open).
/// In a group of one kind, under its heading, the title without the type
/// and the status alone.
fn list_item(s: &mut String, corpus: &Corpus, i: usize, labels: &Labels<'_>, kind: bool) {
    let doc = &corpus.documents[i];
    let (title, said) = if kind {
        (short_title(doc, labels), (labels.status)(doc))
    } else {
        (doc.title().to_string(), about(doc, labels))
    };
    let _ = write!(
        s,
        "<li><a href=\"{}\">{}</a>",
        escape_attr(&(labels.href)(i)),
        escape_text(&title)
    );
    if !said.is_empty() {
        let _ = write!(s, " <span class=\"muted\">({})</span>", escape_text(&said));
    }
}

/// Group headings, each with its documents nested by depth.
fn list_groups(s: &mut String, corpus: &Corpus, labels: &Labels<'_>, groups: Vec<Gathered>) {
    for Gathered {
        heading,
        doc_type,
        items,
    } in groups
    {
        // The unplaced group mixes kinds (and has no type).
        let kind = doc_type.is_some() || heading != labels.unplaced;
        let _ = write!(
            s,
            "<li class=\"h-group\"><span class=\"h-group-name\">{} ({})</span>\n<ul>\n",
            escape_text(&heading),
            items.len()
        );
        let mut depth = 0;
        for (k, &(i, d)) in items.iter().enumerate() {
            if k > 0 {
                if d > depth {
                    s.push_str("<ul>\n");
                } else {
                    s.push_str("</li>\n");
                    for _ in d..depth {
                        s.push_str("</ul>\n</li>\n");
                    }
                }
            }
            depth = d;
            list_item(s, corpus, i, labels, kind);
        }
        s.push_str("</li>\n");
        for _ in 0..depth {
            s.push_str("</ul>\n</li>\n");
        }
        s.push_str("</ul>\n</li>\n");
    }
}

/// What follows a document in the list: its status, after its type where
/// the title does not start with it.
fn about(d: &Document, labels: &Labels<'_>) -> String {
    let status = (labels.status)(d);
    let kind = (labels.type_label)(d);
    if short_title(d, labels) != d.title() || d.title() == kind {
        status
    } else if status.is_empty() {
        kind
    } else {
        format!("{kind}, {status}")
    }
}
