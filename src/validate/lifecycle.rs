//! A document's life (SPEC 7, Lifecycle): dates that cannot be right
//! (adopted in the future, followed up before it was adopted, a threat
//! analysis made tomorrow, repealed before it was adopted or in the future),
//! the replacement a repealed document names, and links from documents in
//! force to repealed ones.

use chrono::NaiveDate;

use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::model::{Corpus, Document, Spanned};
use crate::resolve::{LinkGraph, Target};

/// Runs the lifecycle rules of front matter: dates and replacements.
pub fn check(corpus: &Corpus, today: NaiveDate, diags: &mut Vec<Diagnostic>) {
    for doc in &corpus.documents {
        dates(doc, today, diags);
        replacement(corpus, doc, diags);
    }
}

/// Runs the lifecycle rule of document `i`'s body: its links to repealed
/// documents, unless it is repealed itself.
pub fn check_document(corpus: &Corpus, graph: &LinkGraph, i: usize, diags: &mut Vec<Diagnostic>) {
    if !corpus.documents[i].is_repealed() {
        links_to_repealed(corpus, graph, i, diags);
    }
}

/// SD111: each date against today and against the adoption.
fn dates(doc: &Document, today: NaiveDate, diags: &mut Vec<Diagnostic>) {
    let m = &doc.meta;
    let mut wrong = |at: &Spanned<NaiveDate>, message: String, hint: String| {
        diags.push(
            Diagnostic::error(
                Code::ImpossibleDate,
                &doc.source.rel,
                at.line,
                at.col,
                message,
            )
            .with_width(at.width)
            .with_hint(hint),
        );
    };
    let adopted = m.faststalld.as_ref();
    if let Some(f) = adopted.filter(|f| f.value > today) {
        wrong(
            f,
            crate::tr!(
                "`fastställd` är {}, efter dagens datum ({today})",
                "`fastställd` is {}, after today ({today})",
                f.value
            ),
            crate::tr!(
                "ett dokument kan inte ha fastställts i framtiden: rätta datumet, eller behåll `status: remiss` tills dokumentet är fastställt",
                "a document cannot have been adopted in the future: correct the date, or keep `status: remiss` until it is adopted"
            ),
        );
    }
    // A repealed document is no longer followed up.
    if let (Some(next), Some(f), false) = (&m.nasta_revision, adopted, doc.is_repealed()) {
        if next.value < f.value {
            wrong(
                next,
                crate::tr!(
                    "`nästa_revision` är {}, före datumet då dokumentet fastställdes ({})",
                    "`nästa_revision` is {}, before the document was adopted ({})",
                    next.value,
                    f.value
                ),
                crate::tr!(
                    "uppföljningen kommer efter fastställandet: sätt `nästa_revision` till ett datum efter `fastställd`",
                    "the follow-up comes after the adoption: set `nästa_revision` to a date after `fastställd`"
                ),
            );
        }
    }
    if let Some(h) = m.hotbild_analyserad.as_ref().filter(|h| h.value > today) {
        wrong(
            h,
            crate::tr!(
                "`hotbild_analyserad` är {}, efter dagens datum ({today})",
                "`hotbild_analyserad` is {}, after today ({today})",
                h.value
            ),
            crate::tr!(
                "skriv datumet då hotbildsanalysen gjordes, inte då den är planerad",
                "write the date the threat analysis was made, not the date it is planned"
            ),
        );
    }
    if let Some(u) = &m.upphavd {
        if u.value > today {
            wrong(
                u,
                crate::tr!(
                    "`upphävd` är {}, efter dagens datum ({today})",
                    "`upphävd` is {}, after today ({today})",
                    u.value
                ),
                crate::tr!(
                    "ett dokument upphävs när beslutet är fattat: behåll `status: fastställd` till dess",
                    "a document is repealed once the decision is made: keep `status: fastställd` until then"
                ),
            );
        } else if let Some(f) = adopted.filter(|f| u.value < f.value) {
            wrong(
                u,
                crate::tr!(
                    "`upphävd` är {}, före datumet då dokumentet fastställdes ({})",
                    "`upphävd` is {}, before the document was adopted ({})",
                    u.value,
                    f.value
                ),
                crate::tr!(
                    "rätta `upphävd` eller `fastställd`",
                    "correct `upphävd` or `fastställd`"
                ),
            );
        }
    }
}

/// SD207: `ersatt_av` names an existing document other than this one.
fn replacement(corpus: &Corpus, doc: &Document, diags: &mut Vec<Diagnostic>) {
    let Some(e) = &doc.meta.ersatt_av else {
        return;
    };
    let message = match corpus.get(&e.value) {
        Some(d) if d.id == doc.id => {
            crate::tr!(
                "`ersatt_av` anger `{}`, alltså dokumentet självt",
                "`ersatt_av` names `{}`, this document itself",
                e.value
            )
        }
        Some(_) => return,
        None => crate::tr!(
            "`ersatt_av` anger `{}`, men inget dokument har det dokument-id:t",
            "`ersatt_av` names `{}`, but no document has that id",
            e.value
        ),
    };
    let ids: Vec<&str> = corpus
        .by_id
        .keys()
        .map(String::as_str)
        .filter(|&id| id != doc.id)
        .collect();
    let mut d = Diagnostic::error(
        Code::UnknownReplacement,
        &doc.source.rel,
        e.line,
        e.col,
        message,
    )
    .with_width(e.width);
    d.hint = crate::load::fields::closest(&e.value, &ids)
        .map(|b| crate::tr!("menade du `{b}`?", "did you mean `{b}`?"));
    diags.push(d);
}

/// SD306: a link from a document that is not repealed to one that is,
/// with its replacement suggested.
fn links_to_repealed(corpus: &Corpus, graph: &LinkGraph, i: usize, diags: &mut Vec<Diagnostic>) {
    let doc = &corpus.documents[i];
    for link in &graph.outlines[i].links {
        let Some(Target::Document(t, _)) = graph.targets[i].get(&link.dest) else {
            continue;
        };
        let target = &corpus.documents[*t];
        if !target.is_repealed() {
            continue;
        }
        let (line, col) = doc.source.position(doc.body_offset + link.offset);
        let replacement = target
            .meta
            .ersatt_av
            .as_ref()
            .and_then(|e| corpus.get(&e.value))
            .filter(|r| r.id != target.id);
        let hint = match replacement {
            Some(r) => crate::tr!(
                "det har ersatts av `{}` ({}): länka dit i stället, till exempel `[{}](id:{})`",
                "it is replaced by `{}` ({}): link to that instead, e.g. `[{}](id:{})`",
                r.id,
                r.title(),
                r.title(),
                r.id
            ),
            None => crate::tr!(
                "det upphävdes utan att ersättas: ta bort länken, eller skriv varför dokumentet fortfarande ska läsas",
                "it was repealed without a replacement: remove the link, or say why it is still read"
            ),
        };
        diags.push(
            Diagnostic::warning(
                Code::LinkToRepealed,
                &doc.source.rel,
                line,
                col,
                crate::tr!(
                    "dokumentet länkar till `{}`, som är upphävt",
                    "this document links to `{}`, which is repealed (upphävd)",
                    target.id
                ),
            )
            .with_width(link.len.min(doc.source.line_text(line).chars().count()))
            .with_hint(hint),
        );
    }
}
