//! The area coverage page (`areas.html`, seed ch. 4): for each area of the
//! policy, which instruction covers it and under which heading.

use serde::Serialize;
use std::borrow::Cow;

use super::context::{Base, Place};
use super::{hierarchy, Renderer};
use crate::config::Requirement;
use crate::diagnostic::Diagnostic;
use crate::model::{DocType, InstructionKind, Status};
use crate::resolve::{encode, relative_url};
use crate::validate::coverage::{covering_heading, heading_key};

/// Whether the site has an area coverage page: some instruction must
/// cover areas ([areas] names one), or the site has an instruction.
pub(super) fn has_areas(site: &super::Site<'_>) -> bool {
    let a = &site.config.areas;
    !(a.forvaltning.is_empty() && a.drift.is_empty() && a.anvandare.is_empty())
        || site
            .corpus
            .documents
            .iter()
            .any(|d| d.doc_type() == DocType::Instruktion)
}

pub(super) const URL: &str = "omraden.html";

/// The variables of `areas.html`.
#[derive(Serialize)]
struct AreasView<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    /// One per kind of instruction.
    columns: Vec<Column>,
    /// One per area, each with a cell per column.
    rows: Vec<Row<'a>>,
}

#[derive(Serialize)]
struct Column {
    label: &'static str,
    /// The instruction in force of this kind, when it is published.
    href: Option<String>,
}

#[derive(Serialize)]
struct Row<'a> {
    area: &'a str,
    cells: Vec<Cell<'a>>,
}

/// `state` is `covered` (then with `heading` and `href`), `restricted`,
/// `missing`, `no_instruction` or `not_required`.
#[derive(Serialize)]
struct Cell<'a> {
    state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    heading: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    href: Option<String>,
}

impl Cell<'_> {
    fn state(state: &'static str) -> Self {
        Cell {
            state,
            heading: None,
            href: None,
        }
    }
}

impl Renderer<'_> {
    pub(super) fn areas_page(&self) -> Result<String, Diagnostic> {
        let kinds = InstructionKind::ALL;
        // The instruction in force for each kind (any visibility; restricted ones are marked).
        let docs: Vec<Option<usize>> = kinds.iter().map(|k| self.instruction(*k)).collect();
        let columns = kinds
            .iter()
            .zip(&docs)
            .map(|(k, d)| Column {
                label: self.t.instruction_kind(*k),
                href: d
                    .filter(|&i| self.visible[i])
                    .map(|i| relative_url(URL, &self.docs()[i].url)),
            })
            .collect();
        let areas = &self.site.config.areas;
        let mut seen: Vec<String> = Vec::new();
        let mut rows = Vec::new();
        for k in kinds {
            for req in areas.of(*k) {
                let key = heading_key(req.name());
                if seen.contains(&key) {
                    continue;
                }
                let cells = kinds
                    .iter()
                    .zip(&docs)
                    .map(|(kind, doc)| {
                        let required = areas
                            .of(*kind)
                            .iter()
                            .find(|r| heading_key(r.name()) == key);
                        self.cell(required, *doc)
                    })
                    .collect();
                seen.push(key);
                rows.push(Row {
                    area: req.name(),
                    cells,
                });
            }
        }
        let view = AreasView {
            base: self.base(Place {
                url: URL,
                current: "areas",
                title: Cow::Borrowed(self.t.areas),
                doc: None,
            }),
            columns,
            rows,
        };
        self.render_page("areas.html", &view)
    }

    /// The instruction in force of a kind, first in hierarchy order.
    fn instruction(&self, kind: InstructionKind) -> Option<usize> {
        self.docs()
            .iter()
            .enumerate()
            .filter(|(_, d)| {
                d.doc_type() == DocType::Instruktion && d.status() != Some(Status::Upphavd)
            })
            .filter(|(_, d)| d.meta.instruktion.as_ref().is_some_and(|x| x.value == kind))
            .min_by_key(|(_, d)| hierarchy::sort_key(d))
            .map(|(i, _)| i)
    }

    /// One cell: whether instruction `doc` covers the area it must cover.
    fn cell(&self, required: Option<&Requirement>, doc: Option<usize>) -> Cell<'_> {
        let Some(r) = required else {
            return Cell::state("not_required");
        };
        let Some(i) = doc else {
            return Cell::state("no_instruction");
        };
        match covering_heading(r, &self.site.graph.outlines[i].headings) {
            None => Cell::state("missing"),
            Some(_) if !self.visible[i] => Cell::state("restricted"),
            Some(h) => Cell {
                state: "covered",
                heading: Some(&h.text),
                href: Some(format!(
                    "{}#{}",
                    relative_url(URL, &self.docs()[i].url),
                    encode(&h.id)
                )),
            },
        }
    }
}
