//! A review's own pages (`styrdok review`, `serve --base`): the start page
//! of the review (`review.html`, at `granskning/index.html`) and, for every
//! document the change touches, its page with the changes marked
//! (`review_document.html`, at `granskning/<its url>`), which switches with
//! the clean page. The rest of the review site is the head's own site.

use serde::Serialize;
use std::borrow::Cow;

use super::context::{Base, Place, NONE};
use super::{redline, OutputFile, Renderer};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Status;
use crate::resolve::relative_url;
use crate::review::{DocChange, FieldChange, Kind, Review, RowChange, DIR};

/// The review's start page.
pub(super) fn start_url() -> String {
    format!("{DIR}/index.html")
}

/// The variables of `review.html`.
#[derive(Serialize)]
struct ReviewView<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    review: ReviewInfo<'a>,
    docs: Vec<DocRow<'a>>,
    systems: Vec<Row<'a>>,
    goals: Vec<Row<'a>>,
    rules_broken: Vec<Problem<'a>>,
    rules_mended: Vec<Problem<'a>>,
    introduced: Vec<Problem<'a>>,
    resolved: Vec<Problem<'a>>,
}

/// What is compared: on every page of a review site (`review`).
#[derive(Serialize)]
pub(super) struct ReviewInfo<'a> {
    /// The base revision as given, and its commit.
    pub(super) base: &'a str,
    pub(super) commit: &'a str,
    /// The reviewed revision, or null for the work tree.
    pub(super) head: Option<&'a str>,
    /// The most sensitive class shown, in words.
    pub(super) limit: &'static str,
}

impl<'a> ReviewInfo<'a> {
    pub(super) fn new(
        r: &'a Review,
        config: &crate::config::Config,
        t: &crate::i18n::Texts,
    ) -> Self {
        ReviewInfo {
            base: &r.base,
            commit: &r.base_commit,
            head: r.head.as_deref(),
            limit: t.class_name(config.publish.max_klassning),
        }
    }
}

/// One document on the start page.
#[derive(Serialize)]
struct DocRow<'a> {
    kind: &'static str,
    kind_label: &'static str,
    title: &'a str,
    /// Its page with the changes marked.
    href: String,
    /// Its clean page (none for a removed one).
    page_href: Option<String>,
    old_path: Option<&'a str>,
    new_path: Option<&'a str>,
    old_version: &'a str,
    new_version: &'a str,
    old_status: &'static str,
    new_status: &'static str,
    words: usize,
    /// One line: which sections changed, words added and removed.
    changes: String,
    fields: Vec<Field<'a>>,
}

#[derive(Serialize)]
struct Field<'a> {
    key: &'a str,
    old: Option<&'a str>,
    new: Option<&'a str>,
}

/// A system or goal on the start page.
#[derive(Serialize)]
struct Row<'a> {
    kind: &'static str,
    kind_label: &'static str,
    name: &'a str,
    /// The document a goal is in, and its page.
    doc: Option<&'a str>,
    doc_href: Option<String>,
    fields: Vec<Field<'a>>,
}

/// A problem, where it is and what.
#[derive(Serialize)]
struct Problem<'a> {
    code: &'static str,
    error: bool,
    location: String,
    message: &'a str,
    hint: Option<&'a str>,
}

/// The variables of `review_document.html`.
#[derive(Serialize)]
struct ReviewDocView<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    review: ReviewInfo<'a>,
    change: DocRow<'a>,
    /// Back to the review's start page.
    start_href: String,
    /// The redline, HTML.
    redline: String,
}

fn kind_label(k: Kind, t: &crate::i18n::Texts) -> &'static str {
    match k {
        Kind::Added => t.review_kind_added,
        Kind::Changed => t.review_kind_changed,
        Kind::Renamed => t.review_kind_renamed,
        Kind::Removed => t.review_kind_removed,
    }
}

fn fields(f: &[FieldChange]) -> Vec<Field<'_>> {
    f.iter()
        .map(|f| Field {
            key: &f.key,
            old: f.old.as_deref(),
            new: f.new.as_deref(),
        })
        .collect()
}

impl Renderer<'_> {
    /// What every page of a review site says of the review.
    pub(super) fn review_info<'r>(&self, r: &'r Review) -> ReviewInfo<'r> {
        ReviewInfo::new(r, self.site.config, self.t)
    }

    /// The review's pages: its start page and each touched document's
    /// page with the changes marked.
    pub(super) fn review_pages(&self, r: &Review) -> Result<Vec<OutputFile>, Diagnostic> {
        let start = start_url();
        let mut files = vec![OutputFile {
            bytes: self.review_start(r, &start)?.into_bytes(),
            path: start.clone(),
        }];
        for c in &r.docs {
            let url = c.marked_url();
            let view = ReviewDocView {
                base: self.base(Place {
                    url: &url,
                    current: "review",
                    title: Cow::Owned(format!("{}: {}", self.t.review_title, c.title)),
                    doc: c.head,
                }),
                review: self.review_info(r),
                change: self.doc_row(c, &url),
                start_href: relative_url(&url, &start),
                redline: redline::html(&c.redline, self.t),
            };
            files.push(OutputFile {
                bytes: self
                    .render_page("review_document.html", &view)?
                    .into_bytes(),
                path: url,
            });
        }
        Ok(files)
    }

    fn review_start(&self, r: &Review, url: &str) -> Result<String, Diagnostic> {
        let view = ReviewView {
            base: self.base(Place {
                url,
                current: "review",
                title: Cow::Borrowed(self.t.review_title),
                doc: None,
            }),
            review: self.review_info(r),
            docs: r.docs.iter().map(|c| self.doc_row(c, url)).collect(),
            systems: r.systems.iter().map(|s| self.row(s, url)).collect(),
            goals: r.goals.iter().map(|s| self.row(s, url)).collect(),
            rules_broken: problems(&r.introduced, true),
            rules_mended: problems(&r.resolved, true),
            introduced: problems(&r.introduced, false),
            resolved: problems(&r.resolved, false),
        };
        self.render_page("review.html", &view)
    }
}

fn problems(list: &[Diagnostic], rules: bool) -> Vec<Problem<'_>> {
    list.iter()
        .filter(|d| Review::is_rule(d) == rules)
        .map(|d| Problem {
            code: d.code.as_str(),
            error: d.severity == Severity::Error,
            location: d.location(),
            message: &d.message,
            hint: d.hint.as_deref(),
        })
        .collect()
}

impl Renderer<'_> {
    fn doc_row<'c>(&self, c: &'c DocChange, from: &str) -> DocRow<'c> {
        let t = self.t;
        let status = |s: Option<Status>| s.map_or(NONE, |s| t.status_name(s));
        DocRow {
            kind: c.kind.key(),
            kind_label: kind_label(c.kind, t),
            title: &c.title,
            href: relative_url(from, &c.marked_url()),
            page_href: c.head.map(|_| relative_url(from, &c.url)),
            old_path: c.old_path.as_deref(),
            new_path: c.new_path.as_deref(),
            old_version: c.old_version.as_deref().unwrap_or(NONE),
            new_version: c.new_version.as_deref().unwrap_or(NONE),
            old_status: status(c.old_status),
            new_status: status(c.new_status),
            words: c.words_changed(),
            changes: match c.kind {
                // Not "changed in every section": the whole text goes.
                Kind::Removed => format!(
                    "{}, {} {}",
                    t.review_kind_removed, c.redline.summary.removed, t.words
                ),
                _ => redline::summary(&c.redline.summary, t),
            },
            fields: fields(&c.fields),
        }
    }

    fn row<'c>(&self, r: &'c RowChange, from: &str) -> Row<'c> {
        let doc = r.doc.as_ref();
        Row {
            kind: r.kind.key(),
            kind_label: kind_label(r.kind, self.t),
            name: &r.name,
            doc: doc.map(|(title, _)| title.as_str()),
            doc_href: doc
                .and_then(|(_, i)| *i)
                .map(|i| relative_url(from, &self.docs()[i].url)),
            fields: fields(&r.fields),
        }
    }

    /// On a document's page in a review site: how the change touches it,
    /// and its page with the changes marked.
    pub(super) fn review_mark(&self, i: usize) -> Option<ReviewMark> {
        let r = self.site.review?;
        let c = r.of_head(i)?;
        let url = &self.docs()[i].url;
        Some(ReviewMark {
            kind_label: kind_label(c.kind, self.t),
            href: relative_url(url, &c.marked_url()),
            start_href: relative_url(url, &start_url()),
        })
    }
}

/// The banner of a touched document's page in a review site.
#[derive(Serialize)]
pub(super) struct ReviewMark {
    kind_label: &'static str,
    /// Its page with the changes marked.
    href: String,
    /// The review's start page.
    start_href: String,
}
