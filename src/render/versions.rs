//! The list of versions (`versions.html`, `versioner/index.html` in the
//! current site).

use serde::Serialize;
use std::borrow::Cow;

use super::context::{Base, Place};
use super::{Renderer, Site};
use crate::diagnostic::Diagnostic;
use crate::resolve::relative_url;

const URL: &str = "versioner/index.html";

/// One version in the list of versions.
#[derive(Debug, Clone)]
pub struct VersionEntry {
    /// Tag name.
    pub name: String,
    /// Date of the tagged commit.
    pub date: String,
}

/// The variables of `versions.html`.
#[derive(Serialize)]
struct VersionsView<'a> {
    #[serde(flatten)]
    base: Base<'a>,
    /// Newest first.
    versions: Vec<VersionRow<'a>>,
    /// With `--pdf`: the tag the redline PDFs compare with, and one per
    /// document changed since (`title`, `href`); the decision appendices.
    redline_tag: Option<&'a str>,
    redlines: Vec<PdfLink<'a>>,
}

#[derive(Serialize)]
struct PdfLink<'a> {
    title: &'a str,
    href: String,
}

#[derive(Serialize)]
struct VersionRow<'a> {
    name: &'a str,
    date: &'a str,
    /// The version's start page.
    href: String,
    /// The version's change log.
    changes: String,
}

/// The list of versions, `versioner/index.html`, in the current site.
pub fn versions_page(
    site: &Site<'_>,
    versions: &[VersionEntry],
    redlines: &[(String, usize, String)],
) -> Result<String, Diagnostic> {
    let r = Renderer::new(site)?;
    let docs = &site.corpus.documents;
    let view = VersionsView {
        base: r.base(Place {
            url: URL,
            current: "versions",
            title: Cow::Borrowed(r.t.versions),
            doc: None,
        }),
        versions: versions
            .iter()
            .rev()
            .map(|v| VersionRow {
                name: &v.name,
                date: &v.date,
                href: relative_url(URL, &format!("versioner/{}/index.html", v.name)),
                changes: relative_url(URL, &format!("versioner/{}/andringar.html", v.name)),
            })
            .collect(),
        redline_tag: redlines.first().map(|(tag, _, _)| tag.as_str()),
        redlines: redlines
            .iter()
            .filter(|(_, i, _)| r.visible.get(*i).copied().unwrap_or(false))
            .map(|(_, i, path)| PdfLink {
                title: docs[*i].title(),
                href: relative_url(URL, path),
            })
            .collect(),
    };
    r.render_page("versions.html", &view)
}
