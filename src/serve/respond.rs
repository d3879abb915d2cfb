//! Answering requests: bodies streamed from the site's shared bytes (never
//! copied per request), large ones written on their own threads, and a
//! send timeout on every connection, so that clients that do not read
//! cannot hold the workers that answer everyone.

use std::io::{Read, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use super::http;
use super::Body;

/// How long one write to a client may wait for it to take data.
pub(super) const SEND_TIMEOUT: Duration = Duration::from_secs(10);
/// Bodies longer than this are written on a thread of their own.
const LARGE: usize = 64 << 10;
/// At most this many large bodies are being written at once; past it,
/// 503.
const MAX_LARGE: usize = 64;

/// A part of a response body.
enum Part {
    /// A range of a file of the site.
    Shared(Arc<Vec<u8>>, usize, usize),
    /// A piece of a file kept in pieces.
    Piece(Arc<str>),
    /// Fixed bytes.
    Static(&'static [u8]),
    /// Bytes made for this response.
    Owned(Vec<u8>),
}

impl Part {
    fn bytes(&self) -> &[u8] {
        match self {
            Part::Shared(b, from, to) => b.get(*from..*to).unwrap_or_default(),
            Part::Piece(p) => p.as_bytes(),
            Part::Static(s) => s,
            Part::Owned(v) => v,
        }
    }
}

/// A response body read part after part.
pub(super) struct BodyReader {
    parts: Vec<Part>,
    part: usize,
    offset: usize,
}

impl BodyReader {
    /// Bytes made for this response.
    pub(super) fn owned(bytes: Vec<u8>) -> BodyReader {
        BodyReader::of(vec![Part::Owned(bytes)])
    }

    /// A file of the site; an HTML page gets the live-reload script.
    pub(super) fn file(body: &Body, html: bool) -> BodyReader {
        match body {
            Body::Bytes(b) if html => {
                let at = http::inject_at(b);
                BodyReader::of(vec![
                    Part::Shared(Arc::clone(b), 0, at),
                    Part::Static(http::LIVERELOAD_TAG),
                    Part::Shared(Arc::clone(b), at, b.len()),
                ])
            }
            Body::Bytes(b) => BodyReader::of(vec![Part::Shared(Arc::clone(b), 0, b.len())]),
            Body::Pieces(p) => {
                BodyReader::of(p.iter().map(|s| Part::Piece(Arc::clone(s))).collect())
            }
        }
    }

    fn of(parts: Vec<Part>) -> BodyReader {
        BodyReader {
            parts,
            part: 0,
            offset: 0,
        }
    }

    fn len(&self) -> usize {
        self.parts.iter().map(|p| p.bytes().len()).sum()
    }
}

impl Read for BodyReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while let Some(part) = self.parts.get(self.part) {
            let rest = part.bytes().get(self.offset..).unwrap_or_default();
            if rest.is_empty() {
                self.part += 1;
                self.offset = 0;
                continue;
            }
            let n = rest.len().min(buf.len());
            buf[..n].copy_from_slice(&rest[..n]);
            self.offset += n;
            return Ok(n);
        }
        Ok(0)
    }
}

/// Answers with a short text.
pub(super) fn text(request: tiny_http::Request, status: u16, message: &str) {
    send(
        request,
        status,
        "text/plain; charset=utf-8",
        BodyReader::owned(format!("{status} {message}\n").into_bytes()),
    );
}

/// Answers on this thread, and closes the connection after the answer
/// (`Connection: close`, which `tiny_http`'s responses cannot say, so the
/// head is written here). `tiny_http` reads each connection on a thread
/// of its pool until the connection closes, and when connections arrive in
/// a burst (a browser opens six for one page) it can queue one behind a
/// thread that is still busy and not wake another: with keep-alive, the
/// browser's idle connections held every thread, so the queued one, and
/// the page waiting for it, waited for ever (seen on a loaded machine:
/// the page's `site.js` never came). A closed connection frees its thread
/// at once; on loopback a new one costs a fraction of a millisecond.
pub(super) fn send(
    request: tiny_http::Request,
    status: u16,
    content_type: &str,
    mut body: BodyReader,
) {
    let head = *request.method() == tiny_http::Method::Head;
    let reason = tiny_http::StatusCode(status).default_reason_phrase();
    let header = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nCache-Control: no-store\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let mut out = request.into_writer();
    // A client that went away is not our problem, and not the others'.
    let _ = out
        .write_all(header.as_bytes())
        .and_then(|()| {
            if head {
                Ok(())
            } else {
                std::io::copy(&mut body, &mut out).map(drop)
            }
        })
        .and_then(|()| out.flush());
}

/// Answers with a body that may be large: one longer than [`LARGE`] is
/// written on a thread of its own (at most [`MAX_LARGE`] at once), so that
/// a client that does not read it holds no worker.
pub(super) fn send_file(
    request: tiny_http::Request,
    content_type: &'static str,
    body: BodyReader,
    writing: &Arc<AtomicUsize>,
) {
    if body.len() <= LARGE || *request.method() == tiny_http::Method::Head {
        return send(request, 200, content_type, body);
    }
    if writing.fetch_add(1, Ordering::SeqCst) >= MAX_LARGE {
        writing.fetch_sub(1, Ordering::SeqCst);
        return text(request, 503, "too many large downloads at once");
    }
    let counter = Arc::clone(writing);
    let spawned = std::thread::Builder::new()
        .name("styrdok-send".into())
        .spawn(move || {
            send(request, 200, content_type, body);
            counter.fetch_sub(1, Ordering::SeqCst);
        });
    // Without a thread the request is dropped, which closes its connection.
    if spawned.is_err() {
        writing.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Sets the options that accepted connections inherit from the listening
/// socket (Linux and the BSDs copy them at accept): no Nagle delay (without
/// it, a keep-alive response whose headers and body leave in two writes
/// waits for the client's delayed ACK, about 40 ms), and a send timeout of
/// [`SEND_TIMEOUT`], so that a write to a client that does not read fails
/// instead of blocking its thread for ever.
pub(super) fn socket_options(listener: &std::net::TcpListener) {
    crate::platform::listener_options(listener, SEND_TIMEOUT);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(mut r: BodyReader) -> String {
        let mut s = String::new();
        r.read_to_string(&mut s).unwrap();
        s
    }

    #[test]
    fn bodies_read_whole_with_the_script_before_the_body_end() {
        let page = Body::Bytes(Arc::new(b"<html><body>x</body></html>".to_vec()));
        let html = BodyReader::file(&page, true);
        assert_eq!(html.len(), 27 + http::LIVERELOAD_TAG.len());
        assert_eq!(
            read(html),
            String::from_utf8(http::inject(b"<html><body>x</body></html>")).unwrap()
        );
        assert_eq!(
            read(BodyReader::file(&page, false)),
            "<html><body>x</body></html>"
        );
        let pieces = Body::Pieces(Arc::new(vec!["a".into(), "".into(), "bc".into()]));
        assert_eq!(read(BodyReader::file(&pieces, false)), "abc");
    }
}
