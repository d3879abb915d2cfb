//! The hierarchy figure drawn as the seed's "Bild 1 Styrande dokument": the
//! policy on top, the instructions side by side on the level below, and
//! under each document the ones it governs, gathered by type in one group
//! box each that lists them in columns. Every document shows its status in
//! words. Documents whose governing document is not shown (none, withheld
//! or repealed) get a group of their own at the bottom.
//!
//! The drawing is an `<svg role="img">` (a picture: ARIA gives an image no
//! interactive children), with the links in a second, transparent SVG laid
//! over it, box for box. Narrow screens get the nested list instead
//! (`.hierarchy-list`, switched by a container query in style.css).

use std::fmt::Write;

use super::hierarchy::Tree;
use super::hierarchy_text::{fit, width, wrap};
use crate::model::{Corpus, DocType, Document};
use crate::text::{escape_attr, escape_text};

/// Width of the drawing in SVG units. The figure is shown at this size at
/// most (never scaled up), and replaced by the list below 40rem, so text of
/// 14 units never shows below 12 CSS px (14 × 640 / 720 = 12.4).
pub(super) const WIDTH: u32 = 720;
const GAP: u32 = 16;
const BOX_H: u32 = 52;
const LINE: u32 = 22;
const HEAD: u32 = 30;
const PAD: u32 = 8;
/// The width of a column of documents in a group box, at least.
const COLUMN: u32 = 220;
/// Instructions side by side in one row, at most (the policy names three).
const PER_ROW: usize = 3;
/// Indentation of the groups that hang off the policy, for its line.
const TRUNK: u32 = 24;

/// What the figure says about documents, in the site's language.
pub(super) struct Labels<'a> {
    /// The link to document `i` from the page.
    pub(super) href: &'a dyn Fn(usize) -> String,
    /// A document's type, singular ("IT-säkerhetsinstruktion").
    pub(super) type_label: &'a dyn Fn(&Document) -> String,
    /// A document's status in words ("Fastställd"), empty without one.
    pub(super) status: &'a dyn Fn(&Document) -> String,
    /// A document's kind: its place among the kinds and its plural, the
    /// heading of its group ("Systemsäkerhetsplaner").
    pub(super) kind: &'a dyn Fn(&Document) -> (usize, String),
    /// The heading of the group of documents without a governing one shown.
    pub(super) unplaced: &'a str,
    /// The figure's name (its `<title>`).
    pub(super) name: &'a str,
    /// The caption under it, if the page does not give its own.
    pub(super) caption: Option<&'a str>,
    /// Whether to add the nested list for narrow screens (a page that
    /// shows the list anyway does not).
    pub(super) fallback: bool,
}

/// A box with one document: a title line and a status line.
struct Node {
    doc: usize,
    x: u32,
    y: u32,
    w: u32,
    h: u32,
    level: &'static str,
}

/// A group box: a heading and its documents in columns.
struct Group {
    x: u32,
    y: u32,
    w: u32,
    h: u32,
    heading: String,
    doc_type: Option<DocType>,
    /// (document, depth below the group's own level).
    items: Vec<(usize, u32)>,
    /// Where each item goes: x, y, width, and its title's lines.
    slots: Vec<Slot>,
}

/// One document's place in a group box.
struct Slot {
    x: u32,
    y: u32,
    w: u32,
    lines: Vec<String>,
}

/// Everything placed, in SVG units.
struct Layout {
    height: u32,
    nodes: Vec<Node>,
    groups: Vec<Group>,
    /// Connector lines as SVG path data.
    lines: Vec<String>,
}

/// The figure: `<figure>` with the drawing, its links, the list for narrow
/// screens and the caption.
pub(super) fn figure(corpus: &Corpus, tree: &Tree, labels: &Labels<'_>) -> String {
    let layout = lay_out(corpus, tree, labels);
    let mut s = String::from("<figure class=\"hierarchy\">\n<div class=\"hierarchy-drawing\">\n");
    drawing(&mut s, corpus, &layout, labels);
    links(&mut s, corpus, &layout, labels);
    s.push_str("</div>\n");
    if labels.fallback {
        super::hierarchy_list::fallback(&mut s, corpus, tree, labels);
    }
    if let Some(c) = labels.caption {
        let _ = writeln!(
            s,
            "<figcaption id=\"hierarchy-caption\">{}</figcaption>",
            escape_text(c)
        );
    }
    s.push_str("</figure>\n");
    s
}

fn lay_out(corpus: &Corpus, tree: &Tree, labels: &Labels<'_>) -> Layout {
    let docs = &corpus.documents;
    let mut l = Layout {
        height: 0,
        nodes: Vec::new(),
        groups: Vec::new(),
        lines: Vec::new(),
    };
    let top = top_of(corpus, tree);
    let mut y = PAD;
    if let Some(p) = top {
        let w = 340.min(WIDTH);
        let x = (WIDTH - w) / 2;
        let h = node_height(&node_lines(&docs[p], w, labels));
        l.nodes.push(Node {
            doc: p,
            x,
            y,
            w,
            h,
            level: "level-policy",
        });
        y += h;
        let (instructions, others): (Vec<usize>, Vec<usize>) = tree.children[p]
            .iter()
            .partition(|&&c| is_instruction(&docs[c]));
        // Room on the left for the line down to the policy's own groups.
        let x0 = if others.is_empty() { 0 } else { TRUNK };
        for row in instructions.chunks(PER_ROW) {
            y = instruction_row(&mut l, corpus, tree, labels, row, x0, y);
        }
        // The policy's other documents hang off a line down its left side.
        let groups = grouped(corpus, tree, labels, &others);
        if !groups.is_empty() {
            let trunk_x = TRUNK / 2;
            let mut last = y;
            y += GAP;
            for Gathered {
                heading,
                doc_type,
                items,
            } in groups
            {
                let g = group(
                    corpus,
                    labels,
                    (TRUNK, y, WIDTH - TRUNK),
                    heading,
                    doc_type,
                    items,
                );
                last = y + HEAD / 2;
                l.lines.push(format!("M{trunk_x} {last} H{TRUNK}"));
                y += g.h + GAP;
                l.groups.push(g);
            }
            l.lines.push(format!(
                "M{x} {py} H{trunk_x} V{last}",
                x = (WIDTH - 340.min(WIDTH)) / 2,
                py = PAD + BOX_H / 2 - 4
            ));
            y -= GAP;
        }
    }
    let unplaced: Vec<usize> = tree
        .roots
        .iter()
        .copied()
        .filter(|&r| Some(r) != top)
        .collect();
    if !unplaced.is_empty() {
        let mut items = Vec::new();
        for &r in &unplaced {
            descendants(tree, r, 0, &mut items);
        }
        y += if top.is_some() { GAP * 2 } else { 0 };
        let g = group(
            corpus,
            labels,
            (0, y, WIDTH),
            labels.unplaced.to_string(),
            None,
            items,
        );
        y += g.h;
        l.groups.push(g);
    }
    l.height = y + PAD;
    l
}

/// The document on top: the first policy among the roots.
pub(super) fn top_of(corpus: &Corpus, tree: &Tree) -> Option<usize> {
    tree.roots.iter().copied().find(|&r| {
        let d = &corpus.documents[r];
        d.doc_type() == DocType::Policy && d.meta.custom_type.is_none()
    })
}

pub(super) fn is_instruction(d: &Document) -> bool {
    d.doc_type() == DocType::Instruktion && d.meta.custom_type.is_none()
}

/// One row of instructions side by side, each with its groups beneath it;
/// returns the y below the row.
fn instruction_row(
    l: &mut Layout,
    corpus: &Corpus,
    tree: &Tree,
    labels: &Labels<'_>,
    row: &[usize],
    x0: u32,
    top_y: u32,
) -> u32 {
    let n = row.len() as u32;
    let w = (WIDTH - x0 - GAP * (n - 1)) / n;
    let bus = top_y + GAP;
    let y = bus + GAP;
    let centre = |k: u32| x0 + k * (w + GAP) + w / 2;
    l.lines.push(format!("M{} {top_y} V{bus}", WIDTH / 2));
    l.lines.push(format!(
        "M{} {bus} H{}",
        centre(0).min(WIDTH / 2),
        centre(n - 1).max(WIDTH / 2)
    ));
    // One height for the whole row, the tallest box's.
    let h = row
        .iter()
        .map(|&i| node_height(&node_lines(&corpus.documents[i], w, labels)))
        .max()
        .unwrap_or(BOX_H);
    let mut bottom = y + h;
    for (k, &i) in row.iter().enumerate() {
        let x = x0 + k as u32 * (w + GAP);
        l.lines.push(format!("M{} {bus} V{y}", centre(k as u32)));
        l.nodes.push(Node {
            doc: i,
            x,
            y,
            w,
            h,
            level: "level-instruction",
        });
        let mut gy = y + h;
        for Gathered {
            heading,
            doc_type,
            items,
        } in grouped(corpus, tree, labels, &tree.children[i])
        {
            l.lines
                .push(format!("M{} {gy} V{}", centre(k as u32), gy + GAP / 2));
            gy += GAP / 2;
            let g = group(corpus, labels, (x, gy, w), heading, doc_type, items);
            gy += g.h;
            l.groups.push(g);
        }
        bottom = bottom.max(gy);
    }
    bottom
}

/// Documents of one kind under one document, with what they govern.
pub(super) struct Gathered {
    /// The kind's plural, the group's heading.
    pub(super) heading: String,
    /// The built-in type, if the kind is one (for its colours).
    pub(super) doc_type: Option<DocType>,
    /// (document, depth below the group's own level), depth first.
    pub(super) items: Vec<(usize, u32)>,
}

/// Documents `of` (and what they govern) by kind, in the kinds' order.
pub(super) fn grouped(
    corpus: &Corpus,
    tree: &Tree,
    labels: &Labels<'_>,
    of: &[usize],
) -> Vec<Gathered> {
    let mut kinds: Vec<(usize, Gathered)> = Vec::new();
    for &i in of {
        let doc = &corpus.documents[i];
        let (order, plural) = (labels.kind)(doc);
        let at = match kinds
            .iter()
            .position(|k| k.0 == order && k.1.heading == plural)
        {
            Some(at) => at,
            None => {
                let doc_type = doc.meta.custom_type.is_none().then(|| doc.doc_type());
                kinds.push((
                    order,
                    Gathered {
                        heading: plural,
                        doc_type,
                        items: Vec::new(),
                    },
                ));
                kinds.len() - 1
            }
        };
        descendants(tree, i, 0, &mut kinds[at].1.items);
    }
    kinds.sort_by(|a, b| (a.0, &a.1.heading).cmp(&(b.0, &b.1.heading)));
    kinds.into_iter().map(|(_, g)| g).collect()
}

pub(super) fn descendants(tree: &Tree, i: usize, depth: u32, out: &mut Vec<(usize, u32)>) {
    out.push((i, depth));
    for &c in &tree.children[i] {
        descendants(tree, c, depth + 1, out);
    }
}

fn group(
    corpus: &Corpus,
    labels: &Labels<'_>,
    (x, y, w): (u32, u32, u32),
    heading: String,
    doc_type: Option<DocType>,
    items: Vec<(usize, u32)>,
) -> Group {
    // A long list in as many columns as fit; a short one in wider columns,
    // so that fewer titles are cut.
    let inner = w - 2 * PAD;
    let min_column = if items.len() > 12 { COLUMN } else { 300 };
    let columns = (inner / min_column).max(1);
    let col_w = inner / columns;
    let rows = (items.len() as u32).div_ceil(columns).max(1);
    let mut slots = Vec::new();
    let mut bottom = y + HEAD;
    for (k, &(i, depth)) in items.iter().enumerate() {
        let doc = &corpus.documents[i];
        let (col, row) = (k as u32 / rows, k as u32 % rows);
        let indent = (depth * 12).min(col_w / 3);
        // One column: room for a title in two lines; several: one line.
        let max_lines = if columns == 1 { 2 } else { 1 };
        let lines = item_lines(doc, labels, col_w - indent - 10, max_lines);
        let top = if columns == 1 {
            bottom
        } else {
            y + HEAD + row * LINE
        };
        bottom = bottom.max(top + lines.len() as u32 * LINE);
        slots.push(Slot {
            x: x + PAD + col * col_w + indent,
            y: top,
            w: col_w - indent,
            lines,
        });
    }
    Group {
        x,
        y,
        w,
        h: bottom - y + PAD,
        heading: format!("{heading} ({})", items.len()),
        doc_type,
        items,
        slots,
    }
}

/// The lines of an item's title in `room` units, the last leaving room
/// for the status after it.
fn item_lines(doc: &Document, labels: &Labels<'_>, room: u32, max: usize) -> Vec<String> {
    let status = format!(" · {}", (labels.status)(doc));
    let mut lines = wrap(&short_title(doc, labels), room, 14.0, max);
    let left = room.saturating_sub(width(&status, 14.0));
    match lines.pop() {
        // The last line rewrapped in what the status leaves, in the lines left.
        Some(last) if width(&last, 14.0) > left => {
            let spare = max - lines.len();
            lines.extend(wrap(&last, left, 14.0, spare));
        }
        Some(last) => lines.push(last),
        None => {}
    }
    lines
}

fn drawing(s: &mut String, corpus: &Corpus, l: &Layout, labels: &Labels<'_>) {
    let h = l.height;
    let _ = writeln!(
        s,
        "<svg class=\"hierarchy-svg\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {h}\" width=\"{WIDTH}\" height=\"{h}\" role=\"img\" aria-labelledby=\"hierarchy-title\">\n<title id=\"hierarchy-title\">{}</title>",
        escape_text(labels.name)
    );
    for d in &l.lines {
        let _ = writeln!(s, "<path class=\"link-line\" d=\"{d}\" fill=\"none\" stroke=\"#4a5360\" stroke-width=\"1.5\"/>");
    }
    for n in &l.nodes {
        let doc = &corpus.documents[n.doc];
        let builtin = Some(doc.doc_type()).filter(|_| doc.meta.custom_type.is_none());
        let (fill, stroke) = colours(builtin);
        let _ = write!(
            s,
            "<g class=\"doc {}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1.5\"{}/>",
            n.level,
            n.x,
            n.y,
            n.w,
            n.h,
            dashed(doc)
        );
        let mut y = n.y + 6;
        for line in node_lines(doc, n.w, labels) {
            y += line.size + 5;
            let weight = if line.bold {
                " font-weight=\"700\""
            } else {
                ""
            };
            let _ = write!(
                s,
                "<text class=\"{}\" x=\"{}\" y=\"{y}\" text-anchor=\"middle\" font-size=\"{}\"{weight} fill=\"#1b1f24\">{}</text>",
                line.class,
                n.x + n.w / 2,
                line.size,
                escape_text(&line.text)
            );
        }
        s.push_str("</g>\n");
    }
    for g in &l.groups {
        group_drawing(s, corpus, g, labels);
    }
    s.push_str("</svg>\n");
}

fn group_drawing(s: &mut String, corpus: &Corpus, g: &Group, labels: &Labels<'_>) {
    let (fill, stroke) = colours(g.doc_type);
    let _ = write!(
        s,
        "<g class=\"group\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1.5\"/><text x=\"{}\" y=\"{}\" font-size=\"14\" font-weight=\"700\" fill=\"#1b1f24\">{}</text>",
        g.x,
        g.y,
        g.w,
        g.h,
        g.x + PAD,
        g.y + 20,
        escape_text(&fit(&g.heading, g.w - 2 * PAD, 14.0 * 1.08))
    );
    for (&(i, _), slot) in g.items.iter().zip(&g.slots) {
        let doc = &corpus.documents[i];
        let status = (labels.status)(doc);
        let last = slot.lines.len().saturating_sub(1);
        for (n, line) in slot.lines.iter().enumerate() {
            let _ = write!(
                s,
                "<text class=\"h-item\" x=\"{}\" y=\"{}\" font-size=\"14\" fill=\"#1b1f24\">{}",
                slot.x,
                slot.y + n as u32 * LINE + 15,
                escape_text(line)
            );
            if n == last && !status.is_empty() {
                let _ = write!(
                    s,
                    "<tspan class=\"h-status\" fill=\"#3d4651\"> · {}</tspan>",
                    escape_text(&status)
                );
            }
            s.push_str("</text>");
        }
    }
    s.push_str("</g>\n");
}

/// The transparent layer of links over the drawing, one per document.
fn links(s: &mut String, corpus: &Corpus, l: &Layout, labels: &Labels<'_>) {
    let h = l.height;
    let _ = writeln!(
        s,
        "<svg class=\"hierarchy-links\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {h}\" width=\"{WIDTH}\" height=\"{h}\">"
    );
    let mut link = |i: usize, x: u32, y: u32, w: u32, h: u32| {
        let doc = &corpus.documents[i];
        let name = link_name(doc, labels);
        let _ = writeln!(
            s,
            "<a class=\"node\" href=\"{}\" aria-label=\"{}\"><title>{}</title><rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" rx=\"4\"/></a>",
            escape_attr(&(labels.href)(i)),
            escape_attr(&name),
            escape_text(&name)
        );
    };
    for n in &l.nodes {
        link(n.doc, n.x, n.y, n.w, n.h);
    }
    for g in &l.groups {
        for (&(i, _), slot) in g.items.iter().zip(&g.slots) {
            let h = slot.lines.len() as u32 * LINE;
            link(i, slot.x - 4, slot.y, slot.w - 4, h);
        }
    }
    s.push_str("</svg>\n");
}

/// One line of text in a document's box.
struct TextLine {
    text: String,
    size: u32,
    bold: bool,
    class: &'static str,
}

/// The lines of a document's box `w` wide: the type where the title starts
/// with it ("IT-säkerhetsinstruktion" over "Förvaltning"), the title in
/// at most two lines, the status.
fn node_lines(doc: &Document, w: u32, labels: &Labels<'_>) -> Vec<TextLine> {
    let room = w.saturating_sub(16);
    let mut lines = Vec::new();
    let short = short_title(doc, labels);
    if short != doc.title() {
        lines.push(TextLine {
            text: fit(&(labels.type_label)(doc), room, 14.0),
            size: 14,
            bold: false,
            class: "h-type",
        });
    }
    for text in wrap(&short, room, 15.0 * 1.08, 2) {
        lines.push(TextLine {
            text,
            size: 15,
            bold: true,
            class: "h-title",
        });
    }
    let status = (labels.status)(doc);
    if !status.is_empty() {
        lines.push(TextLine {
            text: status,
            size: 14,
            bold: false,
            class: "h-status",
        });
    }
    lines
}

fn node_height(lines: &[TextLine]) -> u32 {
    lines.iter().map(|l| l.size + 5).sum::<u32>() + 14
}

/// The title without the type it starts with, where a heading or line
/// above says the type: "Systemsäkerhetsplan Lönesystem" in the group
/// "Systemsäkerhetsplaner" reads "Lönesystem".
pub(super) fn short_title(doc: &Document, labels: &Labels<'_>) -> String {
    let title = doc.title();
    let kind = (labels.type_label)(doc);
    let rest = title
        .get(..kind.len())
        .filter(|head| head.to_lowercase() == kind.to_lowercase())
        .map(|_| title[kind.len()..].trim_start_matches([':', ' ', '-', '\u{2013}']))
        .filter(|rest| {
            title[kind.len()..].starts_with([':', ' ', '-', '\u{2013}'])
                && rest.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
        });
    rest.unwrap_or(title).to_string()
}

/// The name of a document's link: its title, type and status.
fn link_name(doc: &Document, labels: &Labels<'_>) -> String {
    let title = doc.title();
    let kind = (labels.type_label)(doc);
    let status = (labels.status)(doc);
    let mut name = if short_title(doc, labels) == title {
        format!("{kind}: {title}")
    } else {
        title.to_string()
    };
    if !status.is_empty() {
        let _ = write!(name, " ({status})");
    }
    name
}

/// Drafts and documents out for consultation have a dashed border (besides
/// their status in words).
fn dashed(doc: &Document) -> &'static str {
    match doc.status() {
        Some(crate::model::Status::Faststalld) | None => "",
        Some(_) => " stroke-dasharray=\"6 4\"",
    }
}

fn colours(t: Option<DocType>) -> (&'static str, &'static str) {
    match t {
        Some(DocType::Policy) => ("#dce8f5", "#123c69"),
        Some(DocType::Instruktion) => ("#e3f1e6", "#1d6b35"),
        Some(DocType::Plan) => ("#fbeedd", "#8a4b00"),
        Some(DocType::Arsmal) => ("#efe6f7", "#5b2a86"),
        Some(DocType::Dokument) | None => ("#eef0f3", "#4a5360"),
    }
}
