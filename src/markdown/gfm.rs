//! Markdown as readers know it from the forge, in the HTML of a body:
//! GitHub's alerts (`> [!NOTE]`) as labelled notes, footnotes gathered at
//! the end with back-links, task lists as disabled checkboxes labelled by
//! their text, `~~strikethrough~~` as `<s>` (so that it never reads as a
//! redline's `<del>`), abbreviations defined by `*[MFA]: …` lines, and a
//! link to every heading from h2 down.
//!
//! Ids styrdok writes here contain a colon (`fn:1`, `fnref:1`): a heading's
//! id never does ([`crate::text::slug`] keeps letters, digits, `-` and `_`),
//! so they cannot clash with a heading, whatever it is called.

use pulldown_cmark::{BlockQuoteKind, CowStr, Event, Tag, TagEnd};
use std::borrow::Cow;
use std::fmt::Write;

use super::HtmlPass;
use crate::config::Language;
use crate::i18n::Texts;
use crate::text::{escape_attr, escape_html};

/// The texts of the language whose table label this is (the label is what
/// the body's callers pass; it names the language).
pub(super) fn texts_for(table_label: &str) -> &'static Texts {
    let en = crate::i18n::texts(Language::En);
    if table_label == en.table_region {
        en
    } else {
        crate::i18n::texts(Language::Sv)
    }
}

/// A footnote's definition, written aside: its label, events, the link
/// slots among them and where its raw HTML is (indices into its events).
#[derive(Default)]
pub(super) struct Definition<'a> {
    label: String,
    events: Vec<Event<'a>>,
    marks: Vec<super::Mark>,
    raw: Vec<usize>,
}

/// The state of the extras while a body is written.
#[derive(Default)]
pub(super) struct Extras<'a> {
    /// Abbreviations and what they stand for, longest first.
    pub(super) abbreviations: Vec<(String, String)>,
    /// Footnote labels in the order of their first reference.
    notes: Vec<String>,
    /// References to each footnote so far (for unique ids).
    refs: Vec<usize>,
    /// Definitions read, written at the end.
    definitions: Vec<Definition<'a>>,
    /// The definition being read (its events go aside).
    in_definition: Option<Definition<'a>>,
    /// Open lists and items: where their start events are.
    lists: Vec<usize>,
    items: Vec<usize>,
    /// A task item's label is open.
    task_label: bool,
    /// Inside a code block, or raw `<abbr>`: text stays as it is.
    in_code: bool,
    in_raw_abbr: bool,
}

impl<'a> HtmlPass<'a> {
    /// The body's extras for one event; `None` when it has dealt with it,
    /// else the event for the caller to handle as usual.
    pub(super) fn extra(&mut self, event: Event<'a>) -> Option<Event<'a>> {
        if self.extras.task_label && closes_label(&event) {
            self.extras.task_label = false;
            self.push(Event::Html(CowStr::Borrowed("</label>")));
        }
        match event {
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, title) = alert(kind, self.texts);
                self.push(Event::Html(CowStr::from(format!(
                    "<div class=\"markdown-alert markdown-alert-{class}\" role=\"note\">\n<p class=\"markdown-alert-title\">{title}</p>\n"
                ))));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                self.push(Event::Html(CowStr::Borrowed("</div>\n")))
            }
            Event::Start(Tag::Strikethrough) => self.push(Event::Html(CowStr::Borrowed("<s>"))),
            Event::End(TagEnd::Strikethrough) => self.push(Event::Html(CowStr::Borrowed("</s>"))),
            Event::FootnoteReference(label) => self.footnote_reference(&label),
            Event::Start(Tag::FootnoteDefinition(label)) => {
                self.extras.in_definition = Some(Definition {
                    label: label.to_string(),
                    ..Definition::default()
                });
                self.swap_definition();
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                self.swap_definition();
                if let Some(d) = self.extras.in_definition.take() {
                    self.extras.definitions.push(d);
                }
            }
            Event::Start(Tag::List(_)) => {
                self.extras.lists.push(self.events.len());
                return Some(event);
            }
            Event::End(TagEnd::List(ordered)) => {
                let start = self.extras.lists.pop();
                if start.is_some_and(|at| is_task_list(self.events.get(at))) {
                    let tag = if ordered { "</ol>\n" } else { "</ul>\n" };
                    self.push(Event::Html(CowStr::Borrowed(tag)));
                    return None;
                }
                return Some(Event::End(TagEnd::List(ordered)));
            }
            Event::Start(Tag::Item) => {
                self.extras.items.push(self.events.len());
                return Some(event);
            }
            Event::End(TagEnd::Item) => {
                self.extras.items.pop();
                return Some(event);
            }
            Event::TaskListMarker(done) => self.task(done),
            Event::Start(Tag::CodeBlock(_)) => {
                self.extras.in_code = true;
                return Some(event);
            }
            Event::End(TagEnd::CodeBlock) => {
                self.extras.in_code = false;
                return Some(event);
            }
            Event::InlineHtml(ref html) => {
                let lower = html.to_ascii_lowercase();
                if lower.starts_with("<abbr") {
                    self.extras.in_raw_abbr = true;
                } else if lower.starts_with("</abbr") {
                    self.extras.in_raw_abbr = false;
                }
                return Some(event);
            }
            Event::Text(text)
                if !self.extras.abbreviations.is_empty()
                    && !self.extras.in_code
                    && !self.extras.in_raw_abbr
                    && self.open_images == 0 =>
            {
                self.abbreviated(text)
            }
            other => return Some(other),
        }
        None
    }

    /// Pushes an event where events go now (the body, or a definition).
    pub(super) fn push(&mut self, event: Event<'a>) {
        self.events.push(event);
    }

    /// Swaps the body's events and marks with the definition's, so that a
    /// footnote's text (links included) is written aside, for the end.
    fn swap_definition(&mut self) {
        if let Some(d) = self.extras.in_definition.as_mut() {
            std::mem::swap(&mut self.events, &mut d.events);
            std::mem::swap(&mut self.marks, &mut d.marks);
            std::mem::swap(&mut self.raw.at, &mut d.raw);
        }
    }

    fn footnote_reference(&mut self, label: &str) {
        let e = &mut self.extras;
        let n = match e.notes.iter().position(|l| l == label) {
            Some(k) => k + 1,
            None => {
                e.notes.push(label.to_string());
                e.refs.push(0);
                e.notes.len()
            }
        };
        e.refs[n - 1] += 1;
        let id = ref_id(n, e.refs[n - 1]);
        self.push(Event::Html(CowStr::from(format!(
            "<sup class=\"footnote-ref\"><a href=\"#fn:{n}\" id=\"{id}\">{n}</a></sup>"
        ))));
    }

    /// A task item: the list and the item get their classes, the box a
    /// label that holds the item's text up to its first block.
    fn task(&mut self, done: bool) {
        if let Some(&at) = self.extras.lists.last() {
            if let Some(Event::Start(Tag::List(first))) = self.events.get(at) {
                let tag = match first {
                    Some(1) => "<ol class=\"contains-task-list\">\n".to_string(),
                    Some(n) => format!("<ol class=\"contains-task-list\" start=\"{n}\">\n"),
                    None => "<ul class=\"contains-task-list\">\n".to_string(),
                };
                self.events[at] = Event::Html(CowStr::from(tag));
            }
        }
        if let Some(&at) = self.extras.items.last() {
            if matches!(self.events.get(at), Some(Event::Start(Tag::Item))) {
                self.events[at] = Event::Html(CowStr::Borrowed("<li class=\"task-list-item\">"));
            }
        }
        let checked = if done { " checked" } else { "" };
        self.push(Event::Html(CowStr::from(format!(
            "<label class=\"task-list-label\"><input type=\"checkbox\" class=\"task-list-item-checkbox\" disabled{checked}> "
        ))));
        self.extras.task_label = true;
    }

    /// Text with every whole-word abbreviation in `<abbr>`.
    fn abbreviated(&mut self, text: CowStr<'a>) {
        let pieces: Vec<(String, Option<String>)> =
            split_abbreviations(&text, &self.extras.abbreviations)
                .into_iter()
                .map(|(p, t)| (p, t.map(str::to_string)))
                .collect();
        if pieces.len() == 1 && pieces[0].1.is_none() {
            self.push(Event::Text(text));
            return;
        }
        for (piece, title) in pieces {
            match title {
                Some(t) => self.push(Event::Html(CowStr::from(format!(
                    "<abbr title=\"{}\">{}</abbr>",
                    escape_attr(&t),
                    escape_html(&piece)
                )))),
                None => self.push(Event::Text(CowStr::from(piece))),
            }
        }
    }

    /// Appends the footnotes, numbered as first referred to (those never
    /// referred to last), each with a link back to its first reference.
    pub(super) fn footnotes(&mut self) {
        let mut defs = std::mem::take(&mut self.extras.definitions);
        if defs.is_empty() {
            return;
        }
        let notes = std::mem::take(&mut self.extras.notes);
        let order = |label: &str| notes.iter().position(|l| l == label).unwrap_or(usize::MAX);
        defs.sort_by_key(|d| order(&d.label));
        let t = self.texts;
        self.push(Event::Html(CowStr::from(format!(
            "<section class=\"footnotes\" aria-labelledby=\"fn:rubrik\">\n<h2 id=\"fn:rubrik\" class=\"footnotes-title\">{}</h2>\n<ol>\n",
            escape_html(t.md_footnotes)
        ))));
        for (k, def) in defs.into_iter().enumerate() {
            let n = k + 1;
            let referred = order(&def.label) != usize::MAX;
            self.push(Event::Html(CowStr::from(format!("<li id=\"fn:{n}\">\n"))));
            let base = self.events.len();
            self.marks.extend(def.marks.into_iter().map(|mut m| {
                m.event += base;
                m
            }));
            let mut events = def.events;
            // Where the back-link goes, events after the note's raw HTML
            // move by one: count it in.
            let last_para = events
                .iter()
                .rposition(|e| matches!(e, Event::End(TagEnd::Paragraph)));
            // (A slot before the paragraph's end stays before the link.)
            let shift = |i: usize| {
                if referred && last_para.is_some_and(|at| i > at) {
                    i + 1
                } else {
                    i
                }
            };
            self.raw.at.extend(def.raw.iter().map(|&i| base + shift(i)));
            for m in self.marks.iter_mut().rev().take_while(|m| m.event >= base) {
                m.event = base + shift(m.event - base);
            }
            // The back-link goes at the end of the note's last paragraph.
            let back = referred.then(|| {
                let mut s = String::new();
                let _ = write!(
                    s,
                    " <a href=\"#{}\" class=\"footnote-backref\" aria-label=\"{} {n}\">↩</a>",
                    ref_id(n, 1),
                    escape_attr(t.md_footnote_back)
                );
                s
            });
            match (last_para, back) {
                (Some(at), Some(b)) => {
                    let tail = events.split_off(at);
                    self.events.extend(events);
                    self.push(Event::Html(CowStr::from(b)));
                    self.events.extend(tail);
                }
                (None, Some(b)) => {
                    self.events.extend(events);
                    self.push(Event::Html(CowStr::from(b)));
                }
                (_, None) => self.events.extend(events),
            }
            self.push(Event::Html(CowStr::Borrowed("</li>\n")));
        }
        self.push(Event::Html(CowStr::Borrowed("</ol>\n</section>\n")));
    }

    /// The link to a heading, after its text (h2 to h6).
    pub(super) fn heading_link(&mut self, level: u8, id: &str, text: &str) {
        if level < 2 {
            return;
        }
        self.push(Event::Html(CowStr::from(format!(
            " <a class=\"heading-link\" href=\"#{}\" aria-label=\"{}: {}\">#</a>",
            escape_attr(id),
            escape_attr(self.texts.md_heading_link),
            escape_attr(text)
        ))));
    }
}

/// The id of the `k`th reference to footnote `n`.
fn ref_id(n: usize, k: usize) -> String {
    if k == 1 {
        format!("fnref:{n}")
    } else {
        format!("fnref:{n}:{k}")
    }
}

fn is_task_list(event: Option<&Event<'_>>) -> bool {
    matches!(event, Some(Event::Html(h)) if h.contains("contains-task-list"))
}

/// Whether a task item's label must close before this event: at the end
/// of its text, before any block.
fn closes_label(event: &Event<'_>) -> bool {
    matches!(
        event,
        Event::End(TagEnd::Item | TagEnd::Paragraph)
            | Event::Start(
                Tag::List(_)
                    | Tag::Paragraph
                    | Tag::BlockQuote(_)
                    | Tag::CodeBlock(_)
                    | Tag::Table(_)
                    | Tag::Heading { .. }
                    | Tag::HtmlBlock
            )
    )
}

/// An alert's class and title.
fn alert(kind: BlockQuoteKind, t: &Texts) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", t.md_note),
        BlockQuoteKind::Tip => ("tip", t.md_tip),
        BlockQuoteKind::Important => ("important", t.md_important),
        BlockQuoteKind::Warning => ("warning", t.md_warning),
        BlockQuoteKind::Caution => ("caution", t.md_caution),
    }
}

/// `text` in pieces, each abbreviation (a whole word) with its title.
fn split_abbreviations<'t>(
    text: &str,
    abbreviations: &'t [(String, String)],
) -> Vec<(String, Option<&'t str>)> {
    let mut out: Vec<(String, Option<&'t str>)> = Vec::new();
    let mut plain = String::new();
    let mut i = 0;
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    while i < text.len() {
        let before = text[..i].chars().next_back();
        let hit = (!word(before))
            .then(|| {
                abbreviations.iter().find(|(abbr, _)| {
                    text[i..].starts_with(abbr.as_str())
                        && !word(text[i + abbr.len()..].chars().next())
                })
            })
            .flatten();
        match hit {
            Some((abbr, title)) => {
                if !plain.is_empty() {
                    out.push((std::mem::take(&mut plain), None));
                }
                out.push((abbr.clone(), Some(title.as_str())));
                i += abbr.len();
            }
            None => {
                let c = text[i..].chars().next().unwrap_or(' ');
                plain.push(c);
                i += c.len_utf8();
            }
        }
    }
    if !plain.is_empty() || out.is_empty() {
        out.push((plain, None));
    }
    out
}

/// The body without its abbreviation definitions (paragraphs of nothing
/// but `*[MFA]: Multifaktorautentisering` lines, blanked so that every
/// offset stays), and the definitions, longest abbreviation first.
pub fn abbreviations(body: &str) -> (Cow<'_, str>, Vec<(String, String)>) {
    if !body.contains("*[") {
        return (Cow::Borrowed(body), Vec::new());
    }
    let mut defs = Vec::new();
    let mut blank: Vec<std::ops::Range<usize>> = Vec::new();
    let parser = pulldown_cmark::Parser::new_ext(body, super::options()).into_offset_iter();
    for (event, range) in parser {
        if !matches!(event, Event::Start(Tag::Paragraph)) {
            continue;
        }
        let Some(source) = body.get(range.clone()) else {
            continue;
        };
        let lines: Option<Vec<(String, String)>> = source
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(definition)
            .collect();
        if let Some(lines) = lines.filter(|l| !l.is_empty()) {
            defs.extend(lines);
            blank.push(range);
        }
    }
    if blank.is_empty() {
        return (Cow::Borrowed(body), Vec::new());
    }
    let mut out = body.to_string();
    for r in blank {
        let spaces: String = body[r.clone()]
            .chars()
            .map(|c| if c == '\n' || c == '\r' { c } else { ' ' })
            .collect();
        // Same length in bytes: every character becomes spaces of its width.
        let spaces: String = spaces
            .chars()
            .zip(body[r.clone()].chars())
            .map(|(s, c)| {
                if s == ' ' {
                    " ".repeat(c.len_utf8())
                } else {
                    s.to_string()
                }
            })
            .collect();
        out.replace_range(r, &spaces);
    }
    defs.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
    defs.dedup_by(|a, b| a.0 == b.0);
    (Cow::Owned(out), defs)
}

/// `*[MFA]: Multifaktorautentisering` as (abbreviation, title).
fn definition(line: &str) -> Option<(String, String)> {
    let rest = line.trim().strip_prefix("*[")?;
    let (abbr, title) = rest.split_once("]:")?;
    let (abbr, title) = (abbr.trim(), title.trim());
    (!abbr.is_empty() && !title.is_empty() && !abbr.contains(']'))
        .then(|| (abbr.to_string(), title.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_in_a_footnote_is_still_cleaned_or_escaped() {
        let render = |body: &str| {
            super::super::render(
                body,
                &|_| super::super::LinkAction::Keep,
                &String::new,
                "Tabell",
            )
        };
        // Cleaned: the footnote's raw HTML goes through the sanitiser.
        let html = render("Text[^1].\n\n[^1]: <b onclick=\"x()\">fet</b>\n");
        assert!(
            html.contains("<b>fet</b>") && !html.contains("onclick"),
            "{html}"
        );
        // Too deep to clean at a bounded cost: escaped, wherever it stood.
        let deep = "<i>".repeat(crate::sanitize::MAX_DEPTH + 10);
        let html = render(&format!(
            "Text[^1].\n\n[^1]: {deep}<b onclick=\"x()\">fet</b>\n"
        ));
        assert!(!html.contains("<i>") && !html.contains("<b "), "{html}");
    }

    #[test]
    fn abbreviations_are_whole_words() {
        let defs = vec![("MFA".to_string(), "Multifaktorautentisering".to_string())];
        let pieces = split_abbreviations("MFA, MFAX och XMFA men (MFA).", &defs);
        let marked: Vec<&str> = pieces
            .iter()
            .filter(|p| p.1.is_some())
            .map(|p| p.0.as_str())
            .collect();
        assert_eq!(marked, ["MFA", "MFA"]);
        assert_eq!(
            pieces.iter().map(|p| p.0.as_str()).collect::<String>(),
            "MFA, MFAX och XMFA men (MFA)."
        );
    }

    #[test]
    fn definitions_are_blanked_keeping_offsets() {
        let body = "Text om MFA.\n\n*[MFA]: Multifaktorautentisering\n*[IT]: Informationsteknik\n\nSlut.\n";
        let (clean, defs) = abbreviations(body);
        assert_eq!(clean.len(), body.len());
        assert!(
            !clean.contains("*[MFA]") && clean.contains("Slut."),
            "{clean}"
        );
        assert_eq!(defs[0], ("MFA".into(), "Multifaktorautentisering".into()));
        assert_eq!(defs.len(), 2);
        // In code, not a definition.
        let (same, none) = abbreviations("```\n*[MFA]: x\n```\n");
        assert!(none.is_empty() && same.contains("*[MFA]"));
    }
}
