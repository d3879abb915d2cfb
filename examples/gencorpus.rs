//! Generates a styrdok site of N documents of Swedish governance text, with
//! headings, lists, tables and 3–5 links per document to headings that
//! exist, and optionally a git history of M commits (1–5 files each, some
//! renames) and tags. Used by the benchmarks (see README, "Performance").
//!
//!     cargo run --release --example gencorpus -- DIR --docs 1000 [--commits 2000] [--tags 5]
//!
//! The history is written with `git fast-import`, so 2,000 commits take
//! about a second.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const AREAS: [&str; 8] = [
    "Syfte",
    "Ansvar",
    "Behörigheter",
    "Loggning",
    "Säkerhetskopiering",
    "Incidenter",
    "Uppföljning",
    "Dokumentation",
];
const WORDS: [&str; 24] = [
    "systemägaren",
    "ansvarar",
    "för",
    "att",
    "behörigheter",
    "granskas",
    "minst",
    "två",
    "gånger",
    "per",
    "år",
    "och",
    "att",
    "loggar",
    "sparas",
    "i",
    "tolv",
    "månader",
    "enligt",
    "kommunens",
    "rutiner",
    "informationen",
    "klassas",
    "skyddas",
];

struct Args {
    dir: PathBuf,
    docs: usize,
    commits: usize,
    tags: usize,
    /// Also lay the same bodies out as a Hugo site here.
    hugo: Option<PathBuf>,
    /// Also lay the same bodies out as an mdBook here.
    mdbook: Option<PathBuf>,
    /// Also lay the same bodies out as a Zola site here.
    zola: Option<PathBuf>,
}

fn parse() -> Args {
    let mut args = std::env::args().skip(1);
    let mut a = Args {
        dir: PathBuf::from("corpus"),
        docs: 1000,
        commits: 0,
        tags: 0,
        hugo: None,
        mdbook: None,
        zola: None,
    };
    while let Some(x) = args.next() {
        if x == "--hugo" || x == "--mdbook" || x == "--zola" {
            let dir = args.next().map(PathBuf::from);
            match x.as_str() {
                "--hugo" => a.hugo = dir,
                "--mdbook" => a.mdbook = dir,
                _ => a.zola = dir,
            }
            continue;
        }
        let mut num = |name: &str| {
            args.next()
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("{name} takes a number"))
        };
        match x.as_str() {
            "--docs" => a.docs = num("--docs"),
            "--commits" => a.commits = num("--commits"),
            "--tags" => a.tags = num("--tags"),
            other => a.dir = PathBuf::from(other),
        }
    }
    a
}

/// A small deterministic generator (xorshift), so corpora are reproducible.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn sentence(rng: &mut Rng) -> String {
    let n = 8 + rng.below(10);
    let mut s: Vec<&str> = (0..n).map(|_| WORDS[rng.below(WORDS.len())]).collect();
    let first = s[0].to_string();
    let mut cap = first.clone();
    if let Some(c) = first.chars().next() {
        cap = c.to_uppercase().collect::<String>() + &first[c.len_utf8()..];
    }
    s[0] = &cap;
    format!("{}.", s.join(" "))
}

/// Path of document `i` below content/.
fn path(i: usize) -> String {
    if i.is_multiple_of(10) {
        format!("planer/plan-{i:05}.md")
    } else {
        format!("dokument/avsnitt-{}/d{i:05}.md", i % 20)
    }
}

fn body(i: usize, n: usize, rng: &mut Rng, revision: usize) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "Detta dokument beskriver hur kommunen arbetar med området. Senast reviderat i revision {revision}.\n");
    let headings: &[&str] = if i.is_multiple_of(10) {
        &[
            "Systembeskrivning",
            "Informationsklassning",
            "Hot- och riskanalys",
            "Säkerhetsåtgärder",
            "Kontinuitetsplanering",
            "Driftgodkännande",
        ]
    } else {
        &AREAS
    };
    for (h, heading) in headings.iter().enumerate() {
        let _ = writeln!(s, "## {heading}\n");
        for _ in 0..2 {
            let _ = writeln!(s, "{} {} {}\n", sentence(rng), sentence(rng), sentence(rng));
        }
        if h == 1 {
            let _ = writeln!(
                s,
                "- {}\n- {}\n- {}\n",
                sentence(rng),
                sentence(rng),
                sentence(rng)
            );
        }
        if h == 2 {
            let _ = writeln!(s, "| Roll | Ansvar | Intervall |\n| --- | --- | --- |\n| Systemägare | Godkänner behörigheter | Årligen |\n| Systemförvaltare | Granskar loggar | Varje månad |\n");
        }
    }
    if revision > 0 {
        let _ = writeln!(s, "## Ändringar\n");
        let mut notes = Rng(0xabc ^ i as u64);
        for r in 1..=revision {
            let _ = writeln!(s, "- Revision {r}: {}", sentence(&mut notes));
        }
        s.push('\n');
    }
    let _ = writeln!(s, "## Hänvisningar\n");
    let links = 3 + rng.below(3);
    let here = path(i);
    let depth = here.matches('/').count();
    for _ in 0..links {
        let t = rng.below(n);
        let target_headings: &[&str] = if t.is_multiple_of(10) {
            &["Systembeskrivning", "Säkerhetsåtgärder"]
        } else {
            &AREAS
        };
        let heading = target_headings[rng.below(target_headings.len())];
        let anchor = heading.to_lowercase().replace(' ', "-");
        if t.is_multiple_of(10) {
            // Plans are never renamed: link by path, as a forge would.
            let _ = writeln!(
                s,
                "- [{heading} i plan {t}]({}{}#{anchor})",
                "../".repeat(depth),
                path(t)
            );
        } else {
            // Other documents may be renamed: link by id.
            let _ = writeln!(s, "- [{heading} i dokument {t}](id:d{t:05}#{anchor})");
        }
    }
    s
}

fn document(i: usize, n: usize, rng: &mut Rng, revision: usize) -> String {
    let (typ, extra) = if i.is_multiple_of(10) {
        (
            "systemsäkerhetsplan",
            format!("system: system-{i:05}\nhotbild_analyserad: 2026-06-01\ndriftgodkännande:\n  datum: 2026-06-15\n  beslutat_av: Systemägare\nfastställd: 2026-06-15\nfastställd_av: Systemägare\n"),
        )
    } else {
        ("dokument", String::new())
    };
    let status = if i.is_multiple_of(10) {
        "fastställd"
    } else {
        "utkast"
    };
    format!(
        "---\ntitel: Dokument {i}\ntyp: {typ}\nid: d{i:05}\nstatus: {status}\nversion: \"1.{revision}\"\ndokumentägare: IT-säkerhetssamordnare\nnästa_revision: 2027-09-30\nklassning: intern\növerordnad: policy\n{extra}---\n\n{}",
        body(i, n, rng, revision)
    )
}

fn fixed_files() -> Vec<(String, String)> {
    let areas = |list: &[&str]| {
        list.iter()
            .map(|a| format!("## {a}\n\nRegler för området {a}.\n"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let head = |id: &str, kind: &str| {
        format!("---\ntitel: Instruktion {id}\ntyp: instruktion\ninstruktion: {kind}\nid: {id}\nstatus: utkast\nversion: \"1\"\ndokumentägare: IT-chef\nnästa_revision: 2027-09-30\növerordnad: policy\n---\n\n")
    };
    vec![
        ("styrdok.toml".into(), "title = \"Genererad kommun\"\n".into()),
        ("content/policy.md".into(), "---\ntitel: IT-säkerhetspolicy\ntyp: policy\nid: policy\nstatus: utkast\nversion: \"1\"\ndokumentägare: IT-säkerhetssamordnare\nnästa_revision: 2027-09-30\nklassning: öppen\n---\n\n## Inledning\n\nPolicyn gäller alla.\n".into()),
        ("content/instruktioner/forvaltning.md".into(), head("förvaltning", "förvaltning") + &areas(&["Behörighetsadministration", "Behörighetskontroll", "Loggning och sårbarhet", "Distansarbete", "Drift och förvaltning", "Tillträdesskydd", "Säkerhetskopiering och lagring", "Avveckling av datamedia", "Datakommunikation"])),
        ("content/instruktioner/drift.md".into(), head("drift", "drift") + &areas(&["System- och driftdokumentation", "Förvaring av datamedia", "Bemanning", "Tillträdes- och brandskydd", "Elförsörjning", "Regler för säkerhetskopiering"])),
        ("content/instruktioner/anvandare.md".into(), head("användare", "användare") + &areas(&["Informationsklassning", "Distansarbete", "IT-incidenthantering", "Säkerhetskopiering och lagring", "E-post", "Användning av Internet"])),
    ]
}

fn register(n: usize) -> String {
    let mut s = String::new();
    for i in (0..n).step_by(10) {
        let _ = write!(s, "- id: system-{i:05}\n  namn: System {i}\n  systemägare: Förvaltningschef\n  samhällsviktigt: true\n  klassning: intern\n");
    }
    s
}

fn write_files(dir: &Path, n: usize) {
    let mut rng = Rng(0x5eed);
    for (p, text) in fixed_files() {
        write(&dir.join(p), &text);
    }
    write(&dir.join("content/systemregister.yaml"), &register(n));
    for i in 0..n {
        write(
            &dir.join("content").join(path(i)),
            &document(i, n, &mut rng, 0),
        );
    }
}

fn write(p: &Path, text: &str) {
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, text).expect("write");
}

/// Writes the history with `git fast-import`: an initial commit of the
/// whole site, then commits of 1–5 files each, every 50th a rename, and
/// tags spread over the history. The work tree ends equal to the last commit.
fn history(dir: &Path, n: usize, commits: usize, tags: usize) {
    let run = |args: &[&str]| {
        let ok = Command::new("git")
            .args(args)
            .current_dir(dir)
            .status()
            .expect("git")
            .success();
        assert!(ok, "git {args:?}");
    };
    run(&["init", "-q", "-b", "main"]);
    let mut rng = Rng(0xc0ffee);
    let mut stream = String::new();
    let mut mark = 0usize;
    let mut paths: Vec<String> = (0..n).map(path).collect();
    let mut revision = vec![0usize; n];
    let commit = |stream: &mut String,
                  mark: &mut usize,
                  files: Vec<(String, String)>,
                  deletes: Vec<String>,
                  msg: &str,
                  time: u64| {
        *mark += 1;
        let _ = write!(stream, "commit refs/heads/main\nmark :{mark}\nauthor Åsa Öberg <asa@example.se> {time} +0100\ncommitter Åsa Öberg <asa@example.se> {time} +0100\ndata {}\n{msg}\n", msg.len());
        for d in deletes {
            let _ = writeln!(stream, "D {d}");
        }
        for (p, text) in files {
            let _ = write!(stream, "M 100644 inline {p}\ndata {}\n{text}\n", text.len());
        }
    };
    let mut first: Vec<(String, String)> = fixed_files();
    first.push(("content/systemregister.yaml".into(), register(n)));
    for (i, p) in paths.iter().enumerate() {
        let mut doc_rng = Rng(0x5eed ^ (i as u64 + 1));
        first.push((format!("content/{p}"), document(i, n, &mut doc_rng, 0)));
    }
    let start = 1_767_225_600; // 2026-01-01
    commit(
        &mut stream,
        &mut mark,
        first,
        Vec::new(),
        "Första versionen",
        start,
    );
    let tag_every = commits.checked_div(tags).map_or(usize::MAX, |n| n.max(1));
    for c in 1..commits {
        let k = 1 + rng.below(5);
        let mut files = Vec::new();
        let mut deletes = Vec::new();
        for _ in 0..k {
            let i = rng.below(n);
            revision[i] += 1;
            let mut text_rng = Rng(0x5eed ^ (i as u64 + 1));
            let text = document(i, n, &mut text_rng, revision[i]);
            if c % 50 == 0 && !i.is_multiple_of(10) && !paths[i].contains("-flyttad") {
                deletes.push(format!("content/{}", paths[i]));
                paths[i] = paths[i].replace(".md", "-flyttad.md");
            }
            files.push((format!("content/{}", paths[i]), text));
        }
        commit(
            &mut stream,
            &mut mark,
            files,
            deletes,
            &format!("Revision {c}"),
            start + c as u64 * 3600,
        );
        if (c + 1) % tag_every == 0 {
            let _ = writeln!(
                stream,
                "reset refs/tags/v{}\nfrom :{mark}\n",
                (c + 1) / tag_every
            );
        }
    }
    let mut child = Command::new("git")
        .args(["fast-import", "--quiet"])
        .current_dir(dir)
        .stdin(Stdio::piped())
        .spawn()
        .expect("fast-import");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stream.as_bytes())
        .expect("stream");
    assert!(child.wait().expect("wait").success());
    run(&["checkout", "-q", "-f", "main"]);
    run(&["clean", "-qfd"]);
    // fast-import writes long delta chains; repack as `git gc` would.
    run(&["repack", "-adfq"]);
}

/// The same document bodies as a Hugo site: front matter with the title
/// only, and minimal layouts that render the content.
fn write_hugo(dir: &Path, n: usize) {
    write(&dir.join("hugo.toml"), "baseURL = \"/\"\ntitle = \"Genererad kommun\"\ndisableKinds = [\"taxonomy\", \"term\", \"RSS\", \"sitemap\"]\n");
    let page = "<!DOCTYPE html>\n<html lang=\"sv\"><head><meta charset=\"utf-8\"><title>{{ .Title }}</title></head>\n<body><nav><a href=\"/\">Start</a></nav><main><h1>{{ .Title }}</h1>{{ .Content }}</main></body></html>\n";
    write(&dir.join("layouts/_default/single.html"), page);
    write(&dir.join("layouts/_default/list.html"), "<!DOCTYPE html>\n<html lang=\"sv\"><head><meta charset=\"utf-8\"><title>{{ .Title }}</title></head>\n<body><ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul></body></html>\n");
    write(&dir.join("layouts/index.html"), "<!DOCTYPE html>\n<html lang=\"sv\"><head><meta charset=\"utf-8\"><title>{{ .Site.Title }}</title></head>\n<body><ul>{{ range .Site.RegularPages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul></body></html>\n");
    for i in 0..n {
        let mut rng = Rng(0x5eed ^ (i as u64 + 1));
        let text = document(i, n, &mut rng, 0);
        let body = text.split_once("\n---\n").map_or(text.as_str(), |(_, b)| b);
        write(
            &dir.join("content").join(path(i)),
            &format!("---\ntitle: \"Dokument {i}\"\n---\n{body}"),
        );
    }
}

/// The same document bodies as a Zola site: TOML front matter with the
/// title only, a section page per folder, minimal templates; the search
/// index is on (`build_search_index`), as styrdok always writes one. Zola's
/// own `zola build` reads `config.toml`; `config-nosearch.toml` turns the
/// index off for the comparison without it.
fn write_zola(dir: &Path, n: usize) {
    let config = "base_url = \"/\"\ntitle = \"Genererad kommun\"\ndefault_language = \"sv\"\ncompile_sass = false\nbuild_search_index = true\ngenerate_feeds = false\n\n[search]\ninclude_content = true\n\n[markdown]\n";
    write(&dir.join("config.toml"), config);
    write(
        &dir.join("config-nosearch.toml"),
        &config.replace("build_search_index = true", "build_search_index = false"),
    );
    let page = "<!DOCTYPE html>\n<html lang=\"sv\"><head><meta charset=\"utf-8\"><title>{{ page.title }}</title></head>\n<body><nav><a href=\"/\">Start</a></nav><main><h1>{{ page.title }}</h1>{{ page.content | safe }}</main></body></html>\n";
    write(&dir.join("templates/page.html"), page);
    let list = "<!DOCTYPE html>\n<html lang=\"sv\"><head><meta charset=\"utf-8\"><title>{{ section.title }}</title></head>\n<body><ul>{% for p in section.pages %}<li><a href=\"{{ p.permalink }}\">{{ p.title }}</a></li>{% endfor %}</ul></body></html>\n";
    write(&dir.join("templates/section.html"), list);
    write(&dir.join("templates/index.html"), list);
    let mut sections = std::collections::BTreeSet::new();
    for i in 0..n {
        let mut rng = Rng(0x5eed ^ (i as u64 + 1));
        let text = document(i, n, &mut rng, 0);
        let body = text.split_once("\n---\n").map_or(text.as_str(), |(_, b)| b);
        let rel = path(i);
        let mut folder = Path::new(&rel).parent();
        while let Some(f) = folder.filter(|f| !f.as_os_str().is_empty()) {
            sections.insert(f.to_path_buf());
            folder = f.parent();
        }
        write(
            &dir.join("content").join(&rel),
            &format!("+++\ntitle = \"Dokument {i}\"\n+++\n{body}"),
        );
    }
    write(
        &dir.join("content/_index.md"),
        "+++\ntitle = \"Start\"\n+++\n",
    );
    for s in sections {
        write(
            &dir.join("content").join(&s).join("_index.md"),
            &format!("+++\ntitle = \"{}\"\n+++\n", s.display()),
        );
    }
}

/// The same document bodies as an mdBook: one chapter per document.
fn write_mdbook(dir: &Path, n: usize) {
    write(
        &dir.join("book.toml"),
        "[book]\ntitle = \"Genererad kommun\"\nlanguage = \"sv\"\nsrc = \"src\"\n\n[output.html]\n",
    );
    let mut summary = String::from("# Summary\n\n");
    for i in 0..n {
        let mut rng = Rng(0x5eed ^ (i as u64 + 1));
        let text = document(i, n, &mut rng, 0);
        let body = text.split_once("\n---\n").map_or(text.as_str(), |(_, b)| b);
        write(
            &dir.join("src").join(path(i)),
            &format!("# Dokument {i}\n{body}"),
        );
        summary.push_str(&format!("- [Dokument {i}]({})\n", path(i)));
    }
    write(&dir.join("src/SUMMARY.md"), &summary);
}

fn main() {
    let a = parse();
    std::fs::create_dir_all(&a.dir).expect("mkdir");
    if let Some(dir) = &a.hugo {
        write_hugo(dir, a.docs);
    }
    if let Some(dir) = &a.mdbook {
        write_mdbook(dir, a.docs);
    }
    if let Some(dir) = &a.zola {
        write_zola(dir, a.docs);
    }
    if a.commits > 0 {
        history(&a.dir, a.docs, a.commits, a.tags);
    } else {
        write_files(&a.dir, a.docs);
    }
    eprintln!(
        "wrote {} documents{} into {}",
        a.docs,
        if a.commits > 0 {
            format!(", {} commits, {} tags", a.commits, a.tags)
        } else {
            String::new()
        },
        a.dir.display()
    );
}
