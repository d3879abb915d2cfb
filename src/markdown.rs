//! Markdown with pulldown-cmark: the outline of a document (headings with
//! GitHub-style ids, links with their offsets) and its HTML, with links
//! rewritten by a caller-supplied function.

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use std::collections::HashSet;

/// The comment that marks where the hierarchy figure goes (seed figure 1).
pub const HIERARCHY_DIRECTIVE: &str = "<!-- styrdok:hierarki -->";

/// The Markdown extensions styrdok reads: GitHub's tables, footnotes,
/// strikethrough and task lists.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// A heading with its text and id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// Plain text, inline markup removed.
    pub text: String,
    /// The id by GitHub's rule, unique in the document.
    pub id: String,
    /// Byte offset in the body where the heading starts.
    pub offset: usize,
}

/// A link or image destination as written, with where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The destination as the CommonMark parser read it (entities and
    /// backslash escapes resolved, `<...>` removed).
    pub dest: String,
    /// Byte offset of the link in the body.
    pub offset: usize,
    /// Byte length of the link's source text.
    pub len: usize,
    /// An image rather than a link.
    pub image: bool,
}

/// Headings and links of one document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outline {
    /// Headings in order.
    pub headings: Vec<Heading>,
    /// Links and images in order.
    pub links: Vec<Link>,
    /// Raw HTML written in the Markdown, with its byte offset in the body.
    pub raw_html: Vec<(usize, String)>,
    /// Plain text of the document, for search and diffs.
    pub text: String,
    /// Where in `text` each heading starts: heading `i`'s section is
    /// `text[section_starts[i]..section_starts[i + 1]]`.
    pub section_starts: Vec<usize>,
}

impl Outline {
    /// The text before the first heading, and each heading's section text.
    pub fn sections(&self) -> impl Iterator<Item = (Option<&Heading>, &str)> + '_ {
        let mut bounds = vec![0];
        bounds.extend(self.section_starts.iter().copied());
        bounds.push(self.text.len());
        (0..bounds.len() - 1).map(move |k| {
            let heading = k.checked_sub(1).and_then(|h| self.headings.get(h));
            let text = self.text.get(bounds[k]..bounds[k + 1]).unwrap_or("");
            (heading, text)
        })
    }

    /// Whether a heading with this id exists.
    pub fn has_anchor(&self, id: &str) -> bool {
        self.headings.iter().any(|h| h.id == id)
    }
}

pub use crate::text::{escape_attr, slug};

/// Hands out ids by GitHub's rule, with `-1`, `-2` for repeats.
#[derive(Default)]
pub struct IdAllocator {
    used: HashSet<String>,
}

impl IdAllocator {
    /// The id for a heading with this text.
    pub fn allocate(&mut self, text: &str) -> String {
        let base = slug(text);
        let mut id = base.clone();
        let mut n = 0;
        while self.used.contains(&id) {
            n += 1;
            id = format!("{base}-{n}");
        }
        self.used.insert(id.clone());
        id
    }
}

/// Reads a document's headings, links and text.
pub fn outline(body: &str) -> Outline {
    let mut out = Outline::default();
    let mut ids = IdAllocator::default();
    let mut in_heading: Option<(u8, usize, String)> = None;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                out.section_starts.push(out.text.len());
                in_heading = Some((level_num(level), range.start, String::new()))
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, offset, text)) = in_heading.take() {
                    let id = ids.allocate(&text);
                    out.headings.push(Heading {
                        level,
                        text: text.trim().to_string(),
                        id,
                        offset,
                    });
                }
                out.text.push('\n');
            }
            Event::Start(Tag::Link {
                dest_url,
                link_type,
                ..
            }) if link_type != LinkType::Email => out.links.push(Link {
                dest: dest_url.to_string(),
                offset: range.start,
                len: range.len(),
                image: false,
            }),
            Event::Start(Tag::Image { dest_url, .. }) => out.links.push(Link {
                dest: dest_url.to_string(),
                offset: range.start,
                len: range.len(),
                image: true,
            }),
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, text)) = in_heading.as_mut() {
                    text.push_str(&t);
                }
                {
                    out.text.push_str(&t);
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                out.raw_html.push((range.start, html.to_string()))
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((_, _, text)) = in_heading.as_mut() {
                    text.push(' ');
                }
                out.text.push(' ');
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell | TagEnd::TableRow) => {
                out.text.push('\n')
            }
            _ => {}
        }
    }
    out
}

fn level_num(level: HeadingLevel) -> u8 {
    level as u8
}

/// How a link's text is wrapped in the output.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Wrap {
    Link,
    Restricted,
    Nothing,
}

/// What to do with a link's destination when rendering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkAction {
    /// Leave it as written.
    Keep,
    /// Use this URL instead.
    Rewrite(String),
    /// Render the link text without a link, marked restricted, with this title.
    Restricted(String),
    /// Render the link text without a link (an unsafe URL); an image is dropped.
    Plain,
}

/// Renders a body to HTML. `link` decides each link's destination; `figure`
/// supplies the HTML that replaces the hierarchy directive.
pub fn render(
    body: &str,
    link: &dyn Fn(&str) -> LinkAction,
    figure: &dyn Fn() -> String,
    table_label: &str,
) -> String {
    let mut ids = IdAllocator::default();
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut heading_start: Option<usize> = None;
    let mut link_stack: Vec<Wrap> = Vec::new();
    let mut image_stack: Vec<bool> = Vec::new();
    let mut html_block: Option<String> = None;
    let mut raw = RawHtml::default();
    for event in Parser::new_ext(body, options()) {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                heading_start = Some(events.len());
                events.push(event);
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(start) = heading_start.take() {
                    let text = heading_text(&events[start + 1..]);
                    let id = ids.allocate(&text);
                    if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[start] {
                        *slot = Some(CowStr::from(id));
                    }
                }
                events.push(event);
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => match link(&dest_url) {
                LinkAction::Plain => link_stack.push(Wrap::Nothing),
                LinkAction::Restricted(why) => {
                    link_stack.push(Wrap::Restricted);
                    events.push(Event::InlineHtml(CowStr::from(format!(
                        "<span class=\"restricted\" title=\"{}\">",
                        escape_attr(&why)
                    ))));
                }
                action => {
                    link_stack.push(Wrap::Link);
                    let dest_url = match action {
                        LinkAction::Rewrite(url) => CowStr::from(url),
                        _ => dest_url,
                    };
                    events.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                }
            },
            Event::End(TagEnd::Link) => match link_stack.pop() {
                Some(Wrap::Restricted) => events.push(Event::InlineHtml(CowStr::from("</span>"))),
                Some(Wrap::Nothing) => {}
                _ => events.push(event),
            },
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let action = link(&dest_url);
                image_stack.push(action != LinkAction::Plain);
                if action != LinkAction::Plain {
                    let dest_url = match action {
                        LinkAction::Rewrite(url) => CowStr::from(url),
                        _ => dest_url,
                    };
                    events.push(Event::Start(Tag::Image {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                }
            }
            Event::End(TagEnd::Image) => {
                if image_stack.pop() != Some(false) {
                    events.push(event);
                }
            }
            // Wide tables scroll sideways in a region keyboard users can reach.
            Event::Start(Tag::Table(_)) => {
                events.push(Event::Html(CowStr::from(format!(
                    "<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"{}\">\n",
                    escape_attr(table_label)
                ))));
                events.push(event);
            }
            Event::End(TagEnd::Table) => {
                events.push(event);
                events.push(Event::Html(CowStr::from("</div>\n")));
            }
            // Raw HTML passes into the page as written and the whole body
            // is cleaned once at the end, so that an element split over
            // several pieces keeps its content. An HTML block arrives line
            // by line.
            Event::Start(Tag::HtmlBlock) => html_block = Some(String::new()),
            Event::Html(html) => match html_block.as_mut() {
                Some(block) => block.push_str(&html),
                None => raw.push(events.len(), html, &mut events),
            },
            Event::End(TagEnd::HtmlBlock) => {
                if let Some(block) = html_block.take() {
                    if block.trim() == HIERARCHY_DIRECTIVE {
                        events.push(Event::Html(CowStr::from(FIGURE_SLOT)));
                    } else {
                        raw.push(events.len(), CowStr::from(block), &mut events);
                    }
                }
            }
            Event::InlineHtml(html) => raw.push(events.len(), html, &mut events),
            other => events.push(other),
        }
    }
    if raw.depth_exceeded() {
        // Too deep to parse at a bounded cost: published as text.
        for &i in &raw.at {
            if let Event::Html(h) | Event::InlineHtml(h) = &events[i] {
                events[i] = Event::Text(h.clone());
            }
        }
    }
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    if !raw.at.is_empty() && !raw.depth_exceeded() {
        html = crate::sanitize::clean(&html);
    }
    if html.contains(FIGURE_SLOT) {
        html = html.replace(FIGURE_SLOT, &figure());
    }
    html
}

/// Stands where the hierarchy figure goes until the body has been cleaned
/// (the figure is styrdok's own SVG, which the sanitiser would remove).
const FIGURE_SLOT: &str = "\u{fffc}styrdok:hierarki\u{fffc}";

/// The raw HTML of a body being rendered: where its events are, and all of
/// it joined, to measure its nesting.
#[derive(Default)]
struct RawHtml {
    at: Vec<usize>,
    joined: String,
}

impl RawHtml {
    fn push<'a>(&mut self, index: usize, html: CowStr<'a>, events: &mut Vec<Event<'a>>) {
        self.at.push(index);
        self.joined.push_str(&html);
        events.push(Event::Html(html));
    }

    fn depth_exceeded(&self) -> bool {
        !self.at.is_empty()
            && crate::sanitize::scan(&self.joined).depth > crate::sanitize::MAX_DEPTH
    }
}

fn heading_text(events: &[Event<'_>]) -> String {
    let mut text = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_follow_github() {
        assert_eq!(slug("3.2 Roller och ansvar"), "32-roller-och-ansvar");
        assert_eq!(
            slug("Tillträdes- och brandskydd"),
            "tillträdes--och-brandskydd"
        );
        assert_eq!(slug("E-post & Internet!"), "e-post--internet");
        assert_eq!(slug("Säkerhetskopiering"), "säkerhetskopiering");
        assert_eq!(slug("snake_case `kod`"), "snake_case-kod");
    }

    #[test]
    fn repeated_headings_get_numbered_ids() {
        let o = outline("## Mål\n\n## Mål\n\n## Mål-1\n\n## Mål\n");
        let ids: Vec<&str> = o.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, vec!["mål", "mål-1", "mål-1-1", "mål-2"]);
    }

    #[test]
    fn heading_ids_use_text_without_markup() {
        let o = outline("## *Viktig* `regel` [länk](a.md)\n");
        assert_eq!(o.headings[0].id, "viktig-regel-länk");
    }

    #[test]
    fn links_in_code_are_not_links() {
        let o = outline("Se `[x](a.md)` och\n\n```\n[y](b.md)\n```\n\n[z](<c d.md#x>)\n");
        let dests: Vec<&str> = o.links.iter().map(|l| l.dest.as_str()).collect();
        assert_eq!(dests, vec!["c d.md#x"]);
    }

    #[test]
    fn raw_html_is_sanitised() {
        let html = render(
            "<div class=\"not\">ok<script>alert(1)</script></div>\n\nText <b>fet</b> <img src=x onerror=alert(1)> <a href=\"javascript:alert(1)\">x</a>\n\n<iframe src=\"https://example.org\"></iframe>\n",
            &|_| LinkAction::Keep,
            &String::new,
            "Tabell",
        );
        let lower = html.to_lowercase();
        for bad in ["<script", "onerror", "javascript:", "<iframe"] {
            assert!(!lower.contains(bad), "{bad} in {html}");
        }
        assert!(
            html.contains("<div class=\"not\">ok</div>") && html.contains("<b>fet</b>"),
            "{html}"
        );
    }

    #[test]
    fn render_sets_ids_and_rewrites_links() {
        let html = render(
            "## Två ord\n\n[a](a.md) [b](hemlig.md)\n\n<!-- styrdok:hierarki -->\n",
            &|d| match d {
                "a.md" => LinkAction::Rewrite("a.html".into()),
                _ => LinkAction::Restricted("begränsad".into()),
            },
            &|| "<figure>F</figure>\n".into(),
            "Tabell",
        );
        assert!(html.contains("<h2 id=\"två-ord\">Två ord</h2>"), "{html}");
        assert!(html.contains("<a href=\"a.html\">a</a>"), "{html}");
        assert!(
            html.contains("<span class=\"restricted\" title=\"begränsad\">b</span>"),
            "{html}"
        );
        assert!(html.contains("<figure>F</figure>"), "{html}");
    }
}
