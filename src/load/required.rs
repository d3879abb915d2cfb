//! Which front matter keys a document needs, by its type and status (SPEC
//! 4.1), and which it may not have.

use super::fields::FieldReader;
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::model::{DocType, Meta, Spanned, Status};

/// Reports keys that are required (for every document, or for its type and
/// status) but missing, at the front matter's opening line, and keys that
/// belong to another type of document.
pub(super) fn check_required(
    r: &mut FieldReader<'_>,
    meta: &Meta,
    present: &[String],
    review_date: bool,
) {
    let mut missing = missing_keys(meta);
    // A type of the site's own may have no review date.
    if !review_date {
        missing.retain(|(key, _)| *key != "nästa_revision");
    }
    // A key that is there with a bad value has been reported already.
    missing.retain(|(key, _)| !present.iter().any(|p| p == key));
    for (key, what) in missing {
        r.missing(
            meta.line,
            1,
            crate::tr!(
                "dokumenthuvudet saknar det obligatoriska fältet `{key}`",
                "front matter lacks required key `{key}`"
            ),
            Some(crate::tr!(
                "lägg till `{key}:` med {what}",
                "add `{key}:` with {what}"
            )),
        );
    }
    if let Some(typ) = meta.typ.as_ref().map(|t| t.value) {
        check_misplaced(r, meta, typ);
    }
}

/// The keys this document needs and lacks, each with what it should hold.
fn missing_keys(meta: &Meta) -> Vec<(&'static str, String)> {
    let typ = meta.typ.as_ref().map(|t| t.value);
    let mut missing: Vec<(&'static str, String)> = Vec::new();
    let always: [(&'static str, bool, String); 6] = [
        (
            "titel",
            meta.titel.is_some(),
            crate::tr!("dokumentets rubrik", "the document's title"),
        ),
        (
            "typ",
            meta.typ.is_some(),
            crate::tr!(
                "ett av `policy`, `instruktion`, `systemsäkerhetsplan`, `årsmål`, `dokument`",
                "one of `policy`, `instruktion`, `systemsäkerhetsplan`, `årsmål`, `dokument`"
            ),
        ),
        (
            "status",
            meta.status.is_some(),
            crate::tr!(
                "ett av `utkast`, `remiss`, `fastställd`, `upphävd`",
                "one of `utkast`, `remiss`, `fastställd`, `upphävd`"
            ),
        ),
        (
            "version",
            meta.version.is_some(),
            crate::tr!(
                "dokumentets egen version, t.ex. \"1.0\"",
                "the document's own version, e.g. \"1.0\""
            ),
        ),
        (
            "dokumentägare",
            meta.dokumentagare.is_some(),
            crate::tr!(
                "den ägande rollen, t.ex. IT-säkerhetssamordnare",
                "the owning role, e.g. IT-säkerhetssamordnare"
            ),
        ),
        (
            "nästa_revision",
            meta.nasta_revision.is_some(),
            crate::tr!(
                "datum (ÅÅÅÅ-MM-DD) då dokumentet senast ska följas upp",
                "the date by which it must be followed up (YYYY-MM-DD)"
            ),
        ),
    ];
    for (key, present, what) in always {
        if !present {
            missing.push((key, what));
        }
    }
    missing.extend(by_status(meta));
    missing.extend(by_type(meta, typ));
    missing
}

/// The keys its status requires and it lacks.
fn by_status(meta: &Meta) -> Vec<(&'static str, String)> {
    let mut missing = Vec::new();
    if meta.status.as_ref().map(|s| s.value) == Some(Status::Faststalld) {
        if meta.faststalld.is_none() {
            missing.push((
                "fastställd",
                crate::tr!(
                    "datum (ÅÅÅÅ-MM-DD) då dokumentet fastställdes, krävs när status är `fastställd`",
                    "the date of adoption, required when status is `fastställd`"
                ),
            ));
        }
        if meta.faststalld_av.is_none() {
            missing.push((
                "fastställd_av",
                crate::tr!(
                    "vem som fastställde dokumentet, krävs när status är `fastställd`",
                    "who adopted it, required when status is `fastställd`"
                ),
            ));
        }
    }
    if meta.status.as_ref().map(|s| s.value) == Some(Status::Upphavd) && meta.upphavd.is_none() {
        missing.push((
            "upphävd",
            crate::tr!(
                "datum (ÅÅÅÅ-MM-DD) då dokumentet upphävdes, krävs när status är `upphävd`",
                "the date it was repealed, required when status is `upphävd`"
            ),
        ));
    }
    missing
}

/// The keys its type requires and it lacks.
fn by_type(meta: &Meta, typ: Option<DocType>) -> Vec<(&'static str, String)> {
    let mut missing = Vec::new();
    match typ {
        Some(DocType::Policy) | None => {}
        Some(_) if meta.overordnad.is_none() => missing.push((
            "överordnad",
            crate::tr!(
                "id för det överordnade dokumentet (alla dokument utom policyn har ett)",
                "the id of the governing document (every document but the policy has one)"
            ),
        )),
        Some(_) => {}
    }
    match typ {
        Some(DocType::Instruktion) if meta.instruktion.is_none() => missing.push((
            "instruktion",
            crate::tr!(
                "`förvaltning`, `drift` eller `användare`",
                "`förvaltning`, `drift` or `användare`"
            ),
        )),
        Some(DocType::Plan) => {
            if meta.system.is_none() {
                missing.push((
                    "system",
                    crate::tr!(
                        "systemets id i systemregistret",
                        "the id of the system in the system register"
                    ),
                ));
            }
            if meta.hotbild_analyserad.is_none() && meta.hotbild_pending.is_none() {
                missing.push((
                    "hotbild_analyserad",
                    crate::tr!(
                        "datum (ÅÅÅÅ-MM-DD) för den senaste hotbildsanalysen, enligt policyns avsnitt 2.1",
                        "the date of the latest threat analysis (the policy's section 2.1)"
                    ),
                ));
            }
        }
        Some(DocType::Arsmal) if meta.mal.is_none() => missing.push((
            "mål",
            crate::tr!(
                "listan över årets mål, enligt policyns avsnitt 2.2",
                "the list of this year's goals (the policy's section 2.2)"
            ),
        )),
        _ => {}
    }
    missing
}

/// Keys that belong to another type of document: mistakes worth pointing at.
fn check_misplaced(r: &mut FieldReader<'_>, meta: &Meta, typ: DocType) {
    let misplaced: [(&str, Option<Place>, bool); 5] = [
        (
            "instruktion",
            pos(&meta.instruktion),
            typ == DocType::Instruktion,
        ),
        ("system", pos(&meta.system), typ == DocType::Plan),
        (
            "driftgodkännande",
            pos(&meta.driftgodkannande),
            typ == DocType::Plan,
        ),
        (
            "hotbild_analyserad",
            pos(&meta.hotbild_analyserad).or(pos(&meta.hotbild_pending)),
            typ == DocType::Plan,
        ),
        ("mål", pos(&meta.mal), typ == DocType::Arsmal),
    ];
    for (key, at, allowed) in misplaced {
        if let (Some((line, col, width)), false) = (at, allowed) {
            r.diags.push(
                Diagnostic::error(
                    Code::KeyNotForType,
                    r.file,
                    line,
                    col,
                    crate::tr!(
                        "fältet `{key}` gäller inte ett dokument med typ `{typ}`",
                        "`{key}` does not apply to a document of typ `{typ}`"
                    ),
                )
                .with_width(width)
                .with_hint(crate::tr!(
                    "ta bort fältet, eller ändra `typ`",
                    "remove the key, or change `typ`"
                )),
            );
        }
    }
    let repealed = meta.status.as_ref().map(|s| s.value) == Some(Status::Upphavd);
    for (key, at) in [
        ("upphävd", pos(&meta.upphavd)),
        ("ersatt_av", pos(&meta.ersatt_av)),
    ] {
        if let (Some((line, col, width)), false) = (at, repealed || meta.status.is_none()) {
            r.diags.push(
                Diagnostic::error(
                    Code::KeyNotForType,
                    r.file,
                    line,
                    col,
                    crate::tr!(
                        "fältet `{key}` gäller bara ett upphävt dokument (`status: upphävd`)",
                        "`{key}` applies only to a repealed document (`status: upphävd`)"
                    ),
                )
                .with_width(width)
                .with_hint(crate::tr!(
                    "sätt `status: upphävd`, eller ta bort fältet",
                    "set `status: upphävd`, or remove the key"
                )),
            );
        }
    }
    if typ == DocType::Policy {
        if let Some(o) = &meta.overordnad {
            r.diags.push(
                Diagnostic::error(
                    Code::KeyNotForType,
                    r.file,
                    o.line,
                    o.col,
                    crate::tr!(
                        "policyn står överst i dokumenthierarkin och har inget `överordnad`",
                        "the policy is the top of the hierarchy and has no `överordnad`"
                    ),
                )
                .with_width(o.width),
            );
        }
    }
}

/// Line, column and width of a value.
type Place = (usize, usize, usize);

fn pos<T>(s: &Option<Spanned<T>>) -> Option<Place> {
    s.as_ref().map(|s| (s.line, s.col, s.width))
}
