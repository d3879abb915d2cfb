//! `styrdok serve`: build into memory, serve it on tiny_http, rebuild on
//! change (notify, debounced) and tell open pages to reload over
//! Server-Sent Events once the new site is in place. A broken build keeps
//! the last good site and shows the diagnostics over the open pages.

pub mod http;
mod incremental;
mod respond;
pub mod watch;

pub use incremental::{build, Body, Builder, Delta, Files, Rendered};
use respond::BodyReader;

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use crate::diagnostic::Diagnostic;
use crate::pipeline::{Options, Project, RunError};

/// Writes a line to stderr; a closed stderr is not a reason to stop serving.
macro_rules! log {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// How the server is asked to run.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// Address to bind.
    pub bind: String,
    /// Port; 0 picks a free one.
    pub port: u16,
    /// Open a browser.
    pub open: bool,
    /// Poll the file system instead of relying on events.
    pub poll: bool,
    /// `--base REF`: preview the review of the work tree against REF.
    pub base: Option<String>,
}

/// The site being served and what the last build said.
struct State {
    files: Arc<Files>,
    generation: u64,
    /// The diagnostics of the last failed build, as JSON, while it is broken.
    errors: Option<String>,
}

/// What the server threads share.
struct Shared {
    state: RwLock<State>,
    clients: Mutex<Vec<mpsc::Sender<String>>>,
    streams: AtomicUsize,
    stopping: AtomicBool,
    /// The `--bind` address, which `Host` headers must name.
    bind: String,
    /// Large bodies being written on their own threads.
    writing: Arc<AtomicUsize>,
}

/// At most this many live-reload connections at once.
const MAX_STREAMS: usize = 256;
/// Threads answering ordinary requests.
const WORKERS: usize = 4;

fn event(name: &str, data: &str) -> String {
    format!("event: {name}\ndata: {data}\n\n")
}

impl Shared {
    fn broadcast(&self, message: &str) {
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        clients.retain(|c| c.send(message.to_string()).is_ok());
    }

    /// Serves `files` from now on, without telling the pages: the same
    /// site with its search index brought up to date.
    fn refresh(&self, files: Arc<Files>) {
        let mut state = self.state.write().unwrap_or_else(|e| e.into_inner());
        state.files = files;
    }

    /// Puts a build's outcome in place, then tells the pages.
    fn publish(&self, outcome: Result<Arc<Files>, Vec<Diagnostic>>) -> u64 {
        let mut state = self.state.write().unwrap_or_else(|e| e.into_inner());
        match outcome {
            Ok(files) => {
                state.files = files;
                state.generation += 1;
                state.errors = None;
                let g = state.generation;
                drop(state);
                self.broadcast(&event("reload", &format!("{{\"generation\":{g}}}")));
                g
            }
            Err(diags) => {
                let json = serde_json::to_string(&diags).unwrap_or_else(|_| "[]".into());
                state.errors = Some(json.clone());
                let g = state.generation;
                drop(state);
                self.broadcast(&event("errors", &json));
                g
            }
        }
    }
}

/// Runs the preview server until Ctrl-C.
pub fn serve(opts: &Options, cfg: &ServeConfig) -> Result<(), RunError> {
    let project = Project::open(opts)?;
    let layout = watch::Layout {
        root: crate::platform::canonicalize(&opts.root).unwrap_or_else(|_| opts.root.clone()),
        content: project.config.content_dir.clone(),
        output: project.config.output_dir.clone(),
    };
    if !http::is_loopback(&cfg.bind) {
        log!(
            "warning: --bind {} is not a loopback address: anyone who can reach this machine can read the preview, drafts included (--bind 127.0.0.1 keeps it to this machine)",
            cfg.bind
        );
    }
    let started = Instant::now();
    let mut builder = match &cfg.base {
        Some(spec) => {
            let base = crate::review::load_revision(&project, Some(spec))?;
            log!("reviewing against {} ({})", base.name, base.commit);
            Builder::reviewing(project, base)
        }
        None => Builder::new(project),
    };
    let first = builder.build(opts, None);
    report(&first, started.elapsed());
    let files = match &first {
        Ok((f, _)) => Arc::clone(f),
        Err(_) => Arc::new(HashMap::new()),
    };
    let shared = Arc::new(Shared {
        state: RwLock::new(State {
            files,
            generation: 1,
            errors: None,
        }),
        clients: Mutex::new(Vec::new()),
        streams: AtomicUsize::new(0),
        stopping: AtomicBool::new(false),
        bind: cfg.bind.clone(),
        writing: Arc::new(AtomicUsize::new(0)),
    });
    if let Err(d) = first {
        shared.publish(Err(d));
    }
    let first_ok = first_ok_marker(&shared);
    let (server, local) = listen(cfg)?;
    let _ = writeln!(
        std::io::stdout(),
        "Serving {} on http://{local}/ (Ctrl-C to stop)",
        opts.root.display()
    );
    let _ = std::io::stdout().flush();

    let (tx, rx) = mpsc::channel();
    let _watching = watch::watch(layout, cfg.poll, tx).map_err(|e| {
        RunError(crate::tr!(
            "{} kan inte bevakas: {e}",
            "cannot watch {}: {e}",
            opts.root.display()
        ))
    })?;
    let rebuild_shared = Arc::clone(&shared);
    let rebuild_opts = opts.clone();
    std::thread::spawn(move || {
        rebuild_loop(&rebuild_opts, &rebuild_shared, &rx, builder, first_ok)
    });

    {
        let server = Arc::clone(&server);
        let shared = Arc::clone(&shared);
        ctrlc::set_handler(move || {
            shared.stopping.store(true, Ordering::SeqCst);
            shared.broadcast("");
            for _ in 0..WORKERS {
                server.unblock();
            }
        })
        .map_err(|e| {
            RunError(crate::tr!(
                "Ctrl-C kan inte hanteras: {e}",
                "cannot handle Ctrl-C: {e}"
            ))
        })?;
    }
    if cfg.open {
        open_browser(&format!("http://{local}/"));
    }
    answer(&server, &shared);
    // stdout may be a pipe nobody reads any more: a failed write is not an error.
    let _ = writeln!(std::io::stdout(), "Stopped.");
    Ok(())
}

/// Binds the address asked for; the server and the address it listens on.
fn listen(cfg: &ServeConfig) -> Result<(Arc<tiny_http::Server>, String), RunError> {
    let addr = if cfg.bind.contains(':') {
        format!("[{}]:{}", cfg.bind, cfg.port)
    } else {
        format!("{}:{}", cfg.bind, cfg.port)
    };
    let listener = std::net::TcpListener::bind(&addr).map_err(|e| {
        RunError(crate::tr!(
            "kan inte lyssna på {addr}: {e}",
            "cannot listen on {addr}: {e}"
        ))
    })?;
    respond::socket_options(&listener);
    let server = Arc::new(
        tiny_http::Server::from_listener(listener, None).map_err(|e| {
            RunError(crate::tr!(
                "kan inte servera på {addr}: {e}",
                "cannot serve on {addr}: {e}"
            ))
        })?,
    );
    let local = server
        .server_addr()
        .to_ip()
        .map_or(addr.clone(), |a| a.to_string());
    Ok((server, local))
}

/// Answers requests on [`WORKERS`] threads until the server stops.
fn answer(server: &Arc<tiny_http::Server>, shared: &Arc<Shared>) {
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let server = Arc::clone(server);
            let shared = Arc::clone(shared);
            std::thread::spawn(move || {
                while !shared.stopping.load(Ordering::SeqCst) {
                    match server.recv() {
                        Ok(request) => handle(request, &shared),
                        Err(_) => break,
                    }
                }
            })
        })
        .collect();
    for w in workers {
        let _ = w.join();
    }
}

/// Whether the site served so far came from a successful build.
fn first_ok_marker(shared: &Shared) -> bool {
    shared
        .state
        .read()
        .map(|s| s.errors.is_none())
        .unwrap_or(false)
}

fn report(outcome: &Result<(Arc<Files>, Rendered), Vec<Diagnostic>>, took: Duration) {
    match outcome {
        Ok((files, Rendered::All(_))) => log!(
            "built {} files in memory in {} ms",
            files.len(),
            took.as_millis()
        ),
        Ok((_, Rendered::Pages(n))) => {
            log!("rendered {n} changed pages in {} ms", took.as_millis())
        }
        Err(diags) => {
            for d in diags {
                let level = if d.severity == crate::diagnostic::Severity::Error {
                    "error"
                } else {
                    "warning"
                };
                log!("{level}: {} {} {}", d.code, d.location(), d.message);
            }
            log!(
                "build failed ({} problems); serving the last good site",
                diags.len()
            );
        }
    }
}

fn rebuild_loop(
    opts: &Options,
    shared: &Shared,
    rx: &mpsc::Receiver<(watch::Change, Vec<PathBuf>)>,
    mut builder: Builder,
    mut last_ok: bool,
) {
    while let Ok(first) = rx.recv() {
        let first_seen = Instant::now();
        let (kind, paths) = watch::debounce(rx, first, Duration::from_millis(30));
        let count = paths.len();
        let started = Instant::now();
        // After a failed build, render everything: the change alone does not
        // tell what differs from the last good site.
        let change = if last_ok {
            Some((kind, paths.as_slice()))
        } else {
            None
        };
        let outcome = builder.build(opts, change);
        report(&outcome, started.elapsed());
        last_ok = outcome.is_ok();
        let generation = shared.publish(outcome.map(|(f, _)| f));
        log!(
            "{kind:?} change ({count} paths): generation {generation}; rebuild {} ms, first event to reload {} ms",
            started.elapsed().as_millis(),
            first_seen.elapsed().as_millis()
        );
        // The search index is the one before until it is made again, right
        // after the pages: the reload does not wait for it.
        if last_ok {
            if let Some(files) = builder.refresh_search() {
                shared.refresh(files);
                log!(
                    "search index brought up to date in {} ms",
                    started.elapsed().as_millis()
                );
            }
        }
    }
}

fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(cmd).arg(url).spawn().is_err() {
        log!("could not open a browser; visit {url}");
    }
}

/// The request's `Host` header, if it has one.
fn host(request: &tiny_http::Request) -> Option<&str> {
    request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Host"))
        .map(|h| h.value.as_str())
}

fn handle(request: tiny_http::Request, shared: &Arc<Shared>) {
    use tiny_http::Method;
    if !http::host_allowed(host(&request), &shared.bind) {
        return respond::text(
            request,
            403,
            "forbidden: the Host header does not name this server",
        );
    }
    if !matches!(request.method(), Method::Get | Method::Head) {
        return respond::text(request, 405, "method not allowed");
    }
    let url = request.url().to_string();
    let path_only = url.split('?').next().unwrap_or("");
    match path_only {
        "/__styrdok/events" => return stream(request, shared),
        "/__styrdok/livereload.js" => {
            return respond::send(
                request,
                200,
                "text/javascript; charset=utf-8",
                BodyReader::owned(http::LIVERELOAD_JS.as_bytes().to_vec()),
            )
        }
        "/__styrdok/status" => {
            let state = shared.state.read().unwrap_or_else(|e| e.into_inner());
            let body = format!(
                "{{\"generation\":{},\"errors\":{}}}",
                state.generation,
                state.errors.as_deref().unwrap_or("null")
            );
            drop(state);
            return respond::send(
                request,
                200,
                "application/json",
                BodyReader::owned(body.into_bytes()),
            );
        }
        _ => {}
    }
    let path = match http::site_path(&url) {
        Ok(p) => p,
        Err(http::Refusal::TooLong) => return respond::text(request, 414, "path too long"),
        Err(http::Refusal::BadRequest) => return respond::text(request, 400, "bad request"),
    };
    let files = Arc::clone(&shared.state.read().unwrap_or_else(|e| e.into_inner()).files);
    let found = files.get(&path).map(|b| (path.clone(), b)).or_else(|| {
        let dir_index = format!("{path}/index.html");
        files.get(&dir_index).map(|b| (dir_index, b))
    });
    match found {
        Some((p, bytes)) => {
            let ctype = http::content_type(&p);
            let body = BodyReader::file(bytes, ctype.starts_with("text/html"));
            respond::send_file(request, ctype, body, &shared.writing);
        }
        None => {
            let page = b"<!DOCTYPE html><html lang=\"sv\"><head><meta charset=\"utf-8\"><title>404</title></head><body><h1>404: sidan finns inte</h1><p><a href=\"/\">Till startsidan</a></p></body></html>";
            respond::send(
                request,
                404,
                "text/html; charset=utf-8",
                BodyReader::owned(http::inject(page)),
            );
        }
    }
}

/// A Server-Sent Events stream: `hello` with the current generation, then
/// `reload`, `errors` and keep-alive comments, on its own thread.
fn stream(request: tiny_http::Request, shared: &Arc<Shared>) {
    if shared.streams.fetch_add(1, Ordering::SeqCst) >= MAX_STREAMS {
        shared.streams.fetch_sub(1, Ordering::SeqCst);
        return respond::text(request, 503, "too many live-reload connections");
    }
    if *request.method() == tiny_http::Method::Head {
        shared.streams.fetch_sub(1, Ordering::SeqCst);
        return respond::send(
            request,
            200,
            "text/event-stream",
            BodyReader::owned(Vec::new()),
        );
    }
    let (tx, rx) = mpsc::channel::<String>();
    let (hello, errors) = {
        let state = shared.state.read().unwrap_or_else(|e| e.into_inner());
        (
            event("hello", &format!("{{\"generation\":{}}}", state.generation)),
            state.errors.clone(),
        )
    };
    let _ = tx.send(hello);
    if let Some(e) = errors {
        let _ = tx.send(event("errors", &e));
    }
    shared
        .clients
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(tx);
    let shared = Arc::clone(shared);
    std::thread::spawn(move || {
        let mut out = request.into_writer();
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\nretry: 1000\n\n";
        let mut ok = out
            .write_all(head.as_bytes())
            .and_then(|()| out.flush())
            .is_ok();
        while ok && !shared.stopping.load(Ordering::SeqCst) {
            // A short keep-alive finds clients that went away: their thread ends.
            let message = match rx.recv_timeout(Duration::from_secs(2)) {
                Ok(m) if m.is_empty() => break,
                Ok(m) => m,
                Err(mpsc::RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            };
            ok = out
                .write_all(message.as_bytes())
                .and_then(|()| out.flush())
                .is_ok();
        }
        shared.streams.fetch_sub(1, Ordering::SeqCst);
    });
}
