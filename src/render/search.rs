//! The offline search: an index written at build time as a script
//! (`assets/search-index.js`, so it loads from a file share too), one entry
//! per section of every published document, searched by the theme's
//! `search.js` on the search page.

use serde_json::{json, Value};
use std::collections::BTreeSet;

use super::{OutputFile, Renderer};
use crate::i18n;

/// Characters of a section's text shown under a result.
const EXCERPT: usize = 220;

/// Lower-cased, composed words of a text, each once, space-separated with a
/// leading space so that ` term` finds every word starting with `term`.
pub(super) fn words(parts: &[&str]) -> String {
    let mut set = BTreeSet::new();
    for part in parts {
        let lower = crate::load::nfc(part).to_lowercase();
        for w in lower.split(|c: char| !c.is_alphanumeric()) {
            if !w.is_empty() {
                set.insert(w.to_string());
            }
        }
    }
    let mut out = String::new();
    for w in set {
        out.push(' ');
        out.push_str(&w);
    }
    out
}

fn excerpt(text: &str, heading: Option<&str>) -> String {
    let mut body = text.trim_start();
    if let Some(h) = heading {
        body = body.strip_prefix(h).unwrap_or(body);
    }
    let collapsed: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() <= EXCERPT {
        return collapsed;
    }
    let cut: String = collapsed.chars().take(EXCERPT).collect();
    let cut = cut
        .rsplit_once(' ')
        .map_or(cut.as_str(), |(a, _)| a)
        .to_string();
    format!("{cut} …")
}

impl Renderer<'_> {
    /// `assets/search-index.js`: documents and their sections.
    pub(super) fn search_index(&self) -> OutputFile {
        let mut docs: Vec<Value> = Vec::new();
        let mut sections: Vec<Value> = Vec::new();
        for &i in &self.order {
            let doc = &self.docs()[i];
            let d = docs.len();
            docs.push(json!([
                doc.title(),
                i18n::doc_type(doc.doc_type(), self.lang),
                doc.url
            ]));
            for (heading, text) in self.site.graph.outlines[i].sections() {
                let (h, anchor) = heading.map_or(("", ""), |h| (h.text.as_str(), h.id.as_str()));
                if heading.is_none() && text.trim().is_empty() && d != docs.len() - 1 {
                    continue;
                }
                sections.push(json!([
                    d,
                    h,
                    anchor,
                    words(&[doc.title(), h, text]),
                    excerpt(text, heading.map(|h| h.text.as_str()))
                ]));
            }
        }
        let data = json!({ "docs": docs, "sections": sections });
        OutputFile {
            path: "assets/search-index.js".into(),
            bytes: format!("window.STYRDOK_SEARCH = {data};\n").into_bytes(),
        }
    }

    /// `sok.html`: the search page.
    pub(super) fn search_page(&self) -> Result<String, crate::diagnostic::Diagnostic> {
        let t = i18n::labels(self.lang);
        let ctx = self.base_context("sok.html", "search", t["search"], None);
        self.render("search.html", &ctx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lower_case_unique_and_prefixable() {
        assert_eq!(
            words(&["Säkerhetskopiering", "och LAGRING, säkerhetskopiering!"]),
            " lagring och säkerhetskopiering"
        );
        assert_eq!(words(&["Fo\u{308}rvaring"]), " förvaring");
    }

    #[test]
    fn excerpts_leave_out_the_heading_and_stop_at_a_word() {
        assert_eq!(
            excerpt(
                "Bemanning\nDriften bemannas dygnet runt.\n",
                Some("Bemanning")
            ),
            "Driften bemannas dygnet runt."
        );
        let long = "ord ".repeat(100);
        let e = excerpt(&long, None);
        assert!(e.ends_with(" …") && e.chars().count() <= EXCERPT + 2);
    }
}
