//! Text in the hierarchy drawing: an estimate of its width (SVG text has
//! no layout of its own) and lines cut or wrapped to fit their boxes.

/// The estimated width of `s` at font size `size`, in SVG units: a
/// generous guess for sans-serif fonts, so that text stays in its box.
pub(super) fn width(s: &str, size: f32) -> u32 {
    let em: f32 = s.chars().map(char_em).sum();
    (em * size).ceil() as u32
}

fn char_em(c: char) -> f32 {
    match c {
        'i' | 'l' | 'j' | 'I' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' => 0.3,
        ' ' | 'f' | 't' | 'r' | '(' | ')' | '-' => 0.36,
        'm' | 'w' | 'M' | 'W' => 0.9,
        c if c.is_uppercase() => 0.7,
        _ => 0.58,
    }
}

/// `s`, cut with "…" to fit `room` units at font size `size`.
pub(super) fn fit(s: &str, room: u32, size: f32) -> String {
    if width(s, size) <= room {
        return s.to_string();
    }
    let ellipsis = width("…", size);
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = (char_em(c) * size).ceil() as u32;
        if used + w + ellipsis > room {
            break;
        }
        used += w;
        out.push(c);
    }
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

/// `s` in at most `max` lines of `room` units, the last cut with "…".
pub(super) fn wrap(s: &str, room: u32, size: f32, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut words = s.split(' ');
    for word in words.by_ref() {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if width(&candidate, size) <= room || current.is_empty() {
            current = candidate;
            continue;
        }
        if lines.len() + 1 == max {
            current = candidate;
            break;
        }
        lines.push(std::mem::replace(&mut current, word.to_string()));
    }
    for rest in words {
        current.push(' ');
        current.push_str(rest);
    }
    lines.push(current);
    lines.into_iter().map(|l| fit(&l, room, size)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_cut_to_fit_and_short_text_is_not() {
        assert_eq!(fit("Drift", 200, 14.0), "Drift");
        let cut = fit(
            "Systemsäkerhetsplan för ett mycket långt systemnamn",
            120,
            14.0,
        );
        assert!(cut.ends_with('…') && width(&cut, 14.0) <= 120, "{cut}");
    }
}
