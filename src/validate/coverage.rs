//! What documents must contain: the areas of each instruction (policy ch. 4),
//! the sections and approval of each system security plan, and a plan for
//! every critical system in the register (policy 3.2).

use unicode_normalization::UnicodeNormalization;

use crate::codes::Code;
use crate::config::{Config, Requirement};
use crate::diagnostic::Diagnostic;
use crate::markdown::Heading;
use crate::model::{Corpus, DocType, Status};
use crate::resolve::LinkGraph;

/// Folds a heading or area name for comparison: Unicode-composed, lower
/// case, a leading section number dropped, only letters and digits kept.
pub fn heading_key(text: &str) -> String {
    // Composed only when it is not already (most text is); the number is
    // trimmed before lower-casing, which leaves digits, dots and spaces be.
    let composed: std::borrow::Cow<'_, str> = if crate::text::is_nfc(text) {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(text.nfc().collect())
    };
    let trimmed = composed
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ' ' || c == '\u{a0}');
    let trimmed = if trimmed.is_empty() {
        &composed
    } else {
        trimmed
    };
    let mut key = trimmed.to_lowercase();
    key.retain(char::is_alphanumeric);
    key
}

/// The first heading that covers a requirement: its text (or one of the
/// parts of a heading joined by "och", commas or "samt") equals the name or
/// an alias, ignoring case, whitespace and punctuation.
pub fn covering_heading<'h>(req: &Requirement, headings: &'h [Heading]) -> Option<&'h Heading> {
    let keys = HeadingKeys::of(headings);
    keys.find(&requirement_keys(req)).map(|i| &headings[i])
}

/// The keys a requirement is matched by: its name's and its aliases'.
pub fn requirement_keys(req: &Requirement) -> Vec<String> {
    req.spellings().iter().map(|s| heading_key(s)).collect()
}

/// The keys of a document's headings, computed once for all requirements.
pub struct HeadingKeys {
    /// For each heading: the key of its whole text and of each of its parts.
    keys: Vec<(String, Vec<String>)>,
}

impl HeadingKeys {
    /// Folds every heading once.
    pub fn of(headings: &[Heading]) -> Self {
        HeadingKeys {
            keys: headings
                .iter()
                .map(|h| {
                    (
                        heading_key(&h.text),
                        parts(&h.text).iter().map(|p| heading_key(p)).collect(),
                    )
                })
                .collect(),
        }
    }

    /// The index of the first heading that covers a requirement with these keys.
    pub fn find(&self, wanted: &[String]) -> Option<usize> {
        self.keys.iter().position(|(whole, parts)| {
            wanted.contains(whole) || parts.iter().any(|p| wanted.contains(p))
        })
    }
}

fn parts(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    let mut out = vec![lower];
    for sep in [",", ";", "&", "/", " och ", " samt ", " and "] {
        out = out
            .iter()
            .flat_map(|p| p.split(sep).map(str::to_string).collect::<Vec<_>>())
            .collect();
    }
    out.into_iter().filter(|p| !p.trim().is_empty()).collect()
}

/// The keys of the configuration's requirements, folded once per run.
pub struct Keys {
    /// Of each section a system security plan must have (`[plan]`).
    sections: Vec<Vec<String>>,
}

impl Keys {
    /// Folds the configuration's requirements.
    pub fn of(config: &Config) -> Keys {
        Keys {
            sections: config.plan.sections.iter().map(requirement_keys).collect(),
        }
    }
}

/// The content rules of document `i`: the areas of an instruction, the
/// sections, system and approval of a plan.
pub fn check_document(
    corpus: &Corpus,
    graph: &LinkGraph,
    config: &Config,
    keys: &Keys,
    i: usize,
    diags: &mut Vec<Diagnostic>,
) {
    let doc = &corpus.documents[i];
    if doc.status() == Some(Status::Upphavd) {
        return;
    }
    let headings = &graph.outlines[i].headings;
    match doc.doc_type() {
        DocType::Instruktion => {
            let Some(kind) = &doc.meta.instruktion else {
                return;
            };
            let keys = HeadingKeys::of(headings);
            for area in config.areas.of(kind.value) {
                if keys.find(&requirement_keys(area)).is_none() {
                    diags.push(
                                Diagnostic::error(
                                    Code::MissingArea,
                                    &doc.source.rel,
                                    doc.meta.line,
                                    1,
                                    {
                                        let (kind, area) = (&kind.value, area.name());
                                        crate::tr!(
                                            "IT-säkerhetsinstruktion {kind} saknar området `{area}` som policyns kapitel 4 kräver",
                                            "IT-säkerhetsinstruktion {kind} lacks the area `{area}` that the policy's chapter 4 requires"
                                        )
                                    },
                                )
                                .with_width(3)
                                .with_hint(crate::tr!(
                                    "lägg till rubriken `## {}` med dess regler, eller ett alias under [areas] i styrdok.toml",
                                    "add a heading `## {}` with its rules, or an alias under [areas] in styrdok.toml",
                                    area.name()
                                )),
                            );
                }
            }
        }
        DocType::Plan => check_plan(
            corpus,
            config,
            i,
            &HeadingKeys::of(headings),
            &keys.sections,
            diags,
        ),
        _ => {}
    }
}

fn check_plan(
    corpus: &Corpus,
    config: &Config,
    i: usize,
    headings: &HeadingKeys,
    section_keys: &[Vec<String>],
    diags: &mut Vec<Diagnostic>,
) {
    let doc = &corpus.documents[i];
    for (section, keys) in config.plan.sections.iter().zip(section_keys) {
        if headings.find(keys).is_none() {
            diags.push(
                Diagnostic::error(
                    Code::MissingSection,
                    &doc.source.rel,
                    doc.meta.line,
                    1,
                    crate::tr!(
                        "systemsäkerhetsplanen saknar avsnittet `{}`",
                        "systemsäkerhetsplan lacks the section `{}`",
                        section.name()
                    ),
                )
                .with_width(3)
                .with_hint(crate::tr!(
                    "lägg till rubriken `## {}`, eller ett alias under [plan] i styrdok.toml",
                    "add a heading `## {}`, or an alias under [plan] in styrdok.toml",
                    section.name()
                )),
            );
        }
    }
    if let Some(system) = &doc.meta.system {
        if corpus.system(&system.value).is_none() {
            let mut d = Diagnostic::error(
                Code::UnknownSystem,
                &doc.source.rel,
                system.line,
                system.col,
                crate::tr!(
                    "planen anger systemet `{}`, som inte finns i systemregistret",
                    "plan names system `{}`, which is not in the system register",
                    system.value
                ),
            )
            .with_width(system.width);
            d.hint = match &corpus.register {
                None => Some(crate::tr!(
                    "lägg till content/systemregister.yaml med det här systemet",
                    "add content/systemregister.yaml with this system (SPEC 4.3)"
                )),
                Some(reg) => {
                    let ids: Vec<&str> = reg.systems.iter().map(|s| s.id.value.as_str()).collect();
                    Some(
                        crate::load::fields::closest(&system.value, &ids).map_or_else(
                            || {
                                crate::tr!(
                                    "lägg till systemet i content/systemregister.yaml",
                                    "add the system to content/systemregister.yaml"
                                )
                            },
                            |b| crate::tr!("menade du `{b}`?", "did you mean `{b}`?"),
                        ),
                    )
                }
            };
            diags.push(d);
        }
    }
    if doc.meta.driftgodkannande.is_none() && doc.status() == Some(Status::Faststalld) {
        diags.push(
            Diagnostic::error(Code::NoApproval, &doc.source.rel, doc.meta.line, 1, crate::tr!(
                "systemsäkerhetsplanen är fastställd men saknar `driftgodkännande`",
                "adopted systemsäkerhetsplan without `driftgodkännande`"
            ))
                .with_width(3)
                .with_hint(crate::tr!(
                    "policyns avsnitt 3.2: planen är underlaget för systemägarens beslut; lägg till `driftgodkännande: {{datum: ÅÅÅÅ-MM-DD, beslutat_av: ...}}`",
                    "policy 3.2: the plan is the basis of the system owner's decision; add `driftgodkännande: {{datum: YYYY-MM-DD, beslutat_av: ...}}`"
                )),
        );
    }
}

/// The systems that a plan in force (not repealed) names.
pub fn systems_with_plans(corpus: &Corpus) -> std::collections::HashSet<&str> {
    corpus
        .documents
        .iter()
        .filter(|d| d.doc_type() == DocType::Plan && d.status() != Some(Status::Upphavd))
        .filter_map(|d| d.meta.system.as_ref().map(|s| s.value.as_str()))
        .collect()
}

/// SD103: a critical system in the register without a plan in force.
pub fn check_register(corpus: &Corpus, diags: &mut Vec<Diagnostic>) {
    let Some(reg) = &corpus.register else { return };
    let planned = systems_with_plans(corpus);
    for system in &reg.systems {
        if !system.samhallsviktigt {
            continue;
        }
        if !planned.contains(system.id.value.as_str()) {
            diags.push(
                Diagnostic::error(
                    Code::CriticalWithoutPlan,
                    &reg.source.rel,
                    system.id.line,
                    system.id.col,
                    crate::tr!(
                        "det samhällsviktiga systemet `{}` saknar systemsäkerhetsplan",
                        "critical system `{}` has no systemsäkerhetsplan",
                        system.id.value
                    ),
                )
                .with_width(system.id.width)
                .with_hint(crate::tr!(
                    "policyns avsnitt 3.2: skriv en med `styrdok new plan {}`",
                    "policy 3.2: write one with `styrdok new plan {}`",
                    system.id.value
                )),
            );
        }
    }
    let _ = Code::SystemWithoutOwner;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(text: &str) -> Heading {
        Heading {
            level: 2,
            text: text.into(),
            id: crate::markdown::slug(text),
            offset: 0,
        }
    }

    #[test]
    fn keys_ignore_case_space_punctuation_and_numbers() {
        assert_eq!(
            heading_key("4.2 Drift- och förvaltning"),
            heading_key("drift och FÖRVALTNING")
        );
        assert_eq!(
            heading_key("Fo\u{308}rvaring av datamedia"),
            heading_key("Förvaring av datamedia")
        );
    }

    #[test]
    fn a_heading_covers_its_parts() {
        let req = Requirement::Name("Användning av Internet".into());
        assert!(covering_heading(&req, &[h("E-post och användning av Internet")]).is_some());
        let req = Requirement::Name("Tillträdesskydd".into());
        assert!(covering_heading(&req, &[h("Tillträdes- och brandskydd")]).is_none());
    }
}
