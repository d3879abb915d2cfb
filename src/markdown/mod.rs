//! Markdown with pulldown-cmark, one parse per body: the outline of a
//! document (headings with GitHub-style ids, links with their offsets, raw
//! HTML, plain text) and its HTML from the same events, with open slots for
//! link destinations that the render stage fills in ([`BodyHtml::fill`]).

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use std::collections::HashSet;
use std::ops::Range;

mod body;
mod gfm;
pub use body::BodyHtml;
use body::{Mark, Part};
pub use gfm::abbreviations;

/// The comment that marks where the hierarchy figure goes (seed figure 1).
pub const HIERARCHY_DIRECTIVE: &str = "<!-- styrdok:hierarki -->";

/// The Markdown extensions styrdok reads: GitHub's tables, footnotes,
/// strikethrough, task lists and alerts (`> [!NOTE]`).
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM
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

use crate::text::escape_html;
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

/// The name of the scrollable region around a table, in the site's language.
pub fn table_label(lang: crate::config::Language) -> &'static str {
    crate::i18n::texts(lang).table_region
}

/// A body read once: its outline and, when asked for, its HTML. The ids
/// that links are checked against are the ids written into the page.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    /// Headings, links, raw HTML and text.
    pub outline: Outline,
    /// The HTML with open slots for link destinations; `None` when only
    /// the outline was asked for.
    pub html: Option<BodyHtml>,
}

/// Reads a body once. `table_label`, when given, asks for the HTML too
/// (it names the scrollable region around each table).
pub fn parse(body: &str, table_label: Option<&str>) -> Parsed {
    // Abbreviation definitions are no text of the body (blanked in place).
    let (body, abbreviations) = gfm::abbreviations(body);
    let mut pass = Pass {
        out: Outline::default(),
        ids: IdAllocator::default(),
        in_heading: None,
        html: table_label.map(HtmlPass::new),
    };
    if let Some(html) = pass.html.as_mut() {
        html.extras.abbreviations = abbreviations;
    }
    for (event, range) in Parser::new_ext(&body, options()).into_offset_iter() {
        let id = pass.outline_event(&event, range);
        let heading = id.map(|id| {
            let text = pass.out.headings.last().map_or("", |h| h.text.as_str());
            (id, text.to_string())
        });
        if let Some(html) = pass.html.as_mut() {
            html.event(event, heading, pass.out.links.len());
        }
    }
    let mut outline = pass.out;
    // Kept for every document for the whole build: without the slack of
    // growing strings and lists.
    outline.text.shrink_to_fit();
    outline.headings.shrink_to_fit();
    outline.links.shrink_to_fit();
    outline.section_starts.shrink_to_fit();
    Parsed {
        html: pass.html.map(HtmlPass::finish),
        outline,
    }
}

/// Reads a document's headings, links and text.
pub fn outline(body: &str) -> Outline {
    parse(body, None).outline
}

/// The first level-1 heading of a body: its plain text, where it ends,
/// and whether it opens the body (nothing but blank lines before it).
pub fn first_title(body: &str) -> Option<(String, usize, bool)> {
    let mut first = true;
    let mut text: Option<(String, usize)> = None;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match (&mut text, event) {
            (
                None,
                Event::Start(Tag::Heading {
                    level: HeadingLevel::H1,
                    ..
                }),
            ) => {
                text = Some((String::new(), range.end));
            }
            (Some((t, _)), Event::Text(s) | Event::Code(s)) => t.push_str(&s),
            (Some((t, _)), Event::SoftBreak | Event::HardBreak) => t.push(' '),
            (Some((t, end)), Event::End(TagEnd::Heading(_))) => {
                let title = t.trim().to_string();
                return (!title.is_empty()).then_some((title, *end, first));
            }
            (None, Event::Start(_) | Event::Html(_) | Event::Rule | Event::Text(_)) => {
                first = false;
            }
            _ => {}
        }
    }
    None
}

/// Renders a body to HTML. `link` decides each link's destination; `figure`
/// supplies the HTML that replaces the hierarchy directive.
pub fn render(
    body: &str,
    link: &dyn Fn(&str) -> LinkAction,
    figure: &dyn Fn() -> String,
    table_label: &str,
) -> String {
    let parsed = parse(body, Some(table_label));
    parsed
        .html
        .map(|h| h.fill(&parsed.outline, link, figure))
        .unwrap_or_default()
}

/// The state of one parse.
struct Pass<'a> {
    out: Outline,
    ids: IdAllocator,
    /// The heading being read: level, offset, text so far.
    in_heading: Option<(u8, usize, String)>,
    html: Option<HtmlPass<'a>>,
}

impl Pass<'_> {
    /// Takes an event into the outline; at the end of a heading, returns
    /// the heading's id.
    fn outline_event(&mut self, event: &Event<'_>, range: Range<usize>) -> Option<String> {
        let out = &mut self.out;
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                out.section_starts.push(out.text.len());
                self.in_heading = Some((level_num(*level), range.start, String::new()))
            }
            Event::End(TagEnd::Heading(_)) => {
                out.text.push('\n');
                let (level, offset, text) = self.in_heading.take()?;
                let id = self.ids.allocate(&text);
                out.headings.push(Heading {
                    level,
                    text: text.trim().to_string(),
                    id: id.clone(),
                    offset,
                });
                return Some(id);
            }
            Event::Start(Tag::Link {
                dest_url,
                link_type,
                ..
            }) if *link_type != LinkType::Email => out.links.push(Link {
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
                if let Some((_, _, text)) = self.in_heading.as_mut() {
                    text.push_str(t);
                }
                out.text.push_str(t);
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                out.raw_html.push((range.start, html.to_string()))
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((_, _, text)) = self.in_heading.as_mut() {
                    text.push(' ');
                }
                out.text.push(' ');
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell | TagEnd::TableRow) => {
                out.text.push('\n')
            }
            _ => {}
        }
        None
    }
}

fn level_num(level: HeadingLevel) -> u8 {
    level as u8
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
    /// Render the link text without a link, marked not yet adopted (a
    /// draft this build leaves out), with this title.
    NotAdopted(String),
    /// Render the link text without a link (an unsafe URL); an image is dropped.
    Plain,
}

/// The HTML side of a parse: the events to write, and where the link
/// slots go among them.
struct HtmlPass<'a> {
    table_label: &'a str,
    /// The site's texts, in the language of `table_label`.
    texts: &'static crate::i18n::Texts,
    extras: gfm::Extras<'a>,
    events: Vec<Event<'a>>,
    heading_start: Option<usize>,
    /// Open links: the outline index of each (`None` for an e-mail
    /// autolink, written as it is).
    links: Vec<Option<usize>>,
    /// Open images: whether each is written (an unsafe one is not).
    images: Vec<bool>,
    /// How many written images are open: inside one, only text is written.
    open_images: usize,
    html_block: Option<String>,
    raw: RawHtml,
    marks: Vec<Mark>,
}

impl<'a> HtmlPass<'a> {
    fn new(table_label: &'a str) -> Self {
        HtmlPass {
            table_label,
            texts: gfm::texts_for(table_label),
            extras: gfm::Extras::default(),
            events: Vec::new(),
            heading_start: None,
            links: Vec::new(),
            images: Vec::new(),
            open_images: 0,
            html_block: None,
            raw: RawHtml::default(),
            marks: Vec::new(),
        }
    }

    fn mark(&mut self, link: usize, part: Part) {
        self.marks.push(Mark {
            event: self.events.len(),
            link,
            part,
            in_alt: self.open_images > 0,
        });
    }

    /// Takes one event; `heading` is the heading's id and text at its end,
    /// `links` how many links the outline has read so far (this one included).
    fn event(&mut self, event: Event<'a>, heading: Option<(String, String)>, links: usize) {
        let this_link = links.saturating_sub(1);
        let Some(event) = self.extra(event) else {
            return;
        };
        match event {
            Event::Start(Tag::Heading { .. }) => {
                self.heading_start = Some(self.events.len());
                self.events.push(event);
            }
            Event::End(TagEnd::Heading(level)) => {
                let start = self.heading_start.take();
                if let (Some(start), Some((id, text))) = (start, heading) {
                    if let Some(Event::Start(Tag::Heading { id: slot, .. })) =
                        self.events.get_mut(start)
                    {
                        *slot = Some(CowStr::from(id.clone()));
                    }
                    self.heading_link(level_num(level), &id, &text);
                }
                self.events.push(event);
            }
            Event::Start(Tag::Link {
                link_type: LinkType::Email,
                ..
            }) => {
                self.links.push(None);
                self.events.push(event);
            }
            Event::Start(Tag::Link { title, .. }) => {
                self.links.push(Some(this_link));
                let title = if title.is_empty() {
                    String::new()
                } else {
                    escape_html(&title)
                };
                self.mark(this_link, Part::Open(title));
            }
            Event::End(TagEnd::Link) => match self.links.pop() {
                Some(Some(k)) => self.mark(k, Part::Close),
                _ => self.events.push(event),
            },
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => self.image(this_link, link_type, dest_url, title, id),
            Event::End(TagEnd::Image) => {
                if self.images.pop() != Some(false) {
                    self.open_images = self.open_images.saturating_sub(1);
                    self.events.push(event);
                }
            }
            other => self.block_event(other),
        }
    }

    /// An image: written with an open `src` slot, or (an unsafe URL) not
    /// at all, its text left as text.
    fn image(
        &mut self,
        k: usize,
        link_type: LinkType,
        dest_url: CowStr<'a>,
        title: CowStr<'a>,
        id: CowStr<'a>,
    ) {
        let written = unsafe_scheme(&dest_url, true).is_none();
        self.images.push(written);
        if !written {
            return;
        }
        if self.open_images == 0 {
            self.mark(k, Part::Src);
        }
        self.open_images += 1;
        self.events.push(Event::Start(Tag::Image {
            link_type,
            dest_url: CowStr::Borrowed(""),
            title,
            id,
        }));
    }

    /// Tables, raw HTML and everything else.
    fn block_event(&mut self, event: Event<'a>) {
        match event {
            // Wide tables scroll sideways in a region keyboard users can reach.
            Event::Start(Tag::Table(_)) => {
                self.events.push(Event::Html(CowStr::from(format!(
                    "<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"{}\">\n",
                    escape_attr(self.table_label)
                ))));
                self.events.push(event);
            }
            Event::End(TagEnd::Table) => {
                self.events.push(event);
                self.events.push(Event::Html(CowStr::from("</div>\n")));
            }
            // Raw HTML passes into the page as written and the whole body
            // is cleaned once at the end, so that an element split over
            // several pieces keeps its content. An HTML block arrives line
            // by line.
            Event::Start(Tag::HtmlBlock) => self.html_block = Some(String::new()),
            Event::Html(html) => match self.html_block.as_mut() {
                Some(block) => block.push_str(&html),
                None => self.raw.push(self.events.len(), html, &mut self.events),
            },
            Event::End(TagEnd::HtmlBlock) => {
                if let Some(block) = self.html_block.take() {
                    if block.trim() == HIERARCHY_DIRECTIVE {
                        self.events.push(Event::Html(CowStr::from(FIGURE_SLOT)));
                    } else {
                        let at = self.events.len();
                        self.raw.push(at, CowStr::from(block), &mut self.events);
                    }
                }
            }
            Event::InlineHtml(html) => self.raw.push(self.events.len(), html, &mut self.events),
            other => self.events.push(other),
        }
    }

    fn finish(mut self) -> BodyHtml {
        self.footnotes();
        let too_deep = self.raw.depth_exceeded();
        if too_deep {
            // Too deep to parse at a bounded cost: published as text.
            for &i in &self.raw.at {
                if let Some(Event::Html(h) | Event::InlineHtml(h)) = self.events.get(i).cloned() {
                    self.events[i] = Event::Text(h);
                }
            }
        }
        let sanitize = !self.raw.at.is_empty() && !too_deep;
        BodyHtml::write(self.events, self.marks, sanitize)
    }
}

/// The scheme of a destination that is never published as a link or
/// image (`javascript:`, `vbscript:`, and `data:` but for raster images),
/// lower-cased; `None` for every other destination.
pub fn unsafe_scheme(dest: &str, image: bool) -> Option<String> {
    let dest = dest.trim();
    if dest.starts_with("id:") || dest.is_empty() || !(has_scheme(dest) || dest.starts_with("//")) {
        return None;
    }
    let scheme = dest.split(':').next().unwrap_or("").to_ascii_lowercase();
    let lower = dest.to_ascii_lowercase();
    let image_data =
        image && lower.starts_with("data:image/") && !lower.starts_with("data:image/svg");
    (matches!(scheme.as_str(), "javascript" | "vbscript" | "data") && !image_data).then_some(scheme)
}

/// Whether a destination starts with a URL scheme (`https:`, `mailto:`).
pub fn has_scheme(s: &str) -> bool {
    let Some((scheme, _)) = s.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    // One letter is a Windows drive (`C:`), not a scheme.
    scheme.len() > 1
        && chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
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
    fn the_first_level_one_heading_is_a_title() {
        let body = "\n# Planer *och* `ritningar`\n\nText.\n";
        let (title, end, opens) = first_title(body).expect("title");
        assert_eq!((title.as_str(), opens), ("Planer och ritningar", true));
        assert!(
            body[end..].trim_start().starts_with("Text."),
            "{:?}",
            &body[end..]
        );
        let (title, _, opens) = first_title("Intro.\n\n## Två\n\n# Ett\n").expect("title");
        assert_eq!((title.as_str(), opens), ("Ett", false));
        assert_eq!(first_title("## Bara två\n\nText.\n"), None);
        assert_eq!(first_title("#\n"), None);
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
        assert!(html.contains("<h2 id=\"två-ord\">Två ord <a class=\"heading-link\" href=\"#två-ord\" aria-label=\"Länk till avsnittet: Två ord\">#</a></h2>"), "{html}");
        assert!(html.contains("<a href=\"a.html\">a</a>"), "{html}");
        assert!(
            html.contains("<span class=\"restricted\" title=\"begränsad\">b</span>"),
            "{html}"
        );
        assert!(html.contains("<figure>F</figure>"), "{html}");
    }
}
