//! The offline search: a split index written at build time as scripts
//! under `assets/search/` (see `search_chunks.rs` for the layout), one
//! entry per section of every published document, searched by the theme's
//! `search.js` on the search page. Published start and folder pages are
//! indexed after the documents. The words are those of `search_text.rs`:
//! whole words, hyphenated words joined, Snowball stems and compound parts.

use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;
use std::sync::{Arc, Mutex, PoisonError};

use crate::markdown::Outline;
use crate::output::{Failure, OutputFile};

use super::search_chunks::{self as chunks, DocHead, DocIndex};
use super::search_text as text;
use super::Renderer;

/// The built-in filters' keys: the front matter's names for them.
const TYPE: &str = "typ";
const OWNER: &str = "dokumentägare";

/// Search index parts of documents from the previous render, by the
/// parse they were made of: valid while a document has the same (shared)
/// outline and the same title, whatever its place. The preview keeps them
/// from one build to the next, a version site from the version before.
#[derive(Default)]
pub struct SearchCache(Mutex<HashMap<usize, Cached>>);

/// A document's outline and title when its index part was made, and the part.
type Cached = (Arc<Outline>, String, Arc<DocIndex>);

/// An outline's entry: its address, which no other outline has while the
/// entry keeps it alive.
fn outline_key(outline: &Arc<Outline>) -> usize {
    Arc::as_ptr(outline) as usize
}

impl SearchCache {
    fn get(&self, outline: &Arc<Outline>, title: &str) -> Option<Arc<DocIndex>> {
        let map = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let (o, t, index) = map.get(&outline_key(outline))?;
        (Arc::ptr_eq(o, outline) && t == title).then(|| Arc::clone(index))
    }

    fn put(&self, outline: &Arc<Outline>, title: &str, index: Arc<DocIndex>) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(
                outline_key(outline),
                (Arc::clone(outline), title.to_string(), index),
            );
    }

    /// Forgets the parts of every outline but these (the site's now).
    fn keep(&self, outlines: &[Arc<Outline>]) {
        let live: std::collections::HashSet<usize> = outlines.iter().map(outline_key).collect();
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|k, _| live.contains(k));
    }
}

/// A filter of the search page: a field and the values documents have.
#[derive(Serialize)]
pub(super) struct SearchFilter<'a> {
    key: &'a str,
    label: &'a str,
    values: Vec<String>,
}

/// A section's text as a result shows it: whitespace collapsed, without
/// the heading it starts with.
fn section_text(text: &str, heading: Option<&str>) -> String {
    let mut body = text.trim_start();
    if let Some(h) = heading {
        body = body.strip_prefix(h).unwrap_or(body);
    }
    // The words, one space between them, in one pass.
    let mut out = String::with_capacity(body.len());
    for word in body.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

impl Renderer<'_> {
    /// The search index's files: every published document, then the
    /// published pages. Each file of fragments is handed to `put` as soon
    /// as it is made (together they are as large as the site's text); see
    /// [`Renderer::document_parts`].
    pub(super) fn search_index(
        &self,
        put: &(dyn Fn(OutputFile) -> Result<(), Failure> + Sync),
    ) -> Result<(), Failure> {
        let lang = self.site.config.language;
        let mut heads: Vec<DocHead<'_>> = self
            .order
            .iter()
            .map(|&i| {
                let doc = &self.docs()[i];
                DocHead {
                    title: doc.title(),
                    kind: super::kinds::label_of(doc, self.site.config, self.t),
                    url: &doc.url,
                    owner: doc.meta.dokumentagare.as_ref().map(|o| o.value.as_str()),
                }
            })
            .collect();
        let (mut all, mut open) = self.document_parts(&heads, put)?;
        if let Some(cache) = self.site.search_cache {
            cache.keep(&self.site.graph.outlines);
        }
        let fragments = chunks::FRAGMENTS;
        // Pages are few: indexed anew every time.
        let stemmer = text::stemmer(lang);
        for p in (0..self.pages().len()).filter(|&p| self.page_visible[p]) {
            let (title, kind) = self.page_title(p);
            let page = &self.pages()[p];
            let outline = &self.site.graph.pages[p].outline;
            let head = DocHead {
                title,
                kind,
                url: &page.url,
                owner: None,
            };
            let index = doc_index(title, outline);
            let n = all.len();
            open.push_str(&chunks::fragment(n, &head, &index.sections));
            if (n + 1).is_multiple_of(fragments) {
                put(OutputFile {
                    path: chunks::fragment_file(n),
                    bytes: std::mem::take(&mut open).into_bytes(),
                })?;
            }
            heads.push(head);
            all.push(Arc::new(index));
        }
        if !open.is_empty() {
            put(OutputFile {
                path: chunks::fragment_file(all.len() - 1),
                bytes: open.into_bytes(),
            })?;
        }
        let pairs: Vec<(DocHead<'_>, &DocIndex)> =
            heads.into_iter().zip(all.iter().map(|a| &**a)).collect();
        let language = match lang {
            crate::config::Language::Sv => "sv",
            crate::config::Language::En => "en",
        };
        let table = self.filter_table();
        let filters = table
            .iter()
            .map(|(k, values)| {
                let values = values
                    .iter()
                    .map(|(v, docs)| (v.clone(), docs.clone()))
                    .collect();
                (k.to_string(), values)
            })
            .collect();
        let stems = chunks::Stems {
            stemmer: &stemmer,
            in_index: lang != crate::config::Language::Sv,
        };
        chunks::files(language, &pairs, &filters, &stems, put)
    }

    /// The documents' parts of the index, their fragments handed to `put`
    /// [`chunks::FRAGMENTS`] to a file, each file made on one core; and the
    /// last file's text when it is not full (the pages' fragments finish it).
    fn document_parts(
        &self,
        heads: &[DocHead<'_>],
        put: &(dyn Fn(OutputFile) -> Result<(), Failure> + Sync),
    ) -> Result<(Vec<Arc<DocIndex>>, String), Failure> {
        let fragments = chunks::FRAGMENTS;
        let groups: Vec<(Vec<Arc<DocIndex>>, String)> = self
            .order
            .par_chunks(fragments)
            .enumerate()
            .map(|(g, group)| -> Result<_, Failure> {
                let mut text = String::new();
                let mut indexes = Vec::with_capacity(group.len());
                for (k, &i) in group.iter().enumerate() {
                    let d = g * fragments + k;
                    let (index, line) = self.document_part(d, i, &heads[d]);
                    text.push_str(&line);
                    indexes.push(index);
                }
                if group.len() == fragments {
                    put(OutputFile {
                        path: chunks::fragment_file(g * fragments),
                        bytes: std::mem::take(&mut text).into_bytes(),
                    })?;
                }
                Ok((indexes, text))
            })
            .collect::<Result<_, Failure>>()?;
        let mut all = Vec::with_capacity(self.order.len());
        let mut open = String::new();
        for (indexes, text) in groups {
            all.extend(indexes);
            open.push_str(&text);
        }
        Ok((all, open))
    }

    /// Document `i`, number `d` in the index: its part (from the cache when
    /// unchanged; kept without its sections unless the cache wants them)
    /// and its fragment's line.
    fn document_part(&self, d: usize, i: usize, head: &DocHead<'_>) -> (Arc<DocIndex>, String) {
        let cache = self.site.search_cache;
        let doc = &self.docs()[i];
        let outline = &self.site.graph.outlines[i];
        if let Some(hit) = cache.and_then(|c| c.get(outline, doc.title())) {
            let line = chunks::fragment(d, head, &hit.sections);
            return (hit, line);
        }
        let mut index = doc_index(doc.title(), outline);
        let line = chunks::fragment(d, head, &index.sections);
        match cache {
            Some(c) => {
                let index = Arc::new(index);
                c.put(outline, doc.title(), Arc::clone(&index));
                (index, line)
            }
            None => {
                index.sections = String::new();
                (Arc::new(index), line)
            }
        }
    }

    /// A published page's title and kind as the index shows them.
    fn page_title(&self, p: usize) -> (&str, &str) {
        let page = &self.pages()[p];
        if page.is_root() {
            let own = page.own_title();
            (own.unwrap_or(&self.site.config.title), self.t.start_page)
        } else {
            (page.title(), self.t.folder)
        }
    }

    /// Every filter (the built-in type and owner, then the site's own
    /// fields that are search filters): key → value → the numbers in the
    /// index of the documents and pages that have it.
    fn filter_table(&self) -> Vec<(&str, BTreeMap<String, Vec<u32>>)> {
        let mut types: BTreeMap<String, Vec<u32>> = BTreeMap::new();
        let mut owners: BTreeMap<String, Vec<u32>> = BTreeMap::new();
        let mut own: BTreeMap<&str, BTreeMap<String, Vec<u32>>> = BTreeMap::new();
        for (d, &i) in self.order.iter().enumerate() {
            let doc = &self.docs()[i];
            let d = d as u32;
            let label = super::kinds::label_of(doc, self.site.config, self.t);
            types.entry(label.to_string()).or_default().push(d);
            if let Some(o) = &doc.meta.dokumentagare {
                owners.entry(o.value.clone()).or_default().push(d);
            }
            for (key, values) in self.filter_values(i).into_iter().flatten() {
                for v in values {
                    let docs = own.entry(key).or_default().entry(v).or_default();
                    if docs.last() != Some(&d) {
                        docs.push(d);
                    }
                }
            }
        }
        let visible = (0..self.pages().len()).filter(|&p| self.page_visible[p]);
        for (k, p) in visible.enumerate() {
            let kind = self.page_title(p).1;
            types
                .entry(kind.to_string())
                .or_default()
                .push((self.order.len() + k) as u32);
        }
        let mut table = vec![(TYPE, types), (OWNER, owners)];
        table.extend(own);
        table
    }
}

/// A document's or page's part of the index: its sections, and each of
/// its words with where it is (stems and parts are made for the whole
/// site's words at once, in `search_chunks`).
pub(super) fn doc_index(title: &str, outline: &Outline) -> DocIndex {
    let mut sections = String::from("[");
    // Every word (by number) with its place, repeated: sorted and
    // grouped below.
    let mut found: Vec<(u32, u32)> = Vec::with_capacity(outline.text.len() / 6);
    let mut ids: HashMap<String, u32, foldhash::fast::RandomState> = HashMap::default();
    let mut add = |text: &str, place: Option<(u32, u32)>| {
        let place = place.map_or(chunks::TITLE, |(sec, field)| sec * 4 + field);
        text::each_word(text, |w| {
            let id = match ids.get(w) {
                Some(&id) => id,
                None => {
                    let id = ids.len() as u32;
                    ids.insert(w.to_string(), id);
                    id
                }
            };
            found.push((id, place));
        });
    };
    add(title, None);
    let count = outline.headings.len() + 1;
    let mut n = 0u32;
    for (k, (heading, body)) in outline.sections().enumerate() {
        let (h, anchor) = heading.map_or(("", ""), |h| (h.text.as_str(), h.id.as_str()));
        // An empty text before the first heading is left out, unless
        // the document would have no section at all.
        if heading.is_none() && body.trim().is_empty() && count > 1 && k == 0 {
            continue;
        }
        let shown = section_text(body, heading.map(|h| h.text.as_str()));
        if n > 0 {
            sections.push(',');
        }
        let _ = write!(
            sections,
            "[{},{},{}]",
            chunks::json(h),
            chunks::json(anchor),
            chunks::json(&shown)
        );
        add(h, Some((n, chunks::HEADING)));
        add(&shown, Some((n, chunks::TEXT)));
        n += 1;
    }
    sections.push(']');
    // Per word, its places; per section the best field only (the title's
    // place sorts after the fields of section 0). Grouped by number
    // (cheap to compare), then the words put in order of their names.
    let mut names: Vec<String> = vec![String::new(); ids.len()];
    for (name, id) in ids {
        names[id as usize] = name;
    }
    found.sort_unstable();
    let section = |p: u32| (p != chunks::TITLE).then_some(p / 4);
    // Each word's run in `found`, kept places marked by keeping them.
    let mut kept: Vec<u32> = Vec::with_capacity(found.len());
    let mut runs: Vec<(u32, u32)> = vec![(0, 0); names.len()];
    let mut k = 0;
    while k < found.len() {
        let id = found[k].0;
        let from = kept.len() as u32;
        while k < found.len() && found[k].0 == id {
            let place = found[k].1;
            if kept[from as usize..]
                .last()
                .is_none_or(|&p| section(p).is_none() || section(p) != section(place))
            {
                kept.push(place);
            }
            k += 1;
        }
        runs[id as usize] = (from, kept.len() as u32);
    }
    let mut order: Vec<u32> = (0..names.len() as u32).collect();
    order.sort_unstable_by(|&a, &b| names[a as usize].cmp(&names[b as usize]));
    let mut index = DocIndex::default();
    index.sections = sections;
    for id in order {
        let (from, to) = runs[id as usize];
        index.push_term(&names[id as usize], &kept[from as usize..to as usize]);
    }
    index
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

    /// The search page's filters: the type and the owner, then each of
    /// the site's fields shown as a search filter, with the values the
    /// published documents have, sorted.
    pub(super) fn search_filters(&self) -> Vec<SearchFilter<'_>> {
        let lang = self.site.config.language;
        self.filter_table()
            .into_iter()
            .map(|(key, values)| SearchFilter {
                key,
                label: match key {
                    TYPE => self.t.search_type,
                    OWNER => self.t.search_owner,
                    _ => self
                        .site
                        .config
                        .fields
                        .get(key)
                        .map_or(key, |f| f.label.get(lang)),
                },
                values: values.into_keys().collect(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outline(md: &str) -> Outline {
        crate::markdown::outline(md)
    }

    fn places<'a>(index: &'a DocIndex, term: &str) -> Option<&'a [u32]> {
        index.terms().find(|(t, _)| *t == term).map(|(_, p)| p)
    }

    #[test]
    fn a_document_is_indexed_by_its_words_and_hyphenated_words_joined() {
        let o = outline(
            "Inledning.\n\n## Säkerhetskopiering\n\nLösenorden och e-post skyddas med MFA.\n",
        );
        let index = doc_index("Riktlinje för lösenord", &o);
        let title = chunks::TITLE;
        let (heading, body) = (chunks::HEADING, chunks::TEXT);
        assert_eq!(places(&index, "lösenord"), Some(&[title][..]));
        assert_eq!(places(&index, "lösenorden"), Some(&[4 + body][..]));
        assert_eq!(
            places(&index, "säkerhetskopiering"),
            Some(&[4 + heading][..])
        );
        assert_eq!(places(&index, "inledning"), Some(&[body][..]));
        assert_eq!(places(&index, "epost"), Some(&[4 + body][..]));
        assert_eq!(places(&index, "e"), Some(&[4 + body][..]));
        assert_eq!(places(&index, "mfa"), Some(&[4 + body][..]));
        // Stems and parts are the whole site's (see search_chunks).
        assert_eq!(places(&index, "kopiering"), None);
        assert_eq!(
            index.sections,
            "[[\"\",\"\",\"Inledning.\"],[\"Säkerhetskopiering\",\"säkerhetskopiering\",\"Lösenorden och e-post skyddas med MFA.\"]]"
        );
    }

    #[test]
    fn section_texts_leave_out_the_heading_and_collapse_whitespace() {
        assert_eq!(
            section_text(
                "Bemanning\nDriften  bemannas\n dygnet runt.\n",
                Some("Bemanning")
            ),
            "Driften bemannas dygnet runt."
        );
    }
}
