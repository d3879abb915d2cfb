//! Raw HTML in documents: the sanitiser (ammonia) run once over a page's
//! whole body, so that an allowed element keeps its content however the
//! Markdown parser split it (`<abbr title="…">MSB</abbr>` arrives as three
//! pieces, `<div class="note">` and its `</div>` as two HTML blocks with
//! Markdown between them); what it removed, found by comparing the tags and
//! attributes before and after (the SD701 warning); and a bound on nesting
//! depth, since the HTML tree builder's cost grows with depth for every tag.

use std::cell::RefCell;
use std::collections::BTreeMap;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// Raw HTML nested deeper than this is published as text: a browser
/// flattens such a tree anyway, and parsing it costs the tree builder time
/// for every level of every tag.
pub const MAX_DEPTH: usize = 256;

/// The sanitiser for a page body that contains raw HTML: ammonia's safe
/// defaults (no script, style, iframe, object, form, event handlers or
/// `javascript:` URLs), the class, id, title and lang attributes authors
/// use for layout, and what the Markdown renderer itself writes (aligned
/// table cells, task list boxes, the scrollable table region, footnotes,
/// heading links).
fn sanitizer() -> &'static ammonia::Builder<'static> {
    static BUILDER: std::sync::OnceLock<ammonia::Builder<'static>> = std::sync::OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_generic_attributes(["class", "id", "title", "lang"]);
        b.add_tag_attributes("div", ["tabindex", "role", "aria-label"]);
        // What the Markdown extras write (markdown/gfm.rs): the footnotes'
        // section, task items' labels, heading and back-links' names.
        b.add_tags(["section", "label"]);
        b.add_tag_attributes("section", ["aria-labelledby"]);
        b.add_tag_attributes("a", ["aria-label"]);
        for cell in ["th", "td"] {
            b.add_tag_attribute_values(
                cell,
                "style",
                [
                    "text-align: left",
                    "text-align: center",
                    "text-align: right",
                ],
            );
        }
        b.add_tags(["input"]);
        b.add_tag_attribute_values("input", "type", ["checkbox"]);
        b.add_tag_attribute_values("input", "disabled", [""]);
        b.add_tag_attribute_values("input", "checked", [""]);
        b.link_rel(None);
        b
    })
}

/// Cleans HTML: whatever could run code or load something from elsewhere
/// goes, allowed markup and its content stay.
pub fn clean(html: &str) -> String {
    sanitizer().clean(html).to_string()
}

/// A tag or attribute of raw HTML.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Markup {
    /// An element, by tag name.
    Element(String),
    /// An attribute (name) of an element (tag name).
    Attribute(String, String),
}

impl std::fmt::Display for Markup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Markup::Element(tag) => {
                f.write_str(&crate::tr!("elementet `<{tag}>`", "the element `<{tag}>`"))
            }
            Markup::Attribute(tag, attr) => f.write_str(&crate::tr!(
                "attributet `{attr}` i `<{tag}>`",
                "the attribute `{attr}` of `<{tag}>`"
            )),
        }
    }
}

/// What the sanitiser removes from this HTML: each element and attribute
/// that is in `html` more often than in its cleaned form, in the order of
/// first appearance (an attribute not when its element goes too).
pub fn removed(html: &str) -> Vec<Markup> {
    let before = scan(html);
    let after = scan(&clean(html));
    let mut kept: BTreeMap<&Markup, usize> = BTreeMap::new();
    for m in &after.markup {
        *kept.entry(m).or_default() += 1;
    }
    let mut out: Vec<Markup> = Vec::new();
    let mut named = std::collections::HashSet::new();
    for m in &before.markup {
        match kept.get_mut(m) {
            Some(n) if *n > 0 => *n -= 1,
            _ if named.insert(m) => out.push(m.clone()),
            _ => {}
        }
    }
    // An element that goes takes its attributes with it: name it alone.
    let gone: std::collections::HashSet<String> = out
        .iter()
        .filter_map(|m| match m {
            Markup::Element(tag) => Some(tag.clone()),
            Markup::Attribute(..) => None,
        })
        .collect();
    out.retain(|m| !matches!(m, Markup::Attribute(tag, _) if gone.contains(tag)));
    out
}

/// The elements and attributes of `html` (start tags only), and how deep
/// its elements nest.
pub fn scan(html: &str) -> Scan {
    let sink = Sink::default();
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tok = Tokenizer::new(sink, TokenizerOpts::default());
    let _ = tok.feed(&input);
    tok.end();
    tok.sink.state.into_inner()
}

/// What [`scan`] found.
#[derive(Debug, Default)]
pub struct Scan {
    /// Every start tag and attribute, in order.
    pub markup: Vec<Markup>,
    /// The deepest nesting of elements.
    pub depth: usize,
    open: usize,
}

#[derive(Default)]
struct Sink {
    state: RefCell<Scan>,
}

/// Elements that never have content (no end tag).
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let Token::TagToken(tag) = token else {
            return TokenSinkResult::Continue;
        };
        let name = tag.name.to_string();
        let mut s = self.state.borrow_mut();
        if tag.kind == TagKind::EndTag {
            s.open = s.open.saturating_sub(1);
            return TokenSinkResult::Continue;
        }
        if !tag.self_closing && !VOID.contains(&name.as_str()) {
            s.open += 1;
            s.depth = s.depth.max(s.open);
        }
        for a in &tag.attrs {
            let attr = a.name.local.to_string();
            s.markup.push(Markup::Attribute(name.clone(), attr));
        }
        s.markup.push(Markup::Element(name.clone()));
        drop(s);
        // The content of these elements is text, as the tree builder would
        // tell the tokenizer: `<script>"<b>"</script>` holds no `<b>`.
        match name.as_str() {
            "script" => TokenSinkResult::RawData(RawKind::ScriptData),
            "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
                TokenSinkResult::RawData(RawKind::Rawtext)
            }
            "textarea" | "title" => TokenSinkResult::RawData(RawKind::Rcdata),
            "plaintext" => TokenSinkResult::Plaintext,
            _ => TokenSinkResult::Continue,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowed_markup_keeps_its_content() {
        assert_eq!(
            clean("<abbr title=\"Myndigheten\">MSB</abbr>"),
            "<abbr title=\"Myndigheten\">MSB</abbr>"
        );
        assert_eq!(
            clean("<div class=\"note\">\n<p>Text</p>\n</div>"),
            "<div class=\"note\">\n<p>Text</p>\n</div>"
        );
    }

    #[test]
    fn removed_names_what_went() {
        assert_eq!(
            removed("<span class=\"x\" onclick=\"a()\">t</span><script>x('<b>')</script>"),
            vec![
                Markup::Attribute("span".into(), "onclick".into()),
                Markup::Element("script".into()),
            ]
        );
        assert_eq!(
            removed("<a href=\"javascript:alert(1)\">x</a>"),
            vec![Markup::Attribute("a".into(), "href".into())]
        );
        assert_eq!(
            removed("<td style=\"color: red\">x</td>"),
            vec![Markup::Element("td".into())],
            "a cell outside a table is dropped by the parser"
        );
        assert_eq!(
            removed("<table><tr><td style=\"color: red\">x</td></tr></table>"),
            vec![Markup::Attribute("td".into(), "style".into())]
        );
        assert!(
            removed("<div class=\"note\"><b>ok</b> <abbr title=\"t\">A</abbr></div>").is_empty()
        );
    }

    #[test]
    fn depth_counts_open_elements() {
        assert_eq!(scan("<div><p>a<br>b</p><img src=x></div>").depth, 2);
        assert_eq!(scan(&"<div>".repeat(300)).depth, 300);
        assert_eq!(scan("<script><div><div></script>").depth, 1);
    }
}
