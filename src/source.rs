//! Source files as read from disk: normalised text (no BOM, LF line endings)
//! and the byte-offset to line/column mapping every diagnostic needs.

/// One text file of the site, with its path relative to the site root.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the site root, `/`-separated (as diagnostics print it).
    pub rel: String,
    /// The text with any BOM removed and CRLF/CR turned into LF. Line numbers
    /// are unchanged by this normalisation, and so are columns counted in
    /// characters.
    pub text: String,
    /// Where each line starts, made when a position is first asked for:
    /// most files (and every revision read from git) are never asked.
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl SourceFile {
    /// Normalises `raw` and indexes its lines.
    pub fn new(rel: impl Into<String>, raw: &str) -> Self {
        SourceFile {
            rel: rel.into(),
            text: normalize(raw),
            line_starts: std::sync::OnceLock::new(),
        }
    }

    /// Like [`SourceFile::new`], taking the text over: no copy when it
    /// needs no normalising (no BOM, no CR), which is the common case.
    pub fn from_string(rel: impl Into<String>, raw: String) -> Self {
        let text = if raw.starts_with('\u{feff}') || raw.contains('\r') {
            normalize(&raw)
        } else {
            raw
        };
        SourceFile {
            rel: rel.into(),
            text,
            line_starts: std::sync::OnceLock::new(),
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            let mut starts = vec![0];
            starts.extend(self.text.match_indices('\n').map(|(i, _)| i + 1));
            starts
        })
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let starts = self.line_starts();
        let line_idx = match starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = starts[line_idx];
        let col = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line_idx + 1, col + 1)
    }

    /// Byte offset of the start of a 1-based line (clamped to the text).
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts()
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len())
    }

    /// The text of a 1-based line, without its newline.
    pub fn line_text(&self, line: usize) -> &str {
        let start = self.line_start(line);
        let rest = &self.text[start..];
        rest.split('\n').next().unwrap_or("")
    }

    /// Number of lines in the file.
    pub fn line_count(&self) -> usize {
        self.line_starts().len()
    }
}

/// Strips a UTF-8 BOM and turns CRLF and lone CR into LF.
pub fn normalize(raw: &str) -> String {
    let raw = raw.strip_prefix('\u{feff}').unwrap_or(raw);
    if !raw.contains('\r') {
        return raw.to_string();
    }
    raw.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_from_one() {
        let f = SourceFile::new("a.md", "\u{feff}ab\r\nåäö x\r\n");
        assert_eq!(f.text, "ab\nåäö x\n");
        let x = f.text.find('x').unwrap();
        assert_eq!(f.position(x), (2, 5));
        assert_eq!(f.position(0), (1, 1));
        assert_eq!(f.line_text(2), "åäö x");
    }

    #[test]
    fn taking_the_text_over_normalises_the_same() {
        for raw in ["\u{feff}a\r\nb\rc\n", "a\nb\n", "", "\u{feff}", "x\r"] {
            let a = SourceFile::new("a.md", raw);
            let b = SourceFile::from_string("a.md", raw.to_string());
            assert_eq!(a.text, b.text, "{raw:?}");
            assert_eq!(a.line_count(), b.line_count(), "{raw:?}");
        }
    }
}
