//! Stage 2, resolve: every link of every document against the corpus: files,
//! `id:` links, heading anchors; the backlinks. Links are collected from all
//! documents first, then checked once every heading is known.

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::Diagnostic;
use crate::markdown::{self, Link, Outline};
use crate::model::{Corpus, Document};

/// Link to a file that does not exist.
pub const MISSING_FILE: &str = "SD301";
/// `id:` link to an id no document has.
pub const MISSING_ID: &str = "SD302";
/// Link to a heading the target does not have.
pub const MISSING_ANCHOR: &str = "SD303";
/// Link that leaves the content directory.
pub const LEAVES_CONTENT: &str = "SD304";
/// A `javascript:`, `vbscript:` or `data:` URL.
pub const UNSAFE_URL: &str = "SD702";

/// What a link points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A document (by index in the corpus), maybe at a heading id.
    Document(usize, Option<String>),
    /// A non-Markdown file under content/ (content-relative path), maybe with a fragment.
    Attachment(String, Option<String>),
    /// Anything with a scheme, or protocol-relative: left alone.
    External,
    /// A `javascript:`, `vbscript:` or (for links) `data:` URL: never rendered as a link.
    Unsafe,
    /// Could not be resolved (reported).
    Broken,
}

/// The link graph of the corpus.
#[derive(Debug, Clone, Default)]
pub struct LinkGraph {
    /// Outline of each document, by index (shared between builds).
    pub outlines: Vec<std::sync::Arc<Outline>>,
    /// For each document, its link destinations as written and what they
    /// hit (shared, so that a rebuild after one edit copies pointers).
    pub targets: Vec<std::sync::Arc<BTreeMap<String, Target>>>,
    /// For each document, the documents that link to it.
    pub backlinks: Vec<BTreeSet<usize>>,
    /// For each document, the documents it links to.
    pub forward: Vec<BTreeSet<usize>>,
    /// For each document, the problems with its links.
    pub diags: Vec<Vec<Diagnostic>>,
}

/// Resolves every link; returns the graph and the broken links.
pub fn resolve(corpus: &Corpus, content_rel: &str) -> (LinkGraph, Vec<Diagnostic>) {
    resolve_with(corpus, content_rel, None)
}

/// Like [`resolve`], reusing the outlines of documents whose text is the
/// same as in `previous` (the corpus and graph of the build before).
pub fn resolve_with(
    corpus: &Corpus,
    content_rel: &str,
    previous: Option<(&Corpus, &LinkGraph)>,
) -> (LinkGraph, Vec<Diagnostic>) {
    let outlines: Vec<std::sync::Arc<Outline>> = corpus
        .documents
        .par_iter()
        .map(|d| {
            let reuse = previous.and_then(|(pc, pg)| {
                let &j = pc.by_path.get(&crate::text::nfc(&d.content_path))?;
                let old = &pc.documents[j];
                (std::sync::Arc::ptr_eq(&old.source, &d.source)
                    || (old.source.text == d.source.text && old.body_offset == d.body_offset))
                    .then(|| pg.outlines.get(j).cloned())
                    .flatten()
            });
            reuse.unwrap_or_else(|| std::sync::Arc::new(markdown::outline(d.body())))
        })
        .collect();
    let n = corpus.documents.len();
    let attachments: BTreeMap<String, &str> = corpus
        .attachments
        .iter()
        .map(|a| (crate::text::nfc(a), a.as_str()))
        .collect();
    let ctx = Ctx {
        corpus,
        outlines: &outlines,
        attachments: &attachments,
        content_rel,
    };
    if let Some((pc, pg)) = previous {
        if let Some(changed) = bodies_changed(corpus, pc, pg, &outlines) {
            // Only these documents' own links can resolve differently.
            let mut graph = pg.clone();
            for i in changed {
                let (targets, forward, d) = resolve_document(&ctx, i);
                for &t in &graph.forward[i] {
                    graph.backlinks[t].remove(&i);
                }
                for &t in &forward {
                    graph.backlinks[t].insert(i);
                }
                graph.targets[i] = std::sync::Arc::new(targets);
                graph.forward[i] = forward;
                graph.diags[i] = d;
            }
            graph.outlines = outlines;
            let diags = graph.diags.iter().flatten().cloned().collect();
            return (graph, diags);
        }
    }
    // Each document's links resolve on their own core; the backlinks are
    // gathered afterwards.
    let per_doc: Vec<Resolved> = (0..n)
        .into_par_iter()
        .map(|i| resolve_document(&ctx, i))
        .collect();
    let mut graph = LinkGraph {
        targets: Vec::with_capacity(n),
        backlinks: vec![BTreeSet::new(); n],
        forward: Vec::with_capacity(n),
        diags: Vec::with_capacity(n),
        outlines: Vec::new(),
    };
    for (i, (targets, forward, d)) in per_doc.into_iter().enumerate() {
        for &t in &forward {
            graph.backlinks[t].insert(i);
        }
        graph.targets.push(std::sync::Arc::new(targets));
        graph.forward.push(forward);
        graph.diags.push(d);
    }
    graph.outlines = outlines;
    let diags = graph.diags.iter().flatten().cloned().collect();
    (graph, diags)
}

/// One document's links: what each destination hits, the documents it
/// links to, and the problems.
type Resolved = (BTreeMap<String, Target>, BTreeSet<usize>, Vec<Diagnostic>);

fn resolve_document(ctx: &Ctx<'_>, i: usize) -> Resolved {
    let doc = &ctx.corpus.documents[i];
    let mut targets = BTreeMap::new();
    let mut forward = BTreeSet::new();
    let mut diags = Vec::new();
    for link in &ctx.outlines[i].links {
        let target = resolve_link(ctx, i, doc, link, &mut diags);
        if let Target::Document(t, _) = target {
            if t != i {
                forward.insert(t);
            }
        }
        targets.insert(link.dest.clone(), target);
    }
    (targets, forward, diags)
}

/// The documents whose body alone changed since `previous`, when nothing
/// else did: the same documents in the same order with the same front
/// matter, the same attachments, and the same heading ids in each changed
/// document. Then every other document's links resolve as before (what a
/// link depends on of its target is its path, id, classification and
/// headings). `None` otherwise.
fn bodies_changed(
    corpus: &Corpus,
    pc: &Corpus,
    pg: &LinkGraph,
    outlines: &[std::sync::Arc<Outline>],
) -> Option<Vec<usize>> {
    let n = corpus.documents.len();
    if pc.documents.len() != n
        || pg.targets.len() != n
        || pg.diags.len() != n
        || pg.outlines.len() != n
        || pc.attachments != corpus.attachments
    {
        return None;
    }
    let mut changed = Vec::new();
    for (i, (old, new)) in pc.documents.iter().zip(&corpus.documents).enumerate() {
        if std::sync::Arc::ptr_eq(&old.source, &new.source) {
            continue;
        }
        let same_front = old.content_path == new.content_path
            && old.id == new.id
            && old.source.text.get(..old.body_offset) == new.source.text.get(..new.body_offset);
        let ids = |o: &Outline| o.headings.iter().map(|h| h.id.clone()).collect::<Vec<_>>();
        if !same_front || ids(&pg.outlines[i]) != ids(&outlines[i]) {
            return None;
        }
        changed.push(i);
    }
    Some(changed)
}

/// What every link is resolved against.
struct Ctx<'a> {
    corpus: &'a Corpus,
    outlines: &'a [std::sync::Arc<Outline>],
    /// Attachments by NFC path, to their path on disk.
    attachments: &'a BTreeMap<String, &'a str>,
    content_rel: &'a str,
}

fn resolve_link(
    ctx: &Ctx<'_>,
    from: usize,
    doc: &Document,
    link: &Link,
    diags: &mut Vec<Diagnostic>,
) -> Target {
    let (corpus, outlines, content_rel) = (ctx.corpus, ctx.outlines, ctx.content_rel);
    let dest = link.dest.trim();
    let (line, col) = doc.source.position(doc.body_offset + link.offset);
    let width = doc.source.text[doc.body_offset + link.offset..]
        .split('\n')
        .next()
        .map_or(1, |l| l.chars().count().min(link.len.max(1)));
    let mut report = |code: &'static str, msg: String, hint: Option<String>| {
        let mut d = Diagnostic::error(code, &doc.source.rel, line, col, msg).with_width(width);
        d.hint = hint;
        diags.push(d);
        Target::Broken
    };
    if let Some(rest) = dest.strip_prefix("id:") {
        let (id, frag) = split_fragment(rest);
        let id = crate::text::nfc(&decode(id));
        let Some(&t) = corpus.by_id.get(&id) else {
            let ids: Vec<&str> = corpus.by_id.keys().map(String::as_str).collect();
            let hint =
                crate::text::closest(&id, &ids).map(|b| format!("did you mean `id:{b}`?"));
            return report(
                MISSING_ID,
                format!("link to unknown document id `{id}`"),
                hint,
            );
        };
        return check_anchor(corpus, outlines, t, frag, link, &mut report);
    }
    if dest.is_empty() {
        return Target::External;
    }
    if has_scheme(dest) || dest.starts_with("//") {
        let scheme = dest.split(':').next().unwrap_or("").to_ascii_lowercase();
        let image_data = link.image
            && dest.to_ascii_lowercase().starts_with("data:image/")
            && !dest.to_ascii_lowercase().starts_with("data:image/svg");
        if matches!(scheme.as_str(), "javascript" | "vbscript" | "data") && !image_data {
            diags.push(
                Diagnostic::warning(UNSAFE_URL, &doc.source.rel, line, col, format!("a `{scheme}:` URL is not published as a link"))
                    .with_width(width)
                    .with_hint("the link text is shown without the link; link to a document or an https: address"),
            );
            return Target::Unsafe;
        }
        return Target::External;
    }
    let (path, frag) = split_fragment(dest);
    let path = path.split('?').next().unwrap_or("");
    if path.is_empty() {
        // Same-page anchor.
        return check_anchor(corpus, outlines, from, frag, link, &mut report);
    }
    let decoded = decode(path);
    let (base, rest): (Vec<&str>, String) = match decoded.strip_prefix('/') {
        // Forges read `/x` from the repository root, which is the site root.
        Some(abs) if content_rel.is_empty() || content_rel == "." => (Vec::new(), abs.to_string()),
        Some(abs) => match abs.strip_prefix(&format!("{}/", content_rel.trim_end_matches('/'))) {
            Some(inside) => (Vec::new(), inside.to_string()),
            None => {
                return report(
                    LEAVES_CONTENT,
                    format!("link `{dest}` points outside the content directory"),
                    Some(
                        "only files under content/ are published; link to a document there".into(),
                    ),
                )
            }
        },
        None => {
            let dirs = doc.content_path.matches('/').count();
            (
                doc.content_path.split('/').take(dirs).collect(),
                decoded.clone(),
            )
        }
    };
    let Some(target_path) = normalize(&base, &rest) else {
        return report(
            LEAVES_CONTENT,
            format!("link `{dest}` leaves the content directory"),
            Some("only files under content/ are published; link to a document there".into()),
        );
    };
    let key = crate::text::nfc(&target_path);
    if let Some(&t) = corpus.by_path.get(&key) {
        return check_anchor(corpus, outlines, t, frag, link, &mut report);
    }
    if let Some(actual) = ctx.attachments.get(&key) {
        return Target::Attachment(actual.to_string(), frag.map(decode));
    }
    let hint = if target_path.ends_with('/') || target_path.is_empty() {
        Some("link to a file, e.g. `instruktioner/drift.md`".to_string())
    } else {
        let paths: Vec<&str> = corpus.by_path.keys().map(String::as_str).collect();
        crate::text::closest(&target_path, &paths).map(|b| format!("did you mean `{b}`?"))
    };
    report(
        MISSING_FILE,
        format!("link to missing file `{}`", target_path),
        hint,
    )
}

fn check_anchor(
    corpus: &Corpus,
    outlines: &[std::sync::Arc<Outline>],
    t: usize,
    frag: Option<&str>,
    link: &Link,
    report: &mut dyn FnMut(&'static str, String, Option<String>) -> Target,
) -> Target {
    let Some(frag) = frag.filter(|f| !f.is_empty()) else {
        return Target::Document(t, None);
    };
    let anchor = crate::text::nfc(&decode(frag));
    let outline = &outlines[t];
    if outline.has_anchor(&anchor) || link.image {
        return Target::Document(t, Some(anchor));
    }
    let ids: Vec<&str> = outline.headings.iter().map(|h| h.id.as_str()).collect();
    let hint = crate::text::closest(&anchor, &ids)
        .map(|b| format!("did you mean `#{b}`?"))
        .or_else(|| {
            let lower = markdown::slug(&anchor);
            ids.contains(&lower.as_str())
                .then(|| format!("heading ids are lower-case: `#{lower}`"))
        });
    let target = &corpus.documents[t];
    report(
        MISSING_ANCHOR,
        format!("`{}` has no heading with id `{anchor}`", target.source.rel),
        hint,
    )
}

fn split_fragment(s: &str) -> (&str, Option<&str>) {
    match s.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (s, None),
    }
}

fn has_scheme(s: &str) -> bool {
    let Some((scheme, _)) = s.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    // One letter is a Windows drive (`C:`), not a scheme.
    scheme.len() > 1
        && chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Percent-decodes, keeping the raw text when the result is not UTF-8.
pub fn decode(s: &str) -> String {
    percent_decode_str(s)
        .decode_utf8()
        .map_or_else(|_| s.to_string(), |c| c.into_owned())
}

/// Joins `rel` onto the directory `base`; `None` when `..` climbs above it.
fn normalize(base: &[&str], rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = base.to_vec();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if rel.ends_with('/') {
        out.push('/');
    }
    Some(out)
}

/// Characters encoded in output URLs (non-ASCII is always encoded). The
/// colon too: `a:b.html` would read as a URL with the scheme `a` (and
/// `javascript:x.html` as a script), `a%3Ab.html` is a path.
const URL_SET: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b':')
    .add(b'"')
    .add(b'#')
    .add(b'&')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'\\')
    .add(b'^')
    .add(b'|')
    .add(b'[')
    .add(b']')
    .add(b'\'');

/// Percent-encodes one path segment or fragment for an `href`.
pub fn encode(s: &str) -> String {
    utf8_percent_encode(s, URL_SET).to_string()
}

/// A relative, `/`-separated path as an `href`: every segment encoded, so
/// that it is always read as a path (never as a scheme, a query or a
/// fragment). Every link to a file of the site is made by this function.
pub fn href_path(path: &str) -> String {
    path.split('/').map(encode).collect::<Vec<_>>().join("/")
}

/// The relative URL from the page at `from` to the file at `to`, both
/// output-relative, `/`-separated paths; each segment encoded.
pub fn relative_url(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> =
        from.split('/').collect::<Vec<_>>()[..from.matches('/').count()].to_vec();
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dirs
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count()
        .min(to_parts.len().saturating_sub(1));
    let mut out = "../".repeat(from_dirs.len() - common);
    out.push_str(&href_path(&to_parts[common..].join("/")));
    out
}

/// The prefix that leads from the page at `url` to the output root.
pub fn root_prefix(url: &str) -> String {
    "../".repeat(url.matches('/').count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_urls_climb_and_descend() {
        assert_eq!(
            relative_url("instruktioner/drift.html", "it-sakerhetspolicy.html"),
            "../it-sakerhetspolicy.html"
        );
        assert_eq!(
            relative_url("instruktioner/drift.html", "instruktioner/användare.html"),
            "anv%C3%A4ndare.html"
        );
        assert_eq!(
            relative_url("a/b/c.html", "a/d/e f.html"),
            "../d/e%20f.html"
        );
        assert_eq!(relative_url("index.html", "a/b.html"), "a/b.html");
    }

    #[test]
    fn no_href_reads_as_a_scheme() {
        assert_eq!(
            relative_url("index.html", "javascript:alert(1).html"),
            "javascript%3Aalert(1).html"
        );
        assert_eq!(relative_url("x/y.html", "x/a:b.html"), "a%3Ab.html");
        assert_eq!(href_path("a:b/c d.html"), "a%3Ab/c%20d.html");
        // Nothing that ends or alters an attribute value.
        assert_eq!(href_path("x\"y'z&quot;.html"), "x%22y%27z%26quot;.html");
        for href in [relative_url("a.html", "b:c/d.html"), href_path("x:y")] {
            assert!(!has_scheme(&href), "{href}");
        }
    }

    #[test]
    fn normalize_refuses_to_climb_out() {
        assert_eq!(normalize(&["a"], "../b.md").as_deref(), Some("b.md"));
        assert_eq!(normalize(&["a"], "../../b.md"), None);
        assert_eq!(normalize(&[], "./x/./y.md").as_deref(), Some("x/y.md"));
    }

    #[test]
    fn schemes_are_external_but_drive_letters_are_not() {
        assert!(has_scheme("https://example.org"));
        assert!(has_scheme("mailto:a@b.se"));
        assert!(!has_scheme("C:/x.md"));
        assert!(!has_scheme("drift.md#a:b"));
    }
}
