//! The offline search: an index written at build time as a script
//! (`assets/search-index.js`, so it loads from a file share too), one entry
//! per section of every published document, searched by the theme's
//! `search.js` on the search page. Published start and folder pages are
//! indexed after the documents.

use rayon::prelude::*;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};

use crate::markdown::Outline;

use super::Renderer;

/// Characters of a section's text shown under a result.
const EXCERPT: usize = 220;

/// Lower-cased, composed words of a text, each once, space-separated with a
/// leading space so that ` term` finds every word starting with `term`.
pub(super) fn words(parts: &[&str]) -> String {
    use std::borrow::Cow;
    let composed: Vec<Cow<'_, str>> = parts
        .iter()
        .map(|p| {
            if crate::load::is_nfc(p) {
                Cow::Borrowed(*p)
            } else {
                Cow::Owned(crate::load::nfc(p))
            }
        })
        .collect();
    // foldhash: several times faster than SipHash on short words, and no
    // one can choose this input to attack the table.
    let mut set: HashSet<Cow<'_, str>, foldhash::fast::RandomState> = HashSet::default();
    for part in &composed {
        let bytes = part.as_bytes();
        let mut start = None;
        let mut upper = false;
        let mut i = 0;
        while i <= bytes.len() {
            let (alnum, is_upper, len) = match bytes.get(i) {
                None => (false, false, 1),
                Some(&b) if b.is_ascii() => (b.is_ascii_alphanumeric(), b.is_ascii_uppercase(), 1),
                // U+00C0..=U+00FF (å, ä, ö and the rest of Latin-1's
                // letters): all letters but × and ÷, capitals below U+00DF.
                Some(&0xC3) if bytes.get(i + 1).is_some_and(|&n| (0x80..0xC0).contains(&n)) => {
                    let n = bytes[i + 1];
                    (n != 0x97 && n != 0xB7, n < 0x9F && n != 0x97, 2)
                }
                Some(_) => {
                    let c = part[i..].chars().next().unwrap_or(' ');
                    (c.is_alphanumeric(), c.is_uppercase(), c.len_utf8())
                }
            };
            if alnum {
                start.get_or_insert(i);
                upper |= is_upper;
            } else if let Some(s) = start.take() {
                let w = &part[s..i];
                set.insert(if upper {
                    Cow::Owned(w.to_lowercase())
                } else {
                    Cow::Borrowed(w)
                });
                upper = false;
            }
            i += len;
        }
    }
    // Sections repeat their words: sort the distinct ones only.
    let mut list: Vec<Cow<'_, str>> = set.into_iter().collect();
    list.sort_unstable();
    let mut out = String::with_capacity(list.iter().map(|w| w.len() + 1).sum());
    for w in list {
        out.push(' ');
        out.push_str(&w);
    }
    out
}

/// Search index parts of each document from the previous render, valid
/// while the document keeps its place in the index, its outline and its
/// title.
#[derive(Default)]
pub struct SearchCache(Mutex<HashMap<usize, Cached>>);

/// A document's outline and title when its index part was made, and the part.
type Cached = (Arc<Outline>, String, Arc<str>);

impl SearchCache {
    fn get(&self, d: usize, outline: &Arc<Outline>, title: &str) -> Option<Arc<str>> {
        let map = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let (o, t, sections) = map.get(&d)?;
        (Arc::ptr_eq(o, outline) && t == title).then(|| Arc::clone(sections))
    }

    fn put(&self, d: usize, outline: &Arc<Outline>, title: &str, sections: Arc<str>) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(d, (Arc::clone(outline), title.to_string(), sections));
    }
}

/// A filter of the search page: a field and the values documents have.
#[derive(Serialize)]
pub(super) struct SearchFilter<'a> {
    key: &'a str,
    label: &'a str,
    values: Vec<String>,
}

/// JSON text of a value that always serialises (strings, numbers, tuples).
fn json_text<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

fn excerpt(text: &str, heading: Option<&str>) -> String {
    let mut body = text.trim_start();
    if let Some(h) = heading {
        body = body.strip_prefix(h).unwrap_or(body);
    }
    // Only the first words matter: stop collecting once past the length.
    let mut collapsed = String::with_capacity(EXCERPT + 16);
    let mut chars = 0;
    for w in body.split_whitespace() {
        if chars > EXCERPT {
            break;
        }
        if chars > 0 {
            collapsed.push(' ');
            chars += 1;
        }
        collapsed.push_str(w);
        chars += w.chars().count();
    }
    if chars <= EXCERPT {
        return collapsed;
    }
    let cut: String = collapsed.chars().take(EXCERPT).collect();
    let cut = cut
        .rsplit_once(' ')
        .map_or(cut.as_str(), |(a, _)| a)
        .to_string();
    format!("{cut} …")
}

impl Renderer<'_> {
    /// `assets/search-index.js`: documents and their sections, as the
    /// file's path and its text in pieces (one per document, written one
    /// after another rather than joined: the index is the largest file of
    /// the site). Each document's part is made on its own core and written
    /// as JSON text directly.
    pub(super) fn search_index(&self) -> (&'static str, Vec<Arc<str>>) {
        let cache = self.site.search_cache;
        let parts: Vec<(String, Arc<str>)> = self
            .order
            .par_iter()
            .enumerate()
            .map(|(d, &i)| {
                let doc = &self.docs()[i];
                let outline = &self.site.graph.outlines[i];
                let label = super::kinds::label_of(doc, self.site.config, self.t);
                let filters = self.filter_values(i);
                let entry = match filters {
                    Some(f) => json_text(&(doc.title(), label, &doc.url, f)),
                    None => json_text(&(doc.title(), label, &doc.url)),
                };
                if let Some(hit) = cache.and_then(|c| c.get(d, outline, doc.title())) {
                    return (entry, hit);
                }
                let sections: Arc<str> = Arc::from(sections(d, doc.title(), outline));
                if let Some(c) = cache {
                    c.put(d, outline, doc.title(), Arc::clone(&sections));
                }
                (entry, sections)
            })
            .collect();
        // Pages are few: indexed anew every time.
        let pages = (0..self.pages().len()).filter(|&p| self.page_visible[p]);
        let parts: Vec<(String, Arc<str>)> = parts
            .into_iter()
            .chain(pages.enumerate().map(|(k, p)| {
                let page = &self.pages()[p];
                let (title, kind) = if page.is_root() {
                    let own = page.own_title();
                    (own.unwrap_or(&self.site.config.title), self.t.start_page)
                } else {
                    (page.title(), self.t.folder)
                };
                let outline = &self.site.graph.pages[p].outline;
                let d = self.order.len() + k;
                let entry = json_text(&(title, kind, &page.url));
                (entry, Arc::from(sections(d, title, outline)))
            }))
            .collect();
        let mut head = String::from("window.STYRDOK_SEARCH = {\"docs\":[");
        let mut pieces: Vec<Arc<str>> = Vec::with_capacity(parts.len() + 2);
        let mut first = true;
        for (k, (entry, _)) in parts.iter().enumerate() {
            if k > 0 {
                head.push(',');
            }
            head.push_str(entry);
        }
        head.push_str("],\"sections\":[");
        pieces.push(Arc::from(head));
        for (_, sections) in parts {
            if sections.is_empty() {
                continue;
            }
            // Each part starts with the comma that separates it from the one before.
            if first {
                first = false;
                pieces.push(Arc::from(&sections[1..]));
            } else {
                pieces.push(sections);
            }
        }
        pieces.push(Arc::from("]};\n"));
        ("assets/search-index.js", pieces)
    }
}

impl Renderer<'_> {
    /// Document `i`'s values of the fields that are search filters
    /// (`show = ["search"]`), by key; `None` when the site has no such
    /// fields (the index then has none).
    fn filter_values(&self, i: usize) -> Option<std::collections::BTreeMap<&str, Vec<String>>> {
        use crate::schema::{FieldValue, Show};
        let fields = &self.site.config.fields;
        if !fields.values().any(|f| f.shows(Show::Search)) {
            return None;
        }
        let lang = self.site.config.language;
        let doc = &self.docs()[i];
        let values = doc
            .meta
            .extra
            .iter()
            .filter(|(k, _)| fields.get(k).is_some_and(|f| f.shows(Show::Search)))
            .map(|(k, v)| {
                let vals = match &v.value {
                    FieldValue::List(items) => items.clone(),
                    other => vec![other.display(lang)],
                };
                (k.as_str(), vals)
            })
            .collect();
        Some(values)
    }

    /// The search page's filters: each field shown as a search filter,
    /// with the values the published documents have, sorted.
    pub(super) fn search_filters(&self) -> Vec<SearchFilter<'_>> {
        use crate::schema::Show;
        let lang = self.site.config.language;
        self.site
            .config
            .fields
            .iter()
            .filter(|(_, f)| f.shows(Show::Search))
            .map(|(key, def)| {
                let mut values: Vec<String> = self
                    .order
                    .iter()
                    .filter_map(|&i| self.filter_values(i))
                    .filter_map(|mut m| m.remove(key.as_str()))
                    .flatten()
                    .collect();
                values.sort();
                values.dedup();
                SearchFilter {
                    key,
                    label: def.label.get(lang),
                    values,
                }
            })
            .collect()
    }
}

/// The sections of a document or page with this title and outline (number
/// `d` in the index), each with the comma before it.
fn sections(d: usize, title: &str, outline: &Outline) -> String {
    let mut sections = String::new();
    let count = outline.headings.len() + 1;
    for (k, (heading, text)) in outline.sections().enumerate() {
        let (h, anchor) = heading.map_or(("", ""), |h| (h.text.as_str(), h.id.as_str()));
        // An empty text before the first heading is left out, unless
        // the document would have no section at all.
        if heading.is_none() && text.trim().is_empty() && count > 1 && k == 0 {
            continue;
        }
        sections.push(',');
        sections.push_str(&json_text(&(
            d,
            h,
            anchor,
            words(&[title, h, text]),
            excerpt(text, heading.map(|h| h.text.as_str())),
        )));
    }
    sections
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lower_case_unique_and_prefixable() {
        assert_eq!(
            words(&["Säkerhetskopiering", "och LAGRING, säkerhetskopiering!"]),
            " lagring och säkerhetskopiering"
        );
        assert_eq!(words(&["Fo\u{308}rvaring"]), " förvaring");
        assert_eq!(words(&["ÅR, år och 2026-års"]), " 2026 och år års");
        assert_eq!(words(&["", "   "]), "");
        assert_eq!(words(&["ÆØ×ß÷þ"]), " ß æø þ");
    }

    #[test]
    fn excerpts_leave_out_the_heading_and_stop_at_a_word() {
        assert_eq!(
            excerpt(
                "Bemanning\nDriften bemannas dygnet runt.\n",
                Some("Bemanning")
            ),
            "Driften bemannas dygnet runt."
        );
        let long = "ord ".repeat(100);
        let e = excerpt(&long, None);
        assert!(e.ends_with(" …") && e.chars().count() <= EXCERPT + 2);
    }
}
