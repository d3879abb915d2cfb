//! Text helpers shared by every stage, so that what is read, what is
//! published and what triggers a rebuild agree: Unicode composition (NFC),
//! GitHub's heading slugs, HTML escaping, nearest-name suggestions, and the
//! one list of file names no build reads (the preview's watcher uses it too).

use std::ffi::OsStr;
use unicode_normalization::UnicodeNormalization;

/// The NFC form of a path or name: file names written on macOS are
/// decomposed (NFD), links typed elsewhere are composed.
pub fn nfc(s: &str) -> String {
    if is_nfc(s) {
        return s.to_string();
    }
    s.nfc().collect()
}

/// Whether a text is composed (NFC) already. Text below U+0300 always is
/// (every character that may change under NFC is a combining mark or lies
/// above it), which a byte scan finds without decoding: that is all of
/// Swedish text typed on a Windows or Linux keyboard.
pub fn is_nfc(s: &str) -> bool {
    use unicode_normalization::{is_nfc_quick, IsNormalized};
    s.bytes().all(|b| b < 0xCC) || is_nfc_quick(s.chars()) == IsNormalized::Yes
}

/// GitHub's heading id rule: lowercase; keep letters, marks, digits, `-`,
/// `_` and spaces; spaces become `-`.
pub fn slug(text: &str) -> String {
    // Composed (NFC) so that a heading typed with combining marks gets the
    // same id as one typed with precomposed å/ä/ö.
    nfc(text.trim())
        .to_lowercase()
        .chars()
        .filter(|&c| c.is_alphanumeric() || c == '-' || c == '_' || c == ' ' || is_mark(c))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// Escapes text for HTML content and quoted attributes (`&`, `<`, `>`,
/// `"`, `'`). Unlike Tera's default it leaves `/` alone, so paths read as
/// paths in the source.
pub fn escape_html(input: &str) -> String {
    escape(input, &['&', '<', '>', '"', '\''])
}

/// Escapes text for a double-quoted HTML attribute value (`&`, `"`, `<`, `>`).
pub fn escape_attr(s: &str) -> String {
    escape(s, &['&', '"', '<', '>'])
}

/// Escapes text for HTML content (`&`, `<`, `>`).
pub fn escape_text(s: &str) -> String {
    escape(s, &['&', '<', '>'])
}

/// The inside of a double-quoted CSS string that is safe in a `<style>`
/// element of an HTML page: letters, digits and spaces stay as they are,
/// every other character becomes a CSS hex escape (`\22 ` for `"`), so no
/// text can end the string, the rule or the element. Line breaks and other
/// controls become spaces.
pub fn css_string(s: &str) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_alphanumeric() || c == ' ' {
            out.push(c);
        } else if c.is_control() {
            out.push(' ');
        } else {
            // The space ends the escape; CSS drops it.
            let _ = write!(out, "\\{:x} ", c as u32);
        }
    }
    out
}

fn escape(s: &str, special: &[char]) -> String {
    // Every special character is ASCII (the callers above pass constants),
    // so the text can be scanned as bytes: a byte below 0x80 is always a
    // whole character in UTF-8. Runs between specials are copied whole
    // (character by character, escaping was 6 % of the CPU of a build with
    // versions).
    let mut table = [false; 128];
    for &c in special {
        table[c as usize] = true;
    }
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len() + s.len() / 16);
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b >= 0x80 || !table[b as usize] {
            continue;
        }
        out.push_str(&s[start..i]);
        out.push_str(match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        });
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out
}

/// Lower-cases and composes letters written with combining marks.
fn fold(s: &str) -> String {
    let s = s.trim();
    if s.is_ascii() {
        // Nothing to compose: the common case, without the Unicode tables.
        return s.to_ascii_lowercase();
    }
    nfc(s).to_lowercase()
}

/// The most similar candidate, if it is similar enough to suggest
/// ("did you mean …?").
pub fn closest<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    // Folded once, not once per candidate: a file of many unknown keys
    // asks this for each of them.
    let word = fold(word);
    let length = word.chars().count();
    candidates
        .iter()
        .filter_map(|c| {
            let limit = 2.max(c.chars().count() / 3);
            let folded = fold(c);
            // The distance is at least the difference in length: a
            // candidate that far off is not measured.
            if length.abs_diff(folded.chars().count()) > limit {
                return None;
            }
            let d = strsim::levenshtein(&word, &folded);
            (d <= limit).then_some((d, *c))
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Whether a build ignores a file or folder of this name (the preview
/// server's watcher too): hidden files, editors' swap, backup, lock and
/// temporary files, and Markdown look-alikes (`x.md.orig`, `x.markdown`,
/// `x.md.`) that are neither documents nor attachments.
pub fn is_ignored(name: &OsStr) -> bool {
    is_ignored_name(&name.to_string_lossy())
}

/// [`is_ignored`] for a name as text.
pub fn is_ignored_name(name: &str) -> bool {
    const SUFFIXES: &[&str] = &[
        "~",
        ".swp",
        ".swx",
        ".swo",
        ".tmp",
        ".bak",
        ".orig",
        ".rej",
        ".crdownload",
    ];
    let lower = name.to_lowercase();
    name.starts_with('.') // hidden, vim .swp, emacs .#lock, styrdok's own files
        || name.starts_with('#') // emacs auto-save `#x.md#`
        || SUFFIXES.iter().any(|s| lower.ends_with(s))
        || name == "4913" // vim's write test
        || lower == "thumbs.db"
        || lower == "desktop.ini"
        || is_markdown_lookalike(&lower)
}

/// A name that reads as Markdown but does not end in `.md`: never a
/// document, and never published as an attachment (it would publish a
/// document's source past its classification).
fn is_markdown_lookalike(lower: &str) -> bool {
    const EXTENSIONS: &[&str] = &[".markdown", ".mdown", ".mkd", ".mkdn", ".mdwn", ".mdtxt"];
    if lower.ends_with(".md") {
        return false;
    }
    lower.contains(".md.")
        || EXTENSIONS
            .iter()
            .any(|e| lower.ends_with(e) || lower.contains(&format!("{e}.")))
        || lower.trim_end_matches(['.', ' ']).ends_with(".md")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_strings_cannot_break_out() {
        let s = css_string("Plan \"x\" </style><script>\\ · 2.1\nny");
        assert_eq!(
            s,
            "Plan \\22 x\\22  \\3c \\2f style\\3e \\3c script\\3e \\5c  \\b7  2\\2e 1 ny"
        );
        assert!(!s.contains(['"', '<', '>', '\n']));
        assert_eq!(css_string("Lönesystem"), "Lönesystem");
    }

    #[test]
    fn escaping_differs_by_place() {
        let s = "a&b<c>d\"e'f/g";
        assert_eq!(escape_html(s), "a&amp;b&lt;c&gt;d&quot;e&#39;f/g");
        assert_eq!(escape_attr(s), "a&amp;b&lt;c&gt;d&quot;e'f/g");
        assert_eq!(escape_text(s), "a&amp;b&lt;c&gt;d\"e'f/g");
    }

    #[test]
    fn escaping_keeps_letters_of_every_length_around_specials() {
        let s = "<Ägare>&ö€𝄞\"'";
        assert_eq!(escape_html(s), "&lt;Ägare&gt;&amp;ö€𝄞&quot;&#39;");
        assert_eq!(escape_html("åäö"), "åäö");
        assert_eq!(escape_html(""), "");
        assert_eq!(escape_text("a<"), "a&lt;");
    }

    #[test]
    fn nfc_composes_decomposed_names() {
        assert_eq!(nfc("a\u{030a}"), "å");
        assert!(is_nfc("Säkerhet"));
    }
}
