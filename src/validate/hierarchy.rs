//! The governing-documents hierarchy (policy figure 1): every document but the
//! policy names its governing document in `överordnad`, and following those
//! ends at the one policy.

use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::model::{Corpus, DocType, Status};

/// Checks parents, cycles, reachability of the policy and the number of policies.
pub fn check(corpus: &Corpus, diags: &mut Vec<Diagnostic>) {
    let parent = parents(corpus, diags);
    let ends = chain_ends(&parent);
    let docs = &corpus.documents;
    for cycle in cycles(&parent, &ends) {
        report_cycle(corpus, &cycle, diags);
    }
    for (i, doc) in docs.iter().enumerate() {
        let End::Top(cur) = ends[i] else { continue };
        let top = &docs[cur];
        if doc.meta.typ.is_some()
            && top.meta.overordnad.is_none()
            && top.doc_type() != DocType::Policy
            && top.meta.typ.is_some()
            && cur != i
        // its own missing `överordnad` is reported by the loader
        {
            if let Some(o) = &doc.meta.overordnad {
                diags.push(
                    Diagnostic::error(Code::OutsideHierarchy, &doc.source.rel, o.line, o.col, crate::tr!(
                        "kedjan av överordnade dokument slutar vid `{}`, som inte är policyn",
                        "the chain of governing documents ends at `{}`, which is not the policy",
                        top.id
                    ))
                        .with_width(o.width)
                        .with_hint(crate::tr!(
                            "varje dokument ska styras av IT-säkerhetspolicyn, direkt eller genom andra dokument",
                            "every document must be governed, directly or through others, by the IT-säkerhetspolicy"
                        )),
                );
            }
        }
    }
    second_policies(corpus, diags);
}

/// Each document's governing document, where `överordnad` names another
/// one; a name of no document, or of the document itself, is reported.
fn parents(corpus: &Corpus, diags: &mut Vec<Diagnostic>) -> Vec<Option<usize>> {
    let docs = &corpus.documents;
    let mut parent: Vec<Option<usize>> = vec![None; docs.len()];
    for (i, doc) in docs.iter().enumerate() {
        let Some(o) = &doc.meta.overordnad else {
            continue;
        };
        match corpus.by_id.get(&o.value) {
            Some(&p) if p == i => diags.push(
                Diagnostic::error(
                    Code::CyclicParent,
                    &doc.source.rel,
                    o.line,
                    o.col,
                    crate::tr!(
                        "ett dokument kan inte vara sitt eget överordnade dokument",
                        "a document cannot govern itself"
                    ),
                )
                .with_width(o.width),
            ),
            Some(&p) => parent[i] = Some(p),
            None => {
                let ids: Vec<&str> = corpus.by_id.keys().map(String::as_str).collect();
                let mut d = Diagnostic::error(
                    Code::UnknownParent,
                    &doc.source.rel,
                    o.line,
                    o.col,
                    crate::tr!(
                        "`överordnad` anger `{}`, men inget dokument har det dokument-id:t",
                        "`överordnad` names `{}`, but no document has that id",
                        o.value
                    ),
                )
                .with_width(o.width);
                d.hint = crate::load::fields::closest(&o.value, &ids)
                    .map(|b| crate::tr!("menade du `{b}`?", "did you mean `{b}`?"));
                diags.push(d);
            }
        }
    }
    parent
}

/// Where following `överordnad` from a document ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    /// Not known yet (while walking).
    Unknown,
    /// On the path being walked.
    Walking,
    /// At this document, which has no governing document.
    Top(usize),
    /// In a cycle the document is part of.
    InCycle,
    /// In a cycle the document leads into without being part of it.
    IntoCycle,
}

/// Where each document's chain ends, each document visited once: linear
/// in the number of documents, however long the chains.
fn chain_ends(parent: &[Option<usize>]) -> Vec<End> {
    let mut ends = vec![End::Unknown; parent.len()];
    let mut path = Vec::new();
    for start in 0..parent.len() {
        path.clear();
        let mut cur = start;
        let end = loop {
            match ends[cur] {
                End::Unknown => {
                    ends[cur] = End::Walking;
                    path.push(cur);
                    match parent[cur] {
                        Some(p) => cur = p,
                        None => break End::Top(cur),
                    }
                }
                End::Walking => {
                    // `cur` is on the path: from it on, the path is a cycle.
                    let at = path.iter().position(|&n| n == cur).unwrap_or(0);
                    for &n in &path[at..] {
                        ends[n] = End::InCycle;
                    }
                    path.truncate(at);
                    break End::IntoCycle;
                }
                End::InCycle | End::IntoCycle => break End::IntoCycle,
                top @ End::Top(_) => break top,
            }
        };
        for &n in &path {
            ends[n] = end;
        }
    }
    ends
}

/// The cycles, each as its members from its lowest-numbered document on,
/// in the order `överordnad` leads.
fn cycles(parent: &[Option<usize>], ends: &[End]) -> Vec<Vec<usize>> {
    let mut done = vec![false; parent.len()];
    let mut out = Vec::new();
    for start in 0..parent.len() {
        if ends[start] != End::InCycle || done[start] {
            continue;
        }
        let mut members = vec![start];
        done[start] = true;
        let mut m = start;
        while let Some(p) = parent[m] {
            if p == start || done[p] {
                break;
            }
            done[p] = true;
            members.push(p);
            m = p;
        }
        out.push(members);
    }
    out
}

/// One error per member of a cycle, at its `överordnad`, naming the loop.
fn report_cycle(corpus: &Corpus, members: &[usize], diags: &mut Vec<Diagnostic>) {
    let docs = &corpus.documents;
    let names: Vec<&str> = members.iter().map(|&m| docs[m].id.as_str()).collect();
    let chain = format!("{} -> {}", names.join(" -> "), names[0]);
    for &m in members {
        if let Some(o) = &docs[m].meta.overordnad {
            diags.push(
                Diagnostic::error(
                    Code::CyclicParent,
                    &docs[m].source.rel,
                    o.line,
                    o.col,
                    crate::tr!(
                        "`överordnad` bildar en slinga: {chain}",
                        "`överordnad` forms a cycle: {chain}"
                    ),
                )
                .with_width(o.width)
                .with_hint(crate::tr!(
                    "kedjan av överordnade dokument ska sluta vid IT-säkerhetspolicyn",
                    "the chain of governing documents must end at the IT-säkerhetspolicy"
                )),
            );
        }
    }
}

/// A second policy in force.
fn second_policies(corpus: &Corpus, diags: &mut Vec<Diagnostic>) {
    let docs = &corpus.documents;
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
                Code::SecondPolicy,
                &doc.source.rel,
                line,
                col,
                crate::tr!(
                    "en andra IT-säkerhetspolicy; `{}` är redan gällande policy",
                    "a second IT-säkerhetspolicy; `{}` is already one",
                    docs[policies[0]].id
                ),
            )
            .with_width(width)
            .with_hint(crate::tr!(
                "bara en policy kan gälla; markera den gamla med `status: upphävd`",
                "there is one policy in force; mark the old one `status: upphävd`"
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_ends_find_tops_cycles_and_tails() {
        // 0 -> 1 -> 2 (top); 3 -> 4 -> 5 -> 4 (cycle 4, 5 with tail 3); 6 -> 6 is
        // not a parent link (self-reference is reported earlier).
        let parent = [Some(1), Some(2), None, Some(4), Some(5), Some(4), None];
        let ends = chain_ends(&parent);
        assert_eq!(
            ends,
            vec![
                End::Top(2),
                End::Top(2),
                End::Top(2),
                End::IntoCycle,
                End::InCycle,
                End::InCycle,
                End::Top(6)
            ]
        );
        assert_eq!(cycles(&parent, &ends), vec![vec![4, 5]]);
    }

    #[test]
    fn a_long_chain_is_walked_once() {
        // 200,000 documents, each governed by the next: visiting each once.
        let n = 200_000;
        let parent: Vec<Option<usize>> = (0..n).map(|i| (i + 1 < n).then_some(i + 1)).collect();
        let ends = chain_ends(&parent);
        assert!(ends.iter().all(|e| *e == End::Top(n - 1)));
    }
}
