//! Each published document as a PDF (`build --pdf`, `[publish] pdf =
//! true`): `pdf/<document path>.pdf`, typeset in-process with Typst as a
//! library. The document becomes data ([`convert`]: its control data and
//! its body as a tree of nodes, every text a JSON string) that one fixed
//! Typst template (`template.typ`) lays out, in a [`world`] that serves
//! only that template, that data and the site's images: no document text
//! is ever parsed as Typst, and nothing else is read from disk.
//!
//! The PDF is tagged (structure tree, reading order as the source, the
//! site's language, the title in its metadata). An adopted document's
//! conforms to PDF/A-2a, dated by its adoption; a draft's has no date
//! (PDF/A requires one) and is tagged PDF 1.7. The same input gives the
//! same bytes. Documents above `[publish] max_klassning` (and drafts a build
//! leaves out) get no PDF; a link to one keeps its text alone.
//!
//! Beside each document whose text changed since the newest version tag,
//! [`redline`] writes the redline between the two as
//! `pdf/<document path>.andringar-<tag>.pdf`.

mod convert;
mod glyphs;
mod images;
mod redline;
mod world;

use rayon::prelude::*;
use serde_json::{json, Value};
use std::path::Path;

use crate::codes::Code;
use crate::config::{Config, Language};
use crate::diagnostic::Diagnostic;
use crate::git::Repo;
use crate::i18n::Texts;
use crate::model::{Corpus, Document, Status};
use crate::output::{Failure, OutputFile, Sink};
use crate::resolve::{LinkGraph, Target};
use convert::Dest;
use images::Images;
use typst::foundations::Smart;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

/// What the PDFs are made from: the current site, checked, or a version.
pub struct Input<'a> {
    /// The documents.
    pub corpus: &'a Corpus,
    /// Their links.
    pub graph: &'a LinkGraph,
    /// The configuration.
    pub config: &'a Config,
    /// The content directory on disk (images are read from it).
    pub content_dir: &'a Path,
    /// The content directory relative to the site root (for reading tags).
    pub content_rel: &'a str,
    /// Where the edition lies below the output root: `""` for the current
    /// site, `versioner/<tag>/` for a version. The PDFs go there, and
    /// links to the published site point into it.
    pub prefix: &'a str,
}

/// Where a document's PDF goes within its edition: `pdf/a/b.pdf` for
/// `a/b.html`.
pub fn pdf_path(doc: &Document) -> String {
    let stem = doc.url.strip_suffix(".html").unwrap_or(&doc.url);
    format!("pdf/{stem}.pdf")
}

/// What [`build`] made besides each document's PDF: the redlines since the
/// newest tag, for the versions page to link.
#[derive(Debug, Clone, Default)]
pub struct Made {
    /// (the tag compared with, the document's index, the PDF's path).
    pub redlines: Vec<(String, usize, String)>,
    /// Warnings (tags that cannot be read).
    pub notes: Vec<Diagnostic>,
}

/// Writes the PDF of every document this build publishes, and the
/// redlines since the newest tag of `repo`, into `sink`. A document that
/// cannot be typeset stops the build.
pub fn build(input: &Input<'_>, repo: Option<&Repo>, sink: &dyn Sink) -> Result<Made, Failure> {
    let published = published(input);
    let images = Images::new(input);
    let (appendices, notes) = redline::appendices(input, repo, &published);
    // Typst recurses deeper than the 2 MiB stack of rayon's threads allows:
    // the 300 documents of scripts/bench.sh's corpus overflowed one (8 MiB,
    // a main thread's, was enough). The PDFs are typeset on threads of
    // their own with more (reserved, used only as needed); should the
    // system refuse them, the shared pool's threads do.
    let pool = pool();
    let all = || typeset_all(input, (&published, &appendices), &images, sink);
    match pool {
        Ok(pool) => pool.install(all)?,
        Err(_) => all()?,
    }
    Ok(Made {
        redlines: appendices
            .iter()
            .map(|a| (a.tag.clone(), a.doc, a.path.clone()))
            .collect(),
        notes,
    })
}

/// The documents (indexes in the corpus) the build publishes, each of
/// which gets a PDF.
fn published(input: &Input<'_>) -> Vec<usize> {
    let policy = input.config.publish.policy();
    let docs = &input.corpus.documents;
    (0..docs.len())
        .filter(|&i| policy.withholds(&docs[i].meta).is_none())
        .collect()
}

/// The stack of a thread that typesets a PDF.
const STACK_BYTES: usize = 64 * 1024 * 1024;

/// Typesets the documents and the redlines, in parallel; the first failure
/// in the corpus' order is the one reported, whichever thread met it first.
fn typeset_all(
    input: &Input<'_>,
    (published, appendices): (&[usize], &[redline::Appendix]),
    images: &Images<'_>,
    sink: &dyn Sink,
) -> Result<(), Failure> {
    let docs = &input.corpus.documents;
    typeset_documents(input, published, images, sink)
        .into_iter()
        .collect::<Result<(), Failure>>()?;
    let redlines: Vec<Result<(), Failure>> = appendices
        .par_iter()
        .map(|a| {
            let bytes = typeset(&docs[a.doc], &docs[a.doc].url, &a.data, Files::default())?;
            sink.put(OutputFile {
                path: a.path.clone(),
                bytes,
            })?;
            Ok(())
        })
        .collect();
    redlines.into_iter().collect::<Result<(), Failure>>()
}

/// Typesets the `published` documents in parallel: each one's outcome,
/// in their order.
fn typeset_documents(
    input: &Input<'_>,
    published: &[usize],
    images: &Images<'_>,
    sink: &dyn Sink,
) -> Vec<Result<(), Failure>> {
    published
        .par_iter()
        .map(|&i| {
            let doc = &input.corpus.documents[i];
            let mut files = Files::default();
            let data = document_data(input, i, images, &mut files);
            let path = format!("{}{}", input.prefix, pdf_path(doc));
            let ident = format!("{}{}", input.prefix, doc.url);
            let bytes = typeset(doc, &ident, &data, files)?;
            sink.put(OutputFile { path, bytes })?;
            Ok(())
        })
        .collect()
}

/// Writes the PDF of every document a version publishes into `sink`
/// (below [`Input::prefix`]); there are no redlines of a version. A tag
/// cannot be mended, so a document of it that cannot be typeset gets no
/// PDF and a warning rather than stopping the build: the documents that
/// have one, and the warnings.
pub fn version(
    input: &Input<'_>,
    tag: &str,
    sink: &dyn Sink,
) -> Result<(Vec<usize>, Vec<Diagnostic>), Failure> {
    let published = published(input);
    let images = Images::new(input);
    let outcomes = match pool() {
        Ok(pool) => pool.install(|| typeset_documents(input, &published, &images, sink)),
        Err(_) => typeset_documents(input, &published, &images, sink),
    };
    let mut made = Vec::new();
    let mut notes = Vec::new();
    for (i, outcome) in published.into_iter().zip(outcomes) {
        match outcome {
            Ok(()) => made.push(i),
            Err(Failure::Site(d)) => notes.push(Diagnostic {
                severity: crate::diagnostic::Severity::Warning,
                message: crate::tr!("i taggen {tag}: {}", "in tag {tag}: {}", d.message),
                ..d
            }),
            Err(e @ Failure::Write(_)) => return Err(e),
        }
    }
    Ok((made, notes))
}

/// The threads PDFs are typeset on (see [`STACK_BYTES`]).
fn pool() -> Result<rayon::ThreadPool, rayon::ThreadPoolBuildError> {
    rayon::ThreadPoolBuilder::new()
        .stack_size(STACK_BYTES)
        .thread_name(|n| format!("styrdok-pdf-{n}"))
        .build()
}

/// The images of one PDF (virtual path and bytes), and the first image
/// that cannot be read as one: its line and why.
#[derive(Default)]
struct Files {
    list: Vec<(String, Vec<u8>)>,
    broken: Option<(usize, String)>,
}

/// Compiles the template with `data` and `files` and exports the PDF.
fn typeset(doc: &Document, ident: &str, data: &Value, files: Files) -> Result<Vec<u8>, Failure> {
    if let Some((line, why)) = &files.broken {
        return Err(failure(doc, *line, why));
    }
    if !data["date"].is_null() {
        unprintable(doc, data)?;
    }
    let bytes = serde_json::to_vec(data).map_err(|e| failure(doc, 1, &e.to_string()))?;
    let world = world::PdfWorld::new(bytes, files.list);
    let compiled = typst::compile::<typst::layout::PagedDocument>(&world);
    let document = compiled.output.map_err(|errors| {
        let message = errors
            .iter()
            .map(|e| e.message.to_string())
            .collect::<Vec<_>>()
            .join("; ");
        failure(doc, 1, &message)
    })?;
    // PDF/A requires a date, and the only date that is the document's own
    // is its adoption: an adopted document is PDF/A-2a, a draft (which is
    // no record to archive) tagged PDF 1.7 without a date.
    let standards = if data["date"].is_null() {
        PdfStandards::default()
    } else {
        PdfStandards::new(&[PdfStandard::A_2a]).map_err(|e| failure(doc, 1, e.as_str()))?
    };
    let options = PdfOptions {
        // A stable identifier: the same document keeps its PDF id.
        ident: Smart::Custom(ident),
        timestamp: None,
        page_ranges: None,
        standards,
        tagged: true,
    };
    typst_pdf::pdf(&document, &options).map_err(|errors| {
        let message = errors
            .iter()
            .map(|e| e.message.to_string())
            .collect::<Vec<_>>()
            .join("; ");
        failure(doc, 1, &message)
    })
}

/// Stops a PDF/A whose text has a character it cannot hold (see
/// [`glyphs`]), at the first place the document's file has it.
fn unprintable(doc: &Document, data: &Value) -> Result<(), Failure> {
    let source = &doc.source;
    // In the order the file has them; one it lacks (a title given by a
    // template, say) last.
    let mut chars: Vec<(usize, char)> = glyphs::unprintable(data)
        .into_iter()
        .map(|c| (source.text.find(c).unwrap_or(usize::MAX), c))
        .collect();
    chars.sort_unstable();
    let Some(&(at, first)) = chars.first() else {
        return Ok(());
    };
    let (line, column) = if at == usize::MAX {
        (1, 1)
    } else {
        source.position(at)
    };
    let name = |c: char| format!("{c} (U+{:04X})", u32::from(c));
    let mut message = crate::tr!(
        "dokumentets PDF kan inte skapas: tecknet {} finns inte i dess inbäddade typsnitt, och ett arkivbeständigt PDF/A får inte visa det som en tom ruta",
        "cannot make the document's PDF: the character {} is not in its embedded fonts, and an archival PDF/A may not show it as an empty box",
        name(first)
    );
    if chars.len() > 1 {
        let more: Vec<String> = chars[1..].iter().map(|&(_, c)| name(c)).collect();
        message.push_str(&crate::tr!(
            "; inte heller: {}",
            "; nor are: {}",
            more.join(", ")
        ));
    }
    Err(Failure::Site(
        Diagnostic::error(Code::Unreadable, &source.rel, line, column, message).with_hint(
            crate::tr!(
                "ta bort tecknet eller skriv det med ord: typsnitten (Libertinus Serif, DejaVu Sans Mono) saknar bland annat emoji, kinesiska och japanska tecken och Unicodes privata tecken",
                "remove the character or write it in words: the fonts (Libertinus Serif, DejaVu Sans Mono) lack emoji, Chinese and Japanese characters and Unicode's private-use characters, among others"
            ),
        ),
    ))
}

/// A document whose PDF cannot be made: an error in its file.
fn failure(doc: &Document, line: usize, message: &str) -> Failure {
    Failure::Site(Diagnostic::error(
        Code::Unreadable,
        &doc.source.rel,
        line,
        1,
        crate::tr!(
            "dokumentets PDF kan inte skapas: {message}",
            "cannot make the document's PDF: {message}"
        ),
    ))
}

/// The texts of the PDF in the site's language.
fn labels(t: &'static Texts) -> Value {
    json!({
        "version": t.version,
        "metadata": t.metadata,
        "page_of": t.pdf_page_of,
    })
}

/// The line in the document's file of a byte offset in its body.
fn line_of(doc: &Document, offset: usize) -> usize {
    let at = (doc.body_offset + offset).min(doc.source.text.len());
    doc.source.text.as_bytes()[..at]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// A URL of the published site, when `[publish] base_url` names it.
fn site_url(input: &Input<'_>, path: &str, fragment: Option<&str>) -> Option<String> {
    // An http(s) URL: the configuration accepts no other.
    let base = input.config.publish.base_url.as_deref()?;
    let mut url = format!(
        "{}/{}{}",
        base.trim_end_matches('/'),
        input.prefix,
        crate::resolve::href_path(path)
    );
    if let Some(f) = fragment {
        url.push('#');
        url.push_str(&crate::resolve::encode(f));
    }
    Some(url)
}

/// Whether an external link is one a PDF keeps as a link.
fn linkable(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    ["https://", "http://", "mailto:"]
        .iter()
        .any(|s| lower.starts_with(s))
}

/// What document `i`'s link or image to `dest` becomes in its PDF.
fn destination(
    input: &Input<'_>,
    i: usize,
    (dest, image, offset): (&str, bool, usize),
    images: &Images<'_>,
    files: &mut Files,
) -> Dest {
    let docs = &input.corpus.documents;
    let policy = input.config.publish.policy();
    let doc = &docs[i];

    match input.graph.targets.get(i).and_then(|t| t.get(dest)) {
        Some(Target::Document(t, anchor)) if !image => {
            if *t == i || policy.withholds(&docs[*t].meta).is_some() {
                return Dest::Plain;
            }
            site_url(input, &docs[*t].url, anchor.as_deref()).map_or(Dest::Plain, Dest::Url)
        }
        Some(Target::Page(p, anchor)) if !image => match input.corpus.pages.list.get(*p) {
            Some(page) if page.publishable(policy) => {
                site_url(input, &page.url, anchor.as_deref()).map_or(Dest::Plain, Dest::Url)
            }
            _ => Dest::Plain,
        },
        Some(Target::Attachment(path, frag)) => {
            if !image {
                if !images.published.contains(path.as_str()) {
                    return Dest::Plain;
                }
                return site_url(input, path, frag.as_deref()).map_or(Dest::Plain, Dest::Url);
            }
            let Some(bytes) = images.read(path) else {
                return Dest::Plain;
            };
            // Decoded here to point at the image when it cannot be (Typst
            // keeps the decoded image for the compile).
            let (bytes, ext) = match images::prepare(bytes, path) {
                Ok(prepared) => prepared,
                Err(why) => {
                    files.broken.get_or_insert_with(|| {
                        let line = line_of(doc, offset);
                        (
                            line,
                            crate::tr!(
                                "bilden `{path}` kan inte läsas: {why}",
                                "the image `{path}` cannot be read: {why}"
                            ),
                        )
                    });
                    return Dest::Plain;
                }
            };
            let virtual_path = format!("/img/{}.{ext}", files.list.len());
            files.list.push((virtual_path.clone(), bytes));
            Dest::Image(virtual_path)
        }
        // Images from elsewhere are not fetched: the alt text stands.
        Some(Target::External) if !image && linkable(dest) => Dest::Url(dest.to_string()),
        _ => Dest::Plain,
    }
}

/// One row of the document-control block.
fn row(label: &str, value: impl Into<String>) -> Value {
    json!({"label": label, "value": value.into()})
}

/// The title of the document with this id when this build publishes it,
/// else what stands in for it (a restricted title never appears).
fn title_by_id(input: &Input<'_>, t: &'static Texts, id: &str) -> String {
    let policy = input.config.publish.policy();
    match input.corpus.get(id) {
        Some(d) => match policy.withholds(&d.meta) {
            None => d.title().to_string(),
            Some(crate::model::Withheld::Restricted) => t.restricted.to_string(),
            Some(crate::model::Withheld::NotAdopted) => t.not_adopted.to_string(),
        },
        None => id.to_string(),
    }
}

/// The document-control rows of document `i`: what its page's block
/// shows, and the site's own fields declared for print.
fn control_rows(input: &Input<'_>, i: usize, t: &'static Texts) -> Vec<Value> {
    use crate::schema::{FieldKind, FieldValue, Show};
    const NONE: &str = "–";
    let doc = &input.corpus.documents[i];
    let m = &doc.meta;
    let lang = input.config.language;
    let date = |d: &Option<crate::model::Spanned<chrono::NaiveDate>>| {
        d.as_ref().map_or(NONE.to_string(), |v| v.value.to_string())
    };
    let mut rows = vec![
        row(
            t.r#type,
            crate::render::kinds::label_of(doc, input.config, t),
        ),
        row(
            t.version,
            m.version.as_ref().map_or(NONE, |v| v.value.as_str()),
        ),
        row(t.status, doc.status().map_or(NONE, |s| t.status_name(s))),
        row(
            t.owner,
            m.dokumentagare.as_ref().map_or(NONE, |v| v.value.as_str()),
        ),
    ];
    if m.faststalld.is_some() {
        rows.push(row(t.adopted, date(&m.faststalld)));
    }
    if let Some(by) = &m.faststalld_av {
        rows.push(row(t.adopted_by, by.value.as_str()));
    }
    if doc.is_repealed() {
        rows.push(row(t.repealed, date(&m.upphavd)));
        if let Some(e) = &m.ersatt_av {
            rows.push(row(t.replaced_by_label, title_by_id(input, t, &e.value)));
        }
    } else {
        rows.push(row(t.next_revision, date(&m.nasta_revision)));
    }
    rows.push(row(t.classification, t.class_name(doc.klassning())));
    if let Some(p) = &m.overordnad {
        rows.push(row(t.governed_by, title_by_id(input, t, &p.value)));
    }
    // As on the page: the register's name of a system it knows.
    if let Some(s) = m
        .system
        .as_ref()
        .and_then(|s| input.corpus.system(&s.value))
    {
        rows.push(row(t.system, s.name()));
    }
    if let Some(a) = &m.driftgodkannande {
        let when = a.value.datum.as_ref().map(|d| d.value.to_string());
        let by = a.value.beslutat_av.as_ref().map(|b| b.value.as_str());
        let text = match (when, by) {
            (Some(w), Some(b)) => format!("{w}, {} {b}", t.approved_by),
            (Some(w), None) => w,
            (None, Some(b)) => format!("{} {b}", t.approved_by),
            (None, None) => t.no_approval.to_string(),
        };
        rows.push(row(t.approval, text));
    }
    if let Some(h) = &m.hotbild_analyserad {
        rows.push(row(t.threat_analysis, h.value.to_string()));
    }
    for (key, def) in &input.config.fields {
        if !def.shows(Show::Print) {
            continue;
        }
        let Some((_, value)) = m.extra.iter().find(|(k, _)| k == key) else {
            continue;
        };
        let shown = match (def.kind, &value.value) {
            (FieldKind::Document, FieldValue::Text(id)) => match input.corpus.get(id) {
                Some(d) if input.config.publish.policy().withholds(&d.meta).is_none() => {
                    d.title().to_string()
                }
                _ => id.clone(),
            },
            (_, v) => v.display(lang),
        };
        rows.push(row(def.label.get(lang), shown));
    }
    rows
}

/// The data the template typesets for document `i`: its control block, a
/// banner for a draft or a repealed document, and its body.
fn document_data(input: &Input<'_>, i: usize, images: &Images<'_>, files: &mut Files) -> Value {
    let doc = &input.corpus.documents[i];
    let t = crate::i18n::texts(input.config.language);
    let mut body = convert::body(doc.body(), &mut |dest, image, offset| {
        destination(input, i, (dest, image, offset), images, files)
    });
    for block in &mut body {
        if block["t"] == "hierarchy" {
            *block = hierarchy(input);
        }
    }
    let mut notes = Vec::new();
    if let Some(s @ (Status::Utkast | Status::Remiss)) = doc.status() {
        notes.push(note(&format!("{}. {}.", t.status_name(s), t.draft_banner)));
    }
    if doc.is_repealed() {
        notes.push(note(&format!("{}. {}", t.repealed, t.repealed_note)));
    }
    notes.extend(goals(doc, t));
    header(input, doc, t, control_rows(input, i, t), notes, body)
}

/// The annual goals (`mål`) as the page's table shows them, with its
/// heading; none when the document has none.
fn goals(doc: &Document, t: &'static Texts) -> Vec<Value> {
    let Some(goals) = doc.meta.mal.as_ref().filter(|g| !g.value.is_empty()) else {
        return Vec::new();
    };
    let cell = |s: &str| json!({"t": "seq", "c": [convert::text(s)]});
    let text = |v: &Option<crate::model::Spanned<String>>| {
        cell(v.as_ref().map_or("", |v| v.value.as_str()))
    };
    let head: Vec<Value> = [
        t.goal_what,
        t.goal_deadline,
        t.goal_resources,
        t.goal_follow_up,
        t.goal_information,
        t.goal_status,
    ]
    .into_iter()
    .map(cell)
    .collect();
    let rows: Vec<Value> = goals
        .value
        .iter()
        .map(|g| {
            json!([
                text(&g.vad),
                cell(
                    &g.sluttid
                        .as_ref()
                        .map(|d| d.value.to_string())
                        .unwrap_or_default()
                ),
                text(&g.resurser),
                text(&g.uppfoljning),
                text(&g.information),
                cell(
                    g.status
                        .as_ref()
                        .map_or("–", |s| t.goal_status_name(s.value))
                ),
            ])
        })
        .collect();
    vec![
        json!({"t": "h", "level": 2, "c": [convert::text(t.goals)]}),
        json!({"t": "table", "cols": 6, "align": ["l", "l", "l", "l", "l", "l"], "head": head, "rows": rows}),
    ]
}

/// The hierarchy figure of a page, in a PDF as what the page gives as its
/// text alternative: the governing documents in force that the build
/// publishes, as a nested list of their titles (linked to the site when
/// `base_url` names it).
fn hierarchy(input: &Input<'_>) -> Value {
    /// Lists nest as deep as a document's own Markdown may.
    const MAX_DEPTH: usize = 6;
    let docs = &input.corpus.documents;
    let policy = input.config.publish.policy();
    let in_force: Vec<bool> = docs
        .iter()
        .map(|d| policy.withholds(&d.meta).is_none() && !d.is_repealed())
        .collect();
    let tree = crate::render::hierarchy::tree(input.corpus, &in_force);
    fn list(
        input: &Input<'_>,
        tree: &crate::render::hierarchy::Tree,
        members: &[usize],
        depth: usize,
    ) -> Value {
        let items: Vec<Value> = members
            .iter()
            .map(|&d| {
                let doc = &input.corpus.documents[d];
                let title = json!({
                    "t": "link",
                    "url": site_url(input, &doc.url, None),
                    "c": [convert::text(doc.title())],
                });
                let mut c = vec![title];
                let children = &tree.children[d];
                if !children.is_empty() {
                    c.push(if depth < MAX_DEPTH {
                        list(input, tree, children, depth + 1)
                    } else {
                        // Below that every document still stands, in
                        // order, in one list.
                        let mut below = Vec::new();
                        descendants(tree, children, &mut below);
                        flat(input, &below)
                    });
                }
                json!({"t": "seq", "c": c})
            })
            .collect();
        json!({"t": "list", "ordered": false, "start": 1, "tight": true, "items": items})
    }
    fn descendants(tree: &crate::render::hierarchy::Tree, members: &[usize], out: &mut Vec<usize>) {
        for &d in members {
            // The tree is acyclic; the bound guards a broken one anyway.
            if out.len() < tree.children.len() {
                out.push(d);
                descendants(tree, &tree.children[d], out);
            }
        }
    }
    fn flat(input: &Input<'_>, members: &[usize]) -> Value {
        let items: Vec<Value> = members
            .iter()
            .map(|&d| {
                let doc = &input.corpus.documents[d];
                json!({"t": "seq", "c": [{
                    "t": "link",
                    "url": site_url(input, &doc.url, None),
                    "c": [convert::text(doc.title())],
                }]})
            })
            .collect();
        json!({"t": "list", "ordered": false, "start": 1, "tight": true, "items": items})
    }
    let roots: Vec<usize> = tree
        .roots
        .iter()
        .copied()
        .filter(|&r| in_force[r])
        .collect();
    list(input, &tree, &roots, 0)
}

/// A framed note above the body.
fn note(text: &str) -> Value {
    json!({"t": "note", "c": [convert::text(text)]})
}

/// The data of one PDF of document `doc`: its title and metadata, the
/// control rows, notes and body.
fn header(
    input: &Input<'_>,
    doc: &Document,
    t: &'static Texts,
    control: Vec<Value>,
    notes: Vec<Value>,
    body: Vec<Value>,
) -> Value {
    use chrono::Datelike;
    let m = &doc.meta;
    let date = m
        .faststalld
        .as_ref()
        .map(|d| json!([d.value.year(), d.value.month(), d.value.day()]));
    let owner: Vec<&str> = m
        .dokumentagare
        .as_ref()
        .map(|o| o.value.as_str())
        .into_iter()
        .collect();
    json!({
        "lang": match input.config.language { Language::Sv => "sv", Language::En => "en" },
        "title": doc.title(),
        "org": input.config.title,
        "type_label": crate::render::kinds::label_of(doc, input.config, t),
        "version": m.version.as_ref().map_or("–", |v| v.value.as_str()),
        "status": doc.status().map_or("–", |s| t.status_name(s)),
        "authors": owner,
        "date": date,
        "labels": labels(t),
        "control": control,
        "notes": notes,
        "body": body,
    })
}
