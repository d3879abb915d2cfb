//! The words the search index is made of, and the same rules the theme's
//! `search.js` applies to a query: lower-cased, composed words; hyphenated
//! words also joined ("e-post" is indexed as "e", "post" and "epost");
//! Snowball stems (Swedish or English, by the site's language); and the
//! parts of long words, so that "kopiering" is found inside
//! "säkerhetskopiering".
//!
//! Compound parts are every suffix of at least [`PART_MIN`] characters
//! that leaves at least [`PART_HEAD`] in front, of words of at least
//! [`PART_WORD`] characters. Decompounding against the corpus's own
//! vocabulary was the other choice, but the example site never writes
//! "kopiering" alone, only inside compounds, so a vocabulary would not know
//! it; suffixes need no vocabulary, are the same for every chunk of a split
//! index, and a query matching the start of a suffix finds it inside the
//! word ("kopiering" starts the part "kopieringssystemet").

use rust_stemmers::{Algorithm, Stemmer};
use std::borrow::Cow;
use unicode_normalization::UnicodeNormalization;

use crate::config::Language;

/// The shortest part of a compound that is indexed.
pub(super) const PART_MIN: usize = 4;
/// The fewest characters a part leaves in front of it.
pub(super) const PART_HEAD: usize = 3;
/// The shortest word whose parts are indexed.
pub(super) const PART_WORD: usize = PART_MIN + PART_HEAD + 1;

/// The stemmer of a site's language.
pub(super) fn stemmer(language: Language) -> Stemmer {
    Stemmer::create(match language {
        Language::Sv => Algorithm::Swedish,
        Language::En => Algorithm::English,
    })
}

/// The words of a text, lower-cased and composed, in order, with
/// repetitions; a hyphenated word gives its pieces and then the pieces
/// joined ("e-post" → "e", "post", "epost").
#[cfg(test)]
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    each_word(text, |w| out.push(w.to_string()));
    out
}

/// Calls `f` with each word of the text, in order, with repetitions; a
/// hyphenated word gives its pieces and then the pieces joined ("e-post"
/// → "e", "post", "epost"). Words that are lower case already are not
/// copied.
pub(super) fn each_word(text: &str, mut f: impl FnMut(&str)) {
    let composed: Cow<'_, str> = if crate::load::is_nfc(text) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(crate::load::nfc(text))
    };
    let text = composed.as_ref();
    // The run of hyphen-joined pieces so far, lower-cased and joined.
    let mut joined = String::new();
    let mut pieces = 0;
    let mut start: Option<usize> = None;
    let mut upper = false;
    let mut chars = text.char_indices().peekable();
    loop {
        let next = chars.next();
        if let Some((i, c)) = next {
            if c.is_alphanumeric() {
                start.get_or_insert(i);
                upper |= if c.is_ascii() {
                    c.is_ascii_uppercase()
                } else {
                    c.to_lowercase().next() != Some(c)
                };
                continue;
            }
        }
        let end = next.map_or(text.len(), |(i, _)| i);
        let ended = start.take();
        if let Some(s) = ended {
            let lower: Cow<'_, str> = if upper {
                Cow::Owned(text[s..end].to_lowercase())
            } else {
                Cow::Borrowed(&text[s..end])
            };
            upper = false;
            f(&lower);
            joined.push_str(&lower);
            pieces += 1;
        }
        let joins = ended.is_some()
            && next.is_some_and(|(_, c)| c == '-')
            && chars.peek().is_some_and(|(_, n)| n.is_alphanumeric());
        if !joins {
            if pieces > 1 {
                f(&joined);
            }
            joined.clear();
            pieces = 0;
        }
        if next.is_none() {
            break;
        }
    }
}

/// The parts of a word that are indexed (see the module's comment).
pub(super) fn parts(word: &str) -> impl Iterator<Item = &str> {
    let starts: Vec<usize> = word.char_indices().map(|(i, _)| i).collect();
    let n = starts.len();
    let range = if n >= PART_WORD && word.chars().any(char::is_alphabetic) {
        PART_HEAD..n + 1 - PART_MIN
    } else {
        0..0
    };
    range.map(move |k| &word[starts[k]..])
}

/// The key a term is sorted and chunked by: without diacritics, so that a
/// query typed without å, ä and ö finds the same chunk. Only U+0300 to
/// U+036F are removed, as `search.js` does.
pub(super) fn fold(term: &str) -> String {
    if term.is_ascii() {
        return term.to_string();
    }
    term.nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .nfc()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lower_case_composed_and_hyphens_joined() {
        assert_eq!(
            words("Säkerhetskopiering och LAGRING, e-post!"),
            ["säkerhetskopiering", "och", "lagring", "e", "post", "epost"]
        );
        assert_eq!(words("Fo\u{308}rvaring"), ["förvaring"]);
        assert_eq!(
            words("IT-säkerhets-policy - 2026"),
            ["it", "säkerhets", "policy", "itsäkerhetspolicy", "2026"]
        );
        assert_eq!(words("slut- och"), ["slut", "och"]);
        assert!(words("  — ").is_empty());
    }

    #[test]
    fn swedish_stems_meet_across_inflections() {
        let s = stemmer(Language::Sv);
        assert_eq!(s.stem("lösenorden"), s.stem("lösenord"));
        assert_eq!(s.stem("lösenorden"), "lösenord");
        assert_eq!(s.stem("säkerhetskopieringen"), s.stem("säkerhetskopiering"));
        let e = stemmer(Language::En);
        assert_eq!(e.stem("passwords"), "password");
    }

    #[test]
    fn long_words_have_their_suffixes_as_parts() {
        let p: Vec<&str> = parts("säkerhetskopiering").collect();
        assert!(p.contains(&"kopiering"), "{p:?}");
        assert_eq!(p.first(), Some(&"erhetskopiering"));
        assert_eq!(p.last(), Some(&"ring"));
        assert_eq!(parts("lösenord").collect::<Vec<_>>(), ["enord", "nord"]);
        assert_eq!(parts("policy").count(), 0);
        assert_eq!(parts("20260101").count(), 0);
    }

    #[test]
    fn fold_removes_the_marks_search_js_removes() {
        assert_eq!(fold("säkerhet"), "sakerhet");
        assert_eq!(fold("åöé"), "aoe");
        assert_eq!(fold("ß"), "ß");
    }
}
