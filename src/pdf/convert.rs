//! A document body (Markdown) as the tree of nodes the PDF template
//! typesets: one pulldown-cmark pass with the site's options, each event a
//! JSON value whose text is a string. The template places strings as text,
//! so no document text is ever read as Typst markup. Raw HTML (blocks,
//! inline tags, comments) is left out, as the template has no HTML.

use pulldown_cmark::{Alignment, CodeBlockKind, Event, Parser, Tag, TagEnd};
use serde_json::{json, Value};
use std::collections::HashMap;

/// What a link or image destination becomes.
pub(super) enum Dest {
    /// A link to this URL.
    Url(String),
    /// The text alone, without a link (or, for an image, its alt text).
    Plain,
    /// An image the template shows from this virtual path.
    Image(String),
}

/// A node of text.
pub(super) fn text(s: &str) -> Value {
    json!({"t": "s", "v": s})
}

/// The body's blocks. `dest` decides each link and image destination
/// (`true` for an image); `line` gives the source line of a byte offset
/// in the body, for the images' table (virtual path, line).
pub(super) fn body(markdown: &str, dest: &mut dyn FnMut(&str, bool, usize) -> Dest) -> Vec<Value> {
    let mut b = Builder::default();
    let parser = Parser::new_ext(markdown, crate::markdown::options()).into_offset_iter();
    for (event, range) in parser {
        b.event(event, range.start, dest);
    }
    let Builder {
        stack, footnotes, ..
    } = b;
    let mut blocks = stack.into_iter().next().map_or_else(Vec::new, |f| f.kids);
    for v in &mut blocks {
        place_footnotes(v, &footnotes);
    }
    blocks
}

/// An open element and the nodes inside it so far.
#[derive(Default)]
struct Frame {
    open: Open,
    kids: Vec<Value>,
}

/// What an open element becomes when it closes.
#[derive(Default)]
enum Open {
    #[default]
    Root,
    Para,
    Heading(u8),
    Quote,
    Code(String),
    /// A raw HTML block; `true` once it holds the hierarchy directive.
    Html(bool),
    List(Option<u64>),
    Item,
    Footnote(String),
    Table(Vec<Alignment>),
    Head,
    Row,
    Cell,
    Em,
    Strong,
    Del,
    Link(Option<String>),
    Image(Dest),
}

/// How deeply elements nest in a PDF: the template typesets each level
/// with a call, and Typst limits how deeply calls nest. Deeper elements
/// (a quote in a quote, 30 times) give their content to the one above.
const MAX_DEPTH: usize = 16;

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    footnotes: HashMap<String, Vec<Value>>,
    /// Elements opened below [`MAX_DEPTH`], not nested, still open.
    flattened: usize,
}

impl Builder {
    fn push(&mut self, v: Value) {
        if self.stack.is_empty() {
            self.stack.push(Frame::default());
        }
        if let Some(f) = self.stack.last_mut() {
            f.kids.push(v);
        }
    }

    fn open(&mut self, open: Open) {
        if self.stack.is_empty() {
            self.stack.push(Frame::default());
        }
        self.stack.push(Frame {
            open,
            kids: Vec::new(),
        });
    }

    fn in_code_or_html(&mut self) -> Option<&mut Frame> {
        self.stack
            .last_mut()
            .filter(|f| matches!(f.open, Open::Code(_) | Open::Html(_)))
    }

    fn event(
        &mut self,
        event: Event<'_>,
        offset: usize,
        dest: &mut dyn FnMut(&str, bool, usize) -> Dest,
    ) {
        if let Some(frame) = self.in_code_or_html() {
            match (&mut frame.open, &event) {
                (Open::Code(s), Event::Text(t)) => {
                    s.push_str(t);
                    return;
                }
                (Open::Html(found), Event::Html(h)) => {
                    *found |= h.trim() == crate::markdown::HIERARCHY_DIRECTIVE;
                    return;
                }
                (_, Event::End(_)) => {}
                _ => return,
            }
        }
        match event {
            Event::Start(_) if self.stack.len() >= MAX_DEPTH => self.flattened += 1,
            Event::End(_) if self.flattened > 0 => self.flattened -= 1,
            Event::Start(tag) => {
                let open = match tag {
                    Tag::Paragraph => Open::Para,
                    Tag::Heading { level, .. } => Open::Heading(level as u8),
                    Tag::BlockQuote(_) => Open::Quote,
                    Tag::CodeBlock(CodeBlockKind::Fenced(_) | CodeBlockKind::Indented) => {
                        Open::Code(String::new())
                    }
                    Tag::HtmlBlock => Open::Html(false),
                    Tag::List(start) => Open::List(start),
                    Tag::Item => Open::Item,
                    Tag::FootnoteDefinition(label) => Open::Footnote(label.to_string()),
                    Tag::Table(aligns) => Open::Table(aligns),
                    Tag::TableHead => Open::Head,
                    Tag::TableRow => Open::Row,
                    Tag::TableCell => Open::Cell,
                    Tag::Emphasis => Open::Em,
                    Tag::Strong => Open::Strong,
                    Tag::Strikethrough => Open::Del,
                    Tag::Link { dest_url, .. } => match dest(&dest_url, false, offset) {
                        Dest::Url(u) => Open::Link(Some(u)),
                        _ => Open::Link(None),
                    },
                    Tag::Image { dest_url, .. } => Open::Image(dest(&dest_url, true, offset)),
                    // Not enabled in the site's options; their text is kept.
                    _ => Open::Em,
                };
                self.open(open);
            }
            Event::End(end) => self.close(end),
            Event::Text(s) => self.push(text(&s)),
            Event::Code(s) => self.push(json!({"t": "code", "v": &*s})),
            Event::SoftBreak => self.push(json!({"t": "sp"})),
            Event::HardBreak => self.push(json!({"t": "br"})),
            Event::Rule => self.push(json!({"t": "hr"})),
            Event::TaskListMarker(done) => self.push(text(if done { "[x] " } else { "[ ] " })),
            Event::FootnoteReference(label) => {
                self.push(json!({"t": "fnref", "label": &*label}));
            }
            // Raw HTML is not carried into the PDF.
            Event::Html(_) | Event::InlineHtml(_) => {}
            Event::InlineMath(s) | Event::DisplayMath(s) => self.push(text(&s)),
        }
    }

    fn close(&mut self, _end: TagEnd) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        let kids = frame.kids;
        let node = match frame.open {
            Open::Root => return,
            Open::Para => json!({"t": "p", "c": kids}),
            Open::Heading(level) => json!({"t": "h", "level": level, "c": kids}),
            Open::Quote => json!({"t": "quote", "c": kids}),
            Open::Code(s) => json!({"t": "pre", "v": s.strip_suffix('\n').unwrap_or(&s)}),
            // Where the page draws the hierarchy figure, a placeholder the
            // document's list of governing documents replaces.
            Open::Html(true) => json!({"t": "hierarchy"}),
            Open::Html(false) => return,
            Open::List(start) => {
                let tight = !kids.iter().any(|item| {
                    item["c"]
                        .as_array()
                        .is_some_and(|c| c.iter().any(|n| n["t"] == "p"))
                });
                json!({
                    "t": "list",
                    "ordered": start.is_some(),
                    "start": start.unwrap_or(1),
                    "tight": tight,
                    "items": kids,
                })
            }
            Open::Item | Open::Cell => json!({"t": "seq", "c": kids}),
            Open::Footnote(label) => {
                self.footnotes.insert(label, kids);
                return;
            }
            Open::Table(aligns) => table(aligns, kids),
            Open::Head => json!({"t": "head", "c": kids}),
            Open::Row => json!({"t": "row", "c": kids}),
            Open::Em => json!({"t": "em", "c": kids}),
            Open::Strong => json!({"t": "strong", "c": kids}),
            Open::Del => json!({"t": "del", "c": kids}),
            Open::Link(url) => json!({"t": "link", "url": url, "c": kids}),
            Open::Image(Dest::Image(src)) => {
                json!({"t": "img", "src": src, "alt": plain(&kids)})
            }
            Open::Image(_) => json!({"t": "seq", "c": kids}),
        };
        self.push(node);
    }
}

/// A table: its column count and alignments, header cells and rows (each
/// padded to the column count, so that cells never shift).
fn table(aligns: Vec<Alignment>, kids: Vec<Value>) -> Value {
    let cols = aligns.len().max(1);
    let cells = |row: &Value| -> Vec<Value> {
        let mut cells: Vec<Value> = row["c"].as_array().cloned().unwrap_or_default();
        cells.truncate(cols);
        while cells.len() < cols {
            cells.push(json!({"t": "seq", "c": []}));
        }
        cells
    };
    let mut head = Vec::new();
    let mut rows = Vec::new();
    for k in &kids {
        match k["t"].as_str() {
            Some("head") => head = cells(k),
            Some("row") => rows.push(Value::Array(cells(k))),
            _ => {}
        }
    }
    let align: Vec<&str> = aligns
        .iter()
        .map(|a| match a {
            Alignment::Right => "r",
            Alignment::Center => "c",
            _ => "l",
        })
        .collect();
    json!({"t": "table", "cols": cols, "align": align, "head": head, "rows": rows})
}

/// The plain text of nodes (an image's alt text).
pub(super) fn plain(nodes: &[Value]) -> String {
    let mut out = String::new();
    fn walk(v: &Value, out: &mut String) {
        match v["t"].as_str() {
            Some("s" | "code") => out.push_str(v["v"].as_str().unwrap_or("")),
            Some("sp") => out.push(' '),
            _ => {}
        }
        if let Some(c) = v["c"].as_array() {
            for k in c {
                walk(k, out);
            }
        }
    }
    for n in nodes {
        walk(n, &mut out);
    }
    out
}

/// Puts each footnote's text where it is referred to (a Typst footnote
/// stands at its reference). A reference inside a footnote, or to a
/// footnote that is not defined, stays as its label in brackets.
fn place_footnotes(v: &mut Value, defs: &HashMap<String, Vec<Value>>) {
    if v["t"] == "fnref" {
        let label = v["label"].as_str().unwrap_or("").to_string();
        *v = match defs.get(&label) {
            Some(def) => {
                let mut def = def.clone();
                for d in &mut def {
                    unplace_footnotes(d);
                }
                json!({"t": "fn", "c": def})
            }
            None => text(&format!("[{label}]")),
        };
        return;
    }
    for key in ["c", "items", "head"] {
        if let Some(arr) = v.get_mut(key).and_then(Value::as_array_mut) {
            for k in arr {
                place_footnotes(k, defs);
            }
        }
    }
    if let Some(rows) = v.get_mut("rows").and_then(Value::as_array_mut) {
        for row in rows {
            if let Some(cells) = row.as_array_mut() {
                for c in cells {
                    place_footnotes(c, defs);
                }
            }
        }
    }
}

fn unplace_footnotes(v: &mut Value) {
    if v["t"] == "fnref" {
        *v = text(&format!("[{}]", v["label"].as_str().unwrap_or("")));
        return;
    }
    if let Some(arr) = v.get_mut("c").and_then(Value::as_array_mut) {
        for k in arr {
            unplace_footnotes(k);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convert(md: &str) -> Vec<Value> {
        body(md, &mut |d, image, _| {
            if image {
                Dest::Image(format!("/img/{d}"))
            } else {
                Dest::Url(d.to_string())
            }
        })
    }

    #[test]
    fn text_is_data_not_markup() {
        let v = convert("# Rubrik #read(\"/etc/passwd\")\n\nText med $x$ och \\* [a]\n");
        assert_eq!(v[0]["t"], "h");
        assert_eq!(
            plain(&v[0]["c"].as_array().cloned().unwrap_or_default()),
            "Rubrik #read(\"/etc/passwd\")"
        );
        assert_eq!(
            plain(&v[1]["c"].as_array().cloned().unwrap_or_default()),
            "Text med $x$ och * [a]"
        );
    }

    #[test]
    fn tables_are_padded_and_footnotes_placed() {
        let v = convert("| a | b |\n|---|--:|\n| 1 |\n\nNot[^1].\n\n[^1]: Fotnot.\n");
        assert_eq!(v[0]["cols"], 2);
        assert_eq!(v[0]["align"], json!(["l", "r"]));
        assert_eq!(v[0]["rows"][0].as_array().map(Vec::len), Some(2));
        assert_eq!(v[1]["c"][1]["t"], "fn");
        assert_eq!(v.len(), 2, "the definition does not stand as a block");
    }

    #[test]
    fn deep_nesting_is_flattened() {
        let md = format!("{} innerst\n", ">".repeat(200));
        let v = convert(&md);
        fn depth(v: &Value) -> usize {
            1 + v["c"]
                .as_array()
                .map_or(0, |c| c.iter().map(depth).max().unwrap_or(0))
        }
        assert!(depth(&v[0]) <= MAX_DEPTH, "{}", depth(&v[0]));
        assert_eq!(plain(&v), "innerst");
    }

    #[test]
    fn raw_html_is_left_out() {
        let v = convert("<!-- hemligt -->\n\nText <span>inne</span>\n");
        assert_eq!(plain(&v), "Text inne");
    }
}
