//! Front matter: splitting it from the body (gray_matter) while keeping the
//! byte offsets, and reading it into a typed `Meta` with a diagnostic at the
//! key or value for every problem.

use gray_matter::engine::Engine;
use gray_matter::{Matter, Pod};

use super::fields::FieldReader;
use super::required::check_required;
use super::yaml::{self, Node, Value};
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::model::{
    Approval, DocType, Goal, GoalStatus, InstructionKind, Klassning, Meta, Spanned, Status,
};
use crate::schema::{Fields, Schema};
use crate::source::SourceFile;

/// The keys of SPEC 4.1.
pub const KEYS: &[&str] = &[
    "titel",
    "typ",
    "id",
    "status",
    "version",
    "dokumentägare",
    "fastställd",
    "fastställd_av",
    "nästa_revision",
    "klassning",
    "överordnad",
    "instruktion",
    "system",
    "driftgodkännande",
    "hotbild_analyserad",
    "mål",
    "upphävd",
    "ersatt_av",
];

const GOAL_KEYS: &[&str] = &[
    "vad",
    "sluttid",
    "resurser",
    "uppföljning",
    "information",
    "status",
];
const APPROVAL_KEYS: &[&str] = &["datum", "beslutat_av"];

/// Where the front matter and the body are in a normalised file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// Byte range of the YAML text between the delimiters, if any.
    pub yaml: Option<(usize, usize)>,
    /// Byte offset where the Markdown body starts.
    pub body_offset: usize,
}

/// Runs gray_matter for the split only; the YAML is read by `yaml::parse`,
/// which keeps positions.
struct SplitOnly;

impl Engine for SplitOnly {
    fn parse(_content: &str) -> gray_matter::Result<Pod> {
        Ok(Pod::Null)
    }
}

/// Splits front matter from body. `Err` is a diagnostic for a missing or
/// unclosed front matter block.
pub fn split(file: &SourceFile) -> Result<Split, Diagnostic> {
    let text = &file.text;
    let first = text.split('\n').next().unwrap_or("");
    if first.trim_end() != "---" {
        return Err(Diagnostic::error(
            Code::NoFrontMatter,
            &file.rel,
            1,
            1,
            crate::tr!("dokumentet saknar dokumenthuvud", "document has no front matter"),
        )
        .with_hint(crate::tr!(
            "börja filen med en rad `---`, fälten (titel, typ, status, ...) och ännu en rad `---`",
            "start the file with a `---` line, the YAML keys (titel, typ, status, ...), and another `---` line"
        )));
    }
    // gray_matter's rule: the first later line that is `---` (trailing
    // whitespace ignored) closes the block. Find the same line to keep offsets.
    let yaml_start = first.len() + 1;
    let mut offset = yaml_start.min(text.len());
    let mut close = None;
    while offset < text.len() {
        let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        if text[offset..line_end].trim_end() == "---" {
            close = Some((offset, (line_end + 1).min(text.len())));
            break;
        }
        offset = line_end + 1;
    }
    let Some((yaml_end, after)) = close else {
        return Err(Diagnostic::error(
            Code::UnclosedFrontMatter,
            &file.rel,
            1,
            1,
            crate::tr!(
                "dokumenthuvudet är inte avslutat",
                "front matter is not closed"
            ),
        )
        .with_width(3)
        .with_hint(crate::tr!(
            "avsluta dokumenthuvudet med en rad som bara innehåller `---`",
            "end the front matter with a line holding only `---`"
        )));
    };
    let body_offset = text.len() - text[after..].trim_start_matches('\n').len();
    // gray_matter, given the block alone (it copies whatever follows line
    // by line, which would cost more than the rest of loading), must find
    // the same front matter: a cross-check of the offsets in debug builds.
    if let Ok(entity) = Matter::<SplitOnly>::new().parse::<Pod>(&text[..after]) {
        debug_assert_eq!(
            entity.matter.trim(),
            text[yaml_start..yaml_end].trim(),
            "gray_matter and styrdok disagree on the front matter of {}",
            file.rel
        );
    }
    Ok(Split {
        yaml: Some((yaml_start, yaml_end)),
        body_offset,
    })
}

/// The front matter of a file as far as it can be read, its problems
/// dropped: for past revisions, whose problems are not this build's. A
/// file without front matter has a class that cannot be read.
pub fn read_lenient(file: &SourceFile) -> Meta {
    match split(file) {
        Ok(s) => read(file, &s, Schema::none()).0,
        Err(_) => Meta {
            line: 1,
            klassning_unreadable: true,
            ..Meta::default()
        },
    }
}

/// The YAML between a front matter's delimiters (`start..end` of the
/// file's text), parsed; a syntax error as SD103 at its place.
pub(super) fn parse_yaml(
    file: &SourceFile,
    (start, end): (usize, usize),
) -> Result<Option<Node>, Diagnostic> {
    yaml::parse(&file.text[start..end]).map_err(|e| {
        Diagnostic::error(
            Code::YamlSyntax,
            &file.rel,
            e.pos.line + 1,
            e.pos.col,
            crate::tr!(
                "dokumenthuvudet är inte giltig YAML: {}",
                "front matter is not valid YAML: {}",
                e.message
            ),
        )
    })
}

/// Reads the YAML of a front matter block into `Meta`, with the site's
/// own `fields`.
pub fn read(file: &SourceFile, split: &Split, schema: Schema<'_>) -> (Meta, Vec<Diagnostic>) {
    let mut meta = Meta {
        line: 1,
        ..Meta::default()
    };
    let Some((start, end)) = split.yaml else {
        return (meta, Vec::new());
    };
    let mut r = FieldReader::new(&file.rel, 2);
    let mut present: Vec<String> = Vec::new();
    match parse_yaml(file, (start, end)) {
        Err(d) => {
            meta.klassning_unreadable = true;
            return (meta, vec![d]);
        }
        Ok(None) => {}
        Ok(Some(root)) => {
            let what = crate::tr!("dokumenthuvudet", "front matter");
            if let Some(entries) = r.mapping(&what, &root) {
                read_entries(&mut r, &mut meta, entries, schema);
                present = entries
                    .iter()
                    .filter_map(|(k, _)| k.as_str().map(str::to_string))
                    .collect();
            } else {
                meta.klassning_unreadable = true;
            }
        }
    }
    let review_date = match meta.custom_type.as_ref() {
        Some(c) => schema.types.get(&c.value).is_none_or(|t| t.review_date),
        None => true,
    };
    check_required(&mut r, &meta, &present, review_date);
    check_fields(&mut r, &meta, &present, schema.fields);
    (meta, r.diags)
}

/// The entries of a front matter that can be read: each one whose key is
/// plain text, given once and whose value is no YAML alias; the others are
/// reported. A `klassning` left out (given twice, or as an alias) leaves
/// the class unreadable whatever the one read says: the caller sets
/// `klassning_unreadable` again after reading when the second value is true.
pub(super) fn usable_entries<'n>(
    r: &mut FieldReader<'_>,
    entries: &'n [(Node, Node)],
    klassning_unreadable: &mut bool,
) -> (Vec<(&'n str, &'n Node, &'n Node)>, bool) {
    let mut doubtful = false;
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(entries.len());
    for (k, v) in entries {
        let Some(key) = k.as_str() else {
            r.error(
                Code::WrongType,
                k,
                crate::tr!(
                    "fälten i dokumenthuvudet ska ha namn i vanlig text",
                    "front matter keys must be plain text"
                ),
            );
            continue;
        };
        if key == "klassning" {
            // Until its value is read, the class is unknown: a duplicate,
            // an alias or an empty value leaves it so.
            *klassning_unreadable = true;
        }
        if !seen.insert(key) {
            doubtful |= key == "klassning";
            r.error(
                Code::DuplicateKey,
                k,
                crate::tr!(
                    "fältet `{key}` anges två gånger",
                    "key `{key}` is given twice"
                ),
            );
            continue;
        }
        if matches!(v.value, Value::Alias) {
            doubtful |= key == "klassning";
            r.error(
                Code::WrongType,
                v,
                crate::tr!(
                    "fältet `{key}` använder ett YAML-alias; skriv ut värdet",
                    "`{key}` uses a YAML alias; write the value out"
                ),
            );
            continue;
        }
        out.push((key, k, v));
    }
    (out, doubtful)
}

fn read_entries(
    r: &mut FieldReader<'_>,
    meta: &mut Meta,
    entries: &[(Node, Node)],
    schema: Schema<'_>,
) {
    let (usable, doubtful) = usable_entries(r, entries, &mut meta.klassning_unreadable);
    read_usable(r, meta, usable, schema);
    if doubtful {
        meta.klassning_unreadable = true;
    }
}

fn read_usable(
    r: &mut FieldReader<'_>,
    meta: &mut Meta,
    usable: Vec<(&str, &Node, &Node)>,
    schema: Schema<'_>,
) {
    let fields = schema.fields;
    for (key, k, v) in usable {
        if v.is_null() && key == "hotbild_analyserad" {
            // Left for the author to fill (`styrdok new plan`): the threat
            // analysis has not been made, which the rules report.
            meta.hotbild_pending = Some(key_span(r, k, ()));
            continue;
        }
        if v.is_null() && (KEYS.contains(&key) || fields.contains_key(key)) {
            // An empty value has no position of its own: point at the key.
            r.error(
                Code::WrongType,
                k,
                crate::tr!("fältet `{key}` saknar värde", "`{key}` has no value"),
            )
            .hint = Some(crate::tr!(
                "skriv ett värde efter `{key}:`, eller ta bort raden",
                "write a value after `{key}:`, or remove the line"
            ));
            continue;
        }
        match key {
            "titel" => meta.titel = r.string(key, v),
            "typ" => read_type(r, meta, v, schema.types),
            "id" => meta.id = r.string(key, v).map(composed),
            "status" => meta.status = r.keyword(key, v, Status::parse, &names(Status::ALL)),
            "version" => meta.version = r.string(key, v),
            "dokumentägare" => meta.dokumentagare = r.string(key, v),
            "fastställd" => meta.faststalld = r.date(key, v),
            "fastställd_av" => meta.faststalld_av = r.string(key, v),
            "nästa_revision" => meta.nasta_revision = r.date(key, v),
            "klassning" => {
                meta.klassning = r.keyword(key, v, Klassning::parse, &names(Klassning::ALL));
                meta.klassning_unreadable = meta.klassning.is_none();
            }
            "överordnad" => meta.overordnad = r.string(key, v).map(composed),
            "instruktion" => {
                meta.instruktion =
                    r.keyword(key, v, InstructionKind::parse, &names(InstructionKind::ALL))
            }
            "system" => meta.system = r.string(key, v).map(composed),
            "driftgodkännande" => meta.driftgodkannande = read_approval(r, k, v),
            "hotbild_analyserad" => meta.hotbild_analyserad = r.date(key, v),
            "mål" => meta.mal = read_goals(r, k, v),
            "upphävd" => meta.upphavd = r.date(key, v),
            "ersatt_av" => meta.ersatt_av = r.string(key, v).map(composed),
            _ => match fields.get(key) {
                Some(def) => {
                    if let Some(value) = r.field(key, def, v) {
                        meta.extra.push((key.to_string(), value));
                    }
                }
                None => {
                    let mut known: Vec<&str> = KEYS.to_vec();
                    known.extend(fields.keys().map(String::as_str));
                    let context = crate::tr!("dokumenthuvudet", "front matter");
                    r.unknown_key(k, key, &known, &context)
                }
            },
        }
    }
}

/// The site's own fields: each one this document's type may not have, at
/// its key; each required one it lacks, at the opening line.
fn check_fields(r: &mut FieldReader<'_>, meta: &Meta, present: &[String], fields: &Fields) {
    let typ = match &meta.custom_type {
        Some(c) => Some(c.value.as_str()),
        None => meta.typ.as_ref().map(|t| t.value.as_str()),
    };
    for (key, value) in &meta.extra {
        let def = &fields[key.as_str()];
        if !def.applies_to(typ) {
            let d = Diagnostic::error(
                Code::KeyNotForType,
                r.file,
                value.line,
                value.col,
                crate::tr!(
                    "fältet `{key}` gäller inte ett dokument med typ `{}`",
                    "`{key}` is not for a document of type `{}`",
                    typ.unwrap_or_default()
                ),
            )
            .with_hint(crate::tr!(
                "[fields.{key}] i styrdok.toml gäller: {}",
                "[fields.{key}] in styrdok.toml is for: {}",
                def.types.join(", ")
            ));
            r.diags.push(d);
        }
    }
    for (key, def) in fields {
        let there = present.iter().any(|p| p == key);
        if def.required && !there && def.applies_to(typ) && meta.typ.is_some() {
            r.missing(
                meta.line,
                1,
                crate::tr!(
                    "dokumenthuvudet saknar det obligatoriska fältet `{key}`",
                    "front matter lacks required key `{key}`"
                ),
                Some(crate::tr!(
                    "lägg till `{key}:` med {} ([fields.{key}] i styrdok.toml)",
                    "add `{key}:` with {} ([fields.{key}] in styrdok.toml)",
                    def.kind.expected()
                )),
            );
        }
    }
}

/// `typ`: a built-in type, or one of the site's own, which is then a
/// `dokument` with its name in `custom_type`.
fn read_type(r: &mut FieldReader<'_>, meta: &mut Meta, v: &Node, types: &crate::schema::Types) {
    if let Some(text) = v.as_str() {
        let name = crate::load::nfc(text.trim());
        if types.contains_key(&name) && !crate::schema::is_builtin(&name) {
            let (line, col, width) = (r.line(v), v.pos.col, v.width());
            meta.typ = Some(Spanned {
                value: DocType::Dokument,
                line,
                col,
                width,
            });
            meta.custom_type = Some(Spanned {
                value: name,
                line,
                col,
                width,
            });
            return;
        }
    }
    let mut all = names(DocType::ALL);
    let own: Vec<&str> = types
        .keys()
        .map(String::as_str)
        .filter(|n| !crate::schema::is_builtin(n))
        .collect();
    all.extend(own);
    meta.typ = r.keyword("typ", v, DocType::parse, &all);
}

/// Ids are compared in their composed (NFC) form.
fn composed(mut s: Spanned<String>) -> Spanned<String> {
    s.value = crate::load::nfc(&s.value);
    s
}

fn names<T: Copy + Into<&'static str>>(all: &[T]) -> Vec<&'static str> {
    all.iter().map(|&v| v.into()).collect()
}

macro_rules! into_str {
    ($($t:ty),*) => {$(
        impl From<$t> for &'static str {
            fn from(v: $t) -> Self { v.as_str() }
        }
    )*};
}
into_str!(DocType, Status, Klassning, InstructionKind, GoalStatus);

fn key_span<T>(r: &FieldReader<'_>, k: &Node, value: T) -> Spanned<T> {
    Spanned {
        value,
        line: r.line(k),
        col: k.pos.col,
        width: k.width(),
    }
}

fn read_approval(r: &mut FieldReader<'_>, k: &Node, v: &Node) -> Option<Spanned<Approval>> {
    let entries = r.mapping("`driftgodkännande`", v)?;
    let mut a = Approval {
        datum: None,
        beslutat_av: None,
    };
    for (ak, av) in entries {
        if av.is_null() && ak.as_str().is_some_and(|k| APPROVAL_KEYS.contains(&k)) {
            r.error(
                Code::WrongType,
                ak,
                crate::tr!(
                    "fältet `{}` saknar värde",
                    "`{}` has no value",
                    ak.as_str().unwrap_or_default()
                ),
            );
            continue;
        }
        match ak.as_str() {
            Some("datum") => a.datum = r.date("datum", av),
            Some("beslutat_av") => a.beslutat_av = r.string("beslutat_av", av),
            Some(other) => r.unknown_key(ak, other, APPROVAL_KEYS, "`driftgodkännande`"),
            None => {
                r.error(Code::WrongType, ak, plain_text_keys());
            }
        }
    }
    let line = r.line(v);
    if a.datum.is_none() && !entries.iter().any(|(k, _)| k.as_str() == Some("datum")) {
        r.missing(
            line,
            v.pos.col,
            crate::tr!(
                "`driftgodkännande` saknar `datum`",
                "`driftgodkännande` lacks `datum`"
            ),
            Some(crate::tr!(
                "lägg till `datum: ÅÅÅÅ-MM-DD`, datum för systemägarens beslut",
                "add `datum: YYYY-MM-DD`, the date of the system owner's decision"
            )),
        );
    }
    if a.beslutat_av.is_none()
        && !entries
            .iter()
            .any(|(k, _)| k.as_str() == Some("beslutat_av"))
    {
        r.missing(
            line,
            v.pos.col,
            crate::tr!(
                "`driftgodkännande` saknar `beslutat_av`",
                "`driftgodkännande` lacks `beslutat_av`"
            ),
            Some(crate::tr!(
                "lägg till `beslutat_av:` med den systemägare som beslutade",
                "add `beslutat_av:` naming the system owner who decided"
            )),
        );
    }
    Some(key_span(r, k, a))
}

/// The message for a key that is not plain text.
fn plain_text_keys() -> String {
    crate::tr!(
        "fälten ska ha namn i vanlig text",
        "keys must be plain text"
    )
}

fn read_goals(r: &mut FieldReader<'_>, k: &Node, v: &Node) -> Option<Spanned<Vec<Goal>>> {
    let Value::Seq(items) = &v.value else {
        let kind = v.kind_name();
        r.error(
            Code::WrongType,
            v,
            crate::tr!(
                "`mål` ska vara en lista med mål, men är {kind}",
                "`mål` must be a list of goals, found {kind}"
            ),
        );
        return None;
    };
    let mut goals = Vec::new();
    for item in items {
        let what = crate::tr!("ett mål i `mål`", "a goal in `mål`");
        let Some(entries) = r.mapping(&what, item) else {
            continue;
        };
        let mut g = Goal {
            line: r.line(item),
            col: item.pos.col,
            vad: None,
            sluttid: None,
            resurser: None,
            uppfoljning: None,
            information: None,
            status: None,
        };
        for (gk, gv) in entries {
            if gv.is_null() && gk.as_str().is_some_and(|k| GOAL_KEYS.contains(&k)) {
                r.error(
                    Code::WrongType,
                    gk,
                    crate::tr!(
                        "fältet `{}` saknar värde",
                        "`{}` has no value",
                        gk.as_str().unwrap_or_default()
                    ),
                );
                continue;
            }
            match gk.as_str() {
                Some("vad") => g.vad = r.string("vad", gv),
                Some("sluttid") => g.sluttid = r.date("sluttid", gv),
                Some("resurser") => g.resurser = r.string("resurser", gv),
                Some("uppföljning") => g.uppfoljning = r.string("uppföljning", gv),
                Some("information") => g.information = r.string("information", gv),
                Some("status") => {
                    g.status = r.keyword("status", gv, GoalStatus::parse, &names(GoalStatus::ALL))
                }
                Some(other) => {
                    let context = crate::tr!("ett mål", "a goal");
                    r.unknown_key(gk, other, GOAL_KEYS, &context)
                }
                None => {
                    r.error(Code::WrongType, gk, plain_text_keys());
                }
            }
        }
        goals.push(g);
    }
    Some(key_span(r, k, goals))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> (Meta, Vec<Diagnostic>) {
        let f = SourceFile::new("content/a.md", text);
        let s = split(&f).unwrap();
        read(&f, &s, Schema::none())
    }

    #[test]
    fn a_class_that_cannot_be_read_is_above_every_limit() {
        let readable = |text: &str| !load(text).0.klassning_unreadable;
        assert!(readable("---\ntitel: A\n---\n"), "missing is intern");
        assert!(readable("---\nklassning: öppen\n---\n"));
        assert!(!readable("---\nklassning: hemlig\n---\n"));
        assert!(!readable("---\nklassning:\n---\n"));
        assert!(!readable("---\nklassning: [intern\n---\n"));
        assert!(!readable("---\nklassning: öppen\nklassning: intern\n---\n"));
        assert!(!readable("---\n- en lista\n---\n"));
        let none = read_lenient(&SourceFile::new("a.md", "# Ingen front matter\n"));
        assert!(!none.publishable(Klassning::Konfidentiell));
        let intern = read_lenient(&SourceFile::new("a.md", "---\ntitel: A\n---\n"));
        assert!(intern.publishable(Klassning::Intern) && !intern.publishable(Klassning::Oppen));
    }

    #[test]
    fn body_offset_skips_front_matter_and_blank_lines() {
        let f = SourceFile::new("a.md", "---\ntitel: A\n---\n\n# Rubrik\n");
        let s = split(&f).unwrap();
        assert_eq!(&f.text[s.body_offset..], "# Rubrik\n");
        assert_eq!(&f.text[s.yaml.unwrap().0..s.yaml.unwrap().1], "titel: A\n");
    }

    #[test]
    fn unclosed_and_missing_front_matter_are_reported() {
        let f = SourceFile::new("a.md", "---\ntitel: A\n");
        assert_eq!(split(&f).unwrap_err().code, Code::UnclosedFrontMatter);
        let f = SourceFile::new("a.md", "# Rubrik\n");
        assert_eq!(split(&f).unwrap_err().code, Code::NoFrontMatter);
    }

    #[test]
    fn each_problem_is_reported_at_its_key_or_value() {
        let (_, d) = load("---\ntitel: A\ntyp: polisy\nstatus: utkast\nversion: \"1\"\ndokumentägare: X\nnästa_revision: 2026-13-01\nfärg: blå\n---\n");
        let got: Vec<(&str, usize, usize)> = d
            .iter()
            .map(|d| (d.code.as_str(), d.line.unwrap_or(0), d.column.unwrap_or(0)))
            .collect();
        assert_eq!(
            got,
            vec![("SD108", 3, 6), ("SD107", 7, 17), ("SD105", 8, 1)]
        );
        assert_eq!(d[0].hint.as_deref(), Some("menade du `policy`? (tillåtna värden: `policy`, `instruktion`, `systemsäkerhetsplan`, `årsmål`, `dokument`)"));
    }

    #[test]
    fn missing_keys_point_at_the_opening_line() {
        let (_, d) = load("---\ntitel: A\ntyp: instruktion\nstatus: fastställd\nversion: \"1\"\ndokumentägare: X\nnästa_revision: 2027-01-01\n---\n");
        let keys: Vec<&str> = d
            .iter()
            .map(|d| d.message.rsplit('`').nth(1).unwrap())
            .collect();
        assert_eq!(
            keys,
            vec!["fastställd", "fastställd_av", "överordnad", "instruktion"]
        );
        assert!(d
            .iter()
            .all(|d| d.line == Some(1) && d.code == Code::MissingKey));
    }

    #[test]
    fn empty_values_are_reported_at_their_key() {
        let (_, d) = load("---\ntitel:\ntyp: policy\nstatus: utkast\nversion: \"1\"\ndokumentägare: X\nnästa_revision: 2027-01-01\n---\n");
        let got: Vec<(&str, usize, usize)> = d
            .iter()
            .map(|d| (d.code.as_str(), d.line.unwrap_or(0), d.column.unwrap_or(0)))
            .collect();
        assert_eq!(got, vec![("SD106", 2, 1)]);
    }

    #[test]
    fn goals_and_approval_are_read() {
        let (m, d) = load("---\ntitel: Mål\ntyp: årsmål\nstatus: utkast\nversion: \"1\"\ndokumentägare: X\nnästa_revision: 2027-01-01\növerordnad: p\nmål:\n  - vad: Utbilda\n    sluttid: 2026-06-30\n    status: pågår\n---\n");
        assert!(d.is_empty(), "{d:?}");
        let goals = m.mal.unwrap().value;
        assert_eq!(goals[0].line, 10);
        assert_eq!(goals[0].status.as_ref().unwrap().value, GoalStatus::Pagar);
        assert!(goals[0].resurser.is_none());
    }
}
