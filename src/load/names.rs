//! Which file names can be published: a name must survive the file
//! systems the output is copied to and read the same in a browser's
//! address bar. Unsafe names are errors and the file is left out; names
//! that only Windows and macOS file shares refuse are warnings.

use std::path::Path;

use super::join;
use crate::codes::Code;
use crate::diagnostic::Diagnostic;

/// The longest file name (one path component) common file systems take.
pub const MAX_NAME_BYTES: usize = 255;

/// The longest output-relative path of any file styrdok writes for a
/// content file (a document's history page in a version is the deepest):
/// Linux takes paths of 4,096 bytes, which leaves room for where the
/// output directory itself lies.
pub const MAX_PATH_BYTES: usize = 3072;

/// Characters Windows does not allow in file names.
const WINDOWS_FORBIDDEN: &[char] = &['<', '>', ':', '"', '|', '?', '*', '\\'];

/// Names Windows reserves for devices, with any extension.
const WINDOWS_DEVICES: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// Checks the name of a file found in the walk (`path` relative to the
/// content directory, `rel` the same as text). `false` when it must be
/// left out; every problem goes to `diags`.
pub(super) fn accept(path: &Path, rel: &str, site_rel: &str, diags: &mut Vec<Diagnostic>) -> bool {
    if path.to_str().is_none() {
        diags.push(
            Diagnostic::error(
                Code::UnsafeName,
                &join(site_rel, rel),
                1,
                1,
                crate::tr!(
                    "filnamnet är inte giltig UTF-8; filen publiceras inte",
                    "the file name is not valid UTF-8; it is not published"
                ),
            )
            .with_hint(crate::tr!(
                "byt namn på filen; namn publiceras som webbadresser i UTF-8",
                "rename the file; names are published as UTF-8 web addresses"
            )),
        );
        return false;
    }
    accept_rel(rel, site_rel, diags)
}

/// Like [`accept`], for a content-relative path as text (from git).
pub(super) fn accept_rel(rel: &str, site_rel: &str, diags: &mut Vec<Diagnostic>) -> bool {
    let file = join(site_rel, rel);
    if let Some(msg) = unsafe_reason(rel) {
        diags.push(
            Diagnostic::error(
                Code::UnsafeName,
                &file,
                1,
                1,
                crate::tr!("{msg}; filen publiceras inte", "{msg}; it is not published"),
            )
            .with_hint(crate::tr!("byt namn på filen", "rename the file")),
        );
        return false;
    }
    if let Some(msg) = unportable_reason(rel) {
        diags.push(
            Diagnostic::warning(Code::UnsafeName, &file, 1, 1, msg).with_hint(crate::tr!(
                "webbplatsen kan inte kopieras till en filresurs i Windows eller macOS; byt namn på filen",
                "the site cannot be copied to a Windows or macOS file share; rename the file"
            )),
        );
    }
    true
}

/// The output path of a content file: `a/b.md` becomes `a/b.html`, any
/// other file keeps its path.
pub fn output_path(rel: &str) -> String {
    match document_stem(rel) {
        Some(stem) => format!("{stem}.html"),
        None => rel.to_string(),
    }
}

/// A document's path without `.md` (in any case); `None` for other files.
pub fn document_stem(rel: &str) -> Option<&str> {
    let n = rel.len().checked_sub(3)?;
    let ext = rel.get(n..)?;
    ext.eq_ignore_ascii_case(".md").then(|| &rel[..n])
}

/// Why a name cannot be published at all.
fn unsafe_reason(rel: &str) -> Option<String> {
    for part in rel.split('/') {
        if let Some(c) = part.chars().find(|&c| is_invisible_control(c)) {
            return Some(crate::tr!(
                "namnet `{}` innehåller styrtecknet U+{:04X}",
                "the name `{}` contains the control character U+{:04X}",
                part.escape_debug(),
                u32::from(c)
            ));
        }
    }
    let output = output_path(rel);
    let deepest = if document_stem(rel).is_some() {
        format!("versioner/{}/historik/{output}", "x".repeat(32))
    } else {
        format!("versioner/{}/{output}", "x".repeat(32))
    };
    if let Some(part) = output.split('/').find(|p| p.len() > MAX_NAME_BYTES) {
        let start: String = part.chars().take(24).collect();
        return Some(crate::tr!(
            "det publicerade namnet `{start}…` skulle bli {} byte långt, över de {MAX_NAME_BYTES} som filsystem tillåter",
            "the published name `{start}…` would be {} bytes long, over the {MAX_NAME_BYTES} that file systems allow",
            part.len()
        ));
    }
    if deepest.len() > MAX_PATH_BYTES {
        return Some(crate::tr!(
            "sökvägen är {} byte lång; dess publicerade sidor skulle bli över de {MAX_PATH_BYTES} byte som styrdok tillåter",
            "the path is {} bytes long; its published pages would be over the {MAX_PATH_BYTES} bytes styrdok allows",
            rel.len()
        ));
    }
    None
}

/// Control characters, and the invisible ones that turn text around
/// (`gpj.exe` shown as `exe.jpg`).
pub fn is_invisible_control(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// Why a name works here but not on a Windows or macOS share.
fn unportable_reason(rel: &str) -> Option<String> {
    for part in rel.split('/') {
        if let Some(c) = part.chars().find(|c| WINDOWS_FORBIDDEN.contains(c)) {
            return Some(crate::tr!(
                "namnet `{part}` innehåller `{c}`, som Windows inte tillåter i filnamn",
                "the name `{part}` contains `{c}`, which Windows does not allow in file names"
            ));
        }
        if part.ends_with(['.', ' ']) {
            return Some(crate::tr!(
                "namnet `{part}` slutar med en punkt eller ett blanksteg, som Windows tar bort",
                "the name `{part}` ends in a dot or a space, which Windows drops"
            ));
        }
        let base = part.split('.').next().unwrap_or(part).to_lowercase();
        if WINDOWS_DEVICES.contains(&base.trim_end()) {
            return Some(crate::tr!(
                "`{part}` är namnet på en enhet i Windows och kan inte vara en fil där",
                "`{part}` is the name of a device on Windows and cannot be a file there"
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(rel: &str) -> Vec<Diagnostic> {
        let mut d = Vec::new();
        accept_rel(rel, "content", &mut d);
        d
    }

    #[test]
    fn ordinary_names_pass() {
        for rel in [
            "a/b.md",
            "mina dokument/rutin för åtkomst.md",
            "bilaga (1).pdf",
        ] {
            assert_eq!(problems(rel), vec![], "{rel}");
        }
    }

    #[test]
    fn control_characters_and_long_names_are_errors() {
        let long = format!("{}.md", "a".repeat(251));
        for rel in [
            "a\u{7}b.pdf",
            "rapport\u{202E}fdp.exe",
            "x/\n.md",
            long.as_str(),
        ] {
            let mut d = Vec::new();
            assert!(!accept_rel(rel, "content", &mut d), "{rel}");
            assert_eq!(d[0].code, Code::UnsafeName);
        }
        // 250 bytes of stem: `.html` makes 255, which fits.
        assert!(accept_rel(
            &format!("{}.md", "a".repeat(250)),
            "",
            &mut Vec::new()
        ));
    }

    #[test]
    fn names_windows_refuses_are_warnings() {
        for rel in ["a:b.md", "x/con.pdf", "mapp./a.pdf", "fråga?.pdf"] {
            let d = problems(rel);
            assert_eq!(d.len(), 1, "{rel}");
            assert_eq!(d[0].severity, crate::diagnostic::Severity::Warning, "{rel}");
        }
    }

    #[test]
    fn output_paths() {
        assert_eq!(output_path("a/b.md"), "a/b.html");
        assert_eq!(output_path("a/B.Md"), "a/B.html");
        assert_eq!(output_path("a/b.pdf"), "a/b.pdf");
        assert_eq!(output_path("å.md"), "å.html");
    }
}
