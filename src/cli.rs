//! The command line (SPEC 1): one `Args` struct per subcommand; the common
//! flags are global, so they go before or after the subcommand alike.

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

use crate::model::Klassning;
use crate::report::Format;

/// Turns IT-security governance documents (Markdown in git) into a checked,
/// versioned static intranet site.
#[derive(Debug, Parser)]
#[command(name = "styrdok", version, about, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Site root, where styrdok.toml is; default: the current directory or
    /// the nearest one above it that has a styrdok.toml.
    #[arg(long, global = true, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// The date review rules use (YYYY-MM-DD); default today.
    #[arg(long, global = true, env = "STYRDOK_TODAY", value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub today: Option<NaiveDate>,
    /// The language of diagnostics (default the site's `language`).
    #[arg(
        long,
        global = true,
        env = "STYRDOK_LANG",
        value_enum,
        value_name = "sv|en"
    )]
    pub lang: Option<crate::config::Language>,
}

impl Cli {
    /// The site root: `--root` as given, else the current directory or the
    /// nearest directory above it with a `styrdok.toml` (as cargo finds
    /// `Cargo.toml`), so that `styrdok check` works from inside `content/`.
    pub fn site_root(&self) -> PathBuf {
        if let Some(root) = &self.root {
            return root.clone();
        }
        let here = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        here.ancestors()
            .find(|d| d.join(crate::config::FILE_NAME).is_file())
            .map_or_else(|| PathBuf::from("."), std::path::Path::to_path_buf)
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate, then render the site into the output directory.
    Build(BuildArgs),
    /// Validate only and print the problems.
    Check(CheckArgs),
    /// Build, serve and rebuild on change (live preview).
    Serve(ServeArgs),
    /// Build a review site of a change: the work tree (or --head) against
    /// a base revision, with what it adds, changes and removes.
    Review(ReviewArgs),
    /// Write a new site into DIR.
    Init(InitArgs),
    /// Create a new document from the theme's template.
    #[command(subcommand)]
    New(NewCommand),
}

/// `styrdok build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Turn warnings into errors.
    #[arg(long)]
    pub strict: bool,
    /// The most sensitive class to publish (overrides [publish] max_klassning).
    #[arg(long, value_name = "KLASS", value_parser = parse_klassning)]
    pub max_klassning: Option<Klassning>,
    /// Publish drafts (`utkast`, `remiss`) too (as [publish] drafts = true).
    #[arg(long)]
    pub drafts: bool,
    /// Also write each published document as a PDF under pdf/ (as
    /// [publish] pdf = true).
    #[arg(long)]
    pub pdf: bool,
    /// Write here instead of the configured output directory (relative to
    /// the current directory, as any path on the command line).
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// How to print problems (as for `check`).
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Print how long each stage took.
    #[arg(long)]
    pub timings: bool,
}

/// `styrdok check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Turn warnings into errors.
    #[arg(long)]
    pub strict: bool,
}

/// `styrdok serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: String,
    /// Port to listen on.
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Open the site in a browser.
    #[arg(long)]
    pub open: bool,
    /// Poll for changes instead of relying on file system events.
    #[arg(long)]
    pub poll: bool,
    /// Preview the review of the work tree against this revision (a
    /// branch, tag or commit), as `styrdok review --base REF` builds it.
    #[arg(long, value_name = "REF")]
    pub base: Option<String>,
}

/// `styrdok review`.
#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// The revision to compare against: a branch, tag or commit (default
    /// the repository's main branch).
    #[arg(long, value_name = "REF")]
    pub base: Option<String>,
    /// Review this revision instead of the work tree.
    #[arg(long, value_name = "REF")]
    pub head: Option<String>,
    /// Write here (default `output-review/` in the site root; relative to
    /// the current directory, as any path on the command line).
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// The most sensitive class to show (overrides [publish] max_klassning).
    #[arg(long, value_name = "KLASS", value_parser = parse_klassning)]
    pub max_klassning: Option<Klassning>,
    /// Print how long each stage took.
    #[arg(long)]
    pub timings: bool,
}

/// `styrdok init DIR`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Directory for the new site (created if missing).
    pub dir: PathBuf,
    /// The document set to write.
    #[arg(long, value_enum, default_value = "bits", value_name = "MALL")]
    pub mall: crate::scaffold::Mall,
}

/// Common options of `styrdok new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// Title (default by kind).
    #[arg(long, alias = "title")]
    pub titel: Option<String>,
    /// Id of the governing document (default: the policy).
    #[arg(long, alias = "överordnad", alias = "overordnad")]
    pub parent: Option<String>,
    /// Owning role, e.g. IT-chef.
    #[arg(long, alias = "dokumentägare")]
    pub owner: Option<String>,
    /// File to write, relative to the site root.
    #[arg(long)]
    pub path: Option<PathBuf>,
}

/// The kinds of `styrdok new`.
#[derive(Debug, Subcommand)]
pub enum NewCommand {
    /// A systemsäkerhetsplan for a system of the register.
    Plan {
        /// The system's id in systemregister.yaml (added there if missing).
        #[arg(value_name = "SYSTEM-ID")]
        system: String,
        #[command(flatten)]
        args: NewArgs,
    },
    /// An IT-säkerhetsinstruktion with a heading for every required area.
    Instruktion {
        /// förvaltning, drift or användare.
        #[arg(value_name = "KIND")]
        kind: String,
        #[command(flatten)]
        args: NewArgs,
    },
    /// Any other governing document.
    Dokument {
        /// The new document's id.
        #[arg(value_name = "ID")]
        id: String,
        /// One of the site's own types ([types.<name>] in styrdok.toml):
        /// the document gets a heading for each of its required sections.
        #[arg(long, value_name = "TYP")]
        typ: Option<String>,
        #[command(flatten)]
        args: NewArgs,
    },
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    crate::load::fields::parse_date(s).ok_or_else(|| format!("`{s}` is not a date; use YYYY-MM-DD"))
}

fn parse_klassning(s: &str) -> Result<Klassning, String> {
    Klassning::parse(s)
        .ok_or_else(|| format!("`{s}` is not a class; use {}", Klassning::expected()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn common_flags_go_before_or_after_the_subcommand() {
        let a = Cli::try_parse_from([
            "styrdok",
            "check",
            "--root",
            "site",
            "--format",
            "json",
            "--today",
            "2026-11-27",
        ])
        .unwrap();
        let b = Cli::try_parse_from([
            "styrdok",
            "--root",
            "site",
            "--today",
            "2026-11-27",
            "check",
            "--format",
            "json",
        ])
        .unwrap();
        assert_eq!(a.root, b.root);
        assert_eq!(a.today, b.today);
        assert!(matches!(
            a.command,
            Command::Check(CheckArgs {
                format: Format::Json,
                ..
            })
        ));
        assert!(Cli::try_parse_from(["styrdok", "check", "--today", "2026-13-01"]).is_err());
    }
}
