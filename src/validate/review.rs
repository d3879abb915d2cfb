//! Follow-up (seed ch. 5 and 2.1, 2.2): revision dates against today,
//! threat analyses of plans, and the five points of every annual goal.

use chrono::{Months, NaiveDate};

use crate::codes::Code;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::model::{Corpus, DocType, Goal, Status};

/// Where a document stands against its `nästa_revision`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevisionState {
    /// Passed this many days ago.
    Overdue(i64),
    /// Due in this many days, within `warn_days_before`.
    DueSoon(i64),
    /// Not due yet.
    Ok,
}

/// The revision state of a date, given today and the warning window.
pub fn revision_state(next: NaiveDate, today: NaiveDate, warn_days_before: u32) -> RevisionState {
    let days = (next - today).num_days();
    if days < 0 {
        RevisionState::Overdue(-days)
    } else if days <= i64::from(warn_days_before) {
        RevisionState::DueSoon(days)
    } else {
        RevisionState::Ok
    }
}

/// Whether a threat analysis of `analysed` is older than `max_months` today.
pub fn threat_analysis_stale(analysed: NaiveDate, today: NaiveDate, max_months: u32) -> bool {
    analysed
        .checked_add_months(Months::new(max_months))
        .is_some_and(|limit| limit < today)
}

/// Runs the follow-up rules.
pub fn check(corpus: &Corpus, config: &Config, today: NaiveDate, diags: &mut Vec<Diagnostic>) {
    for doc in &corpus.documents {
        if doc.status() == Some(Status::Upphavd) {
            continue;
        }
        let file = &doc.source.rel;
        if let Some(rev) = &doc.meta.nasta_revision {
            let days = (rev.value - today).num_days();
            if days < 0 {
                diags.push(
                    Diagnostic::warning(
                        Code::RevisionOverdue,
                        file,
                        rev.line,
                        rev.col,
                        format!("revision was due {} ({} days ago)", rev.value, -days),
                    )
                    .with_width(rev.width)
                    .with_hint(
                        "seed ch. 5: follow the document up, then set a new `nästa_revision`",
                    ),
                );
            } else if days <= i64::from(config.review.warn_days_before) {
                diags.push(
                    Diagnostic::warning(
                        Code::RevisionDueSoon,
                        file,
                        rev.line,
                        rev.col,
                        format!("revision is due {} (in {days} days)", rev.value),
                    )
                    .with_width(rev.width)
                    .with_hint("plan the follow-up of this document"),
                );
            }
        }
        if let (DocType::Plan, Some(p)) = (doc.doc_type(), &doc.meta.hotbild_pending) {
            diags.push(
                Diagnostic::warning(
                    Code::ThreatNeverAnalysed,
                    file,
                    p.line,
                    p.col,
                    "this plan's threat analysis has not been made: `hotbild_analyserad` is empty",
                )
                .with_width(p.width)
                .with_hint("seed 2.1: analyse the threat to the system, then write the date of the analysis after `hotbild_analyserad:`"),
            );
        }
        if doc.doc_type() == DocType::Plan {
            if let Some(h) = &doc.meta.hotbild_analyserad {
                let limit = h
                    .value
                    .checked_add_months(Months::new(config.review.hotbild_max_months));
                if limit.is_some_and(|l| l < today) {
                    diags.push(
                        Diagnostic::warning(
                            Code::StaleThreatAnalysis,
                            file,
                            h.line,
                            h.col,
                            format!("threat analysis from {} is older than {} months", h.value, config.review.hotbild_max_months),
                        )
                        .with_width(h.width)
                        .with_hint("seed 2.1: the threat to every critical system is analysed continuously; update the analysis and `hotbild_analyserad`"),
                    );
                }
            }
        }
        if let Some(goals) = &doc.meta.mal {
            for goal in &goals.value {
                check_goal(file, goal, diags);
            }
        }
    }
}

fn check_goal(file: &str, goal: &Goal, diags: &mut Vec<Diagnostic>) {
    let points = [
        (
            "vad",
            goal.vad.is_some(),
            "what is to be done during the year",
        ),
        (
            "sluttid",
            goal.sluttid.is_some(),
            "the timetable's end date",
        ),
        (
            "resurser",
            goal.resurser.is_some(),
            "personnel and financial resources",
        ),
        (
            "uppföljning",
            goal.uppfoljning.is_some(),
            "when and how follow-up, evaluation and reporting happen",
        ),
        (
            "information",
            goal.information.is_some(),
            "when and how staff are informed and trained",
        ),
    ];
    let missing: Vec<&str> = points.iter().filter(|p| !p.1).map(|p| p.0).collect();
    if missing.is_empty() {
        return;
    }
    let what: Vec<&str> = points.iter().filter(|p| !p.1).map(|p| p.2).collect();
    let name = goal.vad.as_ref().map_or_else(
        || "an annual goal".to_string(),
        |v| format!("goal `{}`", v.value),
    );
    diags.push(
        Diagnostic::error(
            Code::GoalIncomplete,
            file,
            goal.line,
            goal.col,
            format!(
                "{name} lacks {}",
                missing
                    .iter()
                    .map(|m| format!("`{m}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
        .with_hint(format!("seed 2.2: state {}", what.join("; "))),
    );
}
