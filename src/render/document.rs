//! A document's page (`document.html`): its control data, contents, goals,
//! body, governed documents, history summary and backlinks, as the
//! variable `page`.

use serde::Serialize;
use std::borrow::Cow;

use super::context::{Base, DocRef, Place, NONE};
use super::{hierarchy, history_url, OutputFile, Renderer};
use crate::diagnostic::Diagnostic;
use crate::markdown::LinkAction;
use crate::model::{DocType, Goal, Status, Withheld};
use crate::resolve::{encode, relative_url, root_prefix, Target};
use crate::validate::review::{revision_state, RevisionState};

/// The id of the redline of the changes since the adopted version, which
/// the adoption banner links to.
const SINCE_ADOPTED_ID: &str = "changes-since-adopted";

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
    type_key: &'a str,
    type_label: &'a str,
    version: &'a str,
    status_key: &'static str,
    status_label: &'static str,
    /// The status is `utkast` or `remiss`: the page says it is not adopted.
    banner: bool,
    /// The text has changed since the revision that adopted its version
    /// (SD606): the banner below the title says so.
    adoption: Option<AdoptionBanner<'a>>,
    /// `nästa_revision` has passed or is within `warn_days_before`.
    revision_due: Option<RevisionBanner>,
    is_draft: bool,
    /// `upphävd`: when, and by what (`replaced_by`, or null).
    repealed: Option<Repealed<'a>>,
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
    /// In a review site, when the change touches this document: the banner
    /// and the switch to its page with the changes marked.
    review: Option<super::review::ReviewMark>,
    /// The site's own fields the document has (`[fields.<key>]`), in the
    /// order styrdok.toml declares them.
    fields: Vec<FieldRow<'a>>,
    /// The running header of a printed page (title, version, status), as
    /// the escaped inside of a CSS string.
    running_header: String,
    /// The document's PDF (`build --pdf`), from its page; the current
    /// site's only.
    pdf_href: Option<String>,
}

/// One of the site's own fields on a document's page.
#[derive(Serialize)]
struct FieldRow<'a> {
    key: &'a str,
    label: &'a str,
    value: String,
    /// A `document` field naming a published document: its page.
    href: Option<String>,
    /// Shown on screen, in print.
    page: bool,
    print: bool,
}

#[derive(Serialize)]
struct HistorySummary<'a> {
    href: String,
    /// Redline from the last adopted version to the current text, HTML.
    since_adopted: Option<String>,
    adopted_version: Option<&'a str>,
    unchanged: bool,
}

/// The adopted version whose text has changed since.
#[derive(Serialize)]
struct AdoptionBanner<'a> {
    version: &'a str,
    /// When it was adopted; `None` when that revision may not be published.
    date: Option<&'a str>,
    /// The redline of the changes not yet adopted.
    href: String,
}

/// A revision that is overdue or near.
#[derive(Serialize)]
struct RevisionBanner {
    /// `overdue` or `soon`.
    state: &'static str,
    /// `nästa_revision`.
    date: String,
    /// Days overdue or left.
    days: i64,
    /// The date the state refers to (`--today`).
    as_of: String,
}

#[derive(Serialize)]
struct Link<'a> {
    title: &'a str,
    href: String,
}

/// A repealed document's end: its date and its replacement.
#[derive(Serialize)]
struct Repealed<'a> {
    /// `upphävd`, or `–` when missing.
    date: String,
    /// `ersatt_av`: `href` is empty when there is no page to link.
    replaced_by: Option<Link<'a>>,
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
    label: &'a str,
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
        if let Some((page, data)) = self.history_page(i, ctx)? {
            let url = history_url(doc);
            if let Some(data) = data {
                files.push(OutputFile {
                    path: super::history::data_url(&url),
                    bytes: data.into_bytes(),
                });
            }
            files.push(OutputFile {
                path: url,
                bytes: page.into_bytes(),
            });
        }
        Ok(files)
    }

    /// The document's own fields that show on its page or in print.
    fn field_rows(&self, i: usize) -> Vec<FieldRow<'_>> {
        use crate::schema::{FieldKind, FieldValue, Show};
        let doc = &self.docs()[i];
        let lang = self.site.config.language;
        let declared = &self.site.config.fields;
        declared
            .iter()
            .filter(|(_, def)| def.shows(Show::Page) || def.shows(Show::Print))
            .filter_map(|(key, def)| {
                let (_, value) = doc.meta.extra.iter().find(|(k, _)| k == key)?;
                let mut row = FieldRow {
                    key,
                    label: def.label.get(lang),
                    value: value.value.display(lang),
                    href: None,
                    page: def.shows(Show::Page),
                    print: def.shows(Show::Print),
                };
                if let (FieldKind::Document, FieldValue::Text(id)) = (def.kind, &value.value) {
                    // A document this build publishes is linked by its
                    // title; any other is its id alone.
                    let target = self.site.corpus.by_id.get(id).copied();
                    if let Some(t) = target.filter(|&t| self.visible[t]) {
                        let d = &self.docs()[t];
                        row.value = d.title().to_string();
                        row.href = Some(relative_url(&doc.url, &d.url));
                    }
                }
                Some(row)
            })
            .collect()
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
            &|| self.figure(&doc.url, false, true),
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
        let adoption = self.adoption_banner(i, history.as_ref());
        let version = m.version.as_ref().map_or(NONE, |v| v.value.as_str());
        let status_label = status.map_or(NONE, |s| t.status_name(s));
        let running_header = crate::text::css_string(&format!(
            "{} · {} {version} · {status_label}",
            doc.title(),
            t.version
        ));
        DocumentPage {
            running_header,
            title: doc.title(),
            history,
            id: &doc.id,
            type_key: doc.type_name(),
            type_label: super::kinds::label_of(doc, self.site.config, t),
            version,
            status_key: status.map_or("", |s| s.as_str()),
            status_label,
            banner: status.is_some_and(|s| matches!(s, Status::Utkast | Status::Remiss)),
            adoption,
            revision_due: self.revision_banner(i),
            is_draft: matches!(status, Some(Status::Utkast | Status::Remiss)),
            repealed: self.repealed(i),
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
            threat_analysis: match (&m.hotbild_analyserad, &m.hotbild_pending) {
                (Some(v), _) => Some(v.value.to_string()),
                (None, Some(_)) => Some(t.never_analysed.to_string()),
                (None, None) => None,
            },
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
            review: self.review_mark(i),
            fields: self.field_rows(i),
            pdf_href: self
                .has_pdf(i)
                .then(|| relative_url(&doc.url, &crate::pdf::pdf_path(doc))),
        }
    }

    /// Whether document `i` has a PDF beside its page: every published
    /// document of a built site with `[publish] pdf`, and those of a
    /// version that could be typeset.
    pub(super) fn has_pdf(&self, i: usize) -> bool {
        let site = self.site;
        match site.changes {
            Some(c) if site.edition.version.is_some() => c.pdfs.contains(&i),
            _ => site.config.publish.pdf && !site.preview && site.review.is_none(),
        }
    }

    /// The banner of a document whose adopted text has changed: the
    /// version and date of the adoption, and where the changes are shown
    /// (the redline on the page, else the history page).
    fn adoption_banner(
        &self,
        i: usize,
        history: Option<&HistorySummary<'_>>,
    ) -> Option<AdoptionBanner<'_>> {
        let doc = &self.docs()[i];
        let a = self.site.adoption?.docs.get(&doc.content_path)?;
        a.changed.as_ref()?;
        let adopted = a.in_force.as_ref()?;
        let href = match history {
            Some(h) if h.since_adopted.is_some() && !h.unchanged => {
                format!("#{SINCE_ADOPTED_ID}")
            }
            Some(h) => h.href.clone(),
            None => String::new(),
        };
        Some(AdoptionBanner {
            version: &adopted.version,
            date: (!adopted.restricted).then_some(adopted.date.as_str()),
            href,
        })
    }

    /// The banner of a document whose revision is overdue or near, as the
    /// follow-up page counts it (a repealed document has none).
    fn revision_banner(&self, i: usize) -> Option<RevisionBanner> {
        let doc = &self.docs()[i];
        if doc.status() == Some(Status::Upphavd) {
            return None;
        }
        let next = doc.meta.nasta_revision.as_ref()?.value;
        let warn = self.site.config.review.warn_days_before;
        let (state, days) = match revision_state(next, self.site.today, warn) {
            RevisionState::Overdue(n) => ("overdue", n),
            RevisionState::DueSoon(n) => ("soon", n),
            RevisionState::Ok => return None,
        };
        Some(RevisionBanner {
            state,
            date: next.to_string(),
            days,
            as_of: self.site.today.to_string(),
        })
    }

    fn parent(&self, i: usize) -> Option<Link<'_>> {
        let o = self.docs()[i].meta.overordnad.as_ref()?;
        Some(self.link_by_id(i, &o.value))
    }

    fn repealed(&self, i: usize) -> Option<Repealed<'_>> {
        let doc = &self.docs()[i];
        if !doc.is_repealed() {
            return None;
        }
        let m = &doc.meta;
        Some(Repealed {
            date: m
                .upphavd
                .as_ref()
                .map_or(NONE.to_string(), |d| d.value.to_string()),
            replaced_by: m.ersatt_av.as_ref().map(|e| self.link_by_id(i, &e.value)),
        })
    }

    /// A link from document `i`'s page to the document with this id: its
    /// title and page when published, else the text that says why not (and
    /// no link), else the id as written.
    fn link_by_id<'s>(&'s self, i: usize, id: &'s str) -> Link<'s> {
        let doc = &self.docs()[i];
        match self.site.corpus.by_id.get(id) {
            Some(&p) => match self.withheld[p] {
                None => Link {
                    title: self.docs()[p].title(),
                    href: relative_url(&doc.url, &self.docs()[p].url),
                },
                Some(why) => Link {
                    title: self.withheld_text(why),
                    href: String::new(),
                },
            },
            None => Link {
                title: id,
                href: String::new(),
            },
        }
    }

    /// What stands in for a document that is not published.
    fn withheld_text(&self, why: Withheld) -> &'static str {
        match why {
            Withheld::Restricted => self.t.restricted,
            Withheld::NotAdopted => self.t.not_adopted,
        }
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
        for kind in super::kinds::Kind::all(self.site.config) {
            let mut items: Vec<usize> = self.site.graph.backlinks[i]
                .iter()
                .copied()
                .filter(|&b| self.visible[b] && kind.is(&self.docs()[b]))
                .collect();
            items.sort_by_cached_key(|&b| hierarchy::sort_key(&self.docs()[b]));
            if !items.is_empty() {
                groups.push(BacklinkGroup {
                    label: kind.plural(self.site.config, self.t),
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
                match self.withheld[*t] {
                    Some(Withheld::Restricted) => {
                        return LinkAction::Restricted(self.t.restricted.to_string())
                    }
                    Some(Withheld::NotAdopted) => {
                        return LinkAction::NotAdopted(self.t.not_adopted.to_string())
                    }
                    None => {}
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
            Some(Target::Page(p, anchor)) => self.page_link(&doc.url, *p, anchor.as_deref(), false),
            Some(Target::Unsafe) => LinkAction::Plain,
            _ => LinkAction::Keep,
        }
    }
}
