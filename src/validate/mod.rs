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

/// Runs every rule.
pub fn validate(
    corpus: &Corpus,
    graph: &LinkGraph,
    config: &Config,
    today: NaiveDate,
) -> Vec<Diagnostic> {
    // The rule families are independent: they run side by side (the
    // diagnostics are sorted afterwards).
    let run = |f: &(dyn Fn(&mut Vec<Diagnostic>) + Sync)| {
        let mut d = Vec::new();
        f(&mut d);
        d
    };
    let ((mut diags, coverage), (links, html)) = rayon::join(
        || {
            rayon::join(
                || {
                    run(&|d| {
                        hierarchy::check(corpus, d);
                        review::check(corpus, config, today, d);
                        lifecycle::check(corpus, graph, today, d);
                        field_references(corpus, config, d);
                    })
                },
                || {
                    run(&|d| {
                        coverage::check(corpus, graph, config, d);
                        own_types(corpus, graph, config, d);
                    })
                },
            )
        },
        || {
            rayon::join(
                || run(&|d| classification_links(corpus, graph, d)),
                || run(&|d| raw_html(corpus, graph, d)),
            )
        },
    );
    diags.extend(coverage);
    diags.extend(links);
    diags.extend(html);
    diags
}

/// SD701: what the sanitiser removes from each document's and page's raw
/// HTML, as it actually runs on the page (see [`crate::sanitize::removed`]),
/// each at the first piece of raw HTML that holds it.
fn raw_html(corpus: &Corpus, graph: &LinkGraph, diags: &mut Vec<Diagnostic>) {
    for (i, doc) in corpus.documents.iter().enumerate() {
        raw_html_of(
            &doc.source,
            doc.body_offset,
            &graph.outlines[i].raw_html,
            diags,
        );
    }
    for (page, links) in corpus.pages.list.iter().zip(&graph.pages) {
        raw_html_of(
            &page.source,
            page.body_offset,
            &links.outline.raw_html,
            diags,
        );
    }
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

/// SD305: links from a document or page to a document or page of a
/// stricter class.
fn classification_links(corpus: &Corpus, graph: &LinkGraph, diags: &mut Vec<Diagnostic>) {
    let documents = corpus.documents.iter().enumerate().map(|(i, doc)| {
        let body = (&*doc.source, doc.body_offset, doc.klassning(), "document");
        (body, &graph.outlines[i].links, &*graph.targets[i])
    });
    let pages = corpus
        .pages
        .list
        .iter()
        .zip(&graph.pages)
        .map(|(page, links)| {
            let body = (&*page.source, page.body_offset, page.klassning(), "page");
            (body, &links.outline.links, &links.targets)
        });
    for ((source, body_offset, from, kind), links, targets) in documents.chain(pages) {
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

/// The rules of the site's own types (`[types.<name>]`): SD501 for each
/// required section a document lacks, at its front matter; SD205 for a
/// governing document of a type its type may not have, at `överordnad`.
fn own_types(corpus: &Corpus, graph: &LinkGraph, config: &Config, diags: &mut Vec<Diagnostic>) {
    for (i, doc) in corpus.documents.iter().enumerate() {
        let Some(name) = &doc.meta.custom_type else {
            continue;
        };
        let Some(def) = config.types.get(&name.value) else {
            continue;
        };
        let label = def.label.get(config.language);
        if !doc.is_repealed() {
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
