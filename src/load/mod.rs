//! Stage 1, load: walk `content/`, split and read front matter, read the
//! system register. Produces the `Corpus` and the problems found on the way.

pub mod fields;
pub mod frontmatter;
pub mod names;
mod page;
pub mod register;
mod required;
mod walk;
pub mod yaml;

pub use crate::text::{is_ignored, is_ignored_name, is_nfc, nfc};
pub use names::output_path;
pub use page::{page_publishable, PAGE_KEYS};
pub use walk::read_no_follow;
use walk::walk;

use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::model::{is_page_path, Corpus, Document, Page, SystemRegister};
use crate::platform::join_rel;
use crate::schema::Schema;
use crate::source::SourceFile;

/// The register's file name, directly under the content directory.
pub const REGISTER_FILE: &str = "systemregister.yaml";

/// Output paths of the pages styrdok generates itself.
pub const RESERVED_PAGES: &[&str] = &[
    "index.html",
    "hierarki.html",
    "systemregister.html",
    "uppfoljning.html",
    "omraden.html",
    "sok.html",
];

/// What `load` found.
pub struct Loaded {
    /// The corpus.
    pub corpus: Corpus,
    /// Problems, in no particular order.
    pub diags: Vec<Diagnostic>,
}

/// A file found under content/, before reading.
struct Entry {
    /// Content-relative, `/`-separated.
    rel: String,
    /// Where its bytes are.
    data: FileData,
}

/// Where a file's bytes are: on disk, or already read (from git).
enum FileData {
    Disk(std::path::PathBuf),
    Memory(Vec<u8>),
}

/// Loads every document and the register from `content_dir`. `site_rel` is
/// how the content directory is named relative to the site root (for
/// diagnostics).
pub fn load(content_dir: &Path, site_rel: &str, fields: Schema<'_>) -> std::io::Result<Loaded> {
    let mut diags = Vec::new();
    let entries = walk(content_dir, site_rel, &mut diags)?;
    Ok(load_entries(entries, site_rel, fields, diags))
}

/// Loads a content directory given as files in memory (content-relative
/// path to bytes), as read from a git tree.
pub fn load_memory(
    files: std::collections::BTreeMap<String, Vec<u8>>,
    site_rel: &str,
    fields: Schema<'_>,
) -> Loaded {
    // The same files as a walk of a work tree would take (the problems
    // are not reported: a version is built from a tag as it was).
    let entries = files
        .into_iter()
        .filter(|(rel, _)| {
            !rel.split('/').any(is_ignored_name)
                && names::accept_rel(rel, site_rel, &mut Vec::new())
        })
        .map(|(rel, bytes)| Entry {
            rel,
            data: FileData::Memory(bytes),
        })
        .collect();
    load_entries(entries, site_rel, fields, Vec::new())
}

fn load_entries(
    entries: Vec<Entry>,
    site_rel: &str,
    fields: Schema<'_>,
    diags: Vec<Diagnostic>,
) -> Loaded {
    load_entries_cached(
        entries,
        (site_rel, fields),
        diags,
        &mut LoadCache::default(),
    )
    .0
}

/// A file as read and parsed, kept between builds by `serve`.
#[derive(Debug, Clone)]
enum Parsed {
    Document(Arc<Document>),
    Page(Arc<Page>),
    Register(SystemRegister),
    Failed,
}

/// When a file on disk was last seen: a changed length or time means read again.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Fingerprint {
    len: u64,
    modified: Option<std::time::SystemTime>,
}

impl Fingerprint {
    fn of(path: &Path) -> Option<Fingerprint> {
        let m = std::fs::metadata(path).ok()?;
        Some(Fingerprint {
            len: m.len(),
            modified: m.modified().ok(),
        })
    }
}

/// Parsed files of the previous build, for rebuilding only what changed.
#[derive(Debug, Default)]
pub struct LoadCache {
    files: HashMap<String, (Fingerprint, Parsed, Vec<Diagnostic>)>,
    /// What the last walk of the content directory found besides the
    /// parsed files: the attachments and the problems of the walk itself.
    walked: Option<(Vec<String>, Vec<Diagnostic>)>,
    /// The declarations the files were read with ([`Schema::key`]).
    fields_key: Option<u64>,
    /// The corpus the last load put together from `files`, with what its
    /// indexes found; `None` once `files` may differ from it.
    assembled: Option<Assembled>,
}

/// A corpus as put together from the cache's files, and the problems its
/// indexes (ids, output paths, folders) found. Those depend only on each
/// document's path and front matter: an edit of bodies alone leaves them
/// as they are, and the corpus is the same but for the edited documents.
#[derive(Debug, Clone)]
struct Assembled {
    corpus: Corpus,
    index_diags: Vec<Diagnostic>,
}

/// Like [`load`], but files unchanged since the previous call with the same
/// cache are not read or parsed again. `changed`, when given, are the only
/// files that changed since (content-relative paths of documents or the
/// register, as a file watcher reports them): then neither the directory
/// is walked nor the other files looked at, unless that cannot be assumed
/// (a file unknown to the cache, gone, or no longer a regular file).
pub fn load_cached(
    content_dir: &Path,
    (site_rel, fields): (&str, Schema<'_>),
    cache: &mut LoadCache,
    changed: Option<&[String]>,
) -> std::io::Result<Loaded> {
    // Declared fields changed: every document reads differently.
    let key = fields.key();
    if cache.fields_key != Some(key) {
        cache.files.clear();
        cache.fields_key = Some(key);
    }
    if let Some(known) = changed.and_then(|c| load_known(content_dir, (site_rel, fields), cache, c))
    {
        return Ok(known);
    }
    let mut diags = Vec::new();
    let entries = walk(content_dir, site_rel, &mut diags)?;
    let attachments = entries
        .iter()
        .filter(|e| !is_parsed(&e.rel))
        .map(|e| e.rel.clone())
        .collect();
    cache.walked = Some((attachments, diags.clone()));
    let (loaded, indexed) = load_entries_cached(entries, (site_rel, fields), diags, cache);
    cache.assembled = Some(Assembled {
        corpus: loaded.corpus.clone(),
        index_diags: loaded.diags[indexed..].to_vec(),
    });
    Ok(loaded)
}

/// [`load_cached`] when only `changed` changed; `None` when that cannot be
/// assumed.
fn load_known(
    content_dir: &Path,
    (site_rel, fields): (&str, Schema<'_>),
    cache: &mut LoadCache,
    changed: &[String],
) -> Option<Loaded> {
    let assembled = cache.assembled.take();
    let (attachments, walk_diags) = cache.walked.clone()?;
    for rel in changed {
        let regular = std::fs::symlink_metadata(join_rel(content_dir, rel))
            .is_ok_and(|m| m.file_type().is_file());
        if !regular || !cache.files.contains_key(rel) {
            return None;
        }
    }
    // Read the named files again (even if their length and time look the
    // same: two saves within the clock's resolution); take every other
    // file as the cache has it.
    for rel in changed {
        let path = join_rel(content_dir, rel);
        let print = Fingerprint::of(&path)?;
        let (parsed, d) = parse_entry(FileData::Disk(path), rel, (site_rel, fields));
        cache.files.insert(rel.clone(), (print, parsed, d));
    }
    let own = cache.files.values().flat_map(|(_, _, d)| d.iter().cloned());
    if let Some(corpus) = assembled.and_then(|a| reassembled(a, &cache.files, changed)) {
        let mut diags = walk_diags;
        diags.extend(own);
        diags.extend(corpus.index_diags.iter().cloned());
        let loaded = Loaded {
            corpus: corpus.corpus.clone(),
            diags,
        };
        cache.assembled = Some(corpus);
        return Some(loaded);
    }
    let mut corpus = Corpus::default();
    let mut diags = walk_diags;
    let mut pages = Vec::new();
    for (_, parsed, d) in cache.files.values() {
        diags.extend(d.iter().cloned());
        match parsed {
            Parsed::Document(doc) => corpus.documents.push(Arc::clone(doc)),
            Parsed::Page(page) => pages.push(Arc::clone(page)),
            Parsed::Register(reg) => corpus.register = Some(reg.clone()),
            Parsed::Failed => {}
        }
    }
    corpus
        .documents
        .sort_by(|a, b| a.content_path.cmp(&b.content_path));
    let indexed = diags.len();
    index(&mut corpus, &mut diags);
    pages.sort_by(|a, b| a.content_path.cmp(&b.content_path));
    page::index_pages(&mut corpus, pages, &mut diags);
    corpus.attachments = attachments;
    corpus.attachments.sort();
    cache.assembled = Some(Assembled {
        corpus: corpus.clone(),
        index_diags: diags[indexed..].to_vec(),
    });
    Some(Loaded { corpus, diags })
}

/// A document's text before its body: its front matter as written.
fn front_matter(d: &Document) -> Option<&str> {
    d.source.text.get(..d.body_offset)
}

/// The last corpus with the documents at `changed` replaced by their new
/// reading in `files`, when each of them is a document there before and
/// now with the same path, id and front matter (so every index is as it
/// was); `None` otherwise.
fn reassembled(
    mut last: Assembled,
    files: &HashMap<String, (Fingerprint, Parsed, Vec<Diagnostic>)>,
    changed: &[String],
) -> Option<Assembled> {
    for rel in changed {
        let Some((_, Parsed::Document(new), _)) = files.get(rel) else {
            return None;
        };
        let &i = last.corpus.by_path.get(&nfc(rel))?;
        let old = &last.corpus.documents[i];
        if old.content_path != new.content_path
            || old.id != new.id
            || front_matter(old) != front_matter(new)
        {
            return None;
        }
        last.corpus.documents[i] = Arc::clone(new);
    }
    Some(last)
}

/// Whether a content-relative path is read as a document or the register
/// (anything else is an attachment).
fn is_parsed(rel: &str) -> bool {
    names::document_stem(rel).is_some() || rel == REGISTER_FILE
}

fn load_entries_cached(
    entries: Vec<Entry>,
    (site_rel, fields): (&str, Schema<'_>),
    mut diags: Vec<Diagnostic>,
    cache: &mut LoadCache,
) -> (Loaded, usize) {
    let mut corpus = Corpus::default();
    let mut to_parse = Vec::new();
    for entry in entries {
        if !is_parsed(&entry.rel) {
            if let FileData::Memory(bytes) = entry.data {
                corpus.attachment_data.insert(entry.rel.clone(), bytes);
            }
            corpus.attachments.push(entry.rel);
        } else {
            to_parse.push(entry);
        }
    }
    let previous = std::mem::take(&mut cache.files);
    let parsed: Vec<(String, Option<Fingerprint>, Parsed, Vec<Diagnostic>)> = to_parse
        .into_par_iter()
        .map(|entry| {
            let print = match &entry.data {
                FileData::Disk(path) => Fingerprint::of(path),
                FileData::Memory(_) => None,
            };
            if let (Some(p), Some((old, parsed, d))) = (&print, previous.get(&entry.rel)) {
                if p == old {
                    return (entry.rel, print, parsed.clone(), d.clone());
                }
            }
            let (parsed, d) = parse_entry(entry.data, &entry.rel, (site_rel, fields));
            (entry.rel, print, parsed, d)
        })
        .collect();
    let mut pages = Vec::new();
    for (rel, print, p, d) in parsed {
        diags.extend(d.iter().cloned());
        match &p {
            Parsed::Document(doc) => corpus.documents.push(Arc::clone(doc)),
            Parsed::Page(page) => pages.push(Arc::clone(page)),
            Parsed::Register(reg) => corpus.register = Some(reg.clone()),
            Parsed::Failed => {}
        }
        if let Some(print) = print {
            cache.files.insert(rel, (print, p, d));
        }
    }
    corpus
        .documents
        .sort_by(|a, b| a.content_path.cmp(&b.content_path));
    let indexed = diags.len();
    index(&mut corpus, &mut diags);
    pages.sort_by(|a, b| a.content_path.cmp(&b.content_path));
    page::index_pages(&mut corpus, pages, &mut diags);
    corpus.attachments.sort();
    (Loaded { corpus, diags }, indexed)
}

/// Reads and parses one document or the register.
fn parse_entry(
    data: FileData,
    rel: &str,
    (site_rel, fields): (&str, Schema<'_>),
) -> (Parsed, Vec<Diagnostic>) {
    let file_rel = join(site_rel, rel);
    let mut diags = Vec::new();
    let read = match data {
        FileData::Disk(path) => read_no_follow(&path),
        FileData::Memory(bytes) => Ok(bytes),
    };
    let bytes = match read {
        Ok(b) => b,
        Err(e) => {
            diags.push(Diagnostic::error_in(
                Code::Unreadable,
                &file_rel,
                crate::tr!("filen kan inte läsas: {e}", "cannot read file: {e}"),
            ));
            return (Parsed::Failed, diags);
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
            let col = valid
                .rsplit(|&b| b == b'\n')
                .next()
                .map_or(0, |l| String::from_utf8_lossy(l).chars().count())
                + 1;
            diags.push(
                Diagnostic::error(
                    Code::Unreadable,
                    &file_rel,
                    line,
                    col,
                    crate::tr!("filen är inte giltig UTF-8", "file is not valid UTF-8"),
                )
                .with_hint(crate::tr!(
                    "spara filen som UTF-8 (med eller utan BOM)",
                    "save the file as UTF-8 (with or without BOM)"
                )),
            );
            return (Parsed::Failed, diags);
        }
    };
    let source = SourceFile::from_string(file_rel, text);
    if rel == REGISTER_FILE {
        let (reg, d) = register::read(source);
        (Parsed::Register(reg), d)
    } else if is_page_path(rel) {
        let page = page::read_page(source, rel.to_string(), &mut diags);
        (Parsed::Page(Arc::new(page)), diags)
    } else {
        let doc = read_document(source, rel.to_string(), fields, &mut diags);
        (Parsed::Document(Arc::new(doc)), diags)
    }
}

fn read_document(
    source: SourceFile,
    content_path: String,
    fields: Schema<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Document {
    let (meta, body_offset) = match frontmatter::split(&source) {
        Ok(split) => {
            let (meta, d) = frontmatter::read(&source, &split, fields);
            diags.extend(d);
            (meta, split.body_offset)
        }
        Err(d) => {
            let offset = if d.code == Code::NoFrontMatter {
                0
            } else {
                source.text.len()
            };
            diags.push(d);
            (
                crate::model::Meta {
                    line: 1,
                    klassning_unreadable: true,
                    ..Default::default()
                },
                offset,
            )
        }
    };
    let stem = names::document_stem(&content_path).unwrap_or(&content_path);
    let id = meta
        .id
        .as_ref()
        .map_or_else(|| stem.to_string(), |i| i.value.clone());
    let url = output_path(&content_path);
    Document {
        source: std::sync::Arc::new(source),
        content_path,
        id,
        url,
        meta,
        body_offset,
    }
}

fn index(corpus: &mut Corpus, diags: &mut Vec<Diagnostic>) {
    let mut urls: BTreeMap<String, usize> = BTreeMap::new();
    let mut folders = Folders::default();
    for (i, doc) in corpus.documents.iter().enumerate() {
        if let Some(d) = folder_twin(&corpus.documents, i, &mut folders) {
            diags.push(d);
        }
        let (line, col, width) = doc
            .meta
            .id
            .as_ref()
            .map_or((doc.meta.line, 1, 3), |s| (s.line, s.col, s.width));
        if let Some(&first) = corpus.by_id.get(&doc.id) {
            let other = &corpus.documents[first].source.rel;
            diags.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    &doc.source.rel,
                    line,
                    col,
                    crate::tr!(
                        "dokument-id `{}` används redan av {other}",
                        "document id `{}` is already used by {other}",
                        doc.id
                    ),
                )
                .with_width(width)
                .with_hint(crate::tr!(
                    "ge varje dokument ett eget `id`",
                    "give each document a unique `id`"
                )),
            );
        } else {
            corpus.by_id.insert(doc.id.clone(), i);
        }
        corpus.by_path.insert(nfc(&doc.content_path), i);
        let url_key = output_key(&doc.url);
        if is_generated(&url_key) {
            diags.push(
                Diagnostic::error(
                    Code::OutputCollision,
                    &doc.source.rel,
                    1,
                    1,
                    crate::tr!(
                        "dokumentet skulle skrivas till `{}`, som styrdok själv skapar",
                        "this document would be written to `{}`, which styrdok generates itself",
                        doc.url
                    ),
                )
                .with_hint(crate::tr!(
                    "byt namn på filen eller flytta den",
                    "rename or move the file"
                )),
            );
        } else if let Some(&first) = urls.get(&url_key) {
            let other = &corpus.documents[first].source.rel;
            diags.push(
                Diagnostic::error(
                    Code::OutputCollision,
                    &doc.source.rel,
                    1,
                    1,
                    crate::tr!(
                        "dokumentet och {other} skulle skrivas till samma sida `{}`",
                        "this document and {other} would be written to the same page `{}`",
                        doc.url
                    ),
                )
                .with_hint(twin_hint()),
            );
        } else {
            urls.insert(url_key, i);
        }
    }
}

/// The folders of the documents seen so far: each one's first spelling
/// (by [`output_key`]) with its document, and the other spellings reported.
#[derive(Default)]
struct Folders<'c> {
    first: BTreeMap<String, (&'c str, usize)>,
    reported: std::collections::BTreeSet<&'c str>,
}

/// SD006 when a folder of document `i` is spelt otherwise than the same
/// folder of a document before it, differing only in case or Unicode
/// composition (`Instruktioner/` beside `instruktioner/`): on Windows and
/// macOS they are one folder, so the site would differ by where it is
/// built, and its links by where it is served. `folders` holds each
/// folder's first spelling (by [`output_key`]) and the document it was
/// found in. Each other spelling is reported once, at its first document.
fn folder_twin<'c>(
    docs: &'c [Arc<Document>],
    i: usize,
    folders: &mut Folders<'c>,
) -> Option<Diagnostic> {
    let path = docs[i].content_path.as_str();
    let mut twin = None;
    for (end, _) in path.match_indices('/') {
        let folder = &path[..end];
        let (first, other) = *folders
            .first
            .entry(output_key(folder))
            .or_insert((folder, i));
        if first != folder && twin.is_none() && folders.reported.insert(folder) {
            twin = Some((folder, first, other));
        }
    }
    let (folder, first, other) = twin?;
    Some(
        Diagnostic::error(
            Code::OutputCollision,
            &docs[i].source.rel,
            1,
            1,
            crate::tr!(
                "dokumentet ligger i mappen `{folder}`, som {} stavar `{first}`: Windows och macOS ser dem som en och samma mapp",
                "this document lies in the folder `{folder}`, which {} spells `{first}`: Windows and macOS take them for one folder",
                docs[other].source.rel
            ),
        )
        .with_hint(twin_hint()),
    )
}

/// Why names that differ only in case or Unicode composition collide.
pub fn twin_hint() -> String {
    crate::tr!(
        "filnamn som bara skiljer sig i stora och små bokstäver eller i hur å, ä och ö är kodade krockar på filresurser i Windows och macOS; byt namn på det ena",
        "file names that differ only in case or in how å, ä and ö are encoded collide on Windows and macOS file shares; rename one"
    )
}

/// An output path as the file systems that fold case and Unicode
/// composition see it: two paths with the same key are one file there.
pub fn output_key(path: &str) -> String {
    nfc(path).to_lowercase()
}

/// Whether an output path (as an [`output_key`]) is one styrdok writes
/// itself, or lies in a folder it writes: the site pages, `assets/`,
/// `historik/` (history pages), `versioner/` (versions), `pdf/` (`build
/// --pdf`) and `granskning/` (a review's own pages). The last two are
/// reserved in every build, so a site does not break when it turns PDFs on
/// or is reviewed.
pub fn is_generated(key: &str) -> bool {
    const FOLDERS: &[&str] = &["assets", "historik", "versioner", "pdf", "granskning"];
    RESERVED_PAGES.contains(&key)
        || FOLDERS.iter().any(|f| {
            key.strip_prefix(f)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
}

/// Joins a site-relative directory and a path below it with `/`.
pub fn join(dir: &str, rel: &str) -> String {
    if dir.is_empty() || dir == "." {
        rel.to_string()
    } else {
        format!("{}/{rel}", dir.trim_end_matches('/'))
    }
}
