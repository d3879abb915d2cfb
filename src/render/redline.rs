//! A redline ([`crate::redline::Redline`]) as HTML that keeps the
//! document's structure: headings stay headings (without ids, which could
//! clash with the page's), list items list items, table rows rows with the
//! changed cells marked; words in `<ins>`/`<del>`. Unchanged runs are
//! folded into a `<details>` line, one block of context kept on each side
//! of a change. Every text is escaped: document text never becomes markup.

use similar::ChangeTag;
use std::fmt::Write as _;

use crate::i18n::Texts;
use crate::redline::{Block, Item, Kind, Redline, Seg, Summary};
use crate::text::escape_text;

/// How many unchanged blocks stay visible on each side of a change.
const CONTEXT: usize = 1;

/// The redline as HTML, for inside a `<div class="redline">`.
pub(super) fn html(r: &Redline, t: &Texts) -> String {
    let mut out = Out {
        html: String::with_capacity(256 + r.items.len() * 64),
        group: Group::None,
        r,
        t,
    };
    let shown = visible(r);
    let mut k = 0;
    while k < r.items.len() {
        if shown[k] {
            out.item(&r.items[k]);
            k += 1;
            continue;
        }
        let end = (k..r.items.len())
            .find(|&e| shown[e])
            .unwrap_or(r.items.len());
        out.fold(&r.items[k..end]);
        k = end;
    }
    out.close_group();
    out.html
}

/// The summary line of a redline, plain text: "Skapad, 120 ord" or
/// "Ändrat i Bemanning, Drift · 12 ord tillagda, 3 borttagna · 1 flyttat".
pub(super) fn summary(s: &Summary, t: &Texts) -> String {
    if s.created {
        return format!("{}, {} {}", t.created, s.words, t.words);
    }
    if !s.changed() {
        return t.text_unchanged.to_string();
    }
    const SHOWN: usize = 4;
    let mut names: Vec<&str> = s
        .sections
        .iter()
        .take(SHOWN)
        .map(|n| n.as_deref().unwrap_or(t.preamble))
        .collect();
    let more;
    if s.sections.len() > SHOWN {
        more = t
            .and_more
            .replace("{n}", &(s.sections.len() - SHOWN).to_string());
        names.push(&more);
    }
    let mut counts = Vec::new();
    if s.added > 0 {
        counts.push(format!("{} {}", s.added, t.words_added));
    }
    if s.removed > 0 {
        counts.push(format!("{} {}", s.removed, t.words_removed));
    }
    match s.moved {
        0 => {}
        1 => counts.push(t.moved_one.to_string()),
        n => counts.push(t.moved_many.replace("{n}", &n.to_string())),
    }
    format!(
        "{} {} · {}",
        t.changed_in,
        names.join(", "),
        counts.join(", ")
    )
}

/// Which items are shown: every change with one block of context on each
/// side, the heading of its section and, in a table, the header row; all
/// of a first revision.
fn visible(r: &Redline) -> Vec<bool> {
    let items = &r.items;
    let mut shown: Vec<bool> = items
        .iter()
        .map(|i| matches!(i, Item::Plain { .. }) || i.is_change())
        .collect();
    // Where each block of the new revision stands among the items.
    let mut at = vec![usize::MAX; r.new.blocks.len()];
    for (k, item) in items.iter().enumerate() {
        if let Item::Same { new } = *item {
            at[new] = k;
        }
    }
    for (k, item) in items.iter().enumerate() {
        if !item.is_change() {
            continue;
        }
        let from = k.saturating_sub(CONTEXT);
        let to = (k + CONTEXT + 1).min(items.len());
        shown[from..to].iter_mut().for_each(|s| *s = true);
        let b = r.block(item);
        let heading = match item {
            Item::Deleted { .. } | Item::MovedAway { .. } => None,
            _ => b.section,
        };
        if let Some(&h) = heading.and_then(|h| at.get(h)) {
            if h != usize::MAX {
                shown[h] = true;
            }
        }
        if matches!(b.kind, Kind::Row { header: false }) {
            let header = (0..k)
                .rev()
                .take_while(|&e| matches!(r.block(&items[e]).kind, Kind::Row { .. }))
                .find(|&e| matches!(r.block(&items[e]).kind, Kind::Row { header: true }));
            if let Some(h) = header {
                shown[h] = true;
            }
        }
    }
    shown
}

/// The element that wraps consecutive blocks.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Group {
    None,
    List { ordered: bool },
    Table,
}

fn group_of(kind: Kind) -> Group {
    match kind {
        Kind::Item { ordered, .. } => Group::List { ordered },
        Kind::Row { .. } => Group::Table,
        _ => Group::None,
    }
}

struct Out<'a> {
    html: String,
    group: Group,
    r: &'a Redline,
    t: &'a Texts,
}

impl Out<'_> {
    fn enter(&mut self, group: Group) {
        if group == self.group {
            return;
        }
        self.close_group();
        self.html.push_str(match group {
            Group::None => "",
            Group::List { ordered: false } => "<ul>\n",
            Group::List { ordered: true } => "<ol>\n",
            Group::Table => "<table>\n<tbody>\n",
        });
        self.group = group;
    }

    fn close_group(&mut self) {
        self.html.push_str(match self.group {
            Group::None => "",
            Group::List { ordered: false } => "</ul>\n",
            Group::List { ordered: true } => "</ol>\n",
            Group::Table => "</tbody>\n</table>\n",
        });
        self.group = Group::None;
    }

    fn fold(&mut self, items: &[Item]) {
        self.close_group();
        let n = items.len();
        let label = if n == 1 {
            self.t.unchanged_one.to_string()
        } else {
            self.t.unchanged_many.replace("{n}", &n.to_string())
        };
        let _ = writeln!(
            self.html,
            "<details class=\"rl-fold\"><summary>{label}</summary>"
        );
        for item in items {
            self.item(item);
        }
        self.close_group();
        self.html.push_str("</details>\n");
    }

    fn item(&mut self, item: &Item) {
        let b = self.r.block(item);
        self.enter(group_of(b.kind));
        let (class, body) = match item {
            Item::Plain { .. } | Item::Same { .. } => ("", Body::Plain),
            Item::Inserted { .. } => ("rl-ins", Body::Whole("ins")),
            Item::Deleted { .. } => ("rl-del", Body::Whole("del")),
            Item::Changed { cells, .. } => ("rl-changed", Body::Words(cells)),
            Item::MovedHere { old, .. } => ("rl-moved", Body::MovedHere(*old)),
            Item::MovedAway { new, .. } => ("rl-moved-away", Body::MovedAway(*new)),
        };
        self.block(b, class, &body);
    }

    /// One block as its element, with `class` and its content.
    fn block(&mut self, b: &Block, class: &str, body: &Body<'_>) {
        let class_attr = if class.is_empty() {
            String::new()
        } else {
            format!(" class=\"{class}\"")
        };
        let content = |k: usize, out: &mut Self| out.content(b, k, body);
        match b.kind {
            Kind::Heading(level) => {
                let _ = write!(self.html, "<h{level}{class_attr}>");
                content(0, self);
                let _ = writeln!(self.html, "</h{level}>");
            }
            Kind::Paragraph => {
                let _ = write!(self.html, "<p{class_attr}>");
                content(0, self);
                self.html.push_str("</p>\n");
            }
            Kind::Quote => {
                let _ = write!(self.html, "<blockquote{class_attr}><p>");
                content(0, self);
                self.html.push_str("</p></blockquote>\n");
            }
            Kind::Code | Kind::Html => {
                let _ = write!(self.html, "<pre{class_attr}><code>");
                content(0, self);
                self.html.push_str("</code></pre>\n");
            }
            Kind::Item {
                ordered,
                number,
                depth,
            } => {
                let depth_class = format!("rl-depth-{}", depth.min(4));
                let classes = [depth_class.as_str(), class].join(" ");
                let _ = write!(self.html, "<li class=\"{}\"", classes.trim());
                if ordered {
                    let _ = write!(self.html, " value=\"{number}\"");
                }
                self.html.push('>');
                content(0, self);
                self.html.push_str("</li>\n");
            }
            Kind::Row { header } => self.row(b, header, &class_attr, body),
        }
    }

    fn row(&mut self, b: &Block, header: bool, class_attr: &str, body: &Body<'_>) {
        let _ = write!(self.html, "<tr{class_attr}>");
        let cell = if header { "th" } else { "td" };
        if matches!(body, Body::MovedAway(_)) {
            let _ = write!(self.html, "<td colspan=\"{}\">", b.cells.len().max(1));
            self.content(b, 0, body);
            self.html.push_str("</td></tr>\n");
            return;
        }
        let count = match body {
            Body::Words(cells) => cells.len(),
            _ => b.cells.len(),
        };
        for k in 0..count {
            let changed = match body {
                Body::Words(cells) => cells[k].iter().any(|s| s.tag != ChangeTag::Equal),
                _ => false,
            };
            let scope = if header { " scope=\"col\"" } else { "" };
            let mark = if changed { " class=\"rl-cell\"" } else { "" };
            let _ = write!(self.html, "<{cell}{scope}{mark}>");
            self.content(b, k, body);
            let _ = write!(self.html, "</{cell}>");
        }
        self.html.push_str("</tr>\n");
    }

    /// The content of cell `k` of block `b` (the block's text unless a row).
    fn content(&mut self, b: &Block, k: usize, body: &Body<'_>) {
        let text = b.cells.get(k).map_or("", String::as_str);
        match body {
            Body::Plain => self.html.push_str(&escape_text(text)),
            Body::Whole(tag) => {
                if !text.is_empty() {
                    let _ = write!(self.html, "<{tag}>{}</{tag}>", escape_text(text));
                }
            }
            Body::Words(cells) => {
                for seg in cells.get(k).into_iter().flatten() {
                    segment(&mut self.html, seg);
                }
            }
            Body::MovedHere(old) => {
                if k == 0 {
                    let from = self.section(self.r.old.section_title(*old));
                    let _ = write!(
                        self.html,
                        "<span class=\"rl-mark\">{} ”{}”:</span> ",
                        self.t.moved_here_from,
                        escape_text(&from)
                    );
                }
                self.html.push_str(&escape_text(text));
            }
            Body::MovedAway(new) => {
                let to = self.section(self.r.new.section_title(*new));
                let _ = write!(
                    self.html,
                    "<span class=\"rl-mark\">{} ”{}”:</span> <span class=\"rl-gist\">{}</span>",
                    self.t.moved_away_to,
                    escape_text(&to),
                    escape_text(&gist(&b.text()))
                );
            }
        }
    }

    fn section(&self, title: Option<&str>) -> String {
        title.unwrap_or(self.t.preamble).to_string()
    }
}

/// What a block shows.
enum Body<'a> {
    Plain,
    /// All of it inside this element (`ins` or `del`).
    Whole(&'static str),
    Words(&'a [Vec<Seg>]),
    MovedHere(usize),
    MovedAway(usize),
}

fn segment(out: &mut String, seg: &Seg) {
    let text = escape_text(&seg.text);
    match seg.tag {
        ChangeTag::Equal => out.push_str(&text),
        ChangeTag::Delete => {
            let _ = write!(out, "<del>{text}</del>");
        }
        ChangeTag::Insert => {
            let _ = write!(out, "<ins>{text}</ins>");
        }
    }
}

/// The first words of a text, to name a block moved away.
fn gist(text: &str) -> String {
    const WORDS: usize = 8;
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= WORDS {
        words.join(" ")
    } else {
        format!("{} …", words[..WORDS].join(" "))
    }
}
