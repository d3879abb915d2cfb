//! A document's history page (`history.html`, at `historik/<its url>`):
//! its revisions newest first, one line each with the summary of what
//! changed and the redline behind it, and the redlines between its
//! adopted versions.

use serde::Serialize;
use std::borrow::Cow;

use super::context::{Base, Place, NONE};
use super::{history_url, redline, Renderer};
use crate::diagnostic::Diagnostic;
use crate::git::ChangeKind;
use crate::history::{Revision, VersionPair};
use crate::redline::{Doc, Kind};
use crate::resolve::relative_url;

/// The variables of `history.html`.
#[derive(Serialize)]
struct HistoryView<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    /// The document: `title`, and `href` back to its page.
    doc: DocLink<'a>,
    /// The repository is a shallow clone: older commits are missing.
    shallow: bool,
    /// Redline of uncommitted changes, HTML.
    uncommitted: Option<String>,
    revisions: Vec<RevisionRow<'a>>,
    /// Redlines between adopted versions, and from the last adopted one
    /// to the current text, newest first.
    compare: Vec<Comparison>,
    /// What the compare form offers: adopted versions and every published
    /// revision (newest first), with the current text.
    choices: Choices,
    /// The data script of the revisions' blocks, relative to this page,
    /// when two or more revisions are published.
    data_js: Option<String>,
    /// More revisions exist than are shown.
    capped: bool,
    in_submodule: bool,
}

#[derive(Serialize)]
struct DocLink<'a> {
    title: &'a str,
    href: String,
}

/// One revision. One this build may not publish has the single field
/// `restricted` (always `true`); a published one lacks that field.
#[derive(Serialize)]
#[serde(untagged)]
enum RevisionRow<'a> {
    Restricted { restricted: bool },
    Published(PublishedRevision<'a>),
}

#[derive(Serialize)]
struct PublishedRevision<'a> {
    commit: &'a str,
    date: &'a str,
    author: &'a str,
    summary: &'a str,
    version: &'a str,
    status_key: &'static str,
    status_label: &'static str,
    adopted: bool,
    created: bool,
    renamed_from: Option<&'a str>,
    /// Against the previous published revision, HTML.
    redline: String,
    /// One line: which sections changed, words added and removed.
    changes: String,
    /// Whether its redline is open (the newest revision's).
    open: bool,
}

/// One entry of a compare form's `<select>`: `value` is a commit, or
/// `aktuell` for the current text.
#[derive(Serialize, Clone)]
struct Choice {
    value: String,
    label: String,
}

#[derive(Serialize, Default)]
struct Choices {
    adopted: Vec<Choice>,
    revisions: Vec<Choice>,
}

/// The data script's content: `window.STYRDOK_REVISIONS`.
#[derive(Serialize)]
struct RevisionData<'a> {
    /// Published revisions, newest first.
    revisions: Vec<RevisionBlocks<'a>>,
    /// The current text's blocks, or `null` when the same as the newest
    /// revision's.
    current: Option<Vec<BlockData<'a>>>,
    /// The texts the redline is written with.
    texts: RedlineTexts<'a>,
}

#[derive(Serialize)]
struct RevisionBlocks<'a> {
    commit: &'a str,
    label: String,
    blocks: Vec<BlockData<'a>>,
}

/// A block as [`crate::redline::Block`]: kind (`h`, `p`, `q`, `li`, `tr`,
/// `code`, `html`), heading level, list item's order, number and depth,
/// table row's header flag, cells, and the index of its section heading.
#[derive(Serialize)]
struct BlockData<'a> {
    k: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    l: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    o: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    n: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    d: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    th: Option<bool>,
    c: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    s: Option<usize>,
}

#[derive(Serialize)]
struct RedlineTexts<'a> {
    unchanged_one: &'a str,
    unchanged_many: &'a str,
    moved_here_from: &'a str,
    moved_away_to: &'a str,
    preamble: &'a str,
    created: &'a str,
    words: &'a str,
    text_unchanged: &'a str,
    changed_in: &'a str,
    and_more: &'a str,
    words_added: &'a str,
    words_removed: &'a str,
    moved_one: &'a str,
    moved_many: &'a str,
}

fn block_data(doc: &Doc) -> Vec<BlockData<'_>> {
    doc.blocks
        .iter()
        .map(|b| {
            let mut d = BlockData {
                k: "p",
                l: None,
                o: None,
                n: None,
                d: None,
                th: None,
                c: &b.cells,
                s: b.section,
            };
            match b.kind {
                Kind::Heading(level) => (d.k, d.l) = ("h", Some(level)),
                Kind::Paragraph => {}
                Kind::Quote => d.k = "q",
                Kind::Item {
                    ordered,
                    number,
                    depth,
                } => {
                    d.k = "li";
                    (d.o, d.n, d.d) = (Some(ordered), Some(number), Some(depth));
                }
                Kind::Row { header } => (d.k, d.th) = ("tr", Some(header)),
                Kind::Code => d.k = "code",
                Kind::Html => d.k = "html",
            }
            d
        })
        .collect()
}

/// The path of a history page's data script: `historik/a/b.data.js` for
/// `historik/a/b.html`.
pub(super) fn data_url(history_url: &str) -> String {
    let stem = history_url.strip_suffix(".html").unwrap_or(history_url);
    format!("{stem}.data.js")
}

/// A redline between two versions.
#[derive(Serialize)]
struct Comparison {
    /// The id of its `<details>`: `jamfor-<from>-<to>`.
    anchor: String,
    /// The commits of its two ends (`aktuell`: the current text).
    from_commit: String,
    to_commit: String,
    /// "1.0 (2026-02-01)".
    from: String,
    to: String,
    changes: String,
    redline: String,
}

/// The id of the comparison between two versions (`to` of `None`: the
/// current text), characters outside `[A-Za-z0-9._-]` as `_`.
pub(super) fn compare_anchor(from: &str, to: Option<&str>) -> String {
    let clean = |v: &str| -> String {
        v.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    };
    format!(
        "jamfor-{}-{}",
        clean(from),
        to.map_or("aktuell".into(), clean)
    )
}

/// The commit of the published revision that adopted a version.
fn adopted_commit(dh: &crate::history::DocHistory, (version, date): &(String, String)) -> String {
    dh.revisions
        .iter()
        .find(|r| {
            r.adopted && !r.restricted && r.version.as_deref() == Some(version) && &r.date == date
        })
        .map_or_else(String::new, |r| r.commit.clone())
}

impl Renderer<'_> {
    /// The history page of document `i`, if the site is in git. `ctx`
    /// holds the shared variables; it is left as it was.
    pub(super) fn history_page(
        &self,
        i: usize,
        ctx: &mut tera::Context,
    ) -> Result<Option<(String, Option<String>)>, Diagnostic> {
        let Some(history) = self.site.history else {
            return Ok(None);
        };
        let doc = &self.docs()[i];
        let url = history_url(doc);
        let none = Default::default();
        let dh = history.docs.get(&doc.content_path).unwrap_or(&none);
        let compare = self.comparisons(dh);
        let (choices, data) = self.revision_data(dh, doc.body());
        let data_path = data_url(&url);
        let view = HistoryView {
            base: self.base(Place {
                url: &url,
                current: "history",
                title: Cow::Owned(format!("{}: {}", self.t.history, doc.title())),
                doc: Some(i),
            }),
            doc: DocLink {
                title: doc.title(),
                href: relative_url(&url, &doc.url),
            },
            shallow: history.shallow,
            uncommitted: dh.uncommitted.as_ref().map(|r| redline::html(r, self.t)),
            revisions: self.revision_rows(&dh.revisions),
            choices,
            data_js: data.is_some().then(|| relative_url(&url, &data_path)),
            compare,
            capped: dh.capped,
            in_submodule: dh.in_submodule,
        };
        let page = self.render_in("history.html", ctx, &view)?;
        Ok(Some((page, data)))
    }

    /// The compare form's choices, and the data script (when two or more
    /// revisions are published): each published revision's blocks. A
    /// restricted revision gives nothing, not even its commit.
    fn revision_data(
        &self,
        dh: &crate::history::DocHistory,
        body: &str,
    ) -> (Choices, Option<String>) {
        let t = self.t;
        let published: Vec<&Revision> = dh.revisions.iter().filter(|r| !r.restricted).collect();
        let current = Doc::parse(body);
        let mut choices = Choices::default();
        let now = Choice {
            value: "aktuell".into(),
            label: t.current_text.to_string(),
        };
        choices.adopted.push(now.clone());
        choices.revisions.push(now);
        for r in &published {
            let version = r.version.as_deref().unwrap_or(NONE);
            let message = if r.message_withheld {
                t.message_withheld
            } else {
                &r.summary
            };
            if r.adopted {
                choices.adopted.push(Choice {
                    value: r.commit.clone(),
                    label: format!("{version} ({})", r.date),
                });
            }
            choices.revisions.push(Choice {
                value: r.commit.clone(),
                label: format!("{} · {message} · {} {version}", r.date, t.version),
            });
        }
        if published.len() < 2 {
            return (choices, None);
        }
        let data = RevisionData {
            revisions: published
                .iter()
                .map(|r| RevisionBlocks {
                    commit: &r.commit,
                    label: format!("{} ({})", r.version.as_deref().unwrap_or(NONE), r.date),
                    blocks: block_data(&r.doc),
                })
                .collect(),
            current: (*published[0].doc != current).then(|| block_data(&current)),
            texts: RedlineTexts {
                unchanged_one: t.unchanged_one,
                unchanged_many: t.unchanged_many,
                moved_here_from: t.moved_here_from,
                moved_away_to: t.moved_away_to,
                preamble: t.preamble,
                created: t.created,
                words: t.words,
                text_unchanged: t.text_unchanged,
                changed_in: t.changed_in,
                and_more: t.and_more,
                words_added: t.words_added,
                words_removed: t.words_removed,
                moved_one: t.moved_one,
                moved_many: t.moved_many,
            },
        };
        let json = serde_json::to_string(&data).unwrap_or_else(|_| "null".into());
        (
            choices,
            Some(format!(
                "// Generated by styrdok: the published revisions of one document, as blocks.\nwindow.STYRDOK_REVISIONS = {json};\n"
            )),
        )
    }

    fn revision_rows<'r>(&self, revisions: &'r [Revision]) -> Vec<RevisionRow<'r>> {
        let newest = revisions.iter().position(|r| !r.restricted);
        revisions
            .iter()
            .enumerate()
            .map(|(k, r)| self.revision_row(r, Some(k) == newest))
            .collect()
    }

    fn comparisons(&self, dh: &crate::history::DocHistory) -> Vec<Comparison> {
        let label = |(v, d): &(String, String)| format!("{v} ({d})");
        dh.version_pairs
            .iter()
            .map(|p: &VersionPair| Comparison {
                from_commit: adopted_commit(dh, &p.from),
                to_commit: p
                    .to
                    .as_ref()
                    .map_or_else(|| "aktuell".to_string(), |to| adopted_commit(dh, to)),
                anchor: compare_anchor(&p.from.0, p.to.as_ref().map(|t| t.0.as_str())),
                from: label(&p.from),
                to: p
                    .to
                    .as_ref()
                    .map_or_else(|| self.t.current_text.to_string(), label),
                changes: redline::summary(&p.redline.summary, self.t),
                redline: redline::html(&p.redline, self.t),
            })
            .collect()
    }

    fn revision_row<'r>(&self, r: &'r Revision, open: bool) -> RevisionRow<'r> {
        if r.restricted {
            return RevisionRow::Restricted { restricted: true };
        }
        RevisionRow::Published(PublishedRevision {
            commit: &r.commit,
            date: &r.date,
            author: &r.author,
            summary: if r.message_withheld {
                self.t.message_withheld
            } else {
                &r.summary
            },
            version: r.version.as_deref().unwrap_or(NONE),
            status_key: r.status.map_or("", |s| s.as_str()),
            status_label: r.status.map_or("", |s| self.t.status_name(s)),
            adopted: r.adopted,
            created: r.kind == ChangeKind::Added,
            renamed_from: match &r.kind {
                ChangeKind::Renamed(from) => Some(from.as_str()),
                _ => None,
            },
            redline: redline::html(&r.redline, self.t),
            changes: redline::summary(&r.redline.summary, self.t),
            open,
        })
    }
}
