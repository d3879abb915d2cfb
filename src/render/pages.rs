//! The follow-up page (seed ch. 5) and the area coverage table (seed ch. 4):
//! overviews computed from the corpus and the same rules `validate` uses.

use serde_json::{json, Value};

use super::{hierarchy, Renderer};
use crate::diagnostic::Diagnostic;
use crate::i18n;
use crate::model::{DocType, GoalStatus, InstructionKind, Status};
use crate::resolve::{encode, relative_url};
use crate::validate::coverage::{covering_heading, heading_key};
use crate::validate::review::{revision_state, threat_analysis_stale, RevisionState};

impl Renderer<'_> {
    /// Visible documents that are in force or on their way (not repealed).
    fn live(&self) -> Vec<usize> {
        self.ordered()
            .into_iter()
            .filter(|&i| self.docs()[i].status() != Some(Status::Upphavd))
            .collect()
    }

    pub(super) fn followup_page(&self) -> Result<String, Diagnostic> {
        let lang = self.lang;
        let t = i18n::labels(lang);
        let url = "uppfoljning.html";
        let today = self.site.today;
        let review = &self.site.config.review;
        let mut revisions: Vec<(chrono::NaiveDate, Value)> = Vec::new();
        let mut overdue = 0;
        for i in self.live() {
            let d = &self.docs()[i];
            let Some(next) = &d.meta.nasta_revision else {
                continue;
            };
            let (state, days) = match revision_state(next.value, today, review.warn_days_before) {
                RevisionState::Overdue(n) => {
                    overdue += 1;
                    ("overdue", n)
                }
                RevisionState::DueSoon(n) => ("soon", n),
                RevisionState::Ok => ("ok", 0),
            };
            revisions.push((
                next.value,
                json!({
                    "title": d.title(),
                    "href": relative_url(url, &d.url),
                    "type_label": i18n::doc_type(d.doc_type(), lang),
                    "owner": d.meta.dokumentagare.as_ref().map_or("–", |o| o.value.as_str()),
                    "date": next.value.to_string(),
                    "state": state,
                    "days": days,
                }),
            ));
        }
        revisions.sort_by_key(|r| r.0);
        let plans: Vec<usize> = self
            .live()
            .into_iter()
            .filter(|&i| self.docs()[i].doc_type() == DocType::Plan)
            .collect();
        let without_approval: Vec<Value> = plans
            .iter()
            .filter(|&&i| self.docs()[i].meta.driftgodkannande.is_none())
            .map(|&i| {
                let d = &self.docs()[i];
                let st = d.status();
                json!({
                    "title": d.title(),
                    "href": relative_url(url, &d.url),
                    "status_key": st.map_or("", |s| s.as_str()),
                    "status_label": st.map_or("–", |s| i18n::status(s, lang)),
                })
            })
            .collect();
        let mut threats: Vec<(chrono::NaiveDate, Value)> = plans
            .iter()
            .filter_map(|&i| {
                let d = &self.docs()[i];
                let h = d.meta.hotbild_analyserad.as_ref()?;
                Some((
                    h.value,
                    json!({
                        "title": d.title(),
                        "href": relative_url(url, &d.url),
                        "date": h.value.to_string(),
                        "stale": threat_analysis_stale(h.value, today, review.hotbild_max_months),
                    }),
                ))
            })
            .collect();
        threats.sort_by_key(|r| r.0);
        let mut goals = Vec::new();
        for i in self.live() {
            let d = &self.docs()[i];
            let Some(list) = &d.meta.mal else { continue };
            for g in &list.value {
                let st = g.status.as_ref().map(|s| s.value);
                let done = matches!(st, Some(GoalStatus::Genomfort | GoalStatus::Installt));
                let late = !done && g.sluttid.as_ref().is_some_and(|s| s.value < today);
                goals.push(json!({
                    "vad": g.vad.as_ref().map_or("", |v| v.value.as_str()),
                    "sluttid": g.sluttid.as_ref().map(|v| v.value.to_string()).unwrap_or_default(),
                    "late": late,
                    "status": st.map_or("–", |s| i18n::goal_status(s, lang)),
                    "status_key": st.map_or("", |s| s.as_str()),
                    "doc": d.title(),
                    "href": relative_url(url, &d.url),
                }));
            }
        }
        let planned = crate::validate::coverage::systems_with_plans(self.site.corpus);
        let critical: Vec<Value> = self
            .site
            .corpus
            .register
            .iter()
            .flat_map(|r| r.systems.iter())
            .filter(|s| s.samhallsviktigt)
            .filter(|s| !planned.contains(s.id.value.as_str()))
            .map(|s| {
                json!({
                    "name": s.name(),
                    "owner": s.systemagare.as_ref().map_or("–", |o| o.value.as_str()),
                    "href": format!("systemregister.html#system-{}", encode(&s.id.value)),
                })
            })
            .collect();
        let mut ctx = self.base_context(url, "follow-up", t["follow_up"], None);
        ctx.insert("today", &today.to_string());
        ctx.insert(
            "revisions",
            &revisions.into_iter().map(|r| r.1).collect::<Vec<_>>(),
        );
        ctx.insert("overdue_count", &overdue);
        ctx.insert("plans_without_approval", &without_approval);
        ctx.insert(
            "threats",
            &threats.into_iter().map(|r| r.1).collect::<Vec<_>>(),
        );
        ctx.insert("max_months", &review.hotbild_max_months);
        ctx.insert("goals", &goals);
        ctx.insert("critical_without_plan", &critical);
        self.render("followup.html", &ctx)
    }

    pub(super) fn areas_page(&self) -> Result<String, Diagnostic> {
        let lang = self.lang;
        let t = i18n::labels(lang);
        let url = "omraden.html";
        let areas = &self.site.config.areas;
        let kinds = InstructionKind::ALL;
        // The instruction in force for each kind (any visibility; restricted ones are marked).
        let docs: Vec<Option<usize>> = kinds
            .iter()
            .map(|k| {
                self.docs()
                    .iter()
                    .enumerate()
                    .filter(|(_, d)| {
                        d.doc_type() == DocType::Instruktion && d.status() != Some(Status::Upphavd)
                    })
                    .filter(|(_, d)| d.meta.instruktion.as_ref().is_some_and(|x| x.value == *k))
                    .min_by_key(|(_, d)| hierarchy::sort_key(d))
                    .map(|(i, _)| i)
            })
            .collect();
        let columns: Vec<Value> = kinds
            .iter()
            .zip(&docs)
            .map(|(k, d)| {
                let label = match k {
                    InstructionKind::Forvaltning => "Förvaltning",
                    InstructionKind::Drift => "Drift",
                    InstructionKind::Anvandare => "Användare",
                };
                let href = d
                    .filter(|&i| self.visible[i])
                    .map(|i| relative_url(url, &self.docs()[i].url));
                json!({ "label": label, "href": href })
            })
            .collect();
        let mut seen: Vec<String> = Vec::new();
        let mut rows = Vec::new();
        for k in kinds {
            for req in areas.of(*k) {
                let key = heading_key(req.name());
                if seen.contains(&key) {
                    continue;
                }
                seen.push(key.clone());
                let cells: Vec<Value> = kinds
                    .iter()
                    .zip(&docs)
                    .map(|(kind, doc)| {
                        let Some(r) = areas.of(*kind).iter().find(|r| heading_key(r.name()) == key) else {
                            return json!({ "state": "not_required" });
                        };
                        let Some(i) = *doc else { return json!({ "state": "no_instruction" }) };
                        match covering_heading(r, &self.site.graph.outlines[i].headings) {
                            None => json!({ "state": "missing" }),
                            Some(_) if !self.visible[i] => json!({ "state": "restricted" }),
                            Some(h) => json!({
                                "state": "covered",
                                "heading": h.text,
                                "href": format!("{}#{}", relative_url(url, &self.docs()[i].url), encode(&h.id)),
                            }),
                        }
                    })
                    .collect();
                rows.push(json!({ "area": req.name(), "cells": cells }));
            }
        }
        let mut ctx = self.base_context(url, "areas", t["areas"], None);
        ctx.insert("columns", &columns);
        ctx.insert("rows", &rows);
        self.render("areas.html", &ctx)
    }
}

impl Renderer<'_> {
    /// The history page of a document, if the site is in git.
    pub(super) fn history_page(
        &self,
        i: usize,
        ctx: &mut tera::Context,
    ) -> Result<Option<String>, Diagnostic> {
        let Some(history) = self.site.history else {
            return Ok(None);
        };
        let lang = self.lang;
        let t = i18n::labels(lang);
        let doc = &self.docs()[i];
        let url = super::history_url(doc);
        let none = Default::default();
        let dh = history.docs.get(&doc.content_path).unwrap_or(&none);
        let revisions: Vec<Value> = dh
            .revisions
            .iter()
            .map(|r| {
                if r.restricted {
                    return json!({ "restricted": true });
                }
                json!({
                    "commit": r.commit,
                    "date": r.date,
                    "author": r.author,
                    "summary": if r.message_withheld { t["message_withheld"] } else { r.summary.as_str() },
                    "version": r.version.as_deref().unwrap_or("–"),
                    "status_key": r.status.map_or("", |s| s.as_str()),
                    "status_label": r.status.map_or("", |s| i18n::status(s, lang)),
                    "adopted": r.adopted,
                    "created": r.kind == crate::git::ChangeKind::Added,
                    "renamed_from": match &r.kind { crate::git::ChangeKind::Renamed(from) => Some(from.as_str()), _ => None },
                    "redline": r.redline,
                })
            })
            .collect();
        let title = format!("{}: {}", t["history"], doc.title());
        self.page_keys(ctx, &url, "history", &title, Some(i));
        let keys = [
            "doc",
            "shallow",
            "uncommitted",
            "revisions",
            "capped",
            "in_submodule",
        ];
        super::put(
            ctx,
            "doc",
            json!({ "title": doc.title(), "href": relative_url(&url, &doc.url) }),
        );
        super::put(ctx, "shallow", history.shallow.into());
        super::put(ctx, "uncommitted", dh.uncommitted.as_deref().into());
        super::put(ctx, "revisions", Value::Array(revisions));
        super::put(ctx, "capped", dh.capped.into());
        super::put(ctx, "in_submodule", dh.in_submodule.into());
        let html = self.render("history.html", ctx).map(Some);
        for k in keys {
            ctx.remove(k);
        }
        html
    }
}

impl Renderer<'_> {
    /// A version's change log: documents added, changed (with redlines) and removed.
    pub(super) fn changelog_page(&self, changes: &super::Changes) -> Result<String, Diagnostic> {
        let lang = self.lang;
        let t = i18n::labels(lang);
        let url = "andringar.html";
        let added: Vec<Value> = changes
            .added
            .iter()
            .filter(|&&i| self.visible[i])
            .map(|&i| self.doc_ref(url, i))
            .collect();
        let changed: Vec<Value> = changes
            .changed
            .iter()
            .filter(|(i, _)| self.visible[*i])
            .map(|(i, redline)| {
                let d = &self.docs()[*i];
                json!({
                    "title": d.title(),
                    "href": relative_url(url, &d.url),
                    "anchor": format!("andring-{}", crate::markdown::slug(&d.id)),
                    "redline": redline,
                })
            })
            .collect();
        let version = self.site.edition.version.clone().unwrap_or_default();
        let mut ctx = self.base_context(
            url,
            "changelog",
            &format!("{} {version}", t["changelog"]),
            None,
        );
        ctx.insert("previous", &changes.previous);
        ctx.insert("added", &added);
        ctx.insert("changed", &changed);
        ctx.insert("removed", &changes.removed);
        self.render("changelog.html", &ctx)
    }
}

/// One version in the list of versions.
#[derive(Debug, Clone)]
pub struct VersionEntry {
    /// Tag name.
    pub name: String,
    /// Date of the tagged commit.
    pub date: String,
}

/// The list of versions, `versioner/index.html`, in the current site.
pub fn versions_page(
    site: &super::Site<'_>,
    versions: &[VersionEntry],
) -> Result<String, Diagnostic> {
    let r = super::Renderer::new(site)?;
    let t = i18n::labels(r.lang);
    let url = "versioner/index.html";
    let list: Vec<Value> = versions
        .iter()
        .rev()
        .map(|v| {
            json!({
                "name": v.name,
                "date": v.date,
                "href": relative_url(url, &format!("versioner/{}/index.html", v.name)),
                "changes": relative_url(url, &format!("versioner/{}/andringar.html", v.name)),
            })
        })
        .collect();
    let mut ctx = r.base_context(url, "versions", t["versions"], None);
    ctx.insert("versions", &list);
    r.render("versions.html", &ctx)
}

/// The start page, the hierarchy page and the register page.
impl Renderer<'_> {
    pub(super) fn index_page(&self) -> Result<String, Diagnostic> {
        let lang = self.lang;
        let mut groups = Vec::new();
        for typ in DocType::ALL {
            let items: Vec<Value> = self
                .ordered()
                .into_iter()
                .filter(|&i| self.docs()[i].doc_type() == *typ)
                .map(|i| {
                    let d = &self.docs()[i];
                    let st = d.status();
                    json!({
                        "title": d.title(),
                        "href": relative_url("index.html", &d.url),
                        "version": d.meta.version.as_ref().map(|v| v.value.as_str()).unwrap_or("–"),
                        "status_key": st.map_or("", |s| s.as_str()),
                        "status_label": st.map_or("–", |s| i18n::status(s, lang)),
                        "next_revision": d.meta.nasta_revision.as_ref().map_or("–".to_string(), |v| v.value.to_string()),
                    })
                })
                .collect();
            if !items.is_empty() {
                groups.push(json!({ "key": hierarchy::order(*typ), "label": i18n::doc_type_plural(*typ, lang), "items": items }));
            }
        }
        let mut ctx = self.base_context("index.html", "index", &self.site.config.title, None);
        ctx.insert("groups", &groups);
        ctx.insert("figure", &self.figure("index.html", true));
        self.render("index.html", &ctx)
    }

    pub(super) fn hierarchy_page(&self) -> Result<String, Diagnostic> {
        let lang = self.lang;
        let docs = self.docs();
        let t = i18n::labels(lang);
        let mut ctx = self.base_context("hierarki.html", "hierarchy", t["hierarchy"], None);
        ctx.insert("figure", &self.figure("hierarki.html", true));
        let tree = hierarchy::list(
            self.site.corpus,
            &self.tree,
            &|i| relative_url("hierarki.html", &docs[i].url),
            &|t| i18n::doc_type(t, lang),
        );
        ctx.insert("tree", &tree);
        self.render("hierarchy.html", &ctx)
    }

    pub(super) fn register_page(&self) -> Result<String, Diagnostic> {
        let lang = self.lang;
        let t = i18n::labels(lang);
        let Some(reg) = &self.site.corpus.register else {
            return Ok(String::new());
        };
        // Plans by system, once: a register of hundreds of systems must not
        // scan every document for each of them.
        let mut plans_of: std::collections::HashMap<&str, Vec<usize>> =
            std::collections::HashMap::new();
        for (i, d) in self.docs().iter().enumerate() {
            if let (DocType::Plan, Some(s)) = (d.doc_type(), &d.meta.system) {
                plans_of.entry(s.value.as_str()).or_default().push(i);
            }
        }
        let systems: Vec<Value> = reg
            .systems
            .iter()
            .map(|s| {
                let plans: Vec<Value> = plans_of
                    .get(s.id.value.as_str())
                    .map(Vec::as_slice)
                    .unwrap_or_default()
                    .iter()
                    .map(|&i| (i, &self.docs()[i]))
                    .map(|(i, d)| {
                        if self.visible[i] {
                            json!({ "title": d.title(), "href": relative_url("systemregister.html", &d.url) })
                        } else {
                            json!({ "title": t["restricted"], "href": Value::Null })
                        }
                    })
                    .collect();
                json!({
                    "id": s.id.value,
                    "name": s.name(),
                    "description": s.beskrivning,
                    "owner": s.systemagare.as_ref().map(|o| o.value.as_str()),
                    "critical": s.samhallsviktigt,
                    "klassning": s.klassning.as_ref().map_or("–", |k| i18n::klassning(k.value, lang)),
                    "supplier": s.leverantor.as_deref().unwrap_or("–"),
                    "plans": plans,
                })
            })
            .collect();
        let mut ctx = self.base_context("systemregister.html", "register", t["register"], None);
        ctx.insert("systems", &systems);
        self.render("register.html", &ctx)
    }
}
