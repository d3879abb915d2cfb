//! Stage 2, resolve: every link of every document and page against the
//! corpus: files, folders (their pages), `id:` links, heading anchors; the
//! backlinks. Links are collected from all documents and pages first, then
//! checked once every heading is known.

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::markdown::{self, has_scheme, BodyHtml, Link, LinkAction, Outline};
use crate::model::Corpus;
use crate::source::SourceFile;
use std::sync::Arc;

/// What a link points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A document (by index in the corpus), maybe at a heading id.
    Document(usize, Option<String>),
    /// A start or folder page (by index in the corpus' pages), maybe at a
    /// heading id: a link to its file or to its folder (`./`, `../`, `dir/`).
    Page(usize, Option<String>),
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
    pub outlines: Vec<Arc<Outline>>,
    /// Each document's body as HTML with open link slots, from the same
    /// parse as its outline; empty when resolved for a check only.
    pub bodies: Vec<Arc<BodyHtml>>,
    /// For each document, its link destinations as written and what they
    /// hit (shared, so that a rebuild after one edit copies pointers).
    pub targets: Vec<Arc<BTreeMap<String, Target>>>,
    /// For each document, the documents that link to it.
    pub backlinks: Vec<BTreeSet<usize>>,
    /// For each document, the documents it links to.
    pub forward: Vec<BTreeSet<usize>>,
    /// For each document, the problems with its links.
    pub diags: Vec<Vec<Diagnostic>>,
    /// Each page's parse and links, by index in the corpus' pages. A page
    /// is not a document: its links make no backlinks.
    pub pages: Vec<PageLinks>,
    /// When this graph is the previous build's with only these documents'
    /// links resolved again (their bodies alone changed: see
    /// [`Reuse::relink`]), those documents.
    pub relinked: Option<Vec<usize>>,
}

/// A page's outline, HTML and links.
#[derive(Debug, Clone, Default)]
pub struct PageLinks {
    /// Headings, links, raw HTML and text of the page's body.
    pub outline: Arc<Outline>,
    /// The body as HTML with open link slots (`None` for a check only).
    pub body: Option<Arc<BodyHtml>>,
    /// Its link destinations as written and what they hit.
    pub targets: BTreeMap<String, Target>,
    /// The problems with its links.
    pub diags: Vec<Diagnostic>,
}

impl LinkGraph {
    /// Document `i`'s body as HTML, its links decided by `link` (see
    /// [`markdown::BodyHtml::fill`]). A graph resolved without HTML (for a
    /// check only) has the body read again here.
    pub fn body_html(
        &self,
        i: usize,
        body: &str,
        table_label: &str,
        link: &dyn Fn(&str) -> LinkAction,
        figure: &dyn Fn() -> String,
    ) -> String {
        match (self.bodies.get(i), self.outlines.get(i)) {
            (Some(html), Some(outline)) => html.fill(outline, link, figure),
            _ => markdown::render(body, link, figure, table_label),
        }
    }

    /// Page `p`'s body as HTML, as [`LinkGraph::body_html`] makes a document's.
    pub fn page_html(
        &self,
        p: usize,
        body: &str,
        table_label: &str,
        link: &dyn Fn(&str) -> LinkAction,
        figure: &dyn Fn() -> String,
    ) -> String {
        match self.pages.get(p) {
            Some(PageLinks {
                outline,
                body: Some(html),
                ..
            }) => html.fill(outline, link, figure),
            _ => markdown::render(body, link, figure, table_label),
        }
    }
}

/// Given the new corpus and outlines, the documents whose links alone need
/// resolving again (see [`Reuse::relink`]).
pub type Relink<'a> = dyn Fn(&Corpus, &[Arc<Outline>]) -> Option<Vec<usize>> + Sync + 'a;

/// What a rebuild may take from the build before; the preview decides it
/// (`pipeline::delta`), resolve only applies it.
pub struct Reuse<'a> {
    /// The previous build's graph.
    pub graph: &'a LinkGraph,
    /// For each document, its index in the previous build if its text is
    /// the same: its parse is taken as it was.
    pub unchanged: Vec<Option<usize>>,
    /// Given the new corpus and outlines, the only documents whose links
    /// can resolve differently from the previous graph; `None` when any can.
    pub relink: &'a Relink<'a>,
    /// What the previous build's rules found, when the change is one of
    /// documents' text alone (the configuration, the register and every
    /// other file as they were): with [`LinkGraph::relinked`] they are
    /// found again for those documents only.
    pub findings: Option<&'a crate::validate::Findings>,
}

/// For each document of `corpus`, its index in `previous` if its body is
/// the same there: its parse (outline and HTML) can be kept, for a parse
/// reads the body alone.
pub fn unchanged(previous: &Corpus, corpus: &Corpus) -> Vec<Option<usize>> {
    corpus
        .documents
        .iter()
        .enumerate()
        .map(|(i, d)| {
            // Mostly the same documents in the same order: no lookup.
            let same_place = previous
                .documents
                .get(i)
                .is_some_and(|old| old.content_path == d.content_path);
            let j = if same_place {
                i
            } else {
                *previous.by_path.get(&crate::text::nfc(&d.content_path))?
            };
            let old = &previous.documents[j];
            (Arc::ptr_eq(&old.source, &d.source) || old.body() == d.body()).then_some(j)
        })
        .collect()
}

/// Resolves every link; returns the graph and the broken links. Each body
/// is parsed once here: `table_label`, when given, asks for its HTML too
/// (a build; a check needs only the outlines). `reuse` carries what a
/// rebuild may keep of the previous build.
pub fn resolve(
    corpus: &Corpus,
    content_rel: &str,
    table_label: Option<&str>,
    reuse: Option<&Reuse<'_>>,
) -> (LinkGraph, Vec<Diagnostic>) {
    let (outlines, bodies) = parse_all(corpus, table_label, reuse);
    let pages = parse_pages(corpus, table_label);
    let page_outlines: Vec<Arc<Outline>> = pages.iter().map(|p| Arc::clone(&p.outline)).collect();
    let attachments: BTreeMap<String, &str> = corpus
        .attachments
        .iter()
        .map(|a| (crate::text::nfc(a), a.as_str()))
        .collect();
    let ctx = Ctx {
        corpus,
        outlines: &outlines,
        page_outlines: &page_outlines,
        attachments: &attachments,
        content_rel,
    };
    let only = reuse.and_then(|r| (r.relink)(corpus, &outlines).map(|docs| (r.graph, docs)));
    let mut graph = match only {
        Some((previous, docs)) => {
            let mut graph = relink(&ctx, previous, &docs);
            graph.relinked = Some(docs);
            graph
        }
        None => link_all(&ctx),
    };
    graph.pages = pages
        .into_par_iter()
        .enumerate()
        .map(|(p, mut page)| {
            (page.targets, page.diags) = resolve_page(&ctx, p);
            page
        })
        .collect();
    graph.outlines = outlines;
    graph.bodies = bodies;
    let diags = graph
        .diags
        .iter()
        .flatten()
        .chain(graph.pages.iter().flat_map(|p| &p.diags))
        .cloned()
        .collect();
    (graph, diags)
}

/// Every page's outline and (if asked for) HTML. Pages are few and parsed
/// anew on every build.
fn parse_pages(corpus: &Corpus, table_label: Option<&str>) -> Vec<PageLinks> {
    corpus
        .pages
        .list
        .par_iter()
        .map(|page| {
            let p = markdown::parse(page.body(), table_label);
            PageLinks {
                outline: Arc::new(p.outline),
                body: p.html.map(Arc::new),
                ..PageLinks::default()
            }
        })
        .collect()
}

/// One page's links: what each destination hits, and the problems.
fn resolve_page(ctx: &Ctx<'_>, p: usize) -> (BTreeMap<String, Target>, Vec<Diagnostic>) {
    let mut targets = BTreeMap::new();
    let mut diags = Vec::new();
    for link in &ctx.page_outlines[p].links {
        let target = resolve_link(ctx, Place::Page(p), link, &mut diags);
        targets.insert(link.dest.clone(), target);
    }
    (targets, diags)
}

/// Every body's outline and (if asked for) HTML, from one parse each, or
/// as the previous build had them.
fn parse_all(
    corpus: &Corpus,
    table_label: Option<&str>,
    reuse: Option<&Reuse<'_>>,
) -> (Vec<Arc<Outline>>, Vec<Arc<BodyHtml>>) {
    let parsed: Vec<(Arc<Outline>, Option<Arc<BodyHtml>>)> = corpus
        .documents
        .par_iter()
        .enumerate()
        .map(|(i, d)| {
            let kept = reuse.and_then(|r| {
                let j = r.unchanged.get(i).copied().flatten()?;
                let outline = r.graph.outlines.get(j)?;
                let body = match table_label {
                    Some(_) => Some(Arc::clone(r.graph.bodies.get(j)?)),
                    None => None,
                };
                Some((Arc::clone(outline), body))
            });
            kept.unwrap_or_else(|| {
                let p = markdown::parse(d.body(), table_label);
                (Arc::new(p.outline), p.html.map(Arc::new))
            })
        })
        .collect();
    let mut outlines = Vec::with_capacity(parsed.len());
    let mut bodies = Vec::new();
    for (o, b) in parsed {
        outlines.push(o);
        bodies.extend(b);
    }
    (outlines, bodies)
}

/// The previous graph with only these documents' own links resolved again.
fn relink(ctx: &Ctx<'_>, previous: &LinkGraph, docs: &[usize]) -> LinkGraph {
    let mut graph = previous.clone();
    for &i in docs {
        let (targets, forward, d) = resolve_document(ctx, i);
        for &t in &graph.forward[i] {
            graph.backlinks[t].remove(&i);
        }
        for &t in &forward {
            graph.backlinks[t].insert(i);
        }
        graph.targets[i] = Arc::new(targets);
        graph.forward[i] = forward;
        graph.diags[i] = d;
    }
    graph
}

/// Every document's links, each on its own core; the backlinks are
/// gathered afterwards.
fn link_all(ctx: &Ctx<'_>) -> LinkGraph {
    let n = ctx.corpus.documents.len();
    let per_doc: Vec<Resolved> = (0..n)
        .into_par_iter()
        .map(|i| resolve_document(ctx, i))
        .collect();
    let mut graph = LinkGraph {
        targets: Vec::with_capacity(n),
        backlinks: vec![BTreeSet::new(); n],
        forward: Vec::with_capacity(n),
        diags: Vec::with_capacity(n),
        ..LinkGraph::default()
    };
    for (i, (targets, forward, d)) in per_doc.into_iter().enumerate() {
        for &t in &forward {
            graph.backlinks[t].insert(i);
        }
        graph.targets.push(Arc::new(targets));
        graph.forward.push(forward);
        graph.diags.push(d);
    }
    graph
}

/// One document's links: what each destination hits, the documents it
/// links to, and the problems.
type Resolved = (BTreeMap<String, Target>, BTreeSet<usize>, Vec<Diagnostic>);

fn resolve_document(ctx: &Ctx<'_>, i: usize) -> Resolved {
    let mut targets = BTreeMap::new();
    let mut forward = BTreeSet::new();
    let mut diags = Vec::new();
    for link in &ctx.outlines[i].links {
        let target = resolve_link(ctx, Place::Document(i), link, &mut diags);
        if let Target::Document(t, _) = target {
            if t != i {
                forward.insert(t);
            }
        }
        targets.insert(link.dest.clone(), target);
    }
    (targets, forward, diags)
}

/// What every link is resolved against.
struct Ctx<'a> {
    corpus: &'a Corpus,
    outlines: &'a [Arc<Outline>],
    /// Each page's outline.
    page_outlines: &'a [Arc<Outline>],
    /// Attachments by NFC path, to their path on disk.
    attachments: &'a BTreeMap<String, &'a str>,
    content_rel: &'a str,
}

/// A document or a page: where a link is written, or what it leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Document(usize),
    Page(usize),
}

impl Ctx<'_> {
    /// The file of a place, where its body starts, and its content path.
    fn file(&self, place: Place) -> (&SourceFile, usize, &str) {
        match place {
            Place::Document(i) => {
                let d = &self.corpus.documents[i];
                (&d.source, d.body_offset, &d.content_path)
            }
            Place::Page(p) => {
                let page = &self.corpus.pages.list[p];
                (&page.source, page.body_offset, &page.content_path)
            }
        }
    }

    fn outline(&self, place: Place) -> &Outline {
        match place {
            Place::Document(i) => &self.outlines[i],
            Place::Page(p) => &self.page_outlines[p],
        }
    }
}

fn resolve_link(ctx: &Ctx<'_>, from: Place, link: &Link, diags: &mut Vec<Diagnostic>) -> Target {
    let dest = link.dest.trim();
    let (source, body_offset, _) = ctx.file(from);
    // Where the link is, worked out only for a problem: most links have
    // none, and most files are then never indexed by line.
    let at = || {
        let (line, col) = source.position(body_offset + link.offset);
        let width = source.text[body_offset + link.offset..]
            .split('\n')
            .next()
            .map_or(1, |l| l.chars().count().min(link.len.max(1)));
        (line, col, width)
    };
    if let Some(scheme) = markdown::unsafe_scheme(dest, link.image) {
        let (line, col, width) = at();
        diags.push(
            Diagnostic::warning(
                Code::UnsafeUrl,
                &source.rel,
                line,
                col,
                crate::tr!(
                    "en `{scheme}:`-adress publiceras inte som länk",
                    "a `{scheme}:` URL is not published as a link"
                ),
            )
            .with_width(width)
            .with_hint(crate::tr!(
                "länktexten visas utan länk; länka till ett dokument eller en https:-adress",
                "the link text is shown without the link; link to a document or an https: address"
            )),
        );
        return Target::Unsafe;
    }
    let mut report = |code: Code, msg: String, hint: Option<String>| {
        let (line, col, width) = at();
        let mut d = Diagnostic::error(code, &source.rel, line, col, msg).with_width(width);
        d.hint = hint;
        diags.push(d);
        Target::Broken
    };
    if let Some(rest) = dest.strip_prefix("id:") {
        return resolve_id(ctx, rest, link, &mut report);
    }
    if dest.is_empty() || has_scheme(dest) || dest.starts_with("//") {
        return Target::External;
    }
    resolve_path(ctx, from, dest, link, &mut report)
}

/// The error a link gets: code, message, hint.
type Report<'r> = dyn FnMut(Code, String, Option<String>) -> Target + 'r;

/// An `id:` link (the part after `id:`).
fn resolve_id(ctx: &Ctx<'_>, rest: &str, link: &Link, report: &mut Report<'_>) -> Target {
    let (id, frag) = split_fragment(rest);
    let id = crate::text::nfc(&decode(id));
    let Some(&t) = ctx.corpus.by_id.get(&id) else {
        let ids: Vec<&str> = ctx.corpus.by_id.keys().map(String::as_str).collect();
        let hint = crate::text::closest(&id, &ids)
            .map(|b| crate::tr!("menade du `id:{b}`?", "did you mean `id:{b}`?"));
        return report(
            Code::MissingId,
            crate::tr!(
                "länken går till dokument-id `{id}`, som inte finns",
                "link to unknown document id `{id}`"
            ),
            hint,
        );
    };
    check_anchor(ctx, Place::Document(t), frag, link, report)
}

/// A relative or `/`-rooted link to a document, a page (its file or its
/// folder), an attachment or an anchor on the same page.
fn resolve_path(
    ctx: &Ctx<'_>,
    from: Place,
    dest: &str,
    link: &Link,
    report: &mut Report<'_>,
) -> Target {
    let (path, frag) = split_fragment(dest);
    let path = path.split('?').next().unwrap_or("");
    if path.is_empty() {
        // Same-page anchor.
        return check_anchor(ctx, from, frag, link, report);
    }
    let decoded = decode(path);
    let target_path = match target_path(ctx.file(from).2, ctx.content_rel, &decoded) {
        Ok(p) => p,
        Err(how) => {
            return report(
                Code::LeavesContent,
                match how {
                    "leaves" => crate::tr!(
                        "länken `{dest}` leder ut ur innehållsmappen",
                        "link `{dest}` {how} the content directory"
                    ),
                    _ => crate::tr!(
                        "länken `{dest}` pekar utanför innehållsmappen",
                        "link `{dest}` {how} the content directory"
                    ),
                },
                Some(crate::tr!(
                    "bara filer under content/ publiceras; länka till ett dokument där",
                    "only files under content/ are published; link to a document there"
                )),
            )
        }
    };
    let key = crate::text::nfc(&target_path);
    let pages = &ctx.corpus.pages;
    if key.is_empty() || key.ends_with('/') {
        // A folder, as a forge shows it: its page.
        let folder = key.trim_matches('/');
        if let Some(p) = pages.in_folder(folder) {
            return check_anchor(ctx, Place::Page(p), frag, link, report);
        }
        return report(
            Code::MissingFile,
            crate::tr!(
                "länken går till {}, som inte har någon sida",
                "link to {}, which has no page",
                folder_label(folder)
            ),
            Some(crate::tr!(
                "lägg till `{}` som mappens sida, eller länka till ett dokument i mappen, till exempel `instruktioner/drift.md`",
                "add `{}` as the folder's page, or link to a document in it, e.g. `instruktioner/drift.md`",
                crate::load::join(ctx.content_rel, &crate::load::join(folder, "README.md"))
            )),
        );
    }
    if let Some(&t) = ctx.corpus.by_path.get(&key) {
        return check_anchor(ctx, Place::Document(t), frag, link, report);
    }
    if let Some(p) = pages.at_path(&key) {
        return check_anchor(ctx, Place::Page(p), frag, link, report);
    }
    if let Some(actual) = ctx.attachments.get(&key) {
        return Target::Attachment(actual.to_string(), frag.map(decode));
    }
    // `dir` without the slash, or `.` and `..`: a folder too, in a forge.
    if let Some(p) = pages.in_folder(&key) {
        return check_anchor(ctx, Place::Page(p), frag, link, report);
    }
    let hint = if let Some(actual) = spelt_otherwise(ctx, &key) {
        // Found on Windows and macOS, which ignore case, and missing on a
        // web server that does not: an error everywhere, as on Linux.
        Some(crate::tr!(
            "filen heter `{actual}`: länkar ska stava namnen som filerna gör, även med stora och små bokstäver (Windows och macOS skiljer inte på dem, webbservrar kan göra det)",
            "the file is named `{actual}`: links must spell names as the files do, in case too (Windows and macOS ignore case, web servers may not)"
        ))
    } else {
        let paths: Vec<&str> = ctx
            .corpus
            .by_path
            .keys()
            .map(String::as_str)
            .chain(pages.list.iter().map(|p| p.content_path.as_str()))
            .collect();
        crate::text::closest(&target_path, &paths)
            .map(|b| crate::tr!("menade du `{b}`?", "did you mean `{b}`?"))
    };
    report(
        Code::MissingFile,
        crate::tr!(
            "länken går till filen `{target_path}`, som saknas",
            "link to missing file `{target_path}`"
        ),
        hint,
    )
}

/// A folder as link messages name it.
fn folder_label(folder: &str) -> String {
    if folder.is_empty() {
        crate::tr!("innehållsmappen", "the content directory")
    } else {
        crate::tr!("mappen `{folder}/`", "folder `{folder}/`")
    }
}

/// The document or attachment whose path differs from `key` only in case
/// (or Unicode composition), as it is spelt.
fn spelt_otherwise<'c>(ctx: &Ctx<'c>, key: &str) -> Option<&'c str> {
    let wanted = crate::load::output_key(key);
    let same = |p: &&str| crate::load::output_key(p) == wanted;
    let docs = ctx.corpus.by_path.keys().map(String::as_str);
    docs.chain(ctx.attachments.values().copied()).find(same)
}

/// Where a relative or `/`-rooted path written in the file at
/// `content_path` leads, relative to the content directory; `Err` says how
/// it leaves that directory.
fn target_path(
    content_path: &str,
    content_rel: &str,
    decoded: &str,
) -> Result<String, &'static str> {
    let (base, rest): (Vec<&str>, &str) = match decoded.strip_prefix('/') {
        // Forges read `/x` from the repository root, which is the site root.
        Some(abs) if content_rel.is_empty() || content_rel == "." => (Vec::new(), abs),
        Some(abs) => match abs.strip_prefix(&format!("{}/", content_rel.trim_end_matches('/'))) {
            Some(inside) => (Vec::new(), inside),
            None => return Err("points outside"),
        },
        None => {
            let dirs = content_path.matches('/').count();
            (content_path.split('/').take(dirs).collect(), decoded)
        }
    };
    normalize(&base, rest).ok_or("leaves")
}

fn check_anchor(
    ctx: &Ctx<'_>,
    to: Place,
    frag: Option<&str>,
    link: &Link,
    report: &mut Report<'_>,
) -> Target {
    let target = |anchor: Option<String>| match to {
        Place::Document(t) => Target::Document(t, anchor),
        Place::Page(p) => Target::Page(p, anchor),
    };
    let Some(frag) = frag.filter(|f| !f.is_empty()) else {
        return target(None);
    };
    let anchor = crate::text::nfc(&decode(frag));
    let outline = ctx.outline(to);
    if outline.has_anchor(&anchor) || link.image {
        return target(Some(anchor));
    }
    let ids: Vec<&str> = outline.headings.iter().map(|h| h.id.as_str()).collect();
    let hint = crate::text::closest(&anchor, &ids)
        .map(|b| crate::tr!("menade du `#{b}`?", "did you mean `#{b}`?"))
        .or_else(|| {
            let lower = markdown::slug(&anchor);
            ids.contains(&lower.as_str()).then(|| {
                crate::tr!(
                    "rubrikernas ankare skrivs med små bokstäver: `#{lower}`",
                    "heading ids are lower-case: `#{lower}`"
                )
            })
        });
    report(
        Code::MissingAnchor,
        crate::tr!(
            "`{}` har ingen rubrik med ankaret `#{anchor}`",
            "`{}` has no heading with id `{anchor}`",
            ctx.file(to).0.rel
        ),
        hint,
    )
}

fn split_fragment(s: &str) -> (&str, Option<&str>) {
    match s.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (s, None),
    }
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
