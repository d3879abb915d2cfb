//! The owned model every stage works on: documents with typed front matter,
//! the system register, and the corpus that holds them.

use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

use crate::source::SourceFile;

mod page;
pub use page::{is_page_path, page_folder, page_url, Page, PageMeta, Pages, PAGE_NAMES};

/// A value with the 1-based line and column where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based column in characters.
    pub col: usize,
    /// Width in characters, for carets.
    pub width: usize,
}

/// Defines a closed set of Swedish keywords with their spelling.
macro_rules! keyword_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
        pub enum $name { $($(#[$vm])* #[serde(rename = $text)] $variant),+ }

        impl $name {
            /// All values, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The keyword as written in front matter.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Parses the keyword as written in front matter.
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }

            /// The accepted spellings, for hints.
            pub fn expected() -> String {
                let all: Vec<String> = Self::ALL.iter().map(|v| format!("`{}`", v.as_str())).collect();
                all.join(", ")
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

keyword_enum! {
    /// `typ`: what kind of governing document this is.
    DocType {
        /// The IT-säkerhetspolicy.
        Policy = "policy",
        /// One of the three IT-säkerhetsinstruktioner.
        Instruktion = "instruktion",
        /// A systemsäkerhetsplan for one IT system.
        Plan = "systemsäkerhetsplan",
        /// Annual goals (seed 2.2).
        Arsmal = "årsmål",
        /// Any other governing document.
        Dokument = "dokument",
    }
}

keyword_enum! {
    /// `status`: where the document is in its life cycle.
    Status {
        /// Draft.
        Utkast = "utkast",
        /// Out for consultation.
        Remiss = "remiss",
        /// Adopted and in force.
        Faststalld = "fastställd",
        /// Repealed.
        Upphavd = "upphävd",
    }
}

keyword_enum! {
    /// `klassning`: how sensitive a document or system is, least first.
    Klassning {
        /// Open to anyone.
        Oppen = "öppen",
        /// Internal to the organisation.
        Intern = "intern",
        /// Confidential.
        Konfidentiell = "konfidentiell",
    }
}

keyword_enum! {
    /// `instruktion`: which of the three instructions a document is.
    InstructionKind {
        /// IT-säkerhetsinstruktion Förvaltning.
        Forvaltning = "förvaltning",
        /// IT-säkerhetsinstruktion Drift.
        Drift = "drift",
        /// IT-säkerhetsinstruktion Användare.
        Anvandare = "användare",
    }
}

keyword_enum! {
    /// The status of one annual goal.
    GoalStatus {
        /// Not started.
        Planerat = "planerat",
        /// In progress.
        Pagar = "pågår",
        /// Done.
        Genomfort = "genomfört",
        /// Late.
        Forsenat = "försenat",
        /// Cancelled.
        Installt = "inställt",
    }
}

/// `driftgodkännande`: the system owner's operational approval.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approval {
    /// When it was decided.
    pub datum: Option<Spanned<NaiveDate>>,
    /// Who decided.
    pub beslutat_av: Option<Spanned<String>>,
}

/// One annual goal with the five points of seed 2.2 and a status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Goal {
    /// Where the goal's list item starts.
    pub line: usize,
    /// Column of the goal's list item.
    pub col: usize,
    /// What is to be done during the year.
    pub vad: Option<Spanned<String>>,
    /// Deadline.
    pub sluttid: Option<Spanned<NaiveDate>>,
    /// Personnel and financial resources.
    pub resurser: Option<Spanned<String>>,
    /// When and how follow-up and reporting happen.
    pub uppfoljning: Option<Spanned<String>>,
    /// When and how staff are informed and trained.
    pub information: Option<Spanned<String>>,
    /// Progress.
    pub status: Option<Spanned<GoalStatus>>,
}

/// A document's front matter, every key optional here: the loader reports
/// what is missing, and later stages use what is there.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meta {
    /// Line of the opening `---`.
    pub line: usize,
    /// `titel`.
    pub titel: Option<Spanned<String>>,
    /// `typ`.
    pub typ: Option<Spanned<DocType>>,
    /// `id`.
    pub id: Option<Spanned<String>>,
    /// `status`.
    pub status: Option<Spanned<Status>>,
    /// `version`.
    pub version: Option<Spanned<String>>,
    /// `dokumentägare`.
    pub dokumentagare: Option<Spanned<String>>,
    /// `fastställd`.
    pub faststalld: Option<Spanned<NaiveDate>>,
    /// `fastställd_av`.
    pub faststalld_av: Option<Spanned<String>>,
    /// `nästa_revision`.
    pub nasta_revision: Option<Spanned<NaiveDate>>,
    /// `klassning`.
    pub klassning: Option<Spanned<Klassning>>,
    /// The class cannot be read: the front matter is missing or not YAML,
    /// or `klassning` has a bad value. Such a document is never published
    /// (a build of the current site stops at the error anyway; a version
    /// from a tag or a past revision must not fall back to `intern`).
    pub klassning_unreadable: bool,
    /// `överordnad`.
    pub overordnad: Option<Spanned<String>>,
    /// `instruktion`.
    pub instruktion: Option<Spanned<InstructionKind>>,
    /// `system`.
    pub system: Option<Spanned<String>>,
    /// `driftgodkännande`, with the position of its key.
    pub driftgodkannande: Option<Spanned<Approval>>,
    /// `hotbild_analyserad`.
    pub hotbild_analyserad: Option<Spanned<NaiveDate>>,
    /// `hotbild_analyserad` is there without a value (as `styrdok new plan`
    /// writes it): the threat analysis has not been made. The key's position.
    pub hotbild_pending: Option<Spanned<()>>,
    /// `upphävd`: the date the document was repealed.
    pub upphavd: Option<Spanned<NaiveDate>>,
    /// `ersatt_av`: the id of the document that replaces a repealed one.
    pub ersatt_av: Option<Spanned<String>>,
    /// `mål`.
    pub mal: Option<Spanned<Vec<Goal>>>,
    /// `typ` names a type of the site's own (`[types.<name>]`): its name.
    /// `typ` is then `dokument`, whose rules such documents follow.
    pub custom_type: Option<Spanned<String>>,
    /// The site's own fields (`[fields.<key>]`) that the document has, in
    /// the order the front matter gives them.
    pub extra: Vec<(String, Spanned<crate::schema::FieldValue>)>,
}

/// One Markdown document of the site.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file, normalised (shared: cheap to keep between builds).
    pub source: Arc<SourceFile>,
    /// Path below the content directory, `/`-separated, e.g. `instruktioner/drift.md`.
    pub content_path: String,
    /// The unique id (front matter `id`, or the content path without `.md`).
    pub id: String,
    /// Output path relative to the output root, e.g. `instruktioner/drift.html`.
    pub url: String,
    /// Front matter.
    pub meta: Meta,
    /// Byte offset of the Markdown body in `source.text`.
    pub body_offset: usize,
}

impl Document {
    /// The Markdown body.
    pub fn body(&self) -> &str {
        &self.source.text[self.body_offset.min(self.source.text.len())..]
    }

    /// Its type as written in `typ`: a built-in type's keyword or the name
    /// of one of the site's own.
    pub fn type_name(&self) -> &str {
        match &self.meta.custom_type {
            Some(c) => &c.value,
            None => self.doc_type().as_str(),
        }
    }

    /// The title, or the file name when `titel` is missing.
    pub fn title(&self) -> &str {
        match &self.meta.titel {
            Some(t) => &t.value,
            None => self
                .content_path
                .rsplit('/')
                .next()
                .unwrap_or(&self.content_path)
                .trim_end_matches(".md"),
        }
    }

    /// The document type, `dokument` when missing.
    pub fn doc_type(&self) -> DocType {
        self.meta
            .typ
            .as_ref()
            .map_or(DocType::Dokument, |t| t.value)
    }

    /// The classification, `intern` when missing (SPEC 4.1).
    pub fn klassning(&self) -> Klassning {
        self.meta
            .klassning
            .as_ref()
            .map_or(Klassning::Intern, |k| k.value)
    }

    /// The status, if given.
    pub fn status(&self) -> Option<Status> {
        self.meta.status.as_ref().map(|s| s.value)
    }

    /// Whether a build with this policy may publish this document (see
    /// [`Policy::allows`]): every page, list, search entry, attachment and
    /// version asks this.
    pub fn publishable(&self, policy: Policy) -> bool {
        policy.allows(&self.meta)
    }

    /// Whether the document is repealed (`status: upphävd`).
    pub fn is_repealed(&self) -> bool {
        self.status() == Some(Status::Upphavd)
    }
}

/// What a build may publish: documents up to a class, and drafts or not.
/// The one place that decides it is [`Policy::allows`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Policy {
    /// `[publish] max_klassning` (or `--max-klassning`).
    pub max_klassning: Klassning,
    /// `[publish] drafts` (or `--drafts`, or `serve`): `utkast` and
    /// `remiss` documents are published too.
    pub drafts: bool,
}

/// Why a document is not published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Withheld {
    /// Its class is above the limit, or cannot be read.
    Restricted,
    /// It is a draft (`utkast`, `remiss`) and the build leaves drafts out.
    NotAdopted,
}

impl Policy {
    /// Whether a document with this front matter may be published.
    pub fn allows(self, meta: &Meta) -> bool {
        self.withholds(meta).is_none()
    }

    /// Why a document with this front matter may not be published, if it
    /// may not. The class is asked first: a confidential draft is
    /// restricted, and nothing says that it is a draft.
    pub fn withholds(self, meta: &Meta) -> Option<Withheld> {
        if !meta.publishable(self.max_klassning) {
            return Some(Withheld::Restricted);
        }
        // A status that cannot be read (a tag's broken front matter) may be
        // a draft's.
        let draft = meta
            .status
            .as_ref()
            .is_none_or(|s| matches!(s.value, Status::Utkast | Status::Remiss));
        (draft && !self.drafts).then_some(Withheld::NotAdopted)
    }

    /// Whether everything a build with `other` publishes, this one may
    /// publish too.
    pub fn covers(self, other: Policy) -> bool {
        other.max_klassning <= self.max_klassning && (self.drafts || !other.drafts)
    }

    /// The policy that publishes everything.
    pub fn everything() -> Policy {
        Policy {
            max_klassning: Klassning::Konfidentiell,
            drafts: true,
        }
    }
}

impl Meta {
    /// Whether front matter read this way may be published under `max` by
    /// its class alone (a past revision's rule; a document's is
    /// [`Policy::allows`]); a class that cannot be read is above every
    /// limit.
    pub fn publishable(&self, max: Klassning) -> bool {
        !self.klassning_unreadable
            && self
                .klassning
                .as_ref()
                .map_or(Klassning::Intern, |k| k.value)
                <= max
    }
}

/// One IT system of the register (SPEC 4.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct System {
    /// Line of the entry.
    pub line: usize,
    /// Column of the entry.
    pub col: usize,
    /// `id`.
    pub id: Spanned<String>,
    /// `namn`.
    pub namn: Option<Spanned<String>>,
    /// `systemägare`.
    pub systemagare: Option<Spanned<String>>,
    /// `samhällsviktigt`.
    pub samhallsviktigt: bool,
    /// `klassning`.
    pub klassning: Option<Spanned<Klassning>>,
    /// `beskrivning`.
    pub beskrivning: Option<String>,
    /// `leverantör`.
    pub leverantor: Option<String>,
}

impl System {
    /// The system's display name, its id when `namn` is missing.
    pub fn name(&self) -> &str {
        self.namn.as_ref().map_or(&self.id.value, |n| &n.value)
    }
}

/// `content/systemregister.yaml`, if the site has one.
#[derive(Debug, Clone)]
pub struct SystemRegister {
    /// The file, normalised.
    pub source: Arc<SourceFile>,
    /// The systems, in file order.
    pub systems: Vec<System>,
}

/// Everything loaded from a site's content directory.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    /// Documents sorted by content path (shared: cheap to keep between builds).
    pub documents: Vec<Arc<Document>>,
    /// The system register, if present.
    pub register: Option<SystemRegister>,
    /// Other files under content/ (attachments), content-relative paths.
    pub attachments: Vec<String>,
    /// Bytes of attachments loaded from git; those on disk are read when rendering.
    pub attachment_data: BTreeMap<String, Vec<u8>>,
    /// Index of document by id (first occurrence wins on duplicates).
    pub by_id: BTreeMap<String, usize>,
    /// Index of document by content path (NFC).
    pub by_path: BTreeMap<String, usize>,
    /// The start and folder pages (`index.md`, `README.md`).
    pub pages: Pages,
}

impl Corpus {
    /// The document with this id.
    pub fn get(&self, id: &str) -> Option<&Document> {
        self.by_id.get(id).map(|&i| &*self.documents[i])
    }

    /// The system with this id.
    pub fn system(&self, id: &str) -> Option<&System> {
        self.register
            .as_ref()?
            .systems
            .iter()
            .find(|s| s.id.value == id)
    }
}
