//! Start and folder pages (`index.md`, `README.md`): their optional front
//! matter (`titel`, `beskrivning`, `klassning`, read by the same machinery
//! as a document's), and the rule of one page per folder, written where no
//! other file goes.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::fields::FieldReader;
use super::frontmatter;
use super::{is_generated, nfc, output_key, twin_hint};
use crate::codes::Code;
use crate::diagnostic::Diagnostic;
use crate::model::{page_folder, page_url, Corpus, Klassning, Page, PageMeta};
use crate::source::SourceFile;

/// The keys a page's front matter may have.
pub const PAGE_KEYS: &[&str] = &["titel", "beskrivning", "klassning"];

/// Reads a page. Front matter is optional; what there is is checked as
/// strictly as a document's.
pub(super) fn read_page(
    source: SourceFile,
    content_path: String,
    diags: &mut Vec<Diagnostic>,
) -> Page {
    let (meta, front_end) = match frontmatter::split(&source) {
        Ok(split) => {
            let (meta, d) = read_meta(&source, split.yaml);
            diags.extend(d);
            (meta, split.body_offset)
        }
        Err(d) if d.code == Code::NoFrontMatter => (PageMeta::default(), 0),
        Err(d) => {
            diags.push(d);
            let meta = PageMeta {
                klassning_unreadable: true,
                ..PageMeta::default()
            };
            (meta, source.text.len())
        }
    };
    let mut body_offset = front_end;
    let mut heading_title = None;
    if meta.titel.is_none() {
        if let Some((title, end, opens)) = crate::markdown::first_title(&source.text[front_end..]) {
            if opens {
                body_offset = front_end + end;
            }
            heading_title = Some(title);
        }
    }
    let folder = page_folder(&content_path).to_string();
    Page {
        source: Arc::new(source),
        url: page_url(&folder),
        folder,
        content_path,
        meta,
        body_offset,
        heading_title,
    }
}

/// Whether a page's text (a past revision's) may be published under `max`
/// by its own front matter; one that cannot be read may not.
pub fn page_publishable(source: &SourceFile, max: Klassning) -> bool {
    let meta = match frontmatter::split(source) {
        Ok(split) => read_meta(source, split.yaml).0,
        Err(d) if d.code == Code::NoFrontMatter => PageMeta::default(),
        Err(_) => return false,
    };
    !meta.klassning_unreadable && meta.klassning.map_or(Klassning::Intern, |k| k.value) <= max
}

/// Reads the YAML between the delimiters, if any.
fn read_meta(file: &SourceFile, yaml: Option<(usize, usize)>) -> (PageMeta, Vec<Diagnostic>) {
    let mut meta = PageMeta::default();
    let Some((start, end)) = yaml else {
        return (meta, Vec::new());
    };
    let mut r = FieldReader::new(&file.rel, 2);
    let root = match frontmatter::parse_yaml(file, (start, end)) {
        Err(d) => {
            meta.klassning_unreadable = true;
            return (meta, vec![d]);
        }
        Ok(None) => return (meta, Vec::new()),
        Ok(Some(root)) => root,
    };
    let what = crate::tr!("dokumenthuvudet", "front matter");
    let Some(entries) = r.mapping(&what, &root) else {
        meta.klassning_unreadable = true;
        return (meta, r.diags);
    };
    let (usable, doubtful) =
        frontmatter::usable_entries(&mut r, entries, &mut meta.klassning_unreadable);
    for (key, k, v) in usable {
        if v.is_null() && PAGE_KEYS.contains(&key) {
            r.error(
                Code::WrongType,
                k,
                crate::tr!("fältet `{key}` saknar värde", "`{key}` has no value"),
            )
            .hint = Some(crate::tr!(
                "skriv ett värde efter `{key}:`, eller ta bort raden",
                "write a value after `{key}:`, or remove the line"
            ));
            continue;
        }
        match key {
            "titel" => meta.titel = r.string(key, v),
            "beskrivning" => meta.beskrivning = r.string(key, v),
            "klassning" => {
                let all: Vec<&'static str> = Klassning::ALL.iter().map(|k| k.as_str()).collect();
                meta.klassning = r.keyword(key, v, Klassning::parse, &all);
                meta.klassning_unreadable = meta.klassning.is_none();
            }
            _ => {
                let context = crate::tr!("en sidas dokumenthuvud", "a page's front matter");
                r.unknown_key(k, key, PAGE_KEYS, &context);
                if frontmatter::KEYS.contains(&key) {
                    if let Some(d) = r.diags.last_mut() {
                        let keys = PAGE_KEYS
                            .iter()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(", ");
                        d.hint = Some(crate::tr!(
                            "`{key}` är ett fält för styrande dokument; en startsida eller mappsida (index.md, README.md) har bara {keys}. Ge filen ett annat namn om den ska vara ett styrande dokument",
                            "`{key}` is a key of governing documents; a start or folder page (index.md, README.md) takes only {keys}. To make this a governing document, give the file another name"
                        ));
                    }
                }
            }
        }
    }
    if doubtful {
        meta.klassning_unreadable = true;
    }
    (meta, r.diags)
}

/// Indexes the pages by folder: one page per folder, none where styrdok
/// writes its own files or where another page or a document goes (names
/// that differ only in case or Unicode composition included).
pub(super) fn index_pages(corpus: &mut Corpus, pages: Vec<Arc<Page>>, diags: &mut Vec<Diagnostic>) {
    let mut taken: BTreeMap<String, String> = corpus
        .documents
        .iter()
        .map(|d| (output_key(&d.url), d.source.rel.clone()))
        .collect();
    for page in pages {
        let key = output_key(&page.url);
        let rel = &page.source.rel;
        let problem = match taken.get(&key) {
            Some(other) if nfc(page_folder(other)) == nfc(page_folder(rel)) => Some((
                crate::tr!(
                    "den här filen och {other} är båda sidan för {}; en mapp har en sida",
                    "this file and {other} are both the page of {}; a folder has one page",
                    folder_name(&page.folder)
                ),
                crate::tr!(
                    "behåll en av dem (index.md eller README.md), eller byt namn på den andra",
                    "keep one of them (index.md or README.md), or rename the other"
                ),
            )),
            Some(other) => Some((
                crate::tr!(
                    "den här sidan och {other} skulle skrivas till samma sida `{}`",
                    "this page and {other} would be written to the same page `{}`",
                    page.url
                ),
                twin_hint(),
            )),
            None if !page.is_root() && is_generated(&key) => Some((
                crate::tr!(
                    "sidan skulle skrivas till `{}`, som styrdok själv skapar",
                    "this page would be written to `{}`, which styrdok generates itself",
                    page.url
                ),
                crate::tr!(
                    "byt namn på mappen eller flytta den",
                    "rename or move the folder"
                ),
            )),
            None => None,
        };
        if let Some((message, hint)) = problem {
            diags
                .push(Diagnostic::error(Code::OutputCollision, rel, 1, 1, message).with_hint(hint));
            continue;
        }
        taken.insert(key, rel.clone());
        let i = corpus.pages.list.len();
        corpus.pages.by_folder.insert(nfc(&page.folder), i);
        corpus.pages.list.push(page);
    }
}

/// A folder as messages name it.
fn folder_name(folder: &str) -> String {
    if folder.is_empty() {
        crate::tr!(
            "innehållsmappen (startsidan)",
            "the content directory (the start page)"
        )
    } else {
        crate::tr!("mappen `{folder}`", "folder `{folder}`")
    }
}
