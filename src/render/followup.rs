//! The follow-up page (`followup.html`, seed ch. 5): revisions due, plans
//! without operational approval, threat analyses, annual goals and critical
//! systems without a plan, computed with the rules `validate` uses.

use chrono::NaiveDate;
use serde::Serialize;
use std::borrow::Cow;

use super::context::{Base, Place, NONE};
use super::Renderer;
use crate::diagnostic::Diagnostic;
use crate::model::{DocType, GoalStatus, Status};
use crate::resolve::{encode, relative_url};
use crate::validate::review::{revision_state, threat_analysis_stale, RevisionState};

pub(super) const URL: &str = "uppfoljning.html";

/// The variables of `followup.html`.
#[derive(Serialize)]
struct FollowUpView<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    /// The date the page is computed for.
    today: String,
    /// Documents with a `nästa_revision`, soonest first.
    revisions: Vec<RevisionDue<'a>>,
    overdue_count: usize,
    plans_without_approval: Vec<PlanStatus<'a>>,
    /// Plans with a threat analysis, oldest first.
    threats: Vec<ThreatAnalysis<'a>>,
    /// `[review] hotbild_max_months`.
    max_months: u32,
    goals: Vec<GoalDue<'a>>,
    critical_without_plan: Vec<SystemRow<'a>>,
}

/// A document with a `nästa_revision` (also on the start page).
#[derive(Serialize)]
pub(super) struct RevisionDue<'a> {
    title: &'a str,
    href: String,
    type_label: &'a str,
    owner: &'a str,
    date: String,
    /// `overdue`, `soon` or `ok`.
    pub(super) state: &'static str,
    /// Days overdue or left (0 when `ok`).
    days: i64,
}

#[derive(Serialize)]
struct PlanStatus<'a> {
    title: &'a str,
    href: String,
    status_key: &'static str,
    status_label: &'static str,
}

#[derive(Serialize)]
struct ThreatAnalysis<'a> {
    title: &'a str,
    href: String,
    date: String,
    stale: bool,
    /// `hotbild_analyserad` is empty: no analysis has been made.
    never: bool,
}

#[derive(Serialize)]
struct GoalDue<'a> {
    vad: &'a str,
    sluttid: String,
    /// Not done and past its deadline.
    late: bool,
    status: &'static str,
    status_key: &'static str,
    /// The title of the document that sets the goal.
    doc: &'a str,
    href: String,
}

#[derive(Serialize)]
struct SystemRow<'a> {
    name: &'a str,
    owner: &'a str,
    href: String,
}

impl Renderer<'_> {
    /// Visible documents that are in force or on their way (not repealed).
    pub(super) fn live(&self) -> impl Iterator<Item = usize> + '_ {
        self.order
            .iter()
            .copied()
            .filter(|&i| self.docs()[i].status() != Some(Status::Upphavd))
    }

    pub(super) fn followup_page(&self) -> Result<String, Diagnostic> {
        let (revisions, overdue_count) = self.revisions_due();
        let plans: Vec<usize> = self
            .live()
            .filter(|&i| self.docs()[i].doc_type() == DocType::Plan)
            .collect();
        let view = FollowUpView {
            base: self.base(Place {
                url: URL,
                current: "follow-up",
                title: Cow::Borrowed(self.t.follow_up),
                doc: None,
            }),
            today: self.site.today.to_string(),
            revisions,
            overdue_count,
            plans_without_approval: self.plans_without_approval(&plans),
            threats: self.threat_analyses(&plans),
            max_months: self.site.config.review.hotbild_max_months,
            goals: self.goals_due(),
            critical_without_plan: self.critical_without_plan(),
        };
        self.render_page("followup.html", &view)
    }

    /// The revisions, soonest first, and how many are overdue.
    pub(super) fn revisions_due(&self) -> (Vec<RevisionDue<'_>>, usize) {
        let warn = self.site.config.review.warn_days_before;
        let mut overdue = 0;
        let mut revisions: Vec<(NaiveDate, RevisionDue<'_>)> = Vec::new();
        for i in self.live() {
            let d = &self.docs()[i];
            let Some(next) = &d.meta.nasta_revision else {
                continue;
            };
            let (state, days) = match revision_state(next.value, self.site.today, warn) {
                RevisionState::Overdue(n) => {
                    overdue += 1;
                    ("overdue", n)
                }
                RevisionState::DueSoon(n) => ("soon", n),
                RevisionState::Ok => ("ok", 0),
            };
            let row = RevisionDue {
                title: d.title(),
                href: relative_url(URL, &d.url),
                type_label: super::kinds::label_of(d, self.site.config, self.t),
                owner: d
                    .meta
                    .dokumentagare
                    .as_ref()
                    .map_or(NONE, |o| o.value.as_str()),
                date: next.value.to_string(),
                state,
                days,
            };
            revisions.push((next.value, row));
        }
        revisions.sort_by_key(|r| r.0);
        (revisions.into_iter().map(|r| r.1).collect(), overdue)
    }

    fn plans_without_approval(&self, plans: &[usize]) -> Vec<PlanStatus<'_>> {
        plans
            .iter()
            .map(|&i| &self.docs()[i])
            .filter(|d| d.meta.driftgodkannande.is_none())
            .map(|d| {
                let st = d.status();
                PlanStatus {
                    title: d.title(),
                    href: relative_url(URL, &d.url),
                    status_key: st.map_or("", |s| s.as_str()),
                    status_label: st.map_or(NONE, |s| self.t.status_name(s)),
                }
            })
            .collect()
    }

    fn threat_analyses(&self, plans: &[usize]) -> Vec<ThreatAnalysis<'_>> {
        let max_months = self.site.config.review.hotbild_max_months;
        let mut threats: Vec<(NaiveDate, ThreatAnalysis<'_>)> = plans
            .iter()
            .filter_map(|&i| {
                let d = &self.docs()[i];
                let (when, date, stale) =
                    match (&d.meta.hotbild_analyserad, &d.meta.hotbild_pending) {
                        (Some(h), _) => (
                            h.value,
                            h.value.to_string(),
                            threat_analysis_stale(h.value, self.site.today, max_months),
                        ),
                        // Never analysed: first, and as stale as it gets.
                        (None, Some(_)) => (NaiveDate::MIN, NONE.to_string(), true),
                        (None, None) => return None,
                    };
                let row = ThreatAnalysis {
                    title: d.title(),
                    href: relative_url(URL, &d.url),
                    date,
                    stale,
                    never: when == NaiveDate::MIN,
                };
                Some((when, row))
            })
            .collect();
        threats.sort_by_key(|r| r.0);
        threats.into_iter().map(|r| r.1).collect()
    }

    fn goals_due(&self) -> Vec<GoalDue<'_>> {
        let mut goals = Vec::new();
        for i in self.live() {
            let d = &self.docs()[i];
            let Some(list) = &d.meta.mal else { continue };
            for g in &list.value {
                let st = g.status.as_ref().map(|s| s.value);
                let done = matches!(st, Some(GoalStatus::Genomfort | GoalStatus::Installt));
                goals.push(GoalDue {
                    vad: g.vad.as_ref().map_or("", |v| v.value.as_str()),
                    sluttid: g
                        .sluttid
                        .as_ref()
                        .map(|v| v.value.to_string())
                        .unwrap_or_default(),
                    late: !done
                        && g.sluttid
                            .as_ref()
                            .is_some_and(|s| s.value < self.site.today),
                    status: st.map_or(NONE, |s| self.t.goal_status_name(s)),
                    status_key: st.map_or("", |s| s.as_str()),
                    doc: d.title(),
                    href: relative_url(URL, &d.url),
                });
            }
        }
        goals
    }

    fn critical_without_plan(&self) -> Vec<SystemRow<'_>> {
        let planned = crate::validate::coverage::systems_with_plans(self.site.corpus);
        self.site
            .corpus
            .register
            .iter()
            .flat_map(|r| r.systems.iter())
            .filter(|s| s.samhallsviktigt && !planned.contains(s.id.value.as_str()))
            .map(|s| SystemRow {
                name: s.name(),
                owner: s.systemagare.as_ref().map_or(NONE, |o| o.value.as_str()),
                href: format!("systemregister.html#system-{}", encode(&s.id.value)),
            })
            .collect()
    }
}
