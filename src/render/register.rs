//! The system register page (`register.html`): every system with its
//! owner, class and security plans.

use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashMap;

use super::context::{Base, Place, NONE};
use super::Renderer;
use crate::diagnostic::Diagnostic;
use crate::model::{DocType, System};
use crate::resolve::relative_url;

pub(super) const URL: &str = "systemregister.html";

/// The variables of `register.html`.
#[derive(Serialize)]
struct RegisterView<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    systems: Vec<SystemRow<'a>>,
}

#[derive(Serialize)]
struct SystemRow<'a> {
    id: &'a str,
    name: &'a str,
    description: Option<&'a str>,
    owner: Option<&'a str>,
    /// Samhällsviktigt.
    critical: bool,
    klassning: &'static str,
    supplier: &'a str,
    plans: Vec<PlanLink<'a>>,
}

/// A plan of the system; a restricted one has no `href` (null) and the
/// restricted text as its title.
#[derive(Serialize)]
struct PlanLink<'a> {
    title: &'a str,
    href: Option<String>,
}

impl Renderer<'_> {
    pub(super) fn register_page(&self) -> Result<String, Diagnostic> {
        let Some(reg) = &self.site.corpus.register else {
            return Ok(String::new());
        };
        // Plans by system, once: a register of hundreds of systems must not
        // scan every document for each of them.
        let mut plans_of: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, d) in self.docs().iter().enumerate() {
            if let (DocType::Plan, Some(s)) = (d.doc_type(), &d.meta.system) {
                plans_of.entry(s.value.as_str()).or_default().push(i);
            }
        }
        let view = RegisterView {
            base: self.base(Place {
                url: URL,
                current: "register",
                title: Cow::Borrowed(self.t.register),
                doc: None,
            }),
            systems: reg
                .systems
                .iter()
                .map(|s| self.system_row(s, plans_of.get(s.id.value.as_str())))
                .collect(),
        };
        self.render_page("register.html", &view)
    }

    fn system_row<'s>(&'s self, s: &'s System, plans: Option<&Vec<usize>>) -> SystemRow<'s> {
        let plans = plans
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|&i| {
                let d = &self.docs()[i];
                if self.visible[i] {
                    PlanLink {
                        title: d.title(),
                        href: Some(relative_url(URL, &d.url)),
                    }
                } else {
                    PlanLink {
                        title: self.t.restricted,
                        href: None,
                    }
                }
            })
            .collect();
        SystemRow {
            id: &s.id.value,
            name: s.name(),
            description: s.beskrivning.as_deref(),
            owner: s.systemagare.as_ref().map(|o| o.value.as_str()),
            critical: s.samhallsviktigt,
            klassning: s
                .klassning
                .as_ref()
                .map_or(NONE, |k| self.t.class_name(k.value)),
            supplier: s.leverantor.as_deref().unwrap_or(NONE),
            plans,
        }
    }
}
