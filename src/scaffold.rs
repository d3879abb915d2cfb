//! `styrdok init` (a new site from the embedded skeleton) and `styrdok new`
//! (a new document from the theme's template, front matter filled in).

use chrono::{Months, NaiveDate};
use std::path::{Path, PathBuf};

use crate::config::{Config, Requirement};
use crate::markdown::slug;
use crate::model::{DocType, InstructionKind};
use crate::pipeline::RunError;
use crate::theme::Theme;

/// The embedded files of one document set, `scaffold/<set>/<path>`.
macro_rules! skeleton {
    ($set:literal: $($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("../scaffold/", $set, "/", $path)))),*]
    };
}

/// The document set `init` writes (`--mall`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Mall {
    /// The seed's BITS set: IT-säkerhetspolicy, three
    /// IT-säkerhetsinstruktioner, a systemsäkerhetsplan, the system
    /// register and the annual goals.
    #[default]
    Bits,
    /// MSB's method support (ISO/IEC 27001): informationssäkerhetspolicy,
    /// riktlinjer, rutiner, a klassningsmodell and a tillämpningsförklaring,
    /// as the site's own types in its `styrdok.toml`.
    Iso,
}

impl Mall {
    /// The files the set writes, relative to the new site's root.
    fn files(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Mall::Bits => BITS,
            Mall::Iso => ISO,
        }
    }
}

/// `--mall bits`: the seed's set, as drafts.
const BITS: &[(&str, &str)] = skeleton!["bits":
    "styrdok.toml",
    "content/it-sakerhetspolicy.md",
    "content/instruktioner/forvaltning.md",
    "content/instruktioner/drift.md",
    "content/instruktioner/anvandare.md",
    "content/planer/exempelsystem.md",
    "content/systemregister.yaml",
    "content/arsmal/arsmal.md",
];

/// `--mall iso`: data only; its types and fields are in its `styrdok.toml`.
const ISO: &[(&str, &str)] = skeleton!["iso":
    "styrdok.toml",
    "content/README.md",
    "content/informationssakerhetspolicy.md",
    "content/riktlinje/informationsklassning.md",
    "content/riktlinje/behorighetshantering.md",
    "content/riktlinje/incidenthantering.md",
    "content/riktlinje/kontinuitet.md",
    "content/rutin/behorighet.md",
    "content/rutin/incidentrapportering.md",
    "content/rutin/aterlasningstest.md",
    "content/klassningsmodell.md",
    "content/tillampningsforklaring.md",
];

fn next_revision(today: NaiveDate) -> NaiveDate {
    today.checked_add_months(Months::new(12)).unwrap_or(today)
}

/// Writes a new site of the set `mall` into `dir`; returns the files
/// written. `{{today}}`, `{{next_revision}}` and `{{year}}` in the files
/// become today's date, the date a year from now and this year.
pub fn init(dir: &Path, mall: Mall, today: NaiveDate) -> Result<Vec<PathBuf>, RunError> {
    if dir.join(crate::config::FILE_NAME).exists() {
        let dir = dir.display();
        return Err(RunError(crate::tr!(
            "{dir} har redan en styrdok.toml, som inte skrivs över",
            "{dir} already has a styrdok.toml; not overwriting it"
        )));
    }
    let content = dir.join("content");
    if content.is_dir()
        && std::fs::read_dir(&content)
            .map(|mut d| d.next().is_some())
            .unwrap_or(false)
    {
        let content = content.display();
        return Err(RunError(crate::tr!(
            "{content} är inte tom, och inget i den skrivs över",
            "{content} is not empty; not overwriting it"
        )));
    }
    let mut written = Vec::new();
    let next = next_revision(today).to_string();
    let year = today.format("%Y").to_string();
    let today = today.to_string();
    let mut files: Vec<(&str, String)> = mall
        .files()
        .iter()
        .map(|(p, text)| {
            (
                *p,
                text.replace("{{today}}", &today)
                    .replace("{{next_revision}}", &next)
                    .replace("{{year}}", &year),
            )
        })
        .collect();
    // The output, and what a build keeps beside it (the spare it reuses
    // and the manifests): generated, never committed.
    files.push((
        ".gitignore",
        "/output/\n/.output.styrdok-*\n/output-review/\n/.output-review.styrdok-*\n".to_string(),
    ));
    for (rel, text) in files {
        let path = crate::platform::join_rel(dir, rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                let p = parent.display();
                RunError(crate::tr!(
                    "kan inte skapa {p}: {e}",
                    "cannot create {p}: {e}"
                ))
            })?;
        }
        if rel == ".gitignore" && path.exists() {
            continue;
        }
        std::fs::write(&path, text).map_err(|e| {
            let p = path.display();
            RunError(crate::tr!(
                "kan inte skriva {p}: {e}",
                "cannot write {p}: {e}"
            ))
        })?;
        written.push(path);
    }
    Ok(written)
}

/// What `styrdok new` is asked to create.
#[derive(Debug, Clone)]
pub struct NewRequest {
    /// The kind of document.
    pub kind: DocType,
    /// System id (plan), instruction kind (instruktion) or id (dokument).
    pub name: String,
    /// Title; a sensible default per kind.
    pub titel: Option<String>,
    /// Governing document id; default the policy.
    pub parent: Option<String>,
    /// Owning role.
    pub owner: Option<String>,
    /// File to write, relative to the site root; default by kind.
    pub path: Option<PathBuf>,
    /// For `dokument`: one of the site's own types (`[types.<name>]`).
    pub own_type: Option<String>,
}

/// What `new` did.
#[derive(Debug)]
pub struct Created {
    /// The new document.
    pub path: PathBuf,
    /// A note for the user, e.g. that the register got a new system.
    pub notes: Vec<String>,
}

/// What a new document is made from: the theme's `new/` template, where it
/// goes by default, and the values its `{{placeholders}}` take.
struct Draft {
    template: &'static str,
    default_path: PathBuf,
    fields: Vec<(&'static str, String)>,
}

impl Draft {
    /// The new document's id.
    fn id(&self) -> &str {
        self.fields
            .iter()
            .find(|(k, _)| *k == "id")
            .map_or("", |(_, v)| v.as_str())
    }
}

/// Creates a new document from the theme's template.
pub fn new_document(
    root: &Path,
    config: &Config,
    corpus: &crate::model::Corpus,
    req: &NewRequest,
    today: NaiveDate,
) -> Result<Created, RunError> {
    let theme = Theme::load(root, &config.theme).map_err(|d| RunError(d.message))?;
    let content = root.join(&config.content_dir);
    let policy = corpus
        .documents
        .iter()
        .find(|d| d.doc_type() == DocType::Policy)
        .map_or_else(|| "it-säkerhetspolicy".to_string(), |d| d.id.clone());
    let parent = req.parent.clone().unwrap_or(policy);
    let mut notes = Vec::new();
    let draft = match req.kind {
        DocType::Plan => plan_draft(&content, config, corpus, req, &mut notes)?,
        DocType::Instruktion => instruction_draft(&content, config, req)?,
        _ => document_draft(&content, req)?,
    };
    let own = own_type(config, req)?;
    if corpus.by_id.contains_key(draft.id()) {
        let id = draft.id();
        return Err(RunError(crate::tr!(
            "det finns redan ett dokument med id `{id}`",
            "a document with id `{id}` already exists"
        )));
    }
    let path = match (&req.path, own) {
        (Some(p), _) => inside_content(root, &content, p)?,
        // A type's documents in a folder of their own: `riktlinje/`.
        (None, Some((name, _))) => content
            .join(file_stem(name))
            .join(format!("{}.md", file_stem(draft.id()))),
        (None, None) => draft.default_path.clone(),
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    if name.is_some_and(|n| crate::model::is_page_path(&n)) {
        let p = path.display();
        return Err(RunError(crate::tr!(
            "{p} skulle bli en start- eller mappsida (index.md, README.md), inte ett styrande dokument; välj ett annat filnamn",
            "{p} would be a start or folder page (index.md, README.md), not a governing document; choose another file name"
        )));
    }
    if path.exists() {
        let p = path.display();
        return Err(RunError(crate::tr!(
            "{p} finns redan och skrivs inte över",
            "{p} already exists; not overwriting it"
        )));
    }
    let text = theme.new_templates.get(draft.template).ok_or_else(|| {
        let t = draft.template;
        RunError(crate::tr!(
            "temat har ingen mall new/{t}.md",
            "the theme has no template new/{t}.md"
        ))
    })?;
    let mut out = fill(text, &draft.fields, &parent, today);
    if let Some((name, def)) = own {
        out = as_own_type(&out, name, def);
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| {
            let p = dir.display();
            RunError(crate::tr!(
                "kan inte skapa {p}: {e}",
                "cannot create {p}: {e}"
            ))
        })?;
    }
    std::fs::write(&path, out).map_err(|e| {
        let p = path.display();
        RunError(crate::tr!(
            "kan inte skriva {p}: {e}",
            "cannot write {p}: {e}"
        ))
    })?;
    Ok(Created { path, notes })
}

/// `--path`, relative to the site root: it must name a `.md` file inside
/// the content directory, or the new document would not be part of the
/// site.
fn inside_content(root: &Path, content: &Path, p: &Path) -> Result<PathBuf, RunError> {
    let path = lexical(&root.join(p));
    match (path, lexical(content)) {
        (Some(path), Some(content))
            if path.starts_with(&content) && path.extension().is_some_and(|e| e == "md") =>
        {
            Ok(path)
        }
        _ => {
            let (p, content) = (p.display(), content.display());
            Err(RunError(crate::tr!(
                "--path {p} måste ange en .md-fil i {content}",
                "--path {p} must name a .md file inside {content}"
            )))
        }
    }
}

/// `p` with `.` and `..` resolved as text; `None` if it climbs above its start.
fn lexical(p: &Path) -> Option<PathBuf> {
    p.components()
        .try_fold(PathBuf::new(), |mut acc, c| match c {
            std::path::Component::ParentDir => acc.pop().then_some(acc),
            std::path::Component::CurDir => Some(acc),
            other => {
                acc.push(other);
                Some(acc)
            }
        })
}

/// The template's text with its placeholders filled in.
fn fill(text: &str, fields: &[(&str, String)], parent: &str, today: NaiveDate) -> String {
    let mut out = text
        .replace("{{today}}", &today.to_string())
        .replace("{{next_revision}}", &next_revision(today).to_string());
    out = out.replace("{{överordnad}}", &yaml_scalar(parent));
    for (key, value) in fields {
        let v = if *key == "sections" || *key == "system_name" {
            value.clone()
        } else {
            yaml_scalar(value)
        };
        out = out.replace(&format!("{{{{{key}}}}}"), &v);
    }
    out
}

/// A plan for the system `req.name`; a system missing from the register is
/// added there (with a note).
fn plan_draft(
    content: &Path,
    config: &Config,
    corpus: &crate::model::Corpus,
    req: &NewRequest,
    notes: &mut Vec<String>,
) -> Result<Draft, RunError> {
    let system = req.name.trim();
    if system.is_empty() || system.contains(char::is_whitespace) {
        return Err(RunError(crate::tr!(
            "`{system}` är inget system-id: använd id:t i systemregistret, t.ex. `lonesystem`",
            "`{system}` is not a system id: use the register's id, e.g. `lonesystem`"
        )));
    }
    let known = corpus.system(system);
    if known.is_none() {
        add_to_register(content, system, req.owner.as_deref())?;
        notes.push(format!("added system `{system}` to {}/systemregister.yaml; fill in its name, owner and classification", config.content_dir.display()));
    }
    let system_name = known.map_or_else(|| system.to_string(), |s| s.name().to_string());
    let owner = req
        .owner
        .clone()
        .or_else(|| known.and_then(|s| s.systemagare.as_ref().map(|o| o.value.clone())));
    let titel = req
        .titel
        .clone()
        .unwrap_or_else(|| format!("Systemsäkerhetsplan {system_name}"));
    Ok(Draft {
        template: "plan",
        default_path: content
            .join("planer")
            .join(format!("{}.md", file_stem(system))),
        fields: vec![
            ("titel", titel),
            ("id", format!("plan-{system}")),
            ("system", system.to_string()),
            ("system_name", system_name),
            (
                "dokumentägare",
                owner.unwrap_or_else(|| "Systemägare".into()),
            ),
            ("sections", sections(&config.plan.sections)),
        ],
    })
}

/// One of the three instructions, with a heading for every required area.
fn instruction_draft(content: &Path, config: &Config, req: &NewRequest) -> Result<Draft, RunError> {
    let kind = InstructionKind::parse(&req.name.to_lowercase())
        .or_else(|| match req.name.to_lowercase().as_str() {
            "forvaltning" => Some(InstructionKind::Forvaltning),
            "anvandare" => Some(InstructionKind::Anvandare),
            _ => None,
        })
        .ok_or_else(|| {
            let name = &req.name;
            RunError(crate::tr!(
                "`{name}` är ingen instruktion: använd förvaltning, drift eller användare",
                "`{name}` is not an instruction: use förvaltning, drift or användare"
            ))
        })?;
    let label = match kind {
        InstructionKind::Forvaltning => "Förvaltning",
        InstructionKind::Drift => "Drift",
        InstructionKind::Anvandare => "Användare",
    };
    let titel = req
        .titel
        .clone()
        .unwrap_or_else(|| format!("IT-säkerhetsinstruktion: {label}"));
    let owner = req
        .owner
        .clone()
        .unwrap_or_else(|| "IT-säkerhetssamordnare".into());
    Ok(Draft {
        template: "instruktion",
        default_path: content
            .join("instruktioner")
            .join(format!("{}.md", file_stem(kind.as_str()))),
        fields: vec![
            ("titel", titel),
            ("id", kind.as_str().to_string()),
            ("instruktion", kind.as_str().to_string()),
            ("dokumentägare", owner),
            ("sections", sections(config.areas.of(kind))),
        ],
    })
}

/// Any other governing document, by id.
fn document_draft(content: &Path, req: &NewRequest) -> Result<Draft, RunError> {
    let id = req.name.trim();
    if id.is_empty() {
        return Err(RunError(crate::tr!(
            "ge det nya dokumentet ett id, t.ex. `styrdok new dokument rutin-loggning`",
            "give the new document an id, e.g. `styrdok new dokument rutin-loggning`"
        )));
    }
    let owner = req
        .owner
        .clone()
        .unwrap_or_else(|| "IT-säkerhetssamordnare".into());
    Ok(Draft {
        template: "dokument",
        default_path: content
            .join("dokument")
            .join(format!("{}.md", file_stem(id))),
        fields: vec![
            ("titel", req.titel.clone().unwrap_or_else(|| id.to_string())),
            ("id", id.to_string()),
            ("dokumentägare", owner),
        ],
    })
}

/// The site's own type a `dokument` is asked to be, checked.
fn own_type<'c>(
    config: &'c Config,
    req: &NewRequest,
) -> Result<Option<(&'c str, &'c crate::schema::TypeDef)>, RunError> {
    let Some(name) = &req.own_type else {
        return Ok(None);
    };
    match config.types.get_key_value(&crate::load::nfc(name)) {
        Some((n, def)) => Ok(Some((n.as_str(), def))),
        None => {
            let known: Vec<&str> = config.types.keys().map(String::as_str).collect();
            let known = known.join(", ");
            Err(RunError(if known.is_empty() {
                crate::tr!(
                    "--typ {name}: styrdok.toml anger inga egna dokumenttyper ([types.<namn>])",
                    "--typ {name}: styrdok.toml declares no types of its own ([types.<name>])"
                )
            } else {
                crate::tr!(
                    "--typ {name} är inte en av webbplatsens typer: {known}",
                    "--typ {name} is not one of the site's types: {known}"
                )
            }))
        }
    }
}

/// A drafted `dokument` made one of the site's own type: `typ` named, no
/// `nästa_revision` when the type has no review date, and a heading for
/// each required section in place of the template's body.
fn as_own_type(text: &str, name: &str, def: &crate::schema::TypeDef) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_front = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_end() == "---" {
            in_front += 1;
            out.push_str(line);
            if in_front == 2 && !def.sections.is_empty() {
                for s in &def.sections {
                    out.push_str(&format!("\n## {}\n\nSkriv texten här.\n", s.name()));
                }
                return out;
            }
            continue;
        }
        if in_front == 1 && line.starts_with("typ:") {
            out.push_str(&format!("typ: {}\n", yaml_scalar(name)));
        } else if in_front == 1 && !def.review_date && line.starts_with("nästa_revision:") {
            continue;
        } else {
            out.push_str(line);
        }
    }
    out
}

/// A file name for an id: its slug, ASCII letters kept as they are.
fn file_stem(id: &str) -> String {
    let s: String = slug(id)
        .chars()
        .map(|c| match c {
            'å' | 'ä' => 'a',
            'ö' => 'o',
            'é' => 'e',
            c => c,
        })
        .collect();
    if s.is_empty() {
        "dokument".into()
    } else {
        s
    }
}

fn sections(reqs: &[Requirement]) -> String {
    let mut s = String::new();
    for r in reqs {
        s.push_str(&format!("## {}\n\n{}\n\n", r.name(), guidance(r.name())));
    }
    s.trim_end().to_string()
}

fn guidance(section: &str) -> &'static str {
    match section {
        "Systembeskrivning" => "Beskriv systemets syfte, användare, ingående delar, integrationer och driftmiljö.",
        "Informationsklassning" => "Klassa informationen i systemet med avseende på konfidentialitet, riktighet och tillgänglighet.",
        "Hot- och riskanalys" => "Redovisa hot, sannolikhet, konsekvens, risknivå och åtgärd, och när analysen senast gjordes.",
        "Säkerhetsåtgärder" => "Beskriv behörighetsstyrning, loggning, skydd mot skadlig kod, säkerhetskopiering och fysiskt skydd.",
        "Kontinuitetsplanering" => "Ange maximal avbrottstid och dataförlust, reservrutiner och hur återstart prövas.",
        "Driftgodkännande" => "Redovisa systemägarens beslut om driftgodkännande: datum, underlag, villkor och accepterade risker.",
        _ => "Beskriv de regler och rutiner som gäller för området, vem som ansvarar och hur efterlevnaden följs upp.",
    }
}

/// A YAML scalar: plain where that is unambiguous, double-quoted otherwise.
fn yaml_scalar(s: &str) -> String {
    let plain_ok = !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ' ' | '(' | ')' | '/'))
        && !s.starts_with(['-', ' ', '.'])
        && !s.ends_with(' ')
        && !matches!(s, "true" | "false" | "null" | "yes" | "no" | "~")
        && s.parse::<f64>().is_err();
    if plain_ok {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""))
    }
}

/// Appends a system to the register (creating it if needed).
fn add_to_register(content: &Path, id: &str, owner: Option<&str>) -> Result<(), RunError> {
    let path = content.join(crate::load::REGISTER_FILE);
    let mut text = std::fs::read_to_string(&path).unwrap_or_default();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(&format!(
        "\n- id: {}\n  namn: {}\n  systemägare: {}\n  samhällsviktigt: true\n  klassning: intern\n",
        yaml_scalar(id),
        yaml_scalar(id),
        yaml_scalar(owner.unwrap_or("Systemägare"))
    ));
    std::fs::create_dir_all(content).map_err(|e| {
        let p = content.display();
        RunError(crate::tr!(
            "kan inte skapa {p}: {e}",
            "cannot create {p}: {e}"
        ))
    })?;
    std::fs::write(&path, text).map_err(|e| {
        let p = path.display();
        RunError(crate::tr!(
            "kan inte skriva {p}: {e}",
            "cannot write {p}: {e}"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_are_quoted_when_needed() {
        assert_eq!(yaml_scalar("plan-lon"), "plan-lon");
        assert_eq!(
            yaml_scalar("IT-säkerhetsinstruktion: Drift"),
            "\"IT-säkerhetsinstruktion: Drift\""
        );
        assert_eq!(yaml_scalar("1.0"), "\"1.0\"");
        assert_eq!(yaml_scalar("true"), "\"true\"");
    }

    #[test]
    fn file_stems_are_ascii() {
        assert_eq!(file_stem("användare"), "anvandare");
        assert_eq!(file_stem("Rutin för loggning"), "rutin-for-loggning");
    }
}
