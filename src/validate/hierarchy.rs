//! The governing-documents hierarchy (seed figure 1): every document but the
//! policy names its governing document in `överordnad`, and following those
//! ends at the one policy.

use crate::diagnostic::Diagnostic;
use crate::model::{Corpus, DocType, Status};

/// `överordnad` names no document.
pub const UNKNOWN_PARENT: &str = "SD203";
/// The `överordnad` chain loops.
pub const CYCLIC_PARENT: &str = "SD204";
/// The chain does not end at the policy.
pub const OUTSIDE_HIERARCHY: &str = "SD205";
/// More than one policy in force.
pub const SECOND_POLICY: &str = "SD206";

/// Checks parents, cycles, reachability of the policy and the number of policies.
pub fn check(corpus: &Corpus, diags: &mut Vec<Diagnostic>) {
    let docs = &corpus.documents;
    let mut parent: Vec<Option<usize>> = vec![None; docs.len()];
    for (i, doc) in docs.iter().enumerate() {
        let Some(o) = &doc.meta.overordnad else {
            continue;
        };
        match corpus.by_id.get(&o.value) {
            Some(&p) if p == i => diags.push(
                Diagnostic::error(
                    CYCLIC_PARENT,
                    &doc.source.rel,
                    o.line,
                    o.col,
                    "a document cannot govern itself",
                )
                .with_width(o.width),
            ),
            Some(&p) => parent[i] = Some(p),
            None => {
                let ids: Vec<&str> = corpus.by_id.keys().map(String::as_str).collect();
                let mut d = Diagnostic::error(
                    UNKNOWN_PARENT,
                    &doc.source.rel,
                    o.line,
                    o.col,
                    format!(
                        "`överordnad` names `{}`, but no document has that id",
                        o.value
                    ),
                )
                .with_width(o.width);
                d.hint = crate::load::fields::closest(&o.value, &ids)
                    .map(|b| format!("did you mean `{b}`?"));
                diags.push(d);
            }
        }
    }
    // Walk each chain; a chain longer than the corpus has a cycle.
    let mut reported_cycle = vec![false; docs.len()];
    for (i, doc) in docs.iter().enumerate() {
        let mut seen = vec![i];
        let mut cur = i;
        let mut cyclic = false;
        while let Some(p) = parent[cur] {
            if seen.contains(&p) {
                cyclic = true;
                break;
            }
            seen.push(p);
            cur = p;
        }
        if cyclic {
            // Report once per cycle, on every member's key, naming the loop.
            if reported_cycle[i] {
                continue;
            }
            let start = parent[cur].unwrap_or(cur);
            let mut members = vec![start];
            let mut m = start;
            while let Some(p) = parent[m] {
                if p == start {
                    break;
                }
                members.push(p);
                m = p;
            }
            if !members.contains(&i) {
                continue;
            }
            let names: Vec<&str> = members.iter().map(|&m| docs[m].id.as_str()).collect();
            let chain = format!("{} -> {}", names.join(" -> "), names[0]);
            for &m in &members {
                reported_cycle[m] = true;
                if let Some(o) = &docs[m].meta.overordnad {
                    diags.push(
                        Diagnostic::error(
                            CYCLIC_PARENT,
                            &docs[m].source.rel,
                            o.line,
                            o.col,
                            format!("`överordnad` forms a cycle: {chain}"),
                        )
                        .with_width(o.width)
                        .with_hint(
                            "the chain of governing documents must end at the IT-säkerhetspolicy",
                        ),
                    );
                }
            }
            continue;
        }
        let top = &docs[cur];
        if doc.meta.typ.is_some()
            && top.meta.overordnad.is_none()
            && top.doc_type() != DocType::Policy
            && top.meta.typ.is_some()
        {
            if cur == i {
                continue; // its own missing `överordnad` is reported by the loader
            }
            if let Some(o) = &doc.meta.overordnad {
                diags.push(
                    Diagnostic::error(OUTSIDE_HIERARCHY, &doc.source.rel, o.line, o.col, format!("the chain of governing documents ends at `{}`, which is not the policy", top.id))
                        .with_width(o.width)
                        .with_hint("every document must be governed, directly or through others, by the IT-säkerhetspolicy"),
                );
            }
        }
    }
    let policies: Vec<usize> = docs
        .iter()
        .enumerate()
        .filter(|(_, d)| d.doc_type() == DocType::Policy && d.status() != Some(Status::Upphavd))
        .map(|(i, _)| i)
        .collect();
    for &p in policies.iter().skip(1) {
        let doc = &docs[p];
        let (line, col, width) = doc
            .meta
            .typ
            .as_ref()
            .map_or((1, 1, 1), |t| (t.line, t.col, t.width));
        diags.push(
            Diagnostic::error(
                SECOND_POLICY,
                &doc.source.rel,
                line,
                col,
                format!(
                    "a second IT-säkerhetspolicy; `{}` is already one",
                    docs[policies[0]].id
                ),
            )
            .with_width(width)
            .with_hint("there is one policy in force; mark the old one `status: upphävd`"),
        );
    }
}
