//! The redline appendix: for each published document whose text changed
//! since the newest version tag, the structured redline
//! ([`crate::redline`]) from the tag's text to the current one, as the data
//! of a PDF of its own (`pdf/<document path>.andringar-<tag>.pdf`).
//! Changes are marked without colour: added words underlined and begun
//! with `+`, removed words struck through and begun with `−`, moved blocks
//! labelled, with a legend on the first page.

use serde_json::{json, Value};
use similar::ChangeTag;
use std::sync::Arc;

use super::convert::text;
use super::{header, row, Input};
use crate::diagnostic::Diagnostic;
use crate::history::blocks;
use crate::i18n::Texts;
use crate::redline::{Block, Item, Kind, Redline, Seg};

/// One redline PDF to make.
pub(super) struct Appendix {
    /// The tag it compares with.
    pub(super) tag: String,
    /// The document (index in the corpus).
    pub(super) doc: usize,
    /// Where it goes.
    pub(super) path: String,
    /// What the template typesets.
    pub(super) data: Value,
}

/// The redlines of the `published` documents since the newest tag, and
/// warnings when the tags cannot be read. None outside git or without tags.
pub(super) fn appendices(
    input: &Input<'_>,
    repo: Option<&crate::git::Repo>,
    published: &[usize],
) -> (Vec<Appendix>, Vec<Diagnostic>) {
    let Some(repo) = repo else {
        return (Vec::new(), Vec::new());
    };
    let problem = |e: String| {
        vec![crate::git::problem(crate::tr!(
            "ändrings-PDF:erna görs inte: versionstaggarna kan inte läsas ({e})",
            "the change PDFs are not made: the version tags cannot be read ({e})"
        ))]
    };
    let tags = match repo.tags(&input.config.versions.tag_pattern) {
        Ok((tags, _)) => tags,
        Err(e) => return (Vec::new(), problem(e)),
    };
    let Some((tag, commit, _)) = tags
        .into_iter()
        .rev()
        .find(|(name, _, _)| crate::versions::safe_tag(name))
    else {
        return (Vec::new(), Vec::new());
    };
    let files = match repo.site_files(commit) {
        Ok((_, files)) => files,
        Err(e) => return (Vec::new(), problem(e)),
    };
    let then = crate::load::load_memory(files, input.content_rel, input.config.schema()).corpus;
    let policy = input.config.publish.policy();
    let t = crate::i18n::texts(input.config.language);
    let out = published
        .iter()
        .filter_map(|&i| {
            let doc = &input.corpus.documents[i];
            let old = then.get(&doc.id)?;
            if !old.publishable(policy) || old.source.text == doc.source.text {
                return None;
            }
            let r = Redline::between(
                Arc::new(blocks(&old.source.text)),
                Arc::new(blocks(&doc.source.text)),
            );
            if !r.summary.changed() {
                return None;
            }
            let stem = super::pdf_path(doc);
            let stem = stem.strip_suffix(".pdf").unwrap_or(&stem);
            let old_version = old.meta.version.as_ref().map_or("–", |v| v.value.as_str());
            let mut data = appendix_data(input, i, (&tag, old_version), &r, t);
            // The tag's side cannot be mended: what no PDF/A can hold is
            // named rather than stopping the build (today's side was
            // already checked in the document's own PDF).
            super::glyphs::spell_out(&mut data);
            Some(Appendix {
                tag: tag.clone(),
                doc: i,
                path: format!("{stem}.andringar-{tag}.pdf"),
                data,
            })
        })
        .collect();
    (out, Vec::new())
}

/// The data of one redline PDF: the document's header with the tag it is
/// compared with, the legend, and the redline's blocks.
fn appendix_data(
    input: &Input<'_>,
    i: usize,
    (tag, old_version): (&str, &str),
    r: &Redline,
    t: &'static Texts,
) -> Value {
    let doc = &input.corpus.documents[i];
    let m = &doc.meta;
    let control = vec![
        row(t.pdf_changes_of, doc.title()),
        row(
            t.version,
            m.version.as_ref().map_or("–", |v| v.value.as_str()),
        ),
        row(&t.pdf_version_then.replace("{tag}", tag), old_version),
        row(t.pdf_compared_with, tag),
        row(t.classification, t.class_name(doc.klassning())),
    ];
    let legend = json!({"t": "note", "c": [
        {"t": "strong", "c": [text(&format!("{}: ", t.redline_legend_title))]},
        text(t.pdf_legend),
    ]});
    let heading =
        json!({"t": "h", "level": 1, "c": [text(&t.pdf_changes_title.replace("{tag}", tag))]});
    let mut body = vec![heading];
    body.extend(blocks_of(r, t));
    let mut data = header(input, doc, t, control, vec![legend], body);
    data["title"] = json!(format!(
        "{} – {}",
        doc.title(),
        t.pdf_changes_title.replace("{tag}", tag)
    ));
    data
}

/// A run of words: kept as text, added underlined after `+`, removed
/// struck through after `−`.
/// The space a run begins with stays outside its mark.
fn seg(s: &Seg) -> Value {
    let words = s.text.trim_start();
    let space = &s.text[..s.text.len() - words.len()];
    let (class, sign) = match s.tag {
        ChangeTag::Equal => return text(&s.text),
        ChangeTag::Insert => ("ins", "+"),
        ChangeTag::Delete => ("del", "−"),
    };
    let marked = json!({"t": class, "c": [{"t": "strong", "c": [text(sign)]}, text(words)]});
    if space.is_empty() {
        marked
    } else {
        json!({"t": "seq", "c": [text(space), marked]})
    }
}

/// Each cell of a block, all of it with one mark.
fn whole(b: &Block, tag: ChangeTag) -> Vec<Vec<Seg>> {
    b.cells
        .iter()
        .map(|c| {
            vec![Seg {
                tag,
                text: c.clone(),
            }]
        })
        .collect()
}

/// The redline's items as template nodes: headings as headings, list
/// items indented with their marker, consecutive table rows as one table.
fn blocks_of(r: &Redline, t: &'static Texts) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    let mut rows: Vec<Vec<Value>> = Vec::new();
    let flush = |rows: &mut Vec<Vec<Value>>, out: &mut Vec<Value>| {
        if rows.is_empty() {
            return;
        }
        let cols = rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let rows: Vec<Value> = rows
            .drain(..)
            .map(|mut r| {
                r.resize(cols, json!({"t": "seq", "c": []}));
                Value::Array(r)
            })
            .collect();
        out.push(json!({
            "t": "table", "cols": cols, "align": vec!["l"; cols], "head": [], "rows": rows,
        }));
    };
    for item in &r.items {
        let b = r.block(item);
        let (cells, label) = match item {
            Item::Plain { .. } | Item::Same { .. } => (whole(b, ChangeTag::Equal), None),
            Item::Inserted { .. } => (whole(b, ChangeTag::Insert), None),
            Item::Deleted { .. } => (whole(b, ChangeTag::Delete), None),
            Item::Changed { cells, .. } => (cells.clone(), None),
            Item::MovedHere { .. } => (whole(b, ChangeTag::Equal), Some(t.pdf_moved_here)),
            Item::MovedAway { .. } => (whole(b, ChangeTag::Delete), Some(t.pdf_moved_away)),
        };
        let mut cells: Vec<Vec<Value>> =
            cells.iter().map(|c| c.iter().map(seg).collect()).collect();
        if let (Some(l), Some(first)) = (label, cells.first_mut()) {
            first.insert(0, json!({"t": "strong", "c": [text(&format!("{l} "))]}));
        }
        if let Kind::Row { .. } = b.kind {
            rows.push(
                cells
                    .into_iter()
                    .map(|c| json!({"t": "seq", "c": c}))
                    .collect(),
            );
            continue;
        }
        flush(&mut rows, &mut out);
        let c: Vec<Value> = cells.into_iter().flatten().collect();
        out.push(match b.kind {
            Kind::Heading(level) => json!({"t": "h", "level": level.clamp(1, 5) + 1, "c": c}),
            Kind::Quote => json!({"t": "quote", "c": [{"t": "p", "c": c}]}),
            Kind::Item {
                ordered,
                number,
                depth,
            } => {
                let marker = if ordered {
                    format!("{number}.")
                } else {
                    "•".to_string()
                };
                json!({"t": "ritem", "depth": depth, "marker": marker, "c": c})
            }
            // Raw HTML is not carried into a PDF.
            Kind::Html => continue,
            Kind::Paragraph | Kind::Code | Kind::Row { .. } => json!({"t": "p", "c": c}),
        });
    }
    flush(&mut rows, &mut out);
    out
}
