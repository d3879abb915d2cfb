//! A body's HTML as the one parse leaves it: finished except for the link
//! and image destinations, which depend on the whole site (a link to a
//! restricted document becomes a marked span, an unsafe one plain text).
//! The parse records where each goes; [`BodyHtml::fill`] writes them in,
//! one linear copy, then cleans bodies with raw HTML as before.

use pulldown_cmark::Event;
use std::cell::RefCell;

use super::{LinkAction, Outline, FIGURE_SLOT};
use crate::text::{escape_attr, escape_html};

/// A body rendered to HTML, with open slots for link and image destinations.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BodyHtml {
    html: String,
    slots: Vec<Slot>,
    /// The body has raw HTML: clean it once the slots are filled.
    sanitize: bool,
}

/// Where a link's or an image's resolved part goes.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Slot {
    /// Byte offset in the HTML.
    at: usize,
    /// Index of the link in the outline.
    link: usize,
    part: Part,
    /// Inside an image's `alt` text, where only text is written.
    in_alt: bool,
}

/// Which part of a link or image a slot holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Part {
    /// The start tag of a link; its title, escaped, if it has one.
    Open(String),
    /// The end tag of a link.
    Close,
    /// The `src` value of an image.
    Src,
}

/// A slot as the parse records it: before which event it stands.
pub(super) struct Mark {
    pub(super) event: usize,
    pub(super) link: usize,
    pub(super) part: Part,
    pub(super) in_alt: bool,
}

/// What pulldown-cmark writes for an image up to its `src` value.
const IMG_START: &str = "<img src=\"";

impl BodyHtml {
    /// Renders `events` once, recording where each mark's slot falls.
    pub(super) fn write(events: Vec<Event<'_>>, marks: Vec<Mark>, sanitize: bool) -> BodyHtml {
        let out = RefCell::new(String::new());
        let mut offsets = Vec::with_capacity(marks.len());
        let recorder = Recorder {
            events: events.into_iter(),
            index: 0,
            marks: &marks,
            out: &out,
            offsets: &mut offsets,
        };
        // Writing into a String cannot fail.
        let _ = pulldown_cmark::html::write_html_fmt(Shared(&out), recorder);
        let mut html = out.into_inner();
        // Kept until the page is rendered, for every document at once:
        // without the slack of a growing string.
        html.shrink_to_fit();
        let slots = marks
            .into_iter()
            .zip(offsets)
            .map(|(m, at)| Slot {
                at: if m.part == Part::Src {
                    at + IMG_START.len()
                } else {
                    at
                },
                link: m.link,
                part: m.part,
                in_alt: m.in_alt,
            })
            .collect();
        BodyHtml {
            html,
            slots,
            sanitize,
        }
    }

    /// The finished HTML: `action` decides each link's destination (asked
    /// once per link), `figure` supplies the hierarchy figure.
    pub fn fill(
        &self,
        outline: &Outline,
        action: &dyn Fn(&str) -> LinkAction,
        figure: &dyn Fn() -> String,
    ) -> String {
        let mut actions: Vec<Option<LinkAction>> = vec![None; outline.links.len()];
        let mut out = String::with_capacity(self.html.len() + self.slots.len() * 24);
        let mut done = 0;
        for slot in &self.slots {
            let (Some(text), Some(link)) =
                (self.html.get(done..slot.at), outline.links.get(slot.link))
            else {
                continue;
            };
            out.push_str(text);
            done = slot.at;
            let act = actions[slot.link].get_or_insert_with(|| action(&link.dest));
            slot.write(&mut out, act, &link.dest);
        }
        out.push_str(self.html.get(done..).unwrap_or(""));
        if self.sanitize {
            out = crate::sanitize::clean(&out);
        }
        if out.contains(FIGURE_SLOT) {
            out = out.replace(FIGURE_SLOT, &figure());
        }
        out
    }
}

impl Slot {
    /// Writes this slot as pulldown-cmark would have written the link or
    /// image had its destination been known while rendering.
    fn write(&self, out: &mut String, action: &LinkAction, dest: &str) {
        let href = |out: &mut String, url: &str| {
            let _ = pulldown_cmark_escape::escape_href(out, url);
        };
        match (&self.part, action) {
            (Part::Src, LinkAction::Rewrite(url)) => href(out, url),
            (Part::Src, _) => href(out, dest),
            (Part::Open(_), LinkAction::Restricted(why)) => {
                let tag = format!("<span class=\"restricted\" title=\"{}\">", escape_attr(why));
                out.push_str(&self.text(&tag));
            }
            (Part::Open(_), LinkAction::NotAdopted(why)) => {
                let tag = format!(
                    "<span class=\"not-adopted\" title=\"{}\">",
                    escape_attr(why)
                );
                out.push_str(&self.text(&tag));
            }
            (Part::Close, LinkAction::Restricted(_) | LinkAction::NotAdopted(_)) => {
                out.push_str(&self.text("</span>"))
            }
            // In alt text a link writes nothing; a plain link never does.
            _ if self.in_alt => {}
            (_, LinkAction::Plain) => {}
            (Part::Open(title), action) => {
                out.push_str("<a href=\"");
                match action {
                    LinkAction::Rewrite(url) => href(out, url),
                    _ => href(out, dest),
                }
                if !title.is_empty() {
                    out.push_str("\" title=\"");
                    out.push_str(title);
                }
                out.push_str("\">");
            }
            (Part::Close, _) => out.push_str("</a>"),
        }
    }

    /// Markup as it stands here: escaped inside alt text.
    fn text<'t>(&self, html: &'t str) -> std::borrow::Cow<'t, str> {
        if self.in_alt {
            escape_html(html).into()
        } else {
            html.into()
        }
    }
}

/// The HTML being written, shared by the writer and the [`Recorder`].
struct Shared<'o>(&'o RefCell<String>);

impl std::fmt::Write for Shared<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.borrow_mut().push_str(s);
        Ok(())
    }
}

/// Hands the events to the HTML writer and notes, as each is asked for,
/// how much has been written: the writer writes every event before it
/// asks for the next, so that is where a mark before this event falls.
struct Recorder<'e, 'a> {
    events: std::vec::IntoIter<Event<'a>>,
    index: usize,
    marks: &'e [Mark],
    out: &'e RefCell<String>,
    offsets: &'e mut Vec<usize>,
}

impl<'a> Iterator for Recorder<'_, 'a> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        while let Some(mark) = self.marks.get(self.offsets.len()) {
            if mark.event > self.index {
                break;
            }
            self.offsets.push(self.out.borrow().len());
        }
        self.index += 1;
        self.events.next()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_slots_sit_in_the_src_value() {
        let parsed = super::super::parse("![alt](a.png \"T\")\n", Some("Tabell"));
        let html = parsed.html.expect("html");
        let slot = &html.slots[0];
        assert_eq!(&html.html[slot.at - IMG_START.len()..slot.at], IMG_START);
        assert!(
            html.html[slot.at..].starts_with("\" alt=\"alt\""),
            "{html:?}"
        );
    }
}
