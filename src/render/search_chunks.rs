//! The split search index, in Pagefind's layout (an entry file, term
//! chunks, a fragment per document, filters), written as scripts so that
//! it loads from a file share: each file calls `STYRDOK_SEARCH_CHUNK(name,
//! data)`, which `search.js` defines, and the page adds a `<script>` per
//! file it needs. Under `assets/search/`:
//!
//! - `index.js`: `window.STYRDOK_SEARCH`, the language, the number of
//!   documents, and each term chunk's first key and name;
//! - `t-<hash>.js`: a term chunk, the terms in the order of their folded
//!   key (see `search_text::fold`), each `[term, kind, postings]`;
//! - `d/<n>.js`: document `n`'s title, type, URL, owner and sections
//!   (heading, anchor, text), loaded for the results shown;
//! - `filters-<hash>.js`: each filter's values and the documents that have
//!   them, loaded when a filter is chosen.
//!
//! Names are the content's hash (FNV-1a, 64 bits) or the document's
//! number: the same input gives the same files.
//!
//! Pagefind's own crate is not used: it indexes built HTML with an async
//! runtime, writes gzipped CBOR that its WebAssembly decoder reads, and
//! its browser side loads every file with `fetch()`, which a page opened
//! from a file share may not do. The layout is its; the code is ours.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use crate::output::{Failure, OutputFile};

/// About how many bytes of terms a chunk holds (a term's postings are
/// never split, so one common term may make a larger chunk).
const CHUNK_BYTES: usize = 24 * 1024;

/// A whole word, as written (or hyphen-joined).
pub(super) const WHOLE: u8 = 0;
/// A stem differing from its word.
pub(super) const STEM: u8 = 1;
/// A part of a long word.
pub(super) const PART: u8 = 2;
/// Not a term: a word and its stem, `[word, 3, "stem"]`, for the
/// browser where it has no stemmer of the site's language (English).
pub(super) const STEM_OF: u8 = 3;

/// Where a word is: in a heading or text of a section (`section * 4 +
/// field`), or in the title (the place [`TITLE`]).
pub(super) const TITLE: u32 = 3;
pub(super) const HEADING: u32 = 1;
pub(super) const TEXT: u32 = 2;

/// One document's (or page's) part of the index.
#[derive(Debug, Default)]
pub(super) struct DocIndex {
    /// JSON array of its sections, `[heading, anchor, text]` each (empty
    /// once its fragment is written, unless a cache keeps it).
    pub(super) sections: String,
    /// Its words, sorted, one after the other: a site's index holds every
    /// document's at once, so not a string each.
    words: String,
    /// Per word, where it ends in `words` and its places in `places`.
    ends: Vec<(u32, u32)>,
    /// Where each word is: `section * 4 + field`, or [`TITLE`]; ascending
    /// per word.
    places: Vec<u32>,
}

impl DocIndex {
    /// Adds a word (after every word before it in order) and its places.
    pub(super) fn push_term(&mut self, word: &str, places: &[u32]) {
        self.words.push_str(word);
        self.places.extend_from_slice(places);
        self.ends
            .push((self.words.len() as u32, self.places.len() as u32));
    }

    /// Its words in order, each with its places.
    pub(super) fn terms(&self) -> impl Iterator<Item = (&str, &[u32])> + '_ {
        let mut from = (0, 0);
        self.ends.iter().map(move |&(w, p)| {
            let (w, p) = (w as usize, p as usize);
            let term = (&self.words[from.0..w], &self.places[from.1..p]);
            from = (w, p);
            term
        })
    }
}

/// The stemmer of the site's language, and whether the index lists each
/// word's stem for the browser (which has a port of the Swedish stemmer
/// only).
pub(super) struct Stems<'a> {
    pub(super) stemmer: &'a rust_stemmers::Stemmer,
    pub(super) in_index: bool,
}

/// What a result shows of its document besides the sections.
pub(super) struct DocHead<'a> {
    pub(super) title: &'a str,
    pub(super) kind: &'a str,
    pub(super) url: &'a str,
    pub(super) owner: Option<&'a str>,
}

/// The files of the index of these documents (in index order) and
/// filters (key → value → documents having it) but the documents'
/// fragments (see [`fragment`]).
pub(super) fn files(
    language: &str,
    docs: &[(DocHead<'_>, &DocIndex)],
    filters: &BTreeMap<String, BTreeMap<String, Vec<u32>>>,
    stems: &Stems<'_>,
    out: &(dyn Fn(OutputFile) -> Result<(), Failure> + Sync),
) -> Result<(), Failure> {
    let chunks = term_chunks(docs, stems, out)?;
    let mut entry = format!(
        "window.STYRDOK_SEARCH={{\"lang\":{},\"docs\":{},\"chunks\":[",
        json(language),
        docs.len()
    );
    for (k, (first, name)) in chunks.iter().enumerate() {
        if k > 0 {
            entry.push(',');
        }
        let _ = write!(entry, "[{},\"{name}\"]", json(first));
    }
    entry.push(']');
    if !filters.is_empty() {
        let data = filter_data(filters);
        let name = hash(&data);
        let _ = write!(entry, ",\"filters\":\"{name}\"");
        out(script(format!("filters-{name}"), &name, &data))?;
    }
    entry.push_str("};\n");
    out(OutputFile {
        path: "assets/search/index.js".into(),
        bytes: entry.into_bytes(),
    })
}

/// How many documents' fragments in a row share a file,
/// `assets/search/d/<n / FRAGMENTS>.js` (`FRAGMENTS` in `search.js`): a
/// page of 20 results loads at most 20 of them, and a site of 10,000
/// documents has 1,250 such files rather than 10,000 to create.
pub(super) const FRAGMENTS: usize = 8;

/// Where document (or page) `n`'s fragment goes.
pub(super) fn fragment_file(n: usize) -> String {
    format!("assets/search/d/{}.js", n / FRAGMENTS)
}

/// Document (or page) `n`'s fragment: its title, kind, address, owner and
/// sections, which a result shows; one line of its file.
pub(super) fn fragment(n: usize, head: &DocHead<'_>, sections: &str) -> String {
    let mut text = format!(
        "STYRDOK_SEARCH_CHUNK(\"d{n}\",{{\"t\":{},\"k\":{},\"u\":{}",
        json(head.title),
        json(head.kind),
        json(head.url)
    );
    if let Some(o) = head.owner {
        let _ = write!(text, ",\"o\":{}", json(o));
    }
    let _ = writeln!(text, ",\"s\":{sections}}});");
    text
}

fn script(file: String, name: &str, data: &str) -> OutputFile {
    OutputFile {
        path: format!("assets/search/{file}.js"),
        bytes: format!("STYRDOK_SEARCH_CHUNK(\"{name}\",{data});\n").into_bytes(),
    }
}

/// A term's documents, ascending, each with the term's places in it.
type Postings<'a> = Vec<(u32, &'a [u32])>;

/// The term chunks, each handed to `out` as soon as it is full (a site's
/// would otherwise be held at once): their first keys and names, in
/// order. The documents' words, then, made once for the site's
/// vocabulary, the stems and the compound parts, whose documents are
/// those of their words.
fn term_chunks(
    docs: &[(DocHead<'_>, &DocIndex)],
    stems: &Stems<'_>,
    out: &(dyn Fn(OutputFile) -> Result<(), Failure> + Sync),
) -> Result<Vec<(String, String)>, Failure> {
    type Map<K, V> = HashMap<K, V, foldhash::fast::RandomState>;
    let mut whole: Map<&str, Postings<'_>> = Map::default();
    for (d, (_, index)) in docs.iter().enumerate() {
        for (term, places) in index.terms() {
            whole.entry(term).or_default().push((d as u32, places));
        }
    }
    // Stems and parts name their words; their postings are merged from
    // the words' when written, one term at a time.
    let mut stemmed: Map<String, Vec<&str>> = Map::default();
    let mut parts: Map<&str, Vec<&str>> = Map::default();
    let mut stem_of: Map<&str, String> = Map::default();
    for &word in whole.keys() {
        let stem = stems.stemmer.stem(word);
        if stem != word && !stem.is_empty() {
            if stems.in_index {
                stem_of.insert(word, stem.to_string());
            }
            stemmed.entry(stem.into_owned()).or_default().push(word);
        }
        for part in super::search_text::parts(word) {
            parts.entry(part).or_default().push(word);
        }
    }
    let mut keyed: Vec<(String, &str, u8, &[&str])> = whole
        .keys()
        .map(|t| (*t, WHOLE, &[][..]))
        .chain(
            stemmed
                .iter()
                .map(|(t, w)| (t.as_str(), STEM, w.as_slice())),
        )
        .chain(parts.iter().map(|(t, w)| (*t, PART, w.as_slice())))
        .map(|(t, k, w)| (super::search_text::fold(t), t, k, w))
        .collect();
    keyed.sort_unstable_by(|a, b| (&a.0, a.1, a.2).cmp(&(&b.0, b.1, b.2)));
    let mut merged: Postings<'_> = Vec::new();
    let mut chunks = Vec::new();
    let mut data = String::new();
    let mut first: Option<String> = None;
    let mut k = 0;
    while k < keyed.len() {
        // All terms of one folded key go into the same chunk.
        let key = &keyed[k].0;
        if data.len() >= CHUNK_BYTES {
            close(&mut chunks, &mut first, &mut data, out)?;
        }
        first.get_or_insert_with(|| key.clone());
        while k < keyed.len() && &keyed[k].0 == key {
            let (_, term, kind, words) = keyed[k];
            data.push(if data.is_empty() { '[' } else { ',' });
            let _ = write!(data, "[{},{kind},\"", json(term));
            if kind == WHOLE {
                encode_postings(&whole[term], &mut data);
            } else {
                // From several words, a document is there once per word,
                // in order of document and places: the bytes do not
                // depend on the order the words were found in.
                merged.clear();
                for w in words {
                    merged.extend_from_slice(&whole[w]);
                }
                merged.sort_unstable();
                encode_postings(&merged, &mut data);
            }
            data.push_str("\"]");
            if let Some(stem) = stem_of.get(term).filter(|_| kind == WHOLE) {
                let _ = write!(data, ",[{},{STEM_OF},{}]", json(term), json(stem));
            }
            k += 1;
        }
    }
    close(&mut chunks, &mut first, &mut data, out)?;
    Ok(chunks)
}

fn close(
    chunks: &mut Vec<(String, String)>,
    first: &mut Option<String>,
    data: &mut String,
    out: &(dyn Fn(OutputFile) -> Result<(), Failure> + Sync),
) -> Result<(), Failure> {
    if let Some(f) = first.take() {
        data.push(']');
        let name = hash(data);
        out(script(format!("t-{name}"), &name, data))?;
        data.clear();
        chunks.push((f, name));
    }
    Ok(())
}

/// `{"key":{"value":"documents"}}`, the documents encoded as postings'.
fn filter_data(filters: &BTreeMap<String, BTreeMap<String, Vec<u32>>>) -> String {
    let mut s = String::from("{");
    for (i, (key, values)) in filters.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        let _ = write!(s, "{}:{{", json(key));
        for (j, (value, docs)) in values.iter().enumerate() {
            if j > 0 {
                s.push(',');
            }
            let _ = write!(s, "{}:\"", json(value));
            let mut last = 0;
            for &d in docs {
                varint(d - last, &mut s);
                last = d;
            }
            s.push('"');
        }
        s.push('}');
    }
    s.push('}');
    s
}

/// Postings as text: per document, the difference from the previous
/// document's number, the count of places, and the places.
fn encode_postings(postings: &Postings<'_>, out: &mut String) {
    let mut last = 0;
    for (d, places) in postings {
        varint(d - last, out);
        last = *d;
        varint(places.len() as u32, out);
        for &p in *places {
            varint(p, out);
        }
    }
}

/// 64 characters that need no escaping in JSON or JavaScript: the first
/// 32 end a number, the last 32 carry 5 more bits of it.
const DIGITS: &[u8; 64] = b"0123456789abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZ_$wxyz";

/// A number in groups of 5 bits, the most significant first.
fn varint(v: u32, out: &mut String) {
    let mut groups = [0u8; 7];
    let mut n = 0;
    let mut v = v;
    loop {
        groups[n] = (v & 31) as u8;
        n += 1;
        v >>= 5;
        if v == 0 {
            break;
        }
    }
    for k in (0..n).rev() {
        let digit = if k == 0 { groups[k] } else { groups[k] + 32 };
        out.push(DIGITS[digit as usize] as char);
    }
}

/// FNV-1a of the text, as 16 hexadecimal digits.
fn hash(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// JSON text of a string.
pub(super) fn json(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(s: &str) -> Vec<u32> {
        let mut out = Vec::new();
        let mut v = 0;
        for c in s.bytes() {
            let k = DIGITS.iter().position(|&d| d == c).expect("digit") as u32;
            if k >= 32 {
                v = (v << 5) | (k - 32);
            } else {
                out.push((v << 5) | k);
                v = 0;
            }
        }
        out
    }

    #[test]
    fn numbers_round_trip_through_the_text_encoding() {
        let mut s = String::new();
        let values = [0, 1, 31, 32, 1023, 1024, 123_456, u32::MAX];
        for v in values {
            varint(v, &mut s);
        }
        assert_eq!(decode(&s), values);
        assert!(s
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$'));
    }

    fn index(terms: &[(&str, &[u32])]) -> DocIndex {
        let mut index = DocIndex {
            sections: "[]".into(),
            ..DocIndex::default()
        };
        for (t, p) in terms {
            index.push_term(t, p);
        }
        index
    }

    fn head() -> DocHead<'static> {
        DocHead {
            title: "T",
            kind: "Policy",
            url: "a.html",
            owner: Some("IT-chef"),
        }
    }

    /// The files `make` hands on, in order.
    fn collect(
        make: impl FnOnce(&(dyn Fn(OutputFile) -> Result<(), Failure> + Sync)) -> Result<(), Failure>,
    ) -> Vec<OutputFile> {
        let files = std::sync::Mutex::new(Vec::new());
        let _ = make(&|f| {
            files.lock().expect("not poisoned").push(f);
            Ok(())
        });
        files.into_inner().expect("not poisoned")
    }

    /// The term chunks as (first key, name, data), each file's data read
    /// back from the file `term_chunks` handed on.
    fn chunks_of(
        docs: &[(DocHead<'_>, &DocIndex)],
        stems: &Stems<'_>,
    ) -> Vec<(String, String, String)> {
        let mut keys = Vec::new();
        let files = collect(|put| {
            keys = term_chunks(docs, stems, put)?;
            Ok(())
        });
        assert_eq!(files.len(), keys.len());
        keys.into_iter()
            .zip(files)
            .map(|((first, name), file)| {
                assert_eq!(file.path, format!("assets/search/t-{name}.js"));
                let text = String::from_utf8(file.bytes).expect("UTF-8");
                let data = text
                    .strip_prefix(&format!("STYRDOK_SEARCH_CHUNK(\"{name}\","))
                    .and_then(|t| t.strip_suffix(");\n"))
                    .expect("a chunk's script")
                    .to_string();
                (first, name, data)
            })
            .collect()
    }

    fn swedish<T>(f: impl FnOnce(&Stems<'_>) -> T) -> T {
        let stemmer = super::super::search_text::stemmer(crate::config::Language::Sv);
        f(&Stems {
            stemmer: &stemmer,
            in_index: false,
        })
    }

    #[test]
    fn chunks_are_sorted_by_folded_key_and_named_by_their_content() {
        let a = index(&[("ö", &[6]), ("o", &[2]), ("b", &[1, 6])]);
        let b = index(&[("o", &[10])]);
        let docs = [(head(), &a), (head(), &b)];
        let chunks = swedish(|s| chunks_of(&docs, s));
        assert_eq!(chunks.len(), 1);
        let (first, name, data) = &chunks[0];
        assert_eq!(first, "b");
        assert_eq!(
            data,
            "[[\"b\",0,\"0216\"],[\"o\",0,\"01211a\"],[\"ö\",0,\"016\"]]"
        );
        assert_eq!(name, &hash(data));
        let files = swedish(|s| collect(|put| files("sv", &docs, &BTreeMap::new(), s, put)));
        assert_eq!(
            files,
            swedish(|s| collect(|put| super::files("sv", &docs, &BTreeMap::new(), s, put)))
        );
        let entry = files
            .iter()
            .find(|f| f.path == "assets/search/index.js")
            .expect("entry");
        assert_eq!(
            String::from_utf8_lossy(&entry.bytes),
            format!("window.STYRDOK_SEARCH={{\"lang\":\"sv\",\"docs\":2,\"chunks\":[[\"b\",\"{name}\"]]}};\n")
        );
    }

    #[test]
    fn stems_and_parts_have_the_documents_of_their_words() {
        // Document 0 has both words in section 1's text, document 1 one
        // of them in its title.
        let a = index(&[("lösenorden", &[6]), ("lösenordet", &[6])]);
        let b = index(&[("lösenorden", &[TITLE])]);
        let docs = [(head(), &a), (head(), &b)];
        let chunks = swedish(|s| chunks_of(&docs, s));
        let data: String = chunks.iter().map(|c| c.2.as_str()).collect();
        // Stem "lösenord" (of "lösenorden"; "lösenordet" keeps its own).
        assert!(data.contains("[\"lösenord\",1,\"016113\"]"), "{data}");
        assert!(data.contains("[\"lösenordet\",0,\"016\"]"), "{data}");
        // The part "enorden" from one word, "enord" from none (the part
        // leaves at least three letters in front: "lös").
        assert!(data.contains("[\"enorden\",2,\"016113\"]"), "{data}");
        assert!(data.contains("[\"enordet\",2,\"016\"]"), "{data}");
        assert!(!data.contains("\"nord\""), "{data}");
        // The same postings in any order of hashing: sorted.
        let again = swedish(|s| chunks_of(&docs, s));
        assert_eq!(chunks, again);
    }

    #[test]
    fn an_english_index_lists_the_stems_of_its_words() {
        let a = index(&[("passwords", &[6]), ("password", &[2])]);
        let stemmer = super::super::search_text::stemmer(crate::config::Language::En);
        let stems = Stems {
            stemmer: &stemmer,
            in_index: true,
        };
        let data: String = chunks_of(&[(head(), &a)], &stems)
            .into_iter()
            .map(|c| c.2)
            .collect();
        assert!(
            data.contains("[\"passwords\",0,\"016\"],[\"passwords\",3,\"password\"]"),
            "{data}"
        );
        assert!(!data.contains("[\"password\",3,"), "{data}");
    }

    #[test]
    fn a_large_index_is_split_between_keys() {
        let words: Vec<String> = (0..20_000).map(|n| format!("ord{n:05}")).collect();
        let terms: Vec<(&str, &[u32])> = words.iter().map(|w| (w.as_str(), &[2][..])).collect();
        let a = index(&terms);
        let chunks = swedish(|s| chunks_of(&[(head(), &a)], s));
        assert!(chunks.len() > 5, "{}", chunks.len());
        for w in chunks.windows(2) {
            assert!(w[0].0 < w[1].0);
            assert!(w[0].2.len() < CHUNK_BYTES + 100);
        }
    }
}
