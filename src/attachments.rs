//! Which attachments (the files under content/ that are not documents or
//! pages) a build publishes. One is published when a published document
//! or page links to it, or, with `[publish] unlinked_attachments = "publish"`, when no
//! document links to it at all; one linked only from documents above the
//! publishing limit is not. None is ever published that would land on a
//! page styrdok writes or on another file of the site, or that a browser
//! or web server would run (HTML, SVG, XML, scripts). `check` reports these
//! rules and rendering applies them, both through [`published`].

use std::collections::{BTreeMap, BTreeSet};

use crate::codes::Code;
use crate::config::{Config, Unlinked};
use crate::diagnostic::Diagnostic;
use crate::load::{is_generated, join, output_key, twin_hint};
use crate::model::Corpus;
use crate::resolve::{LinkGraph, Target};

/// Extensions of files a browser runs script from when a web server
/// serves them from the site, or that a web server runs itself.
const ACTIVE_EXTENSIONS: &[&str] = &[
    "html", "htm", "xhtml", "xht", "shtml", "shtm", "svg", "svgz", "xml", "xsl", "xslt", "js",
    "mjs", "cjs", "hta", "php", "phtml", "asp", "aspx", "jsp", "cgi",
];

/// Files that configure the web server serving the directory (IIS).
const SERVER_FILES: &[&str] = &["web.config"];

/// The attachments this build publishes, in the corpus' order.
pub fn published<'a>(corpus: &'a Corpus, graph: &LinkGraph, config: &Config) -> Vec<&'a str> {
    let refused = refusals(corpus, "");
    let (from_published, from_any) = linked(corpus, graph, config);
    corpus
        .attachments
        .iter()
        .map(String::as_str)
        .filter(|a| !refused.contains_key(a))
        .filter(|a| {
            from_published.contains(a)
                || (config.publish.unlinked_attachments == Unlinked::Publish
                    && !from_any.contains(a))
        })
        .collect()
}

/// Whether two sets of link targets name the same attachments (when they
/// do, an edit between them leaves the published attachments as they were).
pub fn same_attachments(a: &BTreeMap<String, Target>, b: &BTreeMap<String, Target>) -> bool {
    let of = |t: &BTreeMap<String, Target>| -> BTreeSet<String> {
        t.values()
            .filter_map(|t| match t {
                Target::Attachment(p, _) => Some(p.clone()),
                _ => None,
            })
            .collect()
    };
    of(a) == of(b)
}

/// The problems with attachments: those refused whatever links to them,
/// and (when they are skipped) those no document links to.
pub fn check(
    corpus: &Corpus,
    graph: &LinkGraph,
    config: &Config,
    content_rel: &str,
) -> Vec<Diagnostic> {
    let refused = refusals(corpus, content_rel);
    let mut diags: Vec<Diagnostic> = refused.values().cloned().collect();
    if config.publish.unlinked_attachments == Unlinked::Skip {
        let (_, from_any) = linked(corpus, graph, config);
        for a in &corpus.attachments {
            if !from_any.contains(a.as_str()) && !refused.contains_key(a.as_str()) {
                diags.push(
                    Diagnostic::warning(
                        Code::UnlinkedAttachment,
                        &join(content_rel, a),
                        1,
                        1,
                        crate::tr!(
                            "inget dokument länkar till den här bilagan; den publiceras inte",
                            "no document links to this attachment; it is not published"
                        ),
                    )
                    .with_hint(crate::tr!(
                        "länka till den från ett dokument, eller sätt `unlinked_attachments = \"publish\"` under [publish] i styrdok.toml",
                        "link to it from a document, or set `unlinked_attachments = \"publish\"` under [publish] in styrdok.toml"
                    )),
                );
            }
        }
    }
    diags
}

/// The attachments published documents link to, and those any document
/// links to.
fn linked<'a>(
    corpus: &Corpus,
    graph: &'a LinkGraph,
    config: &Config,
) -> (BTreeSet<&'a str>, BTreeSet<&'a str>) {
    let mut from_published = BTreeSet::new();
    let mut from_any = BTreeSet::new();
    let policy = config.publish.policy();
    let documents = corpus
        .documents
        .iter()
        .zip(&graph.targets)
        .map(|(doc, targets)| (doc.publishable(policy), &**targets));
    let pages = corpus
        .pages
        .list
        .iter()
        .zip(&graph.pages)
        .map(|(page, links)| (page.publishable(policy), &links.targets));
    for (visible, targets) in documents.chain(pages) {
        for target in targets.values() {
            if let Target::Attachment(path, _) = target {
                from_any.insert(path.as_str());
                if visible {
                    from_published.insert(path.as_str());
                }
            }
        }
    }
    (from_published, from_any)
}

/// The attachments never published, each with its diagnostic.
fn refusals<'a>(corpus: &'a Corpus, content_rel: &str) -> BTreeMap<&'a str, Diagnostic> {
    let mut out = BTreeMap::new();
    if corpus.attachments.is_empty() {
        return out;
    }
    // Every output path of a document and of an attachment taken so far
    // (by key: to the file it comes from and its own spelling), and every
    // folder one lies in.
    let mut files: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut dirs: BTreeSet<String> = BTreeSet::new();
    // Each folder's first spelling, and the file it was found with.
    let mut spelt: BTreeMap<String, (&str, String)> = BTreeMap::new();
    let documents = corpus
        .documents
        .iter()
        .map(|d| (&d.source.rel, &d.url, d.content_path.as_str()));
    let pages = corpus
        .pages
        .list
        .iter()
        .map(|p| (&p.source.rel, &p.url, p.content_path.as_str()));
    for (rel, url, content_path) in documents.chain(pages) {
        let key = output_key(url);
        dirs.extend(ancestors(&key).map(str::to_string));
        for folder in ancestors(content_path) {
            spelt
                .entry(output_key(folder))
                .or_insert_with(|| (folder, rel.clone()));
        }
        files
            .entry(key)
            .or_insert_with(|| (rel.clone(), url.clone()));
    }
    for a in &corpus.attachments {
        dirs.extend(ancestors(&output_key(a)).map(str::to_string));
    }
    for a in &corpus.attachments {
        let key = output_key(a);
        let file = join(content_rel, a);
        let twin = folder_twin(a, &file, &mut spelt);
        let diag = match twin.or_else(|| collision(a, &key, &files, &dirs)) {
            Some((msg, hint)) => Some(Diagnostic::error(Code::OutputCollision, &file, 1, 1, msg).with_hint(hint)),
            None => active_type(a).map(|msg| {
                Diagnostic::error(Code::ActiveAttachment, &file, 1, 1, msg)
                    .with_hint(crate::tr!(
                        "publicera den som PDF, som bild (PNG, JPEG) eller i ett ZIP-arkiv; en SVG-ritning kan exporteras som PNG",
                        "publish it as a PDF, an image (PNG, JPEG) or in a ZIP archive; an SVG drawing can be exported as PNG"
                    ))
            }),
        };
        match diag {
            Some(d) => {
                out.insert(a.as_str(), d);
            }
            None => {
                files.insert(key, (file, a.clone()));
            }
        }
    }
    out
}

/// Whether a folder of the attachment `a` (from `file`) is spelt otherwise
/// than the same folder before it, differing only in case or Unicode
/// composition: on Windows and macOS they are one folder.
fn folder_twin<'a>(
    a: &'a str,
    file: &str,
    spelt: &mut BTreeMap<String, (&'a str, String)>,
) -> Option<(String, String)> {
    let mut twin = None;
    for folder in ancestors(a) {
        let (first, other) = spelt
            .entry(output_key(folder))
            .or_insert_with(|| (folder, file.to_string()));
        if *first != folder && twin.is_none() {
            // Every attachment in it: each is left out, so each is told.
            twin = Some(crate::tr!(
                "bilagan ligger i mappen `{folder}`, som {other} stavar `{first}`: Windows och macOS ser dem som en och samma mapp",
                "this attachment lies in the folder `{folder}`, which {other} spells `{first}`: Windows and macOS take them for one folder"
            ));
        }
    }
    twin.map(|msg| (msg, twin_hint()))
}

/// Whether the attachment `a` (its output key `key`) would land on a
/// generated page, a document's page, another attachment, or a folder:
/// the message and hint.
fn collision(
    a: &str,
    key: &str,
    files: &BTreeMap<String, (String, String)>,
    dirs: &BTreeSet<String>,
) -> Option<(String, String)> {
    let rename = || {
        crate::tr!(
            "byt namn på filen eller flytta den",
            "rename or move the file"
        )
    };
    if is_generated(key) {
        return Some((
            crate::tr!(
                "bilagan skulle skrivas till `{a}`, som styrdok själv skapar",
                "this attachment would be written to `{a}`, which styrdok generates itself"
            ),
            rename(),
        ));
    }
    if let Some((other, spelt)) = files.get(key) {
        let hint = if spelt == a {
            crate::tr!(
                "byt namn på en av dem eller flytta den",
                "rename or move one of them"
            )
        } else {
            twin_hint()
        };
        return Some((
            crate::tr!(
                "bilagan och {other} skulle skrivas till samma fil `{a}`",
                "this attachment and {other} would be written to the same file `{a}`"
            ),
            hint,
        ));
    }
    if dirs.contains(key) {
        return Some((
            crate::tr!(
                "bilagan skulle skrivas till `{a}`, där webbplatsen har en mapp",
                "this attachment would be written to `{a}`, where the site has a folder"
            ),
            twin_hint(),
        ));
    }
    let (other, _) = ancestors(key).find_map(|d| files.get(d))?;
    Some((
        crate::tr!(
            "bilagan skulle skrivas inuti `{a}`, där {other} skrivs",
            "this attachment would be written inside `{a}`, where {other} is written"
        ),
        rename(),
    ))
}

/// The folders a `/`-separated path lies in, innermost last.
fn ancestors(key: &str) -> impl Iterator<Item = &str> {
    key.match_indices('/').map(move |(i, _)| &key[..i])
}

/// Why an attachment is of a type a browser or web server would run, if
/// it is one.
fn active_type(rel: &str) -> Option<String> {
    let name = rel.rsplit('/').next().unwrap_or(rel).to_lowercase();
    if SERVER_FILES.contains(&name.as_str()) {
        return Some(crate::tr!(
            "`{name}` skulle ställa in webbservern som visar webbplatsen; filen publiceras inte",
            "`{name}` would configure the web server that serves the site; it is not published"
        ));
    }
    let ext = name.rsplit_once('.')?.1;
    ACTIVE_EXTENSIONS.contains(&ext).then(|| {
        crate::tr!(
            "en `.{ext}`-fil publiceras inte som bilaga: en webbläsare eller webbserver skulle köra de skript den kan innehålla som en del av webbplatsen",
            "a `.{ext}` file is not published as an attachment: a browser or web server would run the scripts it may hold as part of the site"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn active_types_are_found_in_any_case() {
        for rel in [
            "a.html",
            "b/C.SVG",
            "x.Js",
            "m.mjs",
            "d.xml",
            "e.xhtml",
            "f.HTM",
            "web.config",
        ] {
            assert!(active_type(rel).is_some(), "{rel}");
        }
        for rel in ["a.pdf", "b.png", "c.txt", "d.docx", "html", "svg/bild.png"] {
            assert!(active_type(rel).is_none(), "{rel}");
        }
    }

    #[test]
    fn ancestors_are_the_folders() {
        assert_eq!(ancestors("a/b/c.pdf").collect::<Vec<_>>(), vec!["a", "a/b"]);
        assert_eq!(ancestors("c.pdf").count(), 0);
    }
}
