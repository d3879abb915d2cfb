//! The `styrdok` binary: parses the command line, runs the pipeline
//! ([`styrdok::pipeline`]) and prints what it reports.
//! Exit codes: 0 ok, 1 validation errors, 2 usage or I/O error.

use clap::Parser;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use styrdok::cli::{BuildArgs, Cli, Command, NewCommand, ReviewArgs};
use styrdok::diagnostic::Diagnostic;
use styrdok::model::DocType;
use styrdok::pipeline::{
    self, record, Built, Checked, Observer, Options, Project, Purpose, RunError,
};
use styrdok::report::{self, Format, RepoPaths};
use styrdok::scaffold::{self, NewRequest};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, RunError> {
    // Until a site is opened (and for `init`, which opens none): `--lang`.
    if let Some(lang) = cli.lang {
        styrdok::i18n::set_diagnostic_language(lang);
    }
    let today = cli
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let mut opts = Options {
        root: cli.site_root(),
        today,
        max_klassning: None,
        drafts: false,
        output_dir: None,
        lang: cli.lang,
    };
    match cli.command {
        Command::Check(args) => {
            let project = Project::open(&opts)?;
            let style = Style::new(args.format, args.strict, &opts.root);
            let mut checked = pipeline::load_and_check(&project, Purpose::Check)?;
            let note = pipeline::check_adoption(&project, &mut checked);
            print(&checked, &checked.diags, &style, true)?;
            if let Some(n) = note {
                eprintln!("note: {n}");
            }
            Ok(exit_for(checked.fails(args.strict)))
        }
        Command::Build(args) => {
            opts.max_klassning = args.max_klassning;
            opts.drafts = args.drafts;
            opts.output_dir = args.output.as_deref().map(from_here).transpose()?;
            build(&opts, &args)
        }
        Command::Serve(args) => {
            // The preview shows drafts, each with its banner.
            opts.drafts = true;
            let cfg = styrdok::serve::ServeConfig {
                bind: args.bind,
                port: args.port,
                open: args.open,
                poll: args.poll,
                base: args.base,
            };
            styrdok::serve::serve(&opts, &cfg)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Review(args) => {
            // Reviewers read drafts: a change is often one.
            opts.drafts = true;
            opts.max_klassning = args.max_klassning;
            opts.output_dir = Some(match &args.output {
                Some(o) => from_here(o)?,
                None => opts.root.join(REVIEW_DIR),
            });
            review(&opts, &args)
        }
        Command::Init(args) => {
            let base = cli.root.clone().unwrap_or_else(|| ".".into());
            let dir = base.join(&args.dir);
            let written = scaffold::init(&dir, args.mall, today)?;
            for p in &written {
                println!("created {}", p.display());
            }
            println!(
                "next: cd {} && styrdok check && styrdok build",
                dir.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::New(new) => new_document(&opts, new),
    }
}

/// `styrdok build`: the site into its output directory, and a line on how
/// it went.
fn build(opts: &Options, args: &BuildArgs) -> Result<ExitCode, RunError> {
    let mut project = Project::open(opts)?;
    if args.pdf {
        project.config.publish.pdf = true;
    }
    let output = project.output_dir();
    // What this build will read, taken before it reads any of it: an edit
    // made while it runs makes the next build run too. With `--timings`
    // the build always runs (its timings are not a thing to replay).
    // Only the human format: the others print the diagnostics themselves
    // (JSON, the forges'), which a replay would not have.
    let fingerprint = (!args.timings && args.format == Format::Human)
        .then(|| record::fingerprint(&project, &build_options(opts, args, &output)))
        .flatten();
    if let Some(fingerprint) = &fingerprint {
        styrdok::write::restore_previous(&output);
        match record::lookup(&output, fingerprint) {
            record::Lookup::Same(done) => {
                eprintln!(
                    "{}",
                    styrdok::tr!(
                        "inget har ändrats sedan förra bygget: {} lämnas som den är",
                        "nothing changed since the last build: {} is left as it is",
                        output.display()
                    )
                );
                replay(&done.printed);
                return Ok(ExitCode::from(done.exit));
            }
            record::Lookup::Ignored(note) => eprintln!("note: {note}"),
            record::Lookup::Changed => {}
        }
    }
    let mut printer = Printer {
        style: Style::new(args.format, args.strict, &opts.root),
        clock: Timings::new(args.timings),
        log: std::cell::RefCell::new(Vec::new()),
    };
    let built = pipeline::build(&project, args.strict, &mut printer);
    let code = match built {
        Ok(Built::Stopped) => {
            printer.line(styrdok::tr!(
                "bygget avbröts: utdatamappen ändrades inte",
                "build stopped: the output directory was not changed"
            ));
            record::forget(&output);
            return Ok(ExitCode::from(1));
        }
        Ok(Built::Written(count)) => {
            let dir = output.display();
            printer.line(styrdok::tr!(
                "byggde {count} filer i {dir}",
                "built {count} files into {dir}"
            ));
            0
        }
        Err(e) => {
            record::forget(&output);
            return Err(e);
        }
    };
    if let Some(fingerprint) = fingerprint {
        let printed = printer.log.into_inner();
        record::save(
            &output,
            &record::Record {
                fingerprint,
                printed,
                exit: code,
            },
        );
    }
    Ok(ExitCode::from(code))
}

/// What of the command line and the environment a build's result depends
/// on besides the files, for its fingerprint.
fn build_options(opts: &Options, args: &BuildArgs, output: &Path) -> String {
    format!(
        "{args:?} output={} today={} lang={:?} env-lang={:?} color={}",
        output.display(),
        opts.today,
        opts.lang,
        std::env::var_os("STYRDOK_LANG"),
        report::color(),
    )
}

/// Prints what a recorded build printed, in its order.
fn replay(printed: &[(record::Stream, Vec<u8>)]) {
    use std::io::Write;
    let (mut out, mut err) = (std::io::stdout(), std::io::stderr());
    for (stream, bytes) in printed {
        let _ = match stream {
            record::Stream::Out => out.write_all(bytes).and_then(|()| out.flush()),
            record::Stream::Err => err.write_all(bytes).and_then(|()| err.flush()),
        };
    }
}

/// Where `review` writes by default, in the site root.
const REVIEW_DIR: &str = "output-review";

/// `styrdok review`: the review site, and a line on what the change does.
fn review(opts: &Options, args: &ReviewArgs) -> Result<ExitCode, RunError> {
    let project = Project::open(opts)?;
    let mut printer = Printer {
        style: Style::new(Format::Human, false, &opts.root),
        clock: Timings::new(args.timings),
        log: std::cell::RefCell::new(Vec::new()),
    };
    let change = pipeline::Change {
        base: args.base.as_deref(),
        head: args.head.as_deref(),
    };
    let (built, review) = pipeline::review(&project, &change, &mut printer)?;
    if let Some(r) = &review {
        let (base, commit) = (&r.base, &r.base_commit);
        let (docs, introduced, resolved) = (r.docs.len(), r.introduced.len(), r.resolved.len());
        let s = |n: usize| if n == 1 { "" } else { "s" };
        let (ds, ps) = (s(docs), s(introduced));
        eprintln!(
            "{}",
            styrdok::tr!(
                "granskning mot {base} ({commit}): {docs} dokument berörs, {introduced} nya problem, {resolved} lösta",
                "review against {base} ({commit}): {docs} document{ds} touched, {introduced} problem{ps} introduced, {resolved} resolved"
            )
        );
    }
    match built {
        Built::Stopped => {
            eprintln!(
                "{}",
                styrdok::tr!(
                    "granskningen avbröts: utdatamappen ändrades inte",
                    "review stopped: the output directory was not changed"
                )
            );
            Ok(ExitCode::from(1))
        }
        Built::Written(count) => {
            let dir = project.output_dir();
            let start = dir.join(styrdok::review::DIR).join("index.html");
            let (dir, start) = (dir.display(), start.display());
            eprintln!(
                "{}",
                styrdok::tr!(
                    "byggde {count} filer i {dir}; börja i {start}",
                    "built {count} files into {dir}; start at {start}"
                )
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `styrdok new …`: a document from the theme's template.
fn new_document(opts: &Options, new: NewCommand) -> Result<ExitCode, RunError> {
    let (kind, name, args, own_type) = match new {
        NewCommand::Plan { system, args } => (DocType::Plan, system, args, None),
        NewCommand::Instruktion { kind, args } => (DocType::Instruktion, kind, args, None),
        NewCommand::Dokument { id, typ, args } => (DocType::Dokument, id, args, typ),
    };
    let project = Project::open(opts)?;
    let checked = pipeline::load_and_check(&project, Purpose::Check)?;
    let req = NewRequest {
        kind,
        name,
        titel: args.titel,
        parent: args.parent,
        owner: args.owner,
        path: args.path,
        own_type,
    };
    let created = scaffold::new_document(
        &opts.root,
        &checked.config,
        &checked.corpus,
        &req,
        opts.today,
    )?;
    println!("created {}", created.path.display());
    for n in created.notes {
        println!("note: {n}");
    }
    Ok(ExitCode::SUCCESS)
}

/// A path typed on the command line is relative to where it was typed
/// (`output_dir` in styrdok.toml is relative to the root).
fn from_here(path: &Path) -> Result<PathBuf, RunError> {
    std::env::current_dir()
        .map(|d| d.join(path))
        .map_err(|e| RunError(format!("cannot read the current directory: {e}")))
}

/// How diagnostics are printed: `--format`, `--strict`, and where the site
/// root is in its git repository (forges name files from the top).
struct Style {
    format: Format,
    strict: bool,
    paths: RepoPaths,
}

impl Style {
    /// The style of a run on the site at `root`: the repository is looked
    /// for only for the forge formats.
    fn new(format: Format, strict: bool, root: &Path) -> Self {
        let prefix = if format.is_forge() {
            styrdok::git::site_prefix(root).unwrap_or_default()
        } else {
            String::new()
        };
        Style {
            format,
            strict,
            paths: RepoPaths::new(&prefix),
        }
    }

    /// rustc-style text, warnings as warnings.
    fn human() -> Self {
        Style {
            format: Format::Human,
            strict: false,
            paths: RepoPaths::default(),
        }
    }
}

/// Prints diagnostics; `with_sources` shows each one's source line.
fn print(
    checked: &Checked,
    diags: &[Diagnostic],
    style: &Style,
    with_sources: bool,
) -> Result<(), RunError> {
    let sources = if with_sources {
        checked.sources_for(diags)
    } else {
        std::collections::BTreeMap::new()
    };
    report::print(
        diags,
        &sources,
        checked.file_count(),
        style.format,
        style.strict,
        &style.paths,
    )
    .map_err(|e| RunError(format!("cannot print: {e}")))
}

/// Prints what a build reports, and keeps a copy of it all for the
/// build's record.
struct Printer {
    style: Style,
    clock: Timings,
    log: std::cell::RefCell<Vec<(record::Stream, Vec<u8>)>>,
}

impl Printer {
    /// A line on stderr.
    fn line(&mut self, line: String) {
        use std::io::Write;
        let mut err = Logged::new(record::Stream::Err, &self.log);
        let _ = writeln!(err, "{line}");
    }

    /// Prints diagnostics as `print` does. The log, which is kept beside
    /// the output, gets only how many there were and the summary line:
    /// diagnostics quote documents of every class, and nothing a build
    /// leaves on disk may hold what it does not publish.
    fn diagnostics(
        &self,
        checked: &Checked,
        diags: &[Diagnostic],
        style: &Style,
        with_sources: bool,
    ) -> Result<(), RunError> {
        print(checked, diags, style, with_sources)?;
        let mut log = Logged::log_only(record::Stream::Err, &self.log);
        use std::io::Write;
        if !diags.is_empty() {
            let n = diags.len();
            let s = if n == 1 { "" } else { "s" };
            let _ = writeln!(
                log,
                "{}",
                styrdok::tr!(
                    "(förra bygget rapporterade {n} problem här: `styrdok check` visar dem)",
                    "(the last build reported {n} problem{s} here: `styrdok check` shows them)"
                )
            );
        }
        let _ = writeln!(
            log,
            "{}",
            report::summary(diags, style.strict, checked.file_count())
        );
        Ok(())
    }
}

/// A stream that writes through to stdout or stderr and into the log, or
/// into the log only.
struct Logged<'a> {
    stream: record::Stream,
    log: &'a std::cell::RefCell<Vec<(record::Stream, Vec<u8>)>>,
    print: bool,
}

impl<'a> Logged<'a> {
    fn new(
        stream: record::Stream,
        log: &'a std::cell::RefCell<Vec<(record::Stream, Vec<u8>)>>,
    ) -> Self {
        Logged {
            stream,
            log,
            print: true,
        }
    }

    fn log_only(
        stream: record::Stream,
        log: &'a std::cell::RefCell<Vec<(record::Stream, Vec<u8>)>>,
    ) -> Self {
        Logged {
            print: false,
            ..Logged::new(stream, log)
        }
    }
}

impl std::io::Write for Logged<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.print {
            match self.stream {
                record::Stream::Out => std::io::stdout().write_all(buf)?,
                record::Stream::Err => std::io::stderr().write_all(buf)?,
            }
        }
        let mut log = self.log.borrow_mut();
        match log.last_mut() {
            Some((s, bytes)) if *s == self.stream => bytes.extend_from_slice(buf),
            _ => log.push((self.stream, buf.to_vec())),
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self.stream {
            record::Stream::Out => std::io::stdout().flush(),
            record::Stream::Err => std::io::stderr().flush(),
        }
    }
}

impl Observer for Printer {
    fn checked(&mut self, checked: &Checked) -> Result<(), RunError> {
        self.diagnostics(checked, &checked.diags, &self.style, true)
    }

    fn notes(
        &mut self,
        checked: &Checked,
        diags: &[Diagnostic],
        with_sources: bool,
    ) -> Result<(), RunError> {
        self.diagnostics(checked, diags, &Style::human(), with_sources)
    }

    fn progress(&mut self, line: String) {
        self.line(line);
    }

    fn lap(&mut self, stage: &str) {
        self.clock.lap(stage);
    }
}

/// `build --timings`: how long each stage took, on stderr.
struct Timings {
    on: bool,
    last: std::time::Instant,
}

impl Timings {
    fn new(on: bool) -> Self {
        Timings {
            on,
            last: std::time::Instant::now(),
        }
    }

    fn lap(&mut self, stage: &str) {
        let now = std::time::Instant::now();
        if self.on {
            eprintln!("timing: {stage}: {:.3} s", (now - self.last).as_secs_f64());
        }
        self.last = now;
    }
}

fn exit_for(failed: bool) -> ExitCode {
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
