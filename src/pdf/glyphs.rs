//! The characters a PDF cannot show. PDF/A forbids a glyph the embedded
//! fonts lack (Typst would stop with "the text could not be displayed",
//! naming no place) and characters of Unicode's private use areas. The
//! text a PDF typesets is checked first, so that such a character is
//! reported where it is written.

use serde_json::Value;
use std::collections::HashMap;

use super::world;

/// Keys of the PDF's data whose strings are not typeset.
const NOT_TYPESET: &[&str] = &["t", "url", "src", "alt", "align", "lang"];

/// Each character of `data`'s typeset text that a PDF/A cannot hold, once,
/// in the order the data has them (its keys sorted).
pub(super) fn unprintable(data: &Value) -> Vec<char> {
    let mut seen: HashMap<char, bool> = HashMap::new();
    let mut out = Vec::new();
    visit(data, &mut |s| {
        for c in s.chars().filter(|c| !c.is_ascii()) {
            let bad = *seen
                .entry(c)
                .or_insert_with(|| private_use(c) || !ignorable(c) && !world::covers(c));
            if bad && !out.contains(&c) {
                out.push(c);
            }
        }
    });
    out
}

/// Writes each character of `data`'s typeset text that a PDF/A cannot
/// hold as its code point in brackets (`[U+1F642]`).
pub(super) fn spell_out(data: &mut Value) {
    let bad = unprintable(data);
    if bad.is_empty() {
        return;
    }
    visit_mut(data, &mut |s| {
        if s.chars().any(|c| bad.contains(&c)) {
            *s = s
                .chars()
                .map(|c| {
                    if bad.contains(&c) {
                        format!("[U+{:04X}]", u32::from(c))
                    } else {
                        c.to_string()
                    }
                })
                .collect();
        }
    });
}

/// Calls `f` on every typeset string of `v`, which it may change.
fn visit_mut(v: &mut Value, f: &mut dyn FnMut(&mut String)) {
    match v {
        Value::String(s) => f(s),
        Value::Array(items) => items.iter_mut().for_each(|i| visit_mut(i, f)),
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if !NOT_TYPESET.contains(&k.as_str()) {
                    visit_mut(v, f);
                }
            }
        }
        _ => {}
    }
}

/// Calls `f` on every typeset string of `v`.
fn visit(v: &Value, f: &mut dyn FnMut(&str)) {
    match v {
        Value::String(s) => f(s),
        Value::Array(items) => items.iter().for_each(|i| visit(i, f)),
        Value::Object(map) => {
            for (k, v) in map {
                if !NOT_TYPESET.contains(&k.as_str()) {
                    visit(v, f);
                }
            }
        }
        _ => {}
    }
}

/// Unicode's private use areas, which PDF/A forbids whatever the font.
fn private_use(c: char) -> bool {
    matches!(c, '\u{E000}'..='\u{F8FF}' | '\u{F0000}'..='\u{FFFFD}' | '\u{100000}'..='\u{10FFFD}')
}

/// Characters that are set without a glyph of their own: white space,
/// controls and the invisible formatting characters (soft hyphen, zero
/// width joiners, direction marks, variation selectors, byte order mark).
fn ignorable(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '\u{AD}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn swedish_text_and_common_signs_are_printable() {
        let data = json!({"title": "Åtgärder för säkerhetskopiering – ”§ 3” … €, °C, ±, ½",
            "body": [{"t": "s", "v": "Ängelholm, Öland, É, ü, ß, ø, æ"}]});
        assert_eq!(unprintable(&data), Vec::<char>::new());
    }

    #[test]
    fn emoji_cjk_and_private_use_are_not() {
        let data = json!({"title": "Plan 🙂",
            "body": [{"t": "s", "v": "中文 🙂 \u{E000}"}]});
        // "body" before "title": serde_json sorts keys.
        assert_eq!(unprintable(&data), vec!['中', '文', '🙂', '\u{E000}']);
    }

    #[test]
    fn spelled_out_characters_name_their_code_point() {
        let mut data = json!({"body": [{"t": "s", "v": "Glad 🙂 å"},
            {"t": "link", "url": "https://exempel.se/🙂", "c": []}]});
        spell_out(&mut data);
        assert_eq!(data["body"][0]["v"], "Glad [U+1F642] å");
        assert_eq!(data["body"][1]["url"], "https://exempel.se/🙂");
        assert!(unprintable(&data).is_empty());
    }

    #[test]
    fn strings_that_are_not_typeset_are_not_checked() {
        let data = json!({"body": [{"t": "link", "url": "https://exempel.se/🙂", "c": []},
            {"t": "img", "src": "/img/中.png", "alt": "🙂"}]});
        assert_eq!(unprintable(&data), Vec::<char>::new());
    }
}
