//! Follow-up (policy ch. 5 and 2.1, 2.2): revision dates against today,
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
                        crate::tr!(
                            "revisionen skulle ha gjorts senast {} (för {} dagar sedan)",
                            "revision was due {} ({} days ago)",
                            rev.value,
                            -days
                        ),
                    )
                    .with_width(rev.width)
                    .with_hint(crate::tr!(
                        "policyns kapitel 5: följ upp dokumentet och sätt sedan ett nytt datum i `nästa_revision`",
                        "the policy's chapter 5: follow the document up, then set a new `nästa_revision`"
                    )),
                );
            } else if days <= i64::from(config.review.warn_days_before) {
                diags.push(
                    Diagnostic::warning(
                        Code::RevisionDueSoon,
                        file,
                        rev.line,
                        rev.col,
                        crate::tr!(
                            "revisionen ska göras senast {} (om {days} dagar)",
                            "revision is due {} (in {days} days)",
                            rev.value
                        ),
                    )
                    .with_width(rev.width)
                    .with_hint(crate::tr!(
                        "planera uppföljningen av dokumentet",
                        "plan the follow-up of this document"
                    )),
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
                    crate::tr!(
                        "planens hotbildsanalys är inte gjord: `hotbild_analyserad` är tomt",
                        "this plan's threat analysis has not been made: `hotbild_analyserad` is empty"
                    ),
                )
                .with_width(p.width)
                .with_hint(crate::tr!(
                    "policyns avsnitt 2.1: analysera hotbilden mot systemet och skriv sedan analysens datum efter `hotbild_analyserad:`",
                    "section 2.1 of the policy: analyse the threat to the system, then write the date of the analysis after `hotbild_analyserad:`"
                )),
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
                            crate::tr!(
                                "hotbildsanalysen från {} är äldre än {} månader",
                                "threat analysis from {} is older than {} months",
                                h.value,
                                config.review.hotbild_max_months
                            ),
                        )
                        .with_width(h.width)
                        .with_hint(crate::tr!(
                            "policyns avsnitt 2.1: hotbilden mot varje samhällsviktigt system analyseras fortlöpande; uppdatera analysen och `hotbild_analyserad`",
                            "section 2.1 of the policy: the threat to every critical system is analysed continuously; update the analysis and `hotbild_analyserad`"
                        )),
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
            crate::tr!(
                "vad som ska göras under året",
                "what is to be done during the year"
            ),
        ),
        (
            "sluttid",
            goal.sluttid.is_some(),
            crate::tr!("tidplanens sluttid", "the timetable's end date"),
        ),
        (
            "resurser",
            goal.resurser.is_some(),
            crate::tr!(
                "personella och ekonomiska resurser",
                "personnel and financial resources"
            ),
        ),
        (
            "uppföljning",
            goal.uppfoljning.is_some(),
            crate::tr!(
                "när och hur uppföljning, utvärdering och rapportering sker",
                "when and how follow-up, evaluation and reporting happen"
            ),
        ),
        (
            "information",
            goal.information.is_some(),
            crate::tr!(
                "när och hur personalen informeras och utbildas",
                "when and how staff are informed and trained"
            ),
        ),
    ];
    let missing: Vec<&str> = points.iter().filter(|p| !p.1).map(|p| p.0).collect();
    if missing.is_empty() {
        return;
    }
    let what: Vec<&str> = points
        .iter()
        .filter(|p| !p.1)
        .map(|p| p.2.as_str())
        .collect();
    let name = goal.vad.as_ref().map_or_else(
        || crate::tr!("ett årligt mål", "an annual goal"),
        |v| crate::tr!("målet `{}`", "goal `{}`", v.value),
    );
    diags.push(
        Diagnostic::error(Code::GoalIncomplete, file, goal.line, goal.col, {
            let missing = missing
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", ");
            crate::tr!("{name} saknar {missing}", "{name} lacks {missing}")
        })
        .with_hint({
            let what = what.join("; ");
            crate::tr!(
                "policyns avsnitt 2.2: ange {what}",
                "section 2.2 of the policy: state {what}"
            )
        }),
    );
}
