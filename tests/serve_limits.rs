//! `styrdok serve` stays up for everyone: clients that do not read what
//! they asked for, connections that stay open unused, requests for
//! another host (DNS rebinding), a bind
//! beyond loopback, and a theme change that would crash the render.

mod common;

use common::server::{next_event, Server};
use common::TestSite;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

/// Connects to `addr` and sends `request`; reads wait at most `timeout`.
fn send(addr: &str, request: &str, timeout: Duration) -> TcpStream {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(timeout)).expect("timeout");
    s.write_all(request.as_bytes()).expect("send");
    s
}

/// Sends `GET path` with `Host: host` and reads the status (0 when the
/// connection closes without one, or nothing arrives within 30 s).
fn status_with_host(addr: &str, path: &str, host: Option<&str>) -> u16 {
    let host = host.map_or(String::new(), |h| format!("Host: {h}\r\n"));
    let request = format!("GET {path} HTTP/1.1\r\n{host}Connection: close\r\n\r\n");
    let s = send(addr, &request, Duration::from_secs(30));
    let mut line = String::new();
    match BufReader::new(s).read_line(&mut line) {
        Ok(_) => line
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0),
        Err(_) => 0,
    }
}

#[test]
fn clients_that_do_not_read_a_large_attachment_hold_no_one_up() {
    let site = TestSite::fixture("basic");
    site.write("content/bilagor/stor.pdf", &vec![b'%'; 30 << 20]);
    let server = Server::start(&site);
    // More clients than the server has workers ask for 30 MB and read only
    // its first bytes: each then holds a response that cannot be sent.
    let stalled: Vec<TcpStream> = (0..8)
        .map(|_| {
            let mut s = send(
                &server.addr,
                "GET /bilagor/stor.pdf HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                Duration::from_secs(5),
            );
            // Wait (bounded by the timeout) until the answer has begun.
            let mut first = [0u8; 16];
            let _ = s.read(&mut first);
            s
        })
        .collect();
    // Everyone else is still answered, and within the read timeout.
    let (status, _, body) = server.get("/index.html");
    assert_eq!(status, 200);
    assert!(body.contains("</html>"));
    let (status, _, _) = server.get("/instruktioner/drift.html");
    assert_eq!(status, 200);
    drop(stalled);
}

#[test]
fn every_answer_closes_its_connection() {
    // tiny_http reads each connection's requests on a thread of its pool
    // until the connection closes, and can queue a new connection behind
    // a busy thread without waking another: a browser's idle keep-alive
    // connections once held every thread, and a page's script was never
    // answered. So every answer says `Connection: close`, also to a client
    // that asked to keep the connection, and HEAD gets the head alone.
    let site = TestSite::fixture("basic");
    let server = Server::start(&site);
    for (method, path, status) in [
        ("GET", "/index.html", 200),
        ("HEAD", "/index.html", 200),
        ("GET", "/finns-inte.html", 404),
    ] {
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n"
        );
        let mut reader = BufReader::new(send(&server.addr, &request, Duration::from_secs(30)));
        let mut head = Vec::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).expect("head");
            if line.trim().is_empty() {
                break;
            }
            head.push(line.trim().to_ascii_lowercase());
        }
        assert!(
            head[0].starts_with(&format!("http/1.1 {status} ")),
            "{method} {path}: {head:?}"
        );
        assert!(
            head.contains(&"connection: close".to_string()),
            "{method} {path}: {head:?}"
        );
        let length: usize = head
            .iter()
            .find_map(|h| h.strip_prefix("content-length: "))
            .and_then(|v| v.parse().ok())
            .expect("a length");
        // The body is exactly that long (none for HEAD), and the server
        // sends nothing after it: the client closes.
        let mut body = vec![0u8; if method == "HEAD" { 0 } else { length }];
        reader.read_exact(&mut body).expect("body");
        if method == "GET" {
            assert!(String::from_utf8_lossy(&body).contains("</html>"));
        }
        assert!(length > 0, "{method} {path}: Content-Length 0");
    }
}

#[test]
fn requests_naming_another_host_are_refused() {
    let site = TestSite::fixture("basic");
    let server = Server::start(&site);
    let port = server.addr.rsplit(':').next().unwrap_or("");
    let with_port = format!("localhost:{port}");
    for host in [
        "127.0.0.1",
        server.addr.as_str(),
        "localhost",
        &with_port,
        "[::1]",
    ] {
        assert_eq!(
            status_with_host(&server.addr, "/", Some(host)),
            200,
            "{host}"
        );
    }
    let evil = format!("evil.example:{port}");
    for host in [
        "evil.example",
        evil.as_str(),
        "127.0.0.1.evil.example",
        "localhost.evil.example",
    ] {
        assert_eq!(
            status_with_host(&server.addr, "/", Some(host)),
            403,
            "{host}"
        );
        assert_eq!(
            status_with_host(&server.addr, "/__styrdok/events", Some(host)),
            403,
            "{host}"
        );
    }
    assert_eq!(status_with_host(&server.addr, "/", None), 403);
}

/// Starts `serve --bind bind`, reads stderr until `until` appears or it
/// ends (bounded: the reader gives up after 30 s), kills it, returns what
/// was read.
fn stderr_of_serve(site: &TestSite, bind: &str, until: &str) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_styrdok"))
        .args(["serve", "--port", "0", "--bind", bind, "--root"])
        .arg(site.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("serve");
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel();
    let until = until.to_string();
    std::thread::spawn(move || {
        let mut seen = String::new();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            seen.push_str(&line);
            seen.push('\n');
            if line.contains(&until) {
                break;
            }
        }
        let _ = tx.send(seen);
    });
    let seen = rx.recv_timeout(Duration::from_secs(30)).unwrap_or_default();
    let _ = child.kill();
    let _ = child.wait();
    seen
}

#[test]
fn a_bind_beyond_loopback_warns_at_start() {
    let site = TestSite::fixture("basic");
    // TEST-NET-1: never this machine's, so nothing is ever exposed; the
    // warning comes before the attempt to listen fails.
    let seen = stderr_of_serve(&site, "192.0.2.1", "cannot listen");
    assert!(
        seen.contains("warning: --bind 192.0.2.1 is not a loopback address"),
        "{seen}"
    );
    let seen = stderr_of_serve(&site, "127.0.0.1", "built");
    assert!(
        seen.contains("built") && !seen.contains("warning"),
        "{seen}"
    );
}

#[test]
fn a_theme_change_that_would_crash_keeps_the_last_good_site_served() {
    let site = TestSite::fixture("basic");
    let config = std::fs::read_to_string(site.path().join("styrdok.toml")).expect("config");
    let site = site.file("styrdok.toml", &format!("theme = \"x\"\n{config}"));
    site.write("themes/x/static/extra.css", b"p {}");
    let server = Server::start(&site);
    let mut events = server.events();
    let (_, _, good) = server.get("/index.html");
    site.write(
        "themes/x/templates/index.html",
        b"{% import \"loop.html\" as l %}{{ l::again() }}",
    );
    site.write(
        "themes/x/templates/loop.html",
        b"{% macro again() %}{{ self::again() }}{% endmacro again %}",
    );
    let errors = loop {
        let data = next_event(&mut events, "errors");
        if data.contains("nests deeper") {
            break data;
        }
    };
    assert!(
        errors.contains("SD007") && errors.contains("themes/x/templates/index.html"),
        "{errors}"
    );
    let (status, _, body) = server.get("/index.html");
    assert_eq!(status, 200);
    assert_eq!(body, good, "the last good site");
}
