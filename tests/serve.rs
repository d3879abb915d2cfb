//! `styrdok serve` over real HTTP: pages and content types, every traversal
//! form refused, concurrent clients, and the live-reload event stream
//! following edits (atomic saves), broken builds and their fixes.

mod common;

use common::server::{next_event, Server};
use common::TestSite;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;

/// Saves a file as editors do: write a temp file beside it, rename it over.
fn atomic_save(site: &TestSite, rel: &str, text: &str) {
    let path = site.path().join(rel);
    let tmp = path.with_file_name(format!(
        ".{}.tmp123",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("x")
    ));
    std::fs::write(&tmp, text).expect("write temp");
    std::fs::rename(&tmp, &path).expect("rename");
}

#[test]
fn pages_assets_and_content_types() {
    let site = TestSite::fixture("basic");
    let server = Server::start(&site);
    let (status, head, body) = server.get("/");
    assert_eq!(status, 200);
    assert!(
        head.contains("Content-Type: text/html; charset=utf-8"),
        "{head}"
    );
    assert!(
        body.contains("/__styrdok/livereload.js"),
        "live reload injected"
    );
    let (status, head, _) = server.get("/assets/style.css");
    assert_eq!(status, 200);
    assert!(head.contains("text/css"), "{head}");
    let (status, _, body) = server.get("/instruktioner/drift.html");
    assert_eq!(status, 200);
    assert!(
        body.contains("FÖRHANDSGRANSKNING"),
        "drafts carry the preview banner: remiss"
    );
    let (status, _, body) = server.get("/planer/lon.html");
    assert_eq!(status, 200);
    assert!(
        !body.contains("FÖRHANDSGRANSKNING"),
        "adopted documents do not"
    );
    assert_eq!(server.get("/finns-inte.html").0, 404);
    let (status, head, body) = server.raw("HEAD", "/index.html");
    assert_eq!(status, 200);
    assert!(head.contains("Content-Length") && body.is_empty(), "{head}");
    assert_eq!(server.raw("POST", "/index.html").0, 405);
    assert_eq!(server.get("/__styrdok/livereload.js").0, 200);
}

#[test]
fn nothing_outside_the_site_is_served() {
    let site = TestSite::fixture("basic");
    std::fs::write(site.path().join("hemlig.txt"), "HEMLIGT").expect("secret");
    let server = Server::start(&site);
    for path in [
        "/../hemlig.txt",
        "/../../../../etc/passwd",
        "/%2e%2e/hemlig.txt",
        "/%2E%2E%2Fhemlig.txt",
        "/..%2fhemlig.txt",
        "/..%5chemlig.txt",
        "/..\\hemlig.txt",
        "//etc/passwd",
        "/content/../../hemlig.txt",
        "/index.html%00.css",
        "/%c0%ae%c0%ae/hemlig.txt",
        "/C:/Windows/win.ini",
        "/styrdok.toml",
        "/content/policy.md",
    ] {
        let (status, _, body) = server.get(path);
        assert!(matches!(status, 400 | 404), "{path} gave {status}");
        assert!(
            !body.contains("HEMLIGT") && !body.contains("root:"),
            "{path} leaked"
        );
    }
    let long = format!("/{}", "a".repeat(5000));
    let (status, _, _) = server.get(&long);
    assert!(
        matches!(status, 400 | 414 | 431),
        "overlong path gave {status}"
    );
}

#[test]
fn concurrent_clients_and_one_that_disconnects() {
    let site = TestSite::fixture("basic");
    let server = Server::start(&site);
    // A client that sends half a request and goes away.
    {
        let mut s = TcpStream::connect(&server.addr).expect("connect");
        let _ = s.write_all(b"GET /index.ht");
    }
    // One that reads a few bytes of a page and hangs up.
    {
        let mut s = TcpStream::connect(&server.addr).expect("connect");
        let _ = write!(s, "GET /hierarki.html HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        let mut b = [0u8; 16];
        let _ = s.read(&mut b);
    }
    let addr = server.addr.clone();
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let addr = addr.clone();
            std::thread::spawn(move || {
                let probe = Server {
                    child: Command::new("true").spawn().expect("true"),
                    addr,
                };
                for _ in 0..20 {
                    let path = if t % 2 == 0 {
                        "/index.html"
                    } else {
                        "/instruktioner/drift.html"
                    };
                    assert_eq!(probe.get(path).0, 200);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("client thread");
    }
}

#[test]
fn edits_reload_pages_and_broken_builds_show_errors_until_fixed() {
    let site = TestSite::fixture("basic");
    let server = Server::start(&site);
    let mut events = server.events();
    let hello = next_event(&mut events, "hello");
    assert!(hello.contains("generation"), "{hello}");
    let rel = "content/instruktioner/forvaltning.md";
    let original = std::fs::read_to_string(site.path().join(rel)).expect("read");
    atomic_save(
        &site,
        rel,
        &original.replace("Loggar sparas i ett år.", "Loggar sparas i två år."),
    );
    next_event(&mut events, "reload");
    let (_, _, body) = server.get("/instruktioner/forvaltning.html");
    assert!(
        body.contains("Loggar sparas i två år."),
        "the new text is served once reload is announced"
    );

    atomic_save(
        &site,
        rel,
        &original.replace("typ: instruktion", "typ: instruction"),
    );
    let errors = next_event(&mut events, "errors");
    let diags: serde_json::Value = serde_json::from_str(&errors).expect("json");
    assert_eq!(diags[0]["code"], "SD108");
    assert_eq!(diags[0]["file"], rel);
    assert_eq!(diags[0]["line"], 3);
    let (_, _, body) = server.get("/instruktioner/forvaltning.html");
    assert!(
        body.contains("Loggar sparas i två år."),
        "the last good site is still served"
    );

    atomic_save(&site, rel, &original);
    next_event(&mut events, "reload");
    let (_, _, status) = server.get("/__styrdok/status");
    assert!(status.contains("\"errors\":null"), "{status}");
}

#[test]
fn editor_swap_files_do_not_rebuild() {
    let site = TestSite::fixture("basic");
    let server = Server::start(&site);
    let mut events = server.events();
    next_event(&mut events, "hello");
    std::fs::write(site.path().join("content/.drift.md.swp"), "swap").expect("swap");
    std::fs::write(site.path().join("content/drift.md~"), "backup").expect("backup");
    // A real change afterwards: the first reload must carry generation 2,
    // so nothing was rebuilt for the swap and backup files.
    std::fs::write(site.path().join("content/bilaga.txt"), "ny bilaga").expect("attachment");
    let reload = next_event(&mut events, "reload");
    assert_eq!(reload, "{\"generation\":2}");
}

#[cfg(unix)]
#[test]
fn ctrl_c_ends_the_server_cleanly() {
    let site = TestSite::fixture("basic");
    let mut server = Server::start(&site);
    assert_eq!(server.get("/").0, 200);
    let pid = server.child.id().to_string();
    let ok = Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill")
        .success();
    assert!(ok);
    let status = server.child.wait().expect("wait");
    assert!(status.success(), "{status:?}");
}

#[test]
fn rebuilds_after_body_edits_keep_every_page_consistent() {
    let site = TestSite::fixture("basic");
    let server = Server::start(&site);
    let mut events = server.events();
    next_event(&mut events, "hello");
    let backlinks =
        |body: &str| body[body.find("Refereras från").expect("backlinks")..].to_string();
    assert!(backlinks(&server.get("/instruktioner/drift.html").2).contains("Förvaltning"));
    // A body edit that drops the link: the target's backlinks follow.
    let rel = "content/instruktioner/forvaltning.md";
    let original = std::fs::read_to_string(site.path().join(rel)).expect("read");
    atomic_save(
        &site,
        rel,
        &original.replace(
            "Drift beskrivs i [Drift](drift.md).",
            "Drift beskrivs separat.",
        ),
    );
    next_event(&mut events, "reload");
    assert!(server
        .get("/instruktioner/forvaltning.html")
        .2
        .contains("Drift beskrivs separat."));
    assert!(!backlinks(&server.get("/instruktioner/drift.html").2).contains("Förvaltning"));
    // A new heading in an instruction shows in the coverage table.
    let text = std::fs::read_to_string(site.path().join(rel)).expect("read");
    atomic_save(
        &site,
        rel,
        &text.replace("## Loggning", "## Loggning och spårbarhet"),
    );
    next_event(&mut events, "reload");
    assert!(
        server
            .get("/omraden.html")
            .2
            .contains("✓ Loggning och spårbarhet"),
        "a heading joined with och still covers its area"
    );
    // A title change (front matter) reaches every page that lists it.
    let text = std::fs::read_to_string(site.path().join(rel)).expect("read");
    atomic_save(
        &site,
        rel,
        &text
            .replace("## Loggning och spårbarhet", "## Loggning")
            .replace(
                "titel: \"IT-säkerhetsinstruktion: Förvaltning\"",
                "titel: \"IT-säkerhetsinstruktion: Förvaltning 2027\"",
            ),
    );
    next_event(&mut events, "reload");
    assert!(server.get("/").2.contains("Förvaltning 2027"));
    assert!(
        server
            .get("/planer/lon.html")
            .2
            .contains("Förvaltning 2027"),
        "navigation on other pages"
    );
}

#[cfg(target_os = "linux")]
fn threads_and_files(pid: u32) -> (usize, usize) {
    let count = |dir: String| std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0);
    (
        count(format!("/proc/{pid}/task")),
        count(format!("/proc/{pid}/fd")),
    )
}

/// One keep-alive connection making `n` requests, each read to its end.
#[cfg(target_os = "linux")]
fn keep_alive_client(addr: &str, n: usize) {
    use std::io::{BufRead, BufReader};
    use std::time::Duration;
    let stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    stream.set_nodelay(true).expect("nodelay");
    let mut writer = stream.try_clone().expect("clone");
    let mut reader = BufReader::new(stream);
    for i in 0..n {
        let path = [
            "/index.html",
            "/instruktioner/drift.html",
            "/assets/style.css",
            "/finns-inte",
        ][i % 4];
        // One write per request: split writes would wait on Nagle and delayed ACKs.
        writer
            .write_all(format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").as_bytes())
            .expect("send");
        let mut len = 0usize;
        let mut line = String::new();
        loop {
            line.clear();
            reader.read_line(&mut line).expect("header");
            if line == "\r\n" || line.is_empty() {
                break;
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                len = v.trim().parse().expect("length");
            }
        }
        let mut body = vec![0u8; len];
        reader.read_exact(&mut body).expect("body");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn load_and_many_live_reload_connections_leave_no_growth() {
    let site = TestSite::fixture("basic");
    let server = Server::start(&site);
    let pid = server.child.id();
    keep_alive_client(&server.addr, 10);
    let (threads_before, files_before) = threads_and_files(pid);
    // Two clients, 20,000 requests together.
    let clients: Vec<_> = (0..2)
        .map(|_| {
            let addr = server.addr.clone();
            std::thread::spawn(move || keep_alive_client(&addr, 10_000))
        })
        .collect();
    for c in clients {
        c.join().expect("client");
    }
    // 1,000 live-reload connections opened and dropped.
    for _ in 0..1000 {
        let mut s = TcpStream::connect(&server.addr).expect("connect");
        let _ = write!(
            s,
            "GET /__styrdok/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        );
        let mut first = [0u8; 12];
        let _ = s.read(&mut first);
    }
    // Still answering.
    assert_eq!(server.get("/").0, 200);
    // Threads and descriptors come back down once the streams notice their
    // clients are gone (keep-alive every 2 s); wait for that, within reason.
    use std::time::{Duration, Instant};
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut now = threads_and_files(pid);
    while (now.0 > threads_before + 2 || now.1 > files_before + 2) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(200));
        now = threads_and_files(pid);
    }
    assert!(
        now.0 <= threads_before + 2,
        "threads grew from {threads_before} to {}",
        now.0
    );
    assert!(
        now.1 <= files_before + 2,
        "open files grew from {files_before} to {}",
        now.1
    );
}

/// The preview after each edit, built incrementally from the edit the
/// watcher reported, must equal a build from scratch: pages and problems.
#[test]
fn incremental_rebuilds_equal_full_builds() {
    use styrdok::serve::watch::Change;
    let site = TestSite::fixture("basic");
    let opts = site.preview_options();
    let mut builder = styrdok::serve::Builder::default();
    builder.build(&opts, None).expect("first build");
    let plan = "content/planer/lon.md";
    let instr = "content/instruktioner/forvaltning.md";
    let read = |rel: &str| std::fs::read_to_string(site.path().join(rel)).expect("read");
    type Edit<'a> = (&'a str, Box<dyn Fn(String) -> String>, bool);
    let edits: Vec<Edit> = vec![
        // A body edit with a new link to a heading of another document.
        (
            plan,
            Box::new(|t| t + "\nSe även [loggning](../instruktioner/forvaltning.md#loggning).\n"),
            true,
        ),
        // That heading is renamed: the other document's link breaks.
        (
            instr,
            Box::new(|t| t.replace("## Loggning", "## Loggning och spårning")),
            false,
        ),
        // And back.
        (
            instr,
            Box::new(|t| t.replace("## Loggning och spårning", "## Loggning")),
            true,
        ),
        // Body text only.
        (instr, Box::new(|t| t.replace("ett år", "två år")), true),
        // A link that leads nowhere.
        (plan, Box::new(|t| t + "\n[Saknas](saknas.md)\n"), false),
        (
            plan,
            Box::new(|t| t.replace("\n[Saknas](saknas.md)\n", "\n")),
            true,
        ),
        // Front matter.
        (
            instr,
            Box::new(|t| {
                t.replace(
                    "titel: \"IT-säkerhetsinstruktion: Förvaltning\"",
                    "titel: \"Förvaltning 2027\"",
                )
            }),
            true,
        ),
    ];
    for (n, (rel, edit, ok)) in edits.into_iter().enumerate() {
        let before = read(rel);
        let after = edit(before.clone());
        assert_ne!(before, after, "edit {n} changes {rel}");
        site.write(rel, after.as_bytes());
        let paths = [site.path().join(rel)];
        let incremental = builder
            .build(&opts, Some((Change::Content, &paths)))
            .map(|(files, r)| (builder.refresh_search().unwrap_or(files), r));
        let full = styrdok::serve::build(&opts);
        same_as_full(&format!("edit {n}"), incremental, full, ok);
    }
    // Every other kind of change the watcher reports: files added, deleted
    // and renamed, the register, attachments, the theme, styrdok.toml.
    let root = site.path().to_path_buf();
    let new_doc = "---\ntitel: Ny rutin\ntyp: dokument\nstatus: utkast\nversion: \"0.1\"\ndokumentägare: IT-chef\nnästa_revision: 2027-06-30\növerordnad: policy\n---\n\n## Rutin\n\nSe [drift](instruktioner/drift.md) och [bilagan](bilaga.txt).\n";
    let base = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/base.html"),
    )
    .expect("default theme");
    type Step<'a> = (
        &'a str,
        Change,
        Box<dyn Fn() -> Vec<std::path::PathBuf> + 'a>,
        bool,
    );
    let site = &site;
    let write = |rel: &'static str, text: String| -> Box<dyn Fn() -> Vec<std::path::PathBuf>> {
        let path = site.path().join(rel);
        Box::new(move || {
            site.write(rel, text.as_bytes());
            vec![path.clone()]
        })
    };
    let steps: Vec<Step> = vec![
        (
            "new attachment",
            Change::Content,
            write("content/bilaga.txt", "bilaga 1".into()),
            true,
        ),
        (
            "new document",
            Change::Content,
            write("content/ny.md", new_doc.into()),
            true,
        ),
        (
            "attachment changed",
            Change::Content,
            write("content/bilaga.txt", "bilaga 2".into()),
            true,
        ),
        (
            "renamed document",
            Change::Content,
            Box::new(|| {
                let (from, to) = (
                    root.join("content/ny.md"),
                    root.join("content/nytt-namn.md"),
                );
                std::fs::rename(&from, &to).expect("rename");
                vec![from, to]
            }),
            true,
        ),
        (
            "deleted document",
            Change::Content,
            Box::new(|| {
                let gone = root.join("content/nytt-namn.md");
                std::fs::remove_file(&gone).expect("remove");
                vec![gone]
            }),
            true,
        ),
        (
            "deleted attachment",
            Change::Content,
            Box::new(|| {
                let gone = root.join("content/bilaga.txt");
                std::fs::remove_file(&gone).expect("remove");
                vec![gone]
            }),
            true,
        ),
        (
            "register",
            Change::Content,
            write(
                "content/systemregister.yaml",
                read("content/systemregister.yaml").replace("namn: Webbplats", "namn: Webbplatsen"),
            ),
            true,
        ),
        (
            "theme file",
            Change::Theme,
            write(
                "themes/default/templates/base.html",
                base.replace("</body>", "<!-- egen --></body>"),
            ),
            true,
        ),
        (
            "styrdok.toml",
            Change::Config,
            write(
                "styrdok.toml",
                read("styrdok.toml").replace("Testkommun", "Testkommun 2"),
            ),
            true,
        ),
        (
            "styrdok.toml broken",
            Change::Config,
            write("styrdok.toml", read("styrdok.toml") + "okänd = 1\n"),
            false,
        ),
        (
            "styrdok.toml fixed",
            Change::Config,
            write(
                "styrdok.toml",
                read("styrdok.toml").replace("okänd = 1\n", ""),
            ),
            true,
        ),
    ];
    let mut last_ok = true;
    for (name, kind, step, ok) in steps {
        let paths = step();
        // As the server does: after a failed build, everything is built.
        let change = last_ok.then_some((kind, paths.as_slice()));
        // The search index is made again after the pages, as the server
        // does right after the reload.
        let incremental = builder
            .build(&opts, change)
            .map(|(files, r)| (builder.refresh_search().unwrap_or(files), r));
        last_ok = incremental.is_ok();
        let full = styrdok::serve::build(&opts);
        same_as_full(name, incremental, full, ok);
    }
}

/// After edits of bodies alone, the preview runs only the edited
/// documents' rules again and keeps what the others' found: every problem
/// (warnings included) must be what a build from scratch finds, as each
/// edit adds or takes away one of the rules over a body.
#[test]
fn rules_after_body_edits_find_what_a_full_build_finds() {
    use styrdok::codes::Code;
    use styrdok::serve::watch::Change;
    let site = TestSite::fixture("basic");
    let opts = site.preview_options();
    let mut builder = styrdok::serve::Builder::default();
    builder.build(&opts, None).expect("first build");
    let policy = "content/policy.md";
    let users = "content/instruktioner/anvandare.md";
    let drift = "content/instruktioner/drift.md";
    let read = |rel: &str| std::fs::read_to_string(site.path().join(rel)).expect("read");
    let codes = |d: &[styrdok::diagnostic::Diagnostic], file: &str| -> Vec<Code> {
        d.iter()
            .filter(|d| file.ends_with(d.file.as_str()) || d.file.ends_with(file))
            .map(|d| d.code)
            .collect()
    };
    type Edit<'a> = (&'a str, Box<dyn Fn(String) -> String>, Option<Code>);
    let edits: Vec<Edit> = vec![
        // Raw HTML the sanitiser removes (a warning in the edited body).
        (
            policy,
            Box::new(|t| t + "\n<script>alert(1)</script>\n"),
            Some(Code::UnsafeHtml),
        ),
        // A link from the open policy to the internal plan.
        (
            policy,
            Box::new(|t| t + "\nSe [planen](planer/lon.md).\n"),
            Some(Code::LinkToStricter),
        ),
        // Both taken away again.
        (
            policy,
            Box::new(|t| {
                t.replace("\n<script>alert(1)</script>\n", "\n")
                    .replace("\nSe [planen](planer/lon.md).\n", "\n")
            }),
            None,
        ),
        // An instruction loses an area the policy requires: the build fails.
        (
            users,
            Box::new(|t| t.replace("## E-post", "## Brev")),
            Some(Code::MissingArea),
        ),
        (users, Box::new(|t| t.replace("## Brev", "## E-post")), None),
        // Front matter: Drift is repealed (every rule runs again) ...
        (
            drift,
            Box::new(|t| t.replace("status: remiss", "status: upphävd\nupphävd: 2026-06-01")),
            None,
        ),
        // ... and then a body links to it.
        (
            users,
            Box::new(|t| t + "\nSe [drift](drift.md).\n"),
            Some(Code::LinkToRepealed),
        ),
        // An id taken twice (what the load's indexes find) stays reported
        // while only the body of a document with it changes.
        (
            drift,
            Box::new(|t| t.replace("id: drift", "id: användare")),
            Some(Code::DuplicateId),
        ),
        (
            drift,
            Box::new(|t| t + "\nEn rad till.\n"),
            Some(Code::DuplicateId),
        ),
        (
            drift,
            Box::new(|t| t.replace("id: användare", "id: drift")),
            None,
        ),
    ];
    for (n, (rel, edit, expect)) in edits.into_iter().enumerate() {
        let before = read(rel);
        let after = edit(before.clone());
        assert_ne!(before, after, "edit {n} changes {rel}");
        site.write(rel, after.as_bytes());
        let paths = [site.path().join(rel)];
        let mut full = styrdok::serve::Builder::default();
        let (inc, whole) = match (
            builder.build(&opts, Some((Change::Content, &paths))),
            full.build(&opts, None),
        ) {
            (Ok(_), Ok(_)) => (builder.problems().to_vec(), full.problems().to_vec()),
            (Err(a), Err(b)) => (a, b),
            (a, b) => panic!(
                "edit {n}: incremental {:?}, full {:?}",
                a.is_ok(),
                b.is_ok()
            ),
        };
        assert_eq!(inc, whole, "edit {n}: the problems of a full build");
        if let Some(code) = expect {
            assert!(
                codes(&inc, rel).contains(&code),
                "edit {n}: {code:?} in {rel}: {inc:?}"
            );
        }
    }
}

/// Asserts that an incremental build gave what a full build gives.
fn same_as_full(
    n: &str,
    incremental: Result<
        (
            std::sync::Arc<styrdok::serve::Files>,
            styrdok::serve::Rendered,
        ),
        Vec<styrdok::diagnostic::Diagnostic>,
    >,
    full: Result<styrdok::serve::Files, Vec<styrdok::diagnostic::Diagnostic>>,
    ok: bool,
) {
    match (incremental, full) {
        (Ok((inc, _)), Ok(full)) => {
            assert!(ok, "edit {n} should fail");
            let mut a: Vec<&String> = inc.keys().collect();
            let mut b: Vec<&String> = full.keys().collect();
            a.sort();
            b.sort();
            assert_eq!(a, b, "edit {n}: the same files");
            for (path, body) in full.iter() {
                assert!(
                    inc[path].to_vec() == body.to_vec(),
                    "edit {n}: {path} differs from a full build"
                );
            }
        }
        (Err(inc), Err(full)) => {
            assert!(!ok, "edit {n} should build: {inc:?}");
            assert_eq!(inc, full, "edit {n}: the same problems");
        }
        (inc, full) => panic!(
            "edit {n}: incremental {:?} but full {:?}",
            inc.map(|_| "ok"),
            full.map(|_| "ok")
        ),
    }
}
