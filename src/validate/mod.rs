//! Stage 3, validate: the rules of the policy (SPEC 5) over the loaded and
//! resolved corpus. Each rule lives in its own module and returns
//! diagnostics; nothing here stops at the first problem.

pub mod coverage;
pub mod hierarchy;
pub mod lifecycle;
pub mod review;

pub use coverage::{covering_heading, heading_key};

use chrono::NaiveDate;

use crate::codes::Code;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::model::Corpus;
use crate::resolve::{LinkGraph, Target};
use std::collections::BTreeMap;

/// What the rules found, kept apart by what each rule reads, so that a
/// rebuild after an edit of bodies alone runs only the edited documents'
/// rules again (see [`Earlier`]).
#[derive(Debug, Clone, Default)]
pub struct Findings {
    /// The rules over the corpus as a whole: the hierarchy, review and
    /// lifecycle dates, fields naming documents, the register's critical
    /// systems, the pages' links and HTML. They read front matter, the
    /// register, the pages and the date, never a document's body.
    pub corpus: Vec<Diagnostic>,
    /// For each document (by index), the rules over it alone: its areas or
    /// sections, its links to stricter or repealed documents, its raw
    /// HTML, and what its own front matter asks. They read its body, its
    /// links' targets and other documents' front matter.
    pub documents: Vec<Vec<Diagnostic>>,
    /// The date the rules were run for.
    pub today: Option<NaiveDate>,
}

impl Findings {
    /// Every problem found, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.corpus.iter().chain(self.documents.iter().flatten())
    }
}

/// The findings of an earlier run over a corpus that differs from this one
/// only in the bodies of `changed` documents (and so in their links alone):
/// the same documents in the same order, the same front matter, register,
/// pages, attachments and configuration. Only those documents' rules run
/// again; everything else is as it was found.
pub struct Earlier<'a> {
    /// What the earlier run found.
    pub findings: &'a Findings,
    /// The documents whose bodies changed since.
    pub changed: &'a [usize],
}

/// Runs every rule (see [`Findings`]); with `earlier`, only the changed
/// documents' own rules, when the date is the same.
pub fn validate(
    corpus: &Corpus,
    graph: &LinkGraph,
    config: &Config,
    today: NaiveDate,
    earlier: Option<Earlier<'_>>,
) -> Findings {
    use rayon::prelude::*;
    let keys = coverage::Keys::of(config);
    let own = |i: usize| document_rules(corpus, graph, config, &keys, i);
    let earlier = earlier.filter(|e| {
        e.findings.today == Some(today) && e.findings.documents.len() == corpus.documents.len()
    });
    if let Some(e) = earlier {
        let mut documents = e.findings.documents.clone();
        let redone: Vec<(usize, Vec<Diagnostic>)> =
            e.changed.par_iter().map(|&i| (i, own(i))).collect();
        for (i, d) in redone {
            documents[i] = d;
        }
        return Findings {
            corpus: e.findings.corpus.clone(),
            documents,
            today: Some(today),
        };
    }
    // The corpus's rules beside the documents', each document on its own
    // core (folding every heading of thousands of plans is most of it).
    let (corpus_rules, documents) = rayon::join(
        || {
            let mut d = Vec::new();
            hierarchy::check(corpus, &mut d);
            review::check(corpus, config, today, &mut d);
            lifecycle::check(corpus, today, &mut d);
            field_references(corpus, config, &mut d);
            coverage::check_register(corpus, &mut d);
            own_type_parents(corpus, config, &mut d);
            for (page, links) in corpus.pages.list.iter().zip(&graph.pages) {
                let body = (&*page.source, page.body_offset);
                classification_links(
                    corpus,
                    body,
                    (page.klassning(), "page"),
                    (&links.outline.links[..], &links.targets),
                    &mut d,
                );
                raw_html_of(
                    &page.source,
                    page.body_offset,
                    &links.outline.raw_html,
                    &mut d,
                );
            }
            d
        },
        || {
            (0..corpus.documents.len())
                .into_par_iter()
                .map(own)
                .collect()
        },
    );
    Findings {
        corpus: corpus_rules,
        documents,
        today: Some(today),
    }
}

/// The rules over document `i` alone (see [`Findings::documents`]).
fn document_rules(
    corpus: &Corpus,
    graph: &LinkGraph,
    config: &Config,
    keys: &coverage::Keys,
    i: usize,
) -> Vec<Diagnostic> {
    let mut d = Vec::new();
    let doc = &corpus.documents[i];
    coverage::check_document(corpus, graph, config, keys, i, &mut d);
    own_type_sections(corpus, graph, config, i, &mut d);
    lifecycle::check_document(corpus, graph, i, &mut d);
    let body = (&*doc.source, doc.body_offset);
    let links = (&graph.outlines[i].links[..], &*graph.targets[i]);
    classification_links(corpus, body, (doc.klassning(), "document"), links, &mut d);
    raw_html_of(
        &doc.source,
        doc.body_offset,
        &graph.outlines[i].raw_html,
        &mut d,
    );
    d
}

/// SD701 for one body, starting at `body_offset` in `source`.
fn raw_html_of(
    source: &crate::source::SourceFile,
    body_offset: usize,
    pieces: &[(usize, String)],
    diags: &mut Vec<Diagnostic>,
) {
    use crate::sanitize;
    if pieces.is_empty() {
        return;
    }
    let joined: String = pieces.iter().map(|(_, h)| h.as_str()).collect();
    let at = |offset: usize, html: &str, message: String| {
        let (line, col) = source.position(body_offset + offset);
        let width = html.trim_end().chars().count();
        Diagnostic::warning(Code::UnsafeHtml, &source.rel, line, col, message)
            .with_width(width.min(source.line_text(line).chars().count()))
    };
    if sanitize::scan(&joined).depth > sanitize::MAX_DEPTH {
        let (offset, html) = &pieces[0];
        diags.push(
            at(
                *offset,
                html,
                crate::tr!(
                    "HTML som är nästlad i mer än {} nivåer publiceras som text",
                    "raw HTML nested more than {} elements deep is published as text",
                    sanitize::MAX_DEPTH
                ),
            )
            .with_hint(crate::tr!(
                "nästla färre element, eller skriv innehållet i Markdown",
                "nest fewer elements, or write the content in Markdown"
            )),
        );
        return;
    }
    let removed = sanitize::removed(&joined);
    if removed.is_empty() {
        return;
    }
    // Where each tag and attribute first appears.
    let mut first: std::collections::HashMap<sanitize::Markup, usize> = Default::default();
    for (n, (_, h)) in pieces.iter().enumerate() {
        for m in sanitize::scan(h).markup {
            first.entry(m).or_insert(n);
        }
    }
    for what in removed {
        let (offset, html) = &pieces[first.get(&what).copied().unwrap_or(0)];
        diags.push(
            at(
                *offset,
                html,
                crate::tr!(
                    "{what} tas bort från den publicerade sidan",
                    "{what} is removed from the published page"
                ),
            )
            .with_hint(crate::tr!(
                "skriv innehållet i Markdown; skript, ramar, formulär, stilar och händelsehanterare publiceras aldrig",
                "write the content in Markdown; scripts, frames, forms, styles and event handlers are never published"
            )),
        );
    }
}

/// SD305: the links of one document's or page's body (its `source` and
/// `body_offset`, its class and kind) to a document or page of a stricter
/// class.
fn classification_links(
    corpus: &Corpus,
    (source, body_offset): (&crate::source::SourceFile, usize),
    (from, kind): (crate::model::Klassning, &str),
    (links, targets): (&[crate::markdown::Link], &BTreeMap<String, Target>),
    diags: &mut Vec<Diagnostic>,
) {
    for link in links {
        // Borrowed: most links are to documents no stricter.
        let (to, name) = match targets.get(&link.dest) {
            Some(Target::Document(t, _)) => {
                let d = &corpus.documents[*t];
                (d.klassning(), d.id.as_str())
            }
            Some(Target::Page(p, _)) => {
                let page = &corpus.pages.list[*p];
                (page.klassning(), page.content_path.as_str())
            }
            _ => continue,
        };
        if to > from {
            let (line, col) = source.position(body_offset + link.offset);
            diags.push(
                Diagnostic::warning(
                    Code::LinkToStricter,
                    &source.rel,
                    line,
                    col,
                    match kind {
                        "page" => crate::tr!(
                            "den här sidan, klassad `{from}`, länkar till `{name}`, som är klassad `{to}`",
                            "this `{from}` page links to `{name}`, which is `{to}`"
                        ),
                        _ => crate::tr!(
                            "det här dokumentet, klassat `{from}`, länkar till `{name}`, som är klassat `{to}`",
                            "this `{from}` document links to `{name}`, which is `{to}`"
                        ),
                    },
                )
                .with_width(link.len.min(source.line_text(line).chars().count()))
                .with_hint(crate::tr!(
                    "alla som läser dokumentet får kanske inte se målet; en begränsad utgåva visar länken som vanlig text",
                    "readers of this document may not be allowed to see the target; a restricted build shows the link as plain text"
                )),
            );
        }
    }
}

/// SD302: a `document` field of the site's own (`[fields.<key>]`) that
/// names no document, at its value.
fn field_references(corpus: &Corpus, config: &Config, diags: &mut Vec<Diagnostic>) {
    use crate::schema::{FieldKind, FieldValue};
    for doc in &corpus.documents {
        for (key, value) in &doc.meta.extra {
            let is_document = config
                .fields
                .get(key)
                .is_some_and(|def| def.kind == FieldKind::Document);
            let FieldValue::Text(id) = &value.value else {
                continue;
            };
            if !is_document || corpus.by_id.contains_key(id) {
                continue;
            }
            let ids: Vec<&str> = corpus.by_id.keys().map(String::as_str).collect();
            let mut d = Diagnostic::error(
                Code::MissingId,
                &doc.source.rel,
                value.line,
                value.col,
                crate::tr!(
                    "`{key}` anger `{id}`, som inte är något dokuments dokument-id",
                    "`{key}` names `{id}`, which is no document's id"
                ),
            )
            .with_width(value.width);
            d.hint = crate::load::fields::closest(id, &ids)
                .map(|b| crate::tr!("menade du `{b}`?", "did you mean `{b}`?"));
            diags.push(d);
        }
    }
}

/// SD501, for a document of the site's own types (`[types.<name>]`): each
/// required section it lacks, at its front matter.
fn own_type_sections(
    corpus: &Corpus,
    graph: &LinkGraph,
    config: &Config,
    i: usize,
    diags: &mut Vec<Diagnostic>,
) {
    let doc = &corpus.documents[i];
    let Some(name) = &doc.meta.custom_type else {
        return;
    };
    let Some(def) = config.types.get(&name.value) else {
        return;
    };
    if doc.is_repealed() {
        return;
    }
    let label = def.label.get(config.language);
    let keys = coverage::HeadingKeys::of(&graph.outlines[i].headings);
    for section in &def.sections {
        if keys.find(&coverage::requirement_keys(section)).is_none() {
            diags.push(
                Diagnostic::error(
                    Code::MissingSection,
                    &doc.source.rel,
                    doc.meta.line,
                    1,
                    crate::tr!(
                        "{label} saknar avsnittet `{}`",
                        "{label} lacks the section `{}`",
                        section.name()
                    ),
                )
                .with_width(3)
                .with_hint(crate::tr!(
                    "lägg till rubriken `## {}`, eller ett alias under [types.{}] i styrdok.toml",
                    "add a heading `## {}`, or an alias under [types.{}] in styrdok.toml",
                    section.name(),
                    name.value
                )),
            );
        }
    }
}

/// SD205, for the documents of the site's own types: a governing document
/// of a type its type may not have, at `överordnad`.
fn own_type_parents(corpus: &Corpus, config: &Config, diags: &mut Vec<Diagnostic>) {
    for doc in &corpus.documents {
        let Some(name) = &doc.meta.custom_type else {
            continue;
        };
        let Some(def) = config.types.get(&name.value) else {
            continue;
        };
        let (Some(o), Some(&p)) = (
            &doc.meta.overordnad,
            doc.meta
                .overordnad
                .as_ref()
                .and_then(|o| corpus.by_id.get(&o.value)),
        ) else {
            continue;
        };
        let parent = corpus.documents[p].type_name();
        if !def.parents.iter().any(|t| t == parent) {
            diags.push(
                Diagnostic::error(
                    Code::OutsideHierarchy,
                    &doc.source.rel,
                    o.line,
                    o.col,
                    crate::tr!(
                        "ett dokument av typen `{}` kan inte ha `{}`, ett dokument av typen `{parent}`, som överordnat dokument",
                        "a document of type `{}` cannot be governed by `{}`, a document of type `{parent}`",
                        name.value,
                        o.value
                    ),
                )
                .with_width(o.width)
                .with_hint(crate::tr!(
                    "[types.{}] i styrdok.toml tillåter: {}",
                    "[types.{}] in styrdok.toml allows: {}",
                    name.value,
                    def.parents.join(", ")
                )),
            );
        }
    }
}
