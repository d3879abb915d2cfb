//! Times `styrdok serve` from a file write to the reload event, as a
//! browser would see it (see README, "Performance"): starts the server on
//! SITE, listens to its event stream, appends a line to a document (an
//! atomic save), and waits for `reload`. Prints the median of N edits.
//!
//!     cargo run --release --example bench_reload -- SITE [EDITS]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn documents(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            documents(&p, out);
        } else if p.extension().is_some_and(|x| x == "md")
            && p.to_string_lossy().contains("dokument")
        {
            out.push(p);
        }
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let site = PathBuf::from(args.next().expect("SITE"));
    let edits: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(5);
    let bin = std::env::var("STYRDOK_BIN").unwrap_or_else(|_| "target/release/styrdok".into());
    let mut child = Command::new(bin)
        .args(["serve", "--port", "0", "--today", "2026-11-27", "--root"])
        .arg(&site)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("address");
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .expect("address")
        .to_string();
    let mut stream = TcpStream::connect(&addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    write!(
        stream,
        "GET /__styrdok/events HTTP/1.1\r\nHost: {addr}\r\n\r\n"
    )
    .expect("request");
    let mut events = BufReader::new(stream);
    let wait_for = |events: &mut BufReader<TcpStream>, name: &str| {
        let mut l = String::new();
        loop {
            l.clear();
            assert!(
                events.read_line(&mut l).expect("event") > 0,
                "stream closed"
            );
            if l.trim() == format!("event: {name}") {
                return;
            }
        }
    };
    wait_for(&mut events, "hello");
    let mut docs = Vec::new();
    documents(&site.join("content"), &mut docs);
    docs.sort();
    let mut times = Vec::new();
    for (n, doc) in docs.iter().take(edits).enumerate() {
        std::thread::sleep(Duration::from_millis(300));
        let mut text = std::fs::read_to_string(doc).expect("read");
        text.push_str(&format!("\nTillägg {n} för mätningen.\n"));
        let tmp = doc.with_extension("md.tmp");
        std::fs::write(&tmp, &text).expect("write");
        let t = Instant::now();
        std::fs::rename(&tmp, doc).expect("rename");
        wait_for(&mut events, "reload");
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let _ = child.kill();
    let _ = child.wait();
    times.sort_by(|a, b| a.total_cmp(b));
    println!(
        "edit to reload event over {} edits: median {:.0} ms (min {:.0}, max {:.0})",
        times.len(),
        times[times.len() / 2],
        times[0],
        times[times.len() - 1]
    );
}
