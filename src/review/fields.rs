//! Field-by-field comparison: a document's front matter, a system of the
//! register, an annual goal. Each field is named by its key as written in
//! the files (`dokumentägare`, `nästa_revision`), the name its author knows.

use std::collections::HashSet;

use super::Kind;
use crate::model::{Goal, Meta, System};

/// One field that differs: its key, and its value before and after (`None`
/// where it was or is not set).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    /// The key as written in the file.
    pub key: String,
    /// Before.
    pub old: Option<String>,
    /// After.
    pub new: Option<String>,
}

/// The fields of a front matter that a reader sees, as text. `status` and
/// `version` are shown with the document's change, and the goals as rows.
fn meta_fields(m: &Meta) -> Vec<(&'static str, Option<String>)> {
    let s = |v: &Option<crate::model::Spanned<String>>| v.as_ref().map(|v| v.value.clone());
    let date = |v: &Option<crate::model::Spanned<chrono::NaiveDate>>| {
        v.as_ref().map(|v| v.value.to_string())
    };
    let approval = m.driftgodkannande.as_ref().map(|a| {
        let a = &a.value;
        let when = a.datum.as_ref().map(|d| d.value.to_string());
        let who = a.beslutat_av.as_ref().map(|b| b.value.clone());
        [when, who]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ")
    });
    let threat = match (&m.hotbild_analyserad, &m.hotbild_pending) {
        (Some(d), _) => Some(d.value.to_string()),
        (None, Some(_)) => Some(String::new()),
        (None, None) => None,
    };
    vec![
        ("titel", s(&m.titel)),
        ("typ", m.typ.as_ref().map(|t| t.value.as_str().to_string())),
        ("id", s(&m.id)),
        ("dokumentägare", s(&m.dokumentagare)),
        ("fastställd", date(&m.faststalld)),
        ("fastställd_av", s(&m.faststalld_av)),
        ("nästa_revision", date(&m.nasta_revision)),
        (
            "klassning",
            m.klassning.as_ref().map(|k| k.value.as_str().to_string()),
        ),
        ("överordnad", s(&m.overordnad)),
        (
            "instruktion",
            m.instruktion.as_ref().map(|k| k.value.as_str().to_string()),
        ),
        ("system", s(&m.system)),
        ("driftgodkännande", approval),
        ("hotbild_analyserad", threat),
        ("upphävd", date(&m.upphavd)),
        ("ersatt_av", s(&m.ersatt_av)),
    ]
}

fn differences(
    old: Vec<(&'static str, Option<String>)>,
    new: Vec<(&'static str, Option<String>)>,
) -> Vec<FieldChange> {
    old.into_iter()
        .zip(new)
        .filter(|((_, a), (_, b))| a != b)
        .map(|((key, old), (_, new))| FieldChange {
            key: key.to_string(),
            old,
            new,
        })
        .collect()
}

/// The front-matter fields that differ: the built-in ones, then the
/// site's own (`[fields.<key>]`) in the order the documents have them.
pub(super) fn changes(old: &Meta, new: &Meta, lang: crate::config::Language) -> Vec<FieldChange> {
    let mut out = differences(meta_fields(old), meta_fields(new));
    let value = |m: &Meta, key: &str| {
        m.extra
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.value.display(lang))
    };
    let mut keys: Vec<&str> = new.extra.iter().map(|(k, _)| k.as_str()).collect();
    for (k, _) in &old.extra {
        if !keys.contains(&k.as_str()) {
            keys.push(k);
        }
    }
    for key in keys {
        let (a, b) = (value(old, key), value(new, key));
        if a != b {
            out.push(FieldChange {
                key: key.to_string(),
                old: a,
                new: b,
            });
        }
    }
    out
}

fn system_fields(s: Option<&System>) -> Vec<(&'static str, Option<String>)> {
    let get = |f: &dyn Fn(&System) -> Option<String>| s.and_then(f);
    vec![
        ("namn", get(&|s| s.namn.as_ref().map(|n| n.value.clone()))),
        (
            "systemägare",
            get(&|s| s.systemagare.as_ref().map(|n| n.value.clone())),
        ),
        (
            "samhällsviktigt",
            get(&|s| Some(if s.samhallsviktigt { "ja" } else { "nej" }.to_string())),
        ),
        (
            "klassning",
            get(&|s| s.klassning.as_ref().map(|k| k.value.as_str().to_string())),
        ),
        ("beskrivning", get(&|s| s.beskrivning.clone())),
        ("leverantör", get(&|s| s.leverantor.clone())),
    ]
}

/// A system's fields that differ (every field that is set, for a system
/// added or removed).
pub(super) fn system_rows(old: Option<&System>, new: Option<&System>) -> Vec<FieldChange> {
    differences(system_fields(old), system_fields(new))
}

fn goal_fields(g: Option<&Goal>) -> Vec<(&'static str, Option<String>)> {
    let s = |f: &dyn Fn(&Goal) -> Option<String>| g.and_then(f);
    vec![
        ("vad", s(&|g| g.vad.as_ref().map(|v| v.value.clone()))),
        (
            "sluttid",
            s(&|g| g.sluttid.as_ref().map(|v| v.value.to_string())),
        ),
        (
            "resurser",
            s(&|g| g.resurser.as_ref().map(|v| v.value.clone())),
        ),
        (
            "uppföljning",
            s(&|g| g.uppfoljning.as_ref().map(|v| v.value.clone())),
        ),
        (
            "information",
            s(&|g| g.information.as_ref().map(|v| v.value.clone())),
        ),
        (
            "status",
            s(&|g| g.status.as_ref().map(|v| v.value.as_str().to_string())),
        ),
    ]
}

fn goal_name(g: &Goal) -> String {
    g.vad
        .as_ref()
        .map_or_else(|| "–".to_string(), |v| v.value.clone())
}

/// The goals added, changed and removed: matched by what is to be done,
/// then, among those left, by place.
pub(super) fn goal_rows(old: &[Goal], new: &[Goal]) -> Vec<(Kind, String, Vec<FieldChange>)> {
    let vad = |g: &Goal| g.vad.as_ref().map(|v| v.value.clone());
    let mut used = HashSet::new();
    let mut matches: Vec<Option<usize>> =
        new.iter()
            .map(|g| {
                let i = old.iter().enumerate().position(|(i, o)| {
                    !used.contains(&i) && vad(o).is_some() && vad(o) == vad(g)
                })?;
                used.insert(i);
                Some(i)
            })
            .collect();
    // A goal left unmatched is the one at its place when at most half of
    // its fields differ (reworded); else one goal went and another came.
    for (j, m) in matches.iter_mut().enumerate() {
        if m.is_none() && j < old.len() && !used.contains(&j) {
            let fields = goal_fields(Some(&new[j]));
            let differ = differences(goal_fields(Some(&old[j])), fields).len();
            if differ * 2 <= goal_fields(None).len() {
                used.insert(j);
                *m = Some(j);
            }
        }
    }
    let mut out = Vec::new();
    for (g, m) in new.iter().zip(&matches) {
        let o = m.map(|i| &old[i]);
        let fields = differences(goal_fields(o), goal_fields(Some(g)));
        let kind = if o.is_some() {
            Kind::Changed
        } else {
            Kind::Added
        };
        if !fields.is_empty() {
            out.push((kind, goal_name(g), fields));
        }
    }
    for (_, o) in old.iter().enumerate().filter(|(i, _)| !used.contains(i)) {
        out.push((
            Kind::Removed,
            goal_name(o),
            differences(goal_fields(Some(o)), goal_fields(None)),
        ));
    }
    out
}
