//! A document's page (`document.html`): its control data, contents, goals,
//! body, governed documents, history summary and backlinks, as the
//! variable `page`.

use serde::Serialize;
use std::borrow::Cow;

use super::context::{Base, DocRef, Place, NONE};
use super::{hierarchy, history_url, OutputFile, Renderer};
use crate::diagnostic::Diagnostic;
use crate::markdown::LinkAction;
use crate::model::{DocType, Goal, Status};
use crate::resolve::{encode, relative_url, root_prefix, Target};

/// The variables of `document.html`.
#[derive(Serialize)]
struct DocumentView<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    page: DocumentPage<'a>,
}

#[derive(Serialize)]
struct DocumentPage<'a> {
    title: &'a str,
    history: Option<HistorySummary<'a>>,
    id: &'a str,
    type_key: &'static str,
    type_label: &'static str,
    version: &'a str,
    status_key: &'static str,
    status_label: &'static str,
    /// The status is not `fastställd`: the page says so.
    banner: bool,
    is_draft: bool,
    owner: &'a str,
    adopted: Option<String>,
    adopted_by: Option<&'a str>,
    next_revision: String,
    klassning: &'static str,
    /// The governing document; `href` is empty when there is no page to link.
    parent: Option<Link<'a>>,
    system: Option<SystemLink<'a>>,
    is_plan: bool,
    approval: Option<Approval<'a>>,
    threat_analysis: Option<String>,
    toc: Vec<TocEntry<'a>>,
    goals: Vec<GoalRow<'a>>,
    /// The body as HTML.
    body: String,
    children: Vec<DocRef<'a>>,
    backlinks: Vec<BacklinkGroup<'a>>,
}

#[derive(Serialize)]
struct HistorySummary<'a> {
    href: String,
    /// Redline from the last adopted version to the current text, HTML.
    since_adopted: Option<String>,
    adopted_version: Option<&'a str>,
    unchanged: bool,
}

#[derive(Serialize)]
struct Link<'a> {
    title: &'a str,
    href: String,
}

#[derive(Serialize)]
struct SystemLink<'a> {
    name: &'a str,
    href: String,
}

#[derive(Serialize)]
struct Approval<'a> {
    date: String,
    by: &'a str,
}

#[derive(Serialize)]
struct TocEntry<'a> {
    level: u8,
    text: &'a str,
    href: String,
}

/// One annual goal, as the document's goal table shows it.
#[derive(Serialize)]
struct GoalRow<'a> {
    vad: &'a str,
    sluttid: String,
    resurser: &'a str,
    uppfoljning: &'a str,
    information: &'a str,
    status: &'static str,
    status_key: &'static str,
}

#[derive(Serialize)]
struct BacklinkGroup<'a> {
    label: &'static str,
    items: Vec<DocRef<'a>>,
}

impl Renderer<'_> {
    /// A document's page, and its history page if the site is in git.
    /// `ctx` holds the shared variables (see [`Renderer::shared_context`]);
    /// it is left as it was.
    pub(super) fn document_files(
        &self,
        i: usize,
        ctx: &mut tera::Context,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let doc = &self.docs()[i];
        let view = DocumentView {
            base: self.base(Place {
                url: &doc.url,
                current: "document",
                title: Cow::Borrowed(doc.title()),
                doc: Some(i),
            }),
            page: self.document_data(i),
        };
        let mut files = vec![OutputFile {
            path: doc.url.clone(),
            bytes: self.render_in("document.html", ctx, &view)?.into_bytes(),
        }];
        if let Some(page) = self.history_page(i, ctx)? {
            files.push(OutputFile {
                path: history_url(doc),
                bytes: page.into_bytes(),
            });
        }
        Ok(files)
    }

    fn document_data(&self, i: usize) -> DocumentPage<'_> {
        let doc = &self.docs()[i];
        let m = &doc.meta;
        let t = self.t;
        let body = self.site.graph.body_html(
            i,
            doc.body(),
            t.table_region,
            &|dest| self.link_action(i, dest),
            &|| self.figure(&doc.url, false),
        );
        let status = doc.status();
        let history = self.site.history.map(|h| {
            let since = h
                .docs
                .get(&doc.content_path)
                .and_then(|d| d.since_adopted.as_ref());
            HistorySummary {
                href: relative_url(&doc.url, &history_url(doc)),
                since_adopted: since.map(|s| super::redline::html(&s.1, t)),
                adopted_version: since.map(|s| s.0.as_str()),
                unchanged: since.is_some_and(|s| s.2),
            }
        });
        DocumentPage {
            title: doc.title(),
            history,
            id: &doc.id,
            type_key: doc.doc_type().as_str(),
            type_label: t.doc_type(doc.doc_type()),
            version: m.version.as_ref().map_or(NONE, |v| v.value.as_str()),
            status_key: status.map_or("", |s| s.as_str()),
            status_label: status.map_or(NONE, |s| t.status_name(s)),
            banner: status.is_some_and(|s| s != Status::Faststalld),
            is_draft: matches!(status, Some(Status::Utkast | Status::Remiss)),
            owner: m.dokumentagare.as_ref().map_or(NONE, |v| v.value.as_str()),
            adopted: m.faststalld.as_ref().map(|v| v.value.to_string()),
            adopted_by: m.faststalld_av.as_ref().map(|v| v.value.as_str()),
            next_revision: m
                .nasta_revision
                .as_ref()
                .map_or(NONE.to_string(), |v| v.value.to_string()),
            klassning: t.class_name(doc.klassning()),
            parent: self.parent(i),
            system: self.system_link(i),
            is_plan: doc.doc_type() == DocType::Plan,
            approval: m.driftgodkannande.as_ref().map(|a| Approval {
                date: a
                    .value
                    .datum
                    .as_ref()
                    .map(|d| d.value.to_string())
                    .unwrap_or_default(),
                by: a
                    .value
                    .beslutat_av
                    .as_ref()
                    .map_or("", |d| d.value.as_str()),
            }),
            threat_analysis: m.hotbild_analyserad.as_ref().map(|v| v.value.to_string()),
            toc: self.toc(i),
            goals: m.mal.as_ref().map_or_else(Vec::new, |g| {
                g.value.iter().map(|g| self.goal_row(g)).collect()
            }),
            body,
            children: self.tree.children[i]
                .iter()
                .map(|&c| self.doc_ref(&doc.url, c))
                .collect(),
            backlinks: self.backlinks(i),
        }
    }

    fn parent(&self, i: usize) -> Option<Link<'_>> {
        let doc = &self.docs()[i];
        let o = doc.meta.overordnad.as_ref()?;
        Some(match self.site.corpus.by_id.get(&o.value) {
            Some(&p) if self.visible[p] => Link {
                title: self.docs()[p].title(),
                href: relative_url(&doc.url, &self.docs()[p].url),
            },
            Some(_) => Link {
                title: self.t.restricted,
                href: String::new(),
            },
            None => Link {
                title: &o.value,
                href: String::new(),
            },
        })
    }

    fn system_link(&self, i: usize) -> Option<SystemLink<'_>> {
        let doc = &self.docs()[i];
        let s = self.site.corpus.system(&doc.meta.system.as_ref()?.value)?;
        Some(SystemLink {
            name: s.name(),
            href: format!(
                "{}systemregister.html#system-{}",
                root_prefix(&doc.url),
                encode(&s.id.value)
            ),
        })
    }

    fn toc(&self, i: usize) -> Vec<TocEntry<'_>> {
        self.site.graph.outlines[i]
            .headings
            .iter()
            .filter(|h| h.level == 2 || h.level == 3)
            .map(|h| TocEntry {
                level: h.level,
                text: &h.text,
                href: encode(&h.id),
            })
            .collect()
    }

    fn goal_row<'g>(&self, g: &'g Goal) -> GoalRow<'g> {
        let text = |v: &'g Option<crate::model::Spanned<String>>| {
            v.as_ref().map_or("", |v| v.value.as_str())
        };
        let st = g.status.as_ref().map(|s| s.value);
        GoalRow {
            vad: text(&g.vad),
            sluttid: g
                .sluttid
                .as_ref()
                .map(|v| v.value.to_string())
                .unwrap_or_default(),
            resurser: text(&g.resurser),
            uppfoljning: text(&g.uppfoljning),
            information: text(&g.information),
            status: st.map_or(NONE, |s| self.t.goal_status_name(s)),
            status_key: st.map_or("", |s| s.as_str()),
        }
    }

    /// The visible documents that link to document `i`, by type.
    fn backlinks(&self, i: usize) -> Vec<BacklinkGroup<'_>> {
        let url = &self.docs()[i].url;
        let mut groups = Vec::new();
        for typ in DocType::ALL {
            let mut items: Vec<usize> = self.site.graph.backlinks[i]
                .iter()
                .copied()
                .filter(|&b| self.visible[b] && self.docs()[b].doc_type() == *typ)
                .collect();
            items.sort_by_cached_key(|&b| hierarchy::sort_key(&self.docs()[b]));
            if !items.is_empty() {
                groups.push(BacklinkGroup {
                    label: self.t.doc_type_plural(*typ),
                    items: items.iter().map(|&b| self.doc_ref(url, b)).collect(),
                });
            }
        }
        groups
    }

    /// What becomes of a link in document `i`'s body.
    fn link_action(&self, i: usize, dest: &str) -> LinkAction {
        let doc = &self.docs()[i];
        match self.site.graph.targets[i].get(dest) {
            Some(Target::Document(t, anchor)) => {
                if !self.visible[*t] {
                    return LinkAction::Restricted(self.t.restricted.to_string());
                }
                let mut url = if *t == i && anchor.is_some() {
                    String::new()
                } else {
                    relative_url(&doc.url, &self.docs()[*t].url)
                };
                if let Some(a) = anchor {
                    url.push('#');
                    url.push_str(&encode(a));
                }
                LinkAction::Rewrite(url)
            }
            Some(Target::Attachment(path, frag)) => {
                let mut url = relative_url(&doc.url, path);
                if let Some(f) = frag {
                    url.push('#');
                    url.push_str(&encode(f));
                }
                LinkAction::Rewrite(url)
            }
            Some(Target::Unsafe) => LinkAction::Plain,
            _ => LinkAction::Keep,
        }
    }
}
