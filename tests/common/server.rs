//! `styrdok serve` as tests run it: started on a free port, spoken to
//! over raw HTTP.

use super::TestSite;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `styrdok serve`, killed when dropped.
pub struct Server {
    /// The process.
    pub child: Child,
    /// Where it listens, `127.0.0.1:port`.
    pub addr: String,
}

impl Server {
    /// Starts serving `site` on a free port of 127.0.0.1.
    pub fn start(site: &TestSite) -> Server {
        Server::start_with(site, &[])
    }

    /// The same, with more arguments to `serve` (`--base main`).
    pub fn start_with(site: &TestSite, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_styrdok"))
            .args(["serve", "--port", "0", "--today", super::TODAY, "--root"])
            .arg(site.path())
            .args(extra)
            .env("STYRDOK_LANG", "en")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("serve");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("first line");
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_string();
        Server { child, addr }
    }

    /// Sends a raw request line (the path exactly as given) and returns status and body.
    pub fn raw(&self, method: &str, path: &str) -> (u16, String, Vec<u8>) {
        let mut s = TcpStream::connect(&self.addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        )
        .expect("send");
        let mut buf = Vec::new();
        s.read_to_end(&mut buf).expect("read");
        let split = buf
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or(buf.len());
        let head = String::from_utf8_lossy(&buf[..split]).to_string();
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let body = buf.get(split + 4..).unwrap_or_default().to_vec();
        (status, head, body)
    }

    /// GET: status, head and body.
    pub fn get(&self, path: &str) -> (u16, String, String) {
        let (status, head, body) = self.raw("GET", path);
        (status, head, String::from_utf8_lossy(&body).into_owned())
    }

    /// Opens the event stream and returns a reader positioned after the headers.
    pub fn events(&self) -> BufReader<TcpStream> {
        let mut s = TcpStream::connect(&self.addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(20)))
            .expect("timeout");
        write!(
            s,
            "GET /__styrdok/events HTTP/1.1\r\nHost: {}\r\n\r\n",
            self.addr
        )
        .expect("send");
        let mut r = BufReader::new(s);
        let mut line = String::new();
        while r.read_line(&mut line).expect("header") > 0 && line != "\r\n" {
            line.clear();
        }
        r
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads events until one named `name` arrives; returns its data.
pub fn next_event(r: &mut BufReader<TcpStream>, name: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut current = String::new();
    let mut line = String::new();
    while Instant::now() < deadline {
        line.clear();
        if r.read_line(&mut line).expect("event line") == 0 {
            break;
        }
        if let Some(n) = line.strip_prefix("event: ") {
            current = n.trim().to_string();
        } else if let Some(d) = line.strip_prefix("data: ") {
            if current == name {
                return d.trim().to_string();
            }
        }
    }
    panic!("no `{name}` event");
}
