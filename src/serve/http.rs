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

/// The tag that loads the live-reload client.
pub const LIVERELOAD_TAG: &[u8] = b"<script src=\"/__styrdok/livereload.js\"></script>\n";

/// Where the live-reload tag goes in an HTML page: before the last
/// `</body>`, or at the end.
pub fn inject_at(html: &[u8]) -> usize {
    let needle = b"</body>";
    html.windows(needle.len())
        .rposition(|w| w == needle)
        .unwrap_or(html.len())
}

/// Adds the live-reload script to an HTML page.
pub fn inject(html: &[u8]) -> Vec<u8> {
    let at = inject_at(html);
    let mut out = Vec::with_capacity(html.len() + LIVERELOAD_TAG.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(LIVERELOAD_TAG);
    out.extend_from_slice(&html[at..]);
    out
}

/// The host name of a `Host` header, without the port and the brackets of
/// an IPv6 address, in lower case.
fn host_name(host: &str) -> String {
    let host = host.trim();
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(""),
        // A bare IPv6 address (as `--bind` takes it) has colons but no port.
        None if host.matches(':').count() > 1 => host,
        None => match host.rsplit_once(':') {
            Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
            _ => host,
        },
    };
    name.to_ascii_lowercase()
}

/// Whether a request's `Host` header names this server: the address it is
/// bound to, `localhost`, `127.0.0.1` or `[::1]`, with or without a port.
/// Anything else is refused, against DNS rebinding (a page of another site
/// whose name is made to resolve to this machine). When bound to every
/// interface (`0.0.0.0`, `::`) any IP address is taken as well: the server
/// cannot know which of its addresses a client used, and an address, not
/// being a name, cannot be rebound.
pub fn host_allowed(host: Option<&str>, bind: &str) -> bool {
    let Some(host) = host else {
        return false;
    };
    let name = host_name(host);
    let bind = host_name(bind);
    if name.is_empty() {
        return false;
    }
    if matches!(name.as_str(), "localhost" | "127.0.0.1" | "::1") || name == bind {
        return true;
    }
    let every = bind
        .parse::<std::net::IpAddr>()
        .is_ok_and(|a| a.is_unspecified());
    every && name.parse::<std::net::IpAddr>().is_ok()
}

/// Whether `--bind` keeps the server to this machine: a loopback address,
/// or a name that resolves only to loopback addresses.
pub fn is_loopback(bind: &str) -> bool {
    use std::net::ToSocketAddrs;
    let name = host_name(bind);
    if let Ok(addr) = name.parse::<std::net::IpAddr>() {
        return addr.is_loopback();
    }
    match (name.as_str(), 0).to_socket_addrs() {
        Ok(addrs) => {
            let addrs: Vec<_> = addrs.collect();
            !addrs.is_empty() && addrs.iter().all(|a| a.ip().is_loopback())
        }
        Err(_) => false,
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
    fn only_hosts_that_name_this_server_are_allowed() {
        for host in [
            "localhost",
            "LOCALHOST:1111",
            "127.0.0.1",
            "127.0.0.1:80",
            "[::1]",
            "[::1]:1111",
        ] {
            assert!(host_allowed(Some(host), "127.0.0.1"), "{host}");
        }
        assert!(host_allowed(Some("intra.lan:1111"), "intra.lan"));
        assert!(host_allowed(Some("192.168.1.5:1111"), "0.0.0.0"));
        assert!(host_allowed(Some("[fe80::1]:1111"), "::"));
        for host in [
            "evil.example",
            "evil.example:1111",
            "127.0.0.1.evil.example",
            "localhost.evil.example",
            "",
            ":1111",
            "192.168.1.5",
        ] {
            assert!(!host_allowed(Some(host), "127.0.0.1"), "{host}");
        }
        assert!(!host_allowed(Some("evil.example"), "0.0.0.0"));
        assert!(!host_allowed(None, "127.0.0.1"));
    }

    #[test]
    fn loopback_binds() {
        assert!(is_loopback("127.0.0.1") && is_loopback("::1") && is_loopback("[::1]"));
        assert!(is_loopback("127.0.0.2") && is_loopback("localhost"));
        assert!(!is_loopback("0.0.0.0") && !is_loopback("::") && !is_loopback("192.0.2.1"));
    }

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let out = inject(b"<html><body><p>&lt;/body&gt;</p></body></html>");
        assert_eq!(String::from_utf8(out).unwrap(), "<html><body><p>&lt;/body&gt;</p><script src=\"/__styrdok/livereload.js\"></script>\n</body></html>");
    }
}
