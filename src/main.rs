//! The `styrdok` binary: parses the command line and runs the stages.
//! Exit codes: 0 ok, 1 validation errors, 2 usage or I/O error.

use clap::Parser;
use std::process::ExitCode;

use styrdok::cli::{Cli, Command, NewCommand};
use styrdok::model::DocType;
use styrdok::render::Failure;
use styrdok::report::{self, Format};
use styrdok::scaffold::{self, NewRequest};
use styrdok::site::{self, Options, RunError};

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
    let today = cli
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let mut opts = Options {
        root: cli.site_root(),
        today,
        max_klassning: None,
        output_dir: None,
    };
    match cli.command {
        Command::Check(args) => {
            let checked = site::check(&opts)?;
            print(&checked, args.format, args.strict)?;
            Ok(exit_for(&checked.diags, args.strict))
        }
        Command::Build(args) => {
            opts.max_klassning = args.max_klassning;
            // A path typed on the command line is relative to where it was
            // typed; `output_dir` in styrdok.toml is relative to the root.
            opts.output_dir = match args.output {
                Some(o) => Some(
                    std::env::current_dir()
                        .map_err(|e| RunError(format!("cannot read the current directory: {e}")))?
                        .join(o),
                ),
                None => None,
            };
            let mut clock = Timings::new(args.timings);
            let checked = site::check(&opts)?;
            clock.lap("load, resolve, validate");
            print(&checked, args.format, args.strict)?;
            if checked.diags.iter().any(|d| d.is_failure(args.strict)) {
                eprintln!("build stopped: the output directory was not changed");
                return Ok(ExitCode::from(1));
            }
            let (history, notes) = site::history(&opts, &checked);
            clock.lap("history");
            if !notes.is_empty() {
                print_all(&checked, &notes)?;
            }
            let mut progress = |line: String| eprintln!("{line}");
            // Pages are written into a staging directory as they are
            // rendered; `output/` changes only when all of them are done.
            let staging = site::begin_write(&opts, &checked)?;
            match site::render_to(&opts, &checked, history.as_ref(), &mut progress, &staging) {
                // A tag's lines are not the work tree's: printed without source lines.
                Ok(notes) if !notes.is_empty() => print_without_sources(&checked, &notes)?,
                Ok(_) => {}
                Err(Failure::Site(d)) => {
                    print_one(&checked, d)?;
                    eprintln!("build stopped: the output directory was not changed");
                    return Ok(ExitCode::from(1));
                }
                Err(Failure::Write(e)) => return Err(RunError(e.to_string())),
            }
            clock.lap("render and write pages");
            let count = staging.count();
            staging.commit().map_err(|e| RunError(e.to_string()))?;
            clock.lap("swap in output");
            eprintln!(
                "built {count} files into {}",
                site::output_dir(&opts, &checked.config).display()
            );
            // The process ends here: freeing every document, outline and
            // revision one by one would only delay the exit.
            std::mem::forget(history);
            std::mem::forget(checked);
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve(args) => {
            let cfg = styrdok::serve::ServeConfig {
                bind: args.bind,
                port: args.port,
                open: args.open,
                poll: args.poll,
            };
            styrdok::serve::serve(&opts, &cfg)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Init(args) => {
            let base = cli.root.clone().unwrap_or_else(|| ".".into());
            let dir = base.join(&args.dir);
            let written = scaffold::init(&dir, today)?;
            for p in &written {
                println!("created {}", p.display());
            }
            println!(
                "next: cd {} && styrdok check && styrdok build",
                dir.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::New(new) => {
            let (kind, name, args) = match new {
                NewCommand::Plan { system, args } => (DocType::Plan, system, args),
                NewCommand::Instruktion { kind, args } => (DocType::Instruktion, kind, args),
                NewCommand::Dokument { id, args } => (DocType::Dokument, id, args),
            };
            let checked = site::check(&opts)?;
            let req = NewRequest {
                kind,
                name,
                titel: args.titel,
                parent: args.parent,
                owner: args.owner,
                path: args.path,
            };
            let created =
                scaffold::new_document(&opts.root, &checked.config, &checked.corpus, &req, today)?;
            println!("created {}", created.path.display());
            for n in created.notes {
                println!("note: {n}");
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn print(checked: &site::Checked, format: Format, strict: bool) -> Result<(), RunError> {
    let sources = checked.sources_for(&checked.diags);
    report::print(
        &checked.diags,
        &sources,
        checked.file_count(),
        format,
        strict,
    )
    .map_err(|e| RunError(format!("cannot print: {e}")))
}

fn print_one(checked: &site::Checked, d: styrdok::diagnostic::Diagnostic) -> Result<(), RunError> {
    print_all(checked, &[d])
}

fn print_all(
    checked: &site::Checked,
    diags: &[styrdok::diagnostic::Diagnostic],
) -> Result<(), RunError> {
    let sources = checked.sources_for(diags);
    report::print(diags, &sources, checked.file_count(), Format::Human, false)
        .map_err(|e| RunError(format!("cannot print: {e}")))
}

fn print_without_sources(
    checked: &site::Checked,
    diags: &[styrdok::diagnostic::Diagnostic],
) -> Result<(), RunError> {
    let none = std::collections::BTreeMap::new();
    report::print(diags, &none, checked.file_count(), Format::Human, false)
        .map_err(|e| RunError(format!("cannot print: {e}")))
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

fn exit_for(diags: &[styrdok::diagnostic::Diagnostic], strict: bool) -> ExitCode {
    if diags.iter().any(|d| d.is_failure(strict)) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
