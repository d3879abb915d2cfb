//! A document body as the blocks a reader sees: headings with their level,
//! paragraphs, list items (with depth and number), table rows with their
//! cells, code blocks, block quotes and raw HTML blocks, each as plain text.
//! One pulldown-cmark pass with the options the site is rendered with.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::Arc;

/// What a block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A heading, level 1 to 6.
    Heading(u8),
    /// A paragraph (also one in a footnote definition).
    Paragraph,
    /// A paragraph in a block quote.
    Quote,
    /// A list item: ordered or not, its number in an ordered list, and
    /// how deeply it is nested (0 at the top).
    Item {
        ordered: bool,
        number: u64,
        depth: u8,
    },
    /// A table row; the header row is `header`.
    Row { header: bool },
    /// A fenced or indented code block.
    Code,
    /// A raw HTML block, shown as its source.
    Html,
}

impl Kind {
    /// Kinds that may be compared word by word with each other.
    pub fn comparable(self, other: Kind) -> bool {
        use Kind::*;
        matches!(
            (self, other),
            (Heading(_), Heading(_))
                | (Paragraph | Quote, Paragraph | Quote)
                | (Item { .. }, Item { .. })
                | (Row { .. }, Row { .. })
                | (Code, Code)
                | (Html, Html)
        )
    }

    /// The kind as far as alignment cares: an item's number is left out,
    /// so that an item added above does not change every item below.
    fn key(self) -> Kind {
        match self {
            Kind::Item { ordered, depth, .. } => Kind::Item {
                ordered,
                number: 0,
                depth,
            },
            k => k,
        }
    }
}

/// One block: its kind and text (one cell, or a table row's cells).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// What it is.
    pub kind: Kind,
    /// Its text: one entry, or one per cell of a table row.
    pub cells: Vec<String>,
    /// The index of the heading it stands under (a heading: itself).
    pub section: Option<usize>,
    /// Kind and text hashed, for alignment.
    pub key: u64,
}

impl Block {
    /// The text of the whole block, cells separated by ` | `.
    pub fn text(&self) -> String {
        self.cells.join(" | ")
    }

    /// How many words it holds.
    pub fn words(&self) -> usize {
        self.cells
            .iter()
            .map(|c| c.split_whitespace().count())
            .sum()
    }
}

/// A body as blocks, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Doc {
    /// The blocks. Shared: the revisions of a document hold most of their
    /// blocks in common (see [`Blocks`]).
    pub blocks: Vec<Arc<Block>>,
}

/// The blocks met so far in the revisions of one document, so that a
/// block unchanged from one revision to the next is kept once.
#[derive(Debug, Default)]
pub struct Blocks(HashMap<u64, Vec<Arc<Block>>, foldhash::fast::RandomState>);

impl Blocks {
    /// `doc` with each of its blocks the one met before, when it was.
    pub fn share(&mut self, doc: Doc) -> Doc {
        let blocks = doc
            .blocks
            .into_iter()
            .map(|b| {
                let same = self.0.entry(b.key).or_default();
                match same.iter().find(|s| **s == b) {
                    Some(s) => Arc::clone(s),
                    None => {
                        same.push(Arc::clone(&b));
                        b
                    }
                }
            })
            .collect();
        Doc { blocks }
    }
}

impl Doc {
    /// Reads a Markdown body (front matter already removed).
    pub fn parse(body: &str) -> Doc {
        // Abbreviation definitions are no text of the body, as on its page.
        let (body, _) = crate::markdown::abbreviations(body);
        let mut b = Builder::default();
        for event in Parser::new_ext(&body, crate::markdown::options()) {
            b.event(event);
        }
        b.finish();
        Doc {
            blocks: b.blocks.into_iter().map(Arc::new).collect(),
        }
    }

    /// The text of every block, a line each (a table row's cells separated
    /// by ` | `).
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        for b in &self.blocks {
            out.push_str(&b.text());
            out.push('\n');
        }
        out
    }

    /// The title of the section block `i` stands in, if it stands under a heading.
    pub fn section_title(&self, i: usize) -> Option<&str> {
        let h = self.blocks.get(i)?.section?;
        self.blocks
            .get(h)
            .and_then(|b| b.cells.first())
            .map(String::as_str)
    }
}

/// A list being read: ordered from which number, and the next number.
struct List {
    ordered: bool,
    next: u64,
}

#[derive(Default)]
struct Builder {
    blocks: Vec<Block>,
    lists: Vec<List>,
    quotes: usize,
    /// The block being read and its cells.
    open: Option<(Kind, Vec<String>)>,
    /// The text being read (of the open block or cell).
    text: String,
    last_heading: Option<usize>,
}

impl Builder {
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                self.ensure_open();
                self.text.push_str(&t);
            }
            Event::InlineMath(t) | Event::DisplayMath(t) => {
                self.ensure_open();
                self.text.push_str(&t);
            }
            Event::SoftBreak => self.text.push(' '),
            Event::HardBreak => self.text.push('\n'),
            Event::TaskListMarker(done) => {
                self.ensure_open();
                self.text.push_str(if done { "☑ " } else { "☐ " });
            }
            Event::FootnoteReference(label) => {
                self.ensure_open();
                self.text.push_str(&format!("[{label}]"));
            }
            Event::Rule => self.close(),
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Heading { level, .. } => self.begin(Kind::Heading(level as u8)),
            Tag::Paragraph => {
                // A loose list item's paragraphs are the item's text.
                if matches!(self.open, Some((Kind::Item { .. }, _))) {
                    if !self.text.is_empty() {
                        self.text.push('\n');
                    }
                } else {
                    self.begin(self.paragraph_kind());
                }
            }
            Tag::List(start) => {
                self.close();
                self.lists.push(List {
                    ordered: start.is_some(),
                    next: start.unwrap_or(1),
                });
            }
            Tag::Item => {
                let depth = u8::try_from(self.lists.len().saturating_sub(1)).unwrap_or(u8::MAX);
                let (ordered, number) = match self.lists.last_mut() {
                    Some(l) => {
                        l.next += 1;
                        (l.ordered, l.next - 1)
                    }
                    None => (false, 0),
                };
                self.begin(Kind::Item {
                    ordered,
                    number,
                    depth,
                });
            }
            Tag::TableHead => self.begin(Kind::Row { header: true }),
            Tag::TableRow => self.begin(Kind::Row { header: false }),
            Tag::TableCell => self.text.clear(),
            Tag::CodeBlock(_) => self.begin(Kind::Code),
            Tag::HtmlBlock => self.begin(Kind::Html),
            Tag::BlockQuote(_) => {
                self.close();
                self.quotes += 1;
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            // A loose list item's paragraphs end with the item.
            TagEnd::Paragraph if matches!(self.open, Some((Kind::Item { .. }, _))) => {}
            TagEnd::Paragraph => self.close(),
            TagEnd::TableCell => {
                let cell = std::mem::take(&mut self.text);
                if let Some((_, cells)) = self.open.as_mut() {
                    cells.push(cell.trim().to_string());
                }
            }
            TagEnd::List(_) => {
                self.close();
                self.lists.pop();
            }
            TagEnd::BlockQuote(_) => {
                self.close();
                self.quotes = self.quotes.saturating_sub(1);
            }
            TagEnd::Heading(_)
            | TagEnd::Item
            | TagEnd::TableHead
            | TagEnd::TableRow
            | TagEnd::CodeBlock
            | TagEnd::HtmlBlock => self.close(),
            _ => {}
        }
    }

    fn paragraph_kind(&self) -> Kind {
        if self.quotes > 0 {
            Kind::Quote
        } else {
            Kind::Paragraph
        }
    }

    /// Text outside any block (after a nested list, in the same item):
    /// a block of its own.
    fn ensure_open(&mut self) {
        if self.open.is_none() {
            self.begin(self.paragraph_kind());
        }
    }

    fn begin(&mut self, kind: Kind) {
        self.close();
        self.open = Some((kind, Vec::new()));
        self.text.clear();
    }

    fn close(&mut self) {
        let Some((kind, mut cells)) = self.open.take() else {
            return;
        };
        let text = std::mem::take(&mut self.text);
        if !matches!(kind, Kind::Row { .. }) {
            let text = match kind {
                Kind::Code | Kind::Html => text.trim_end_matches('\n').to_string(),
                _ => text.trim().to_string(),
            };
            cells.push(text);
        }
        if cells.iter().all(|c| c.trim().is_empty()) {
            return;
        }
        let index = self.blocks.len();
        if matches!(kind, Kind::Heading(_)) {
            self.last_heading = Some(index);
        }
        let mut h = foldhash::fast::FixedState::with_seed(0x5eed).build_hasher();
        kind.key().hash(&mut h);
        cells.hash(&mut h);
        self.blocks.push(Block {
            kind,
            cells,
            section: self.last_heading,
            key: h.finish(),
        });
    }

    fn finish(&mut self) {
        self.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(body: &str) -> Vec<(Kind, Vec<String>)> {
        Doc::parse(body)
            .blocks
            .into_iter()
            .map(|b| (b.kind, b.cells.clone()))
            .collect()
    }

    #[test]
    fn revisions_share_the_blocks_they_have_in_common() {
        let mut pool = Blocks::default();
        let a = pool.share(Doc::parse("## Drift\n\nDygnet runt.\n\nTvå tekniker.\n"));
        let b = pool.share(Doc::parse("## Drift\n\nDygnet runt.\n\nTre tekniker.\n"));
        assert!(Arc::ptr_eq(&a.blocks[0], &b.blocks[0]));
        assert!(Arc::ptr_eq(&a.blocks[1], &b.blocks[1]));
        assert!(!Arc::ptr_eq(&a.blocks[2], &b.blocks[2]));
        // Shared or not, a document reads the same.
        assert_eq!(b, Doc::parse("## Drift\n\nDygnet runt.\n\nTre tekniker.\n"));
        // The same text under another heading is another block.
        let c = pool.share(Doc::parse("## Förvaltning\n\n## Drift\n\nDygnet runt.\n"));
        assert!(!Arc::ptr_eq(&a.blocks[1], &c.blocks[2]));
    }

    #[test]
    fn blocks_keep_their_kind() {
        let b = kinds(
            "Intro *text*.\n\n## Rubrik\n\n- ett\n  - två\n- [x] tre\n\n| A | B |\n| --- | --- |\n| 1 | 2 |\n\n> citat\n\n```\nkod <b>\n```\n\n<div>rå</div>\n",
        );
        let item = |number, depth| Kind::Item {
            ordered: false,
            number,
            depth,
        };
        assert_eq!(
            b,
            vec![
                (Kind::Paragraph, vec!["Intro text.".to_string()]),
                (Kind::Heading(2), vec!["Rubrik".to_string()]),
                (item(1, 0), vec!["ett".to_string()]),
                (item(1, 1), vec!["två".to_string()]),
                (item(2, 0), vec!["☑ tre".to_string()]),
                (
                    Kind::Row { header: true },
                    vec!["A".to_string(), "B".to_string()]
                ),
                (
                    Kind::Row { header: false },
                    vec!["1".to_string(), "2".to_string()]
                ),
                (Kind::Quote, vec!["citat".to_string()]),
                (Kind::Code, vec!["kod <b>".to_string()]),
                (Kind::Html, vec!["<div>rå</div>".to_string()]),
            ]
        );
    }

    #[test]
    fn ordered_items_are_numbered_and_loose_items_are_one_block() {
        let b = kinds("3. a\n\n   mer\n4. b\n");
        assert_eq!(
            b[0],
            (
                Kind::Item {
                    ordered: true,
                    number: 3,
                    depth: 0
                },
                vec!["a\nmer".to_string()]
            )
        );
        assert_eq!(b.len(), 2);
    }

    #[test]
    fn blocks_know_their_section() {
        let d = Doc::parse("Före.\n\n## A\n\nI A.\n");
        assert_eq!(d.section_title(0), None);
        assert_eq!(d.section_title(2), Some("A"));
    }
}
