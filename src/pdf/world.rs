//! The Typst world a PDF is compiled in: the fixed template as the only
//! source file, and the bytes the build hands it (the document's data as
//! JSON, the site's images) as the only other files. It reads nothing from
//! disk, the network or the system's fonts: the fonts are embedded in the
//! binary (`typst-assets`), parsed once per process.

use std::collections::HashMap;
use std::sync::OnceLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, Source, VirtualPath};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt};

/// The template every document is typeset with.
const TEMPLATE: &str = include_str!("template.typ");

/// Where the template reads the document's data from.
pub(super) const DATA_PATH: &str = "/data.json";

/// What every compile shares: the standard library and the fonts.
struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

/// The embedded fonts: Libertinus Serif for text, DejaVu Sans Mono for code.
fn shared() -> &'static Shared {
    static SHARED: OnceLock<Shared> = OnceLock::new();
    SHARED.get_or_init(|| {
        let fonts: Vec<Font> = typst_assets::fonts()
            .flat_map(|data| Font::iter(Bytes::new(data)))
            .filter(|f| {
                let family = f.info().family.as_str();
                family.starts_with("Libertinus Serif") || family.starts_with("DejaVu Sans Mono")
            })
            .collect();
        Shared {
            library: LazyHash::new(Library::default()),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
        }
    })
}

/// Whether one of the embedded fonts has a glyph for `c` (Typst falls
/// back from one to the other).
pub(super) fn covers(c: char) -> bool {
    shared()
        .fonts
        .iter()
        .any(|f| f.info().coverage.contains(u32::from(c)))
}

/// One document's world: the template, its data and its images.
pub(super) struct PdfWorld {
    main: Source,
    files: HashMap<FileId, Bytes>,
}

impl PdfWorld {
    /// A world whose files are `data` at [`DATA_PATH`] and `files` (virtual
    /// absolute paths, e.g. `/img/0.png`, with their bytes).
    pub(super) fn new(data: Vec<u8>, files: Vec<(String, Vec<u8>)>) -> PdfWorld {
        let main_id = FileId::new(None, VirtualPath::new("/main.typ"));
        let mut map = HashMap::new();
        map.insert(
            FileId::new(None, VirtualPath::new(DATA_PATH)),
            Bytes::new(data),
        );
        for (path, bytes) in files {
            map.insert(
                FileId::new(None, VirtualPath::new(&path)),
                Bytes::new(bytes),
            );
        }
        PdfWorld {
            main: Source::new(main_id, TEMPLATE.to_string()),
            files: map,
        }
    }
}

impl typst::World for PdfWorld {
    fn library(&self) -> &LazyHash<Library> {
        &shared().library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &shared().book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(not_found(id))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id.package().is_some() {
            return Err(not_found(id));
        }
        self.files.get(&id).cloned().ok_or_else(|| not_found(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        shared().fonts.get(index).cloned()
    }

    /// No clock: the same input gives the same document.
    fn today(&self, _offset: Option<i64>) -> Option<Datetime> {
        None
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().as_rootless_path().to_path_buf())
}
