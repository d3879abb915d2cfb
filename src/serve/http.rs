//! The preview server's HTTP side: which file a request path names (never
//! one outside the site), content types, and the live-reload script.

use percent_encoding::percent_decode_str;

/// Longest request path accepted.
pub const MAX_PATH: usize = 2048;

/// Why a request path is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Malformed or dangerous: 400.
    BadRequest,
    /// Too long: 414.
    TooLong,
}

/// The site-relative file a request path names: `Ok("a/b.html")`,
/// `Ok("index.html")` for `/`. Refuses `..`, `.`, encoded dots and slashes,
/// backslashes, NUL and control characters, empty segments (`//x`),
/// drive letters and overlong paths.
pub fn site_path(url: &str) -> Result<String, Refusal> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    if path.len() > MAX_PATH {
        return Err(Refusal::TooLong);
    }
    if !path.starts_with('/') || path.contains('\\') {
        return Err(Refusal::BadRequest);
    }
    let lower = path.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") {
        return Err(Refusal::BadRequest);
    }
    let decoded = percent_decode_str(path)
        .decode_utf8()
        .map_err(|_| Refusal::BadRequest)?;
    if decoded.chars().any(|c| c.is_control() || c == '\\') {
        return Err(Refusal::BadRequest);
    }
    let inner = &decoded[1..];
    let mut parts = Vec::new();
    let segments: Vec<&str> = inner.split('/').collect();
    for (i, seg) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match *seg {
            "" if last => parts.push("index.html"),
            "" | "." | ".." => return Err(Refusal::BadRequest),
            s if s.len() == 2 && s.ends_with(':') => return Err(Refusal::BadRequest),
            s => parts.push(s),
        }
    }
    Ok(parts.join("/"))
}

/// The content type for a file name.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "txt" | "md" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/octet-stream",
    }
}

/// The live-reload client, served at `/__styrdok/livereload.js`.
pub const LIVERELOAD_JS: &str = include_str!("livereload.js");

/// Adds the live-reload script to an HTML page.
pub fn inject(html: &[u8]) -> Vec<u8> {
    let tag = b"<script src=\"/__styrdok/livereload.js\"></script>\n";
    let needle = b"</body>";
    match html.windows(needle.len()).rposition(|w| w == needle) {
        Some(at) => {
            let mut out = Vec::with_capacity(html.len() + tag.len());
            out.extend_from_slice(&html[..at]);
            out.extend_from_slice(tag);
            out.extend_from_slice(&html[at..]);
            out
        }
        None => {
            let mut out = html.to_vec();
            out.extend_from_slice(tag);
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_paths_name_site_files() {
        assert_eq!(site_path("/"), Ok("index.html".into()));
        assert_eq!(
            site_path("/instruktioner/drift.html?x=1#a"),
            Ok("instruktioner/drift.html".into())
        );
        assert_eq!(
            site_path("/instruktioner/"),
            Ok("instruktioner/index.html".into())
        );
        assert_eq!(
            site_path("/planer/anv%C3%A4ndare.html"),
            Ok("planer/användare.html".into())
        );
        assert_eq!(
            site_path("/mina%20dokument/a.html"),
            Ok("mina dokument/a.html".into())
        );
    }

    #[test]
    fn every_traversal_form_is_refused() {
        for p in [
            "/../etc/passwd",
            "/a/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/%2E%2E/etc/passwd",
            "/a/%2e%2e%2fetc",
            "/..%2fetc%2fpasswd",
            "/..\\..\\windows",
            "/a%5c..%5cb",
            "//etc/passwd",
            "/./index.html",
            "/a%00.html",
            "/a\0b",
            "/C:/windows",
            "etc/passwd",
            "/%ff%fe",
        ] {
            assert_eq!(site_path(p), Err(Refusal::BadRequest), "{p:?}");
        }
        assert_eq!(
            site_path(&format!("/{}", "a".repeat(MAX_PATH))),
            Err(Refusal::TooLong)
        );
    }

    #[test]
    fn content_types_by_extension() {
        assert_eq!(content_type("a/b.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("assets/style.css"), "text/css; charset=utf-8");
        assert_eq!(
            content_type("assets/x.JS"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type("bilaga.pdf"), "application/pdf");
        assert_eq!(content_type("noext"), "application/octet-stream");
    }

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let out = inject(b"<html><body><p>&lt;/body&gt;</p></body></html>");
        assert_eq!(String::from_utf8(out).unwrap(), "<html><body><p>&lt;/body&gt;</p><script src=\"/__styrdok/livereload.js\"></script>\n</body></html>");
    }
}
