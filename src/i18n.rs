//! The site's own texts, in Swedish (the default) and English: [`Texts`],
//! one constant per language. Templates read them as `t.<name>`; Rust code
//! reads the same fields, so a mistyped name does not compile.

use serde::Serialize;
use std::sync::atomic::{AtomicU8, Ordering};

use crate::config::Language;
use crate::model::{DocType, GoalStatus, InstructionKind, Klassning, Status};

/// Declares [`Texts`], [`SV`] and [`EN`] from one table, a line per text
/// with its Swedish and English wording side by side. `labels` are
/// serialised (the template variable `t`); `terms`, the names of front
/// matter values, are read through [`Texts`]' methods only.
macro_rules! texts {
    (
        labels { $($key:ident: $sv:literal, $en:literal;)* }
        terms { $($term:ident: $term_sv:literal, $term_en:literal;)* }
    ) => {
        /// Every text of the site in one language.
        #[derive(Debug, Serialize)]
        pub struct Texts {
            $(pub $key: &'static str,)*
            $(#[serde(skip)] pub $term: &'static str,)*
        }

        /// The Swedish texts.
        pub const SV: Texts = Texts { $($key: $sv,)* $($term: $term_sv,)* };

        /// The English texts.
        pub const EN: Texts = Texts { $($key: $en,)* $($term: $term_en,)* };

        impl Texts {
            /// Every field as (name, text), for tests.
            #[cfg(test)]
            fn fields(&self) -> Vec<(&'static str, &'static str)> {
                vec![$((stringify!($key), self.$key),)* $((stringify!($term), self.$term),)*]
            }
        }
    };
}

/// The language diagnostics are written in: the site's (`language` in
/// styrdok.toml), or `--lang`. One per process, as a locale is: set when a
/// site is opened, read wherever a diagnostic is made (on any thread).
static DIAGNOSTIC_LANGUAGE: AtomicU8 = AtomicU8::new(0);

/// Sets the language of diagnostics from here on.
pub fn set_diagnostic_language(lang: Language) {
    DIAGNOSTIC_LANGUAGE.store(lang as u8, Ordering::Relaxed);
}

/// The language of diagnostics (Swedish until set).
pub fn diagnostic_language() -> Language {
    match DIAGNOSTIC_LANGUAGE.load(Ordering::Relaxed) {
        1 => Language::En,
        _ => Language::Sv,
    }
}

/// A diagnostic's text in the language of diagnostics: Swedish first, then
/// English, each a format string with its own captured variables (only the
/// one chosen is formatted).
///
/// ```
/// let key = "titel";
/// let m = styrdok::tr!("nyckeln `{key}` saknas", "key `{key}` is missing");
/// assert_eq!(m, "nyckeln `titel` saknas");
/// ```
#[macro_export]
macro_rules! tr {
    ($sv:literal, $en:literal $(, $arg:expr)* $(,)?) => {
        match $crate::i18n::diagnostic_language() {
            $crate::config::Language::Sv => format!($sv $(, $arg)*),
            $crate::config::Language::En => format!($en $(, $arg)*),
        }
    };
}

/// The texts of a language.
pub fn texts(lang: Language) -> &'static Texts {
    match lang {
        Language::Sv => &SV,
        Language::En => &EN,
    }
}

texts! {
    labels {
        skip: "Hoppa till innehållet", "Skip to content";
        site_nav: "Webbplatsen", "Site";
        doc_nav: "Dokument", "Documents";
        start: "Start", "Home";
        hierarchy: "Styrande dokument", "Governing documents";
        hierarchy_text: "Dokumenthierarkin som lista", "The document hierarchy as a list";
        register: "Systemregister", "System register";
        follow_up: "Uppföljning", "Follow-up";
        areas: "Områdestäckning", "Area coverage";
        metadata: "Dokumentinformation", "Document information";
        r#type: "Dokumenttyp", "Document type";
        version: "Version", "Version";
        status: "Status", "Status";
        owner: "Dokumentägare", "Document owner";
        adopted: "Fastställd", "Adopted";
        adopted_by: "Fastställd av", "Adopted by";
        next_revision: "Nästa revision", "Next revision";
        classification: "Informationsklass", "Classification";
        governed_by: "Överordnat dokument", "Governing document";
        instruction: "Instruktion", "Instruction";
        system: "System", "System";
        approval: "Driftgodkännande", "Operational approval";
        approved_by: "beslutat av", "decided by";
        no_approval: "Saknas", "Missing";
        threat_analysis: "Hotbild analyserad", "Threat analysis";
        contents: "Innehåll", "Contents";
        on_this_page: "På den här sidan", "On this page";
        pdf_redlines: "Ändringar sedan {tag} som PDF", "Changes since {tag} as PDF";
        pdf_redlines_intro: "Beslutsunderlag: för varje dokument vars text har ändrats sedan versionen {tag}, ändringarna markerade (tillagt understruket, borttaget genomstruket).", "For the decision: each document whose text changed since version {tag}, with the changes marked (added underlined, removed struck through).";
        print_page: "Sida", "Page";
        print_of: "av", "of";
        last_changed: "Senast ändrad", "Last changed";
        changed_by: "av", "by";
        uncommitted_changes: "Ändringar efter det är inte incheckade", "Changes since then are not committed";
        link_copied: "Länken till avsnittet är kopierad", "The link to the section is copied";
        backlinks: "Refereras från", "Referenced from";
        no_backlinks: "Inga andra dokument hänvisar hit.", "No other document links here.";
        children: "Underordnade dokument", "Governed documents";
        goals: "Mål", "Goals";
        goal_what: "Vad ska göras", "What is to be done";
        goal_deadline: "Sluttid", "Deadline";
        goal_resources: "Resurser", "Resources";
        goal_follow_up: "Uppföljning", "Follow-up";
        goal_information: "Information och utbildning", "Information and training";
        goal_status: "Status", "Status";
        restricted: "Begränsad åtkomst: dokumentet publiceras inte i denna utgåva", "Restricted: this document is not published in this edition";
        not_adopted: "Ej fastställt: dokumentet är ett utkast och publiceras inte i denna utgåva", "Not yet adopted: this document is a draft and is not published in this edition";
        repealed: "Upphävd", "Repealed";
        replaced_by: "ersatt av", "replaced by";
        replaced_by_label: "Ersatt av", "Replaced by";
        repealed_note: "Dokumentet gäller inte längre.", "The document is no longer in force.";
        archive: "Upphävda dokument", "Repealed documents";
        archive_intro: "Dokument som har upphävts och inte längre gäller. De finns kvar här för spårbarhetens skull.", "Documents that have been repealed and are no longer in force. They are kept here for the record.";
        never_analysed: "Ej analyserad", "Not analysed";
        system_id: "Id", "Id";
        system_name: "Namn", "Name";
        system_owner: "Systemägare", "System owner";
        critical: "Samhällsviktigt", "Critical";
        supplier: "Leverantör", "Supplier";
        plan: "Systemsäkerhetsplan", "System security plan";
        missing: "saknas", "missing";
        yes: "Ja", "Yes";
        no: "Nej", "No";
        systems_count: "system i registret", "systems in the register";
        no_register: "Webbplatsen har inget systemregister.", "This site has no system register.";
        generated_by: "Skapad med styrdok", "Built with styrdok";
        intro: "Här publiceras organisationens styrande dokument för IT- och informationssäkerhet, i den lydelse som gäller.", "The organisation's governing documents for IT and information security, as they are in force.";
        start_page: "Startsida", "Start page";
        folder: "Mapp", "Folder";
        folders: "Mappar", "Folders";
        subfolders: "Undermappar", "Subfolders";
        folder_documents: "Dokument i mappen", "Documents in this folder";
        folder_empty: "Mappen har inga publicerade dokument.", "This folder has no published documents.";
        breadcrumbs: "Du är här", "You are here";
        restricted_page: "Begränsad åtkomst: sidan publiceras inte i denna utgåva", "Restricted: this page is not published in this edition";
        documents: "dokument", "documents";
        draft_banner: "Detta dokument är inte fastställt", "This document has not been adopted";
        figure_caption: "Styrande dokument", "Governing documents";
        figure_unplaced: "Utan överordnat dokument i figuren", "Without a governing document in the figure";
        menu: "Meny", "Menu";
        table_region: "Tabell, kan rullas i sidled", "Table, scrolls sideways";
        search: "Sök", "Search";
        search_label: "Sök i de styrande dokumenten", "Search the governing documents";
        search_count: "{n} träffar för ”{q}”.", "{n} results for “{q}”.";
        search_none: "Inga träffar för ”{q}”.", "No results for “{q}”.";
        search_folded: "(å, ä och ö sökta som a och o)", "(accents ignored)";
        search_needs_js: "Sökningen kräver JavaScript. Alla dokument finns på startsidan.", "Search needs JavaScript. Every document is listed on the start page.";
        preview_banner: "FÖRHANDSGRANSKNING", "PREVIEW";
        all_documents: "Visa alla", "Show all";
        follow_up_intro: "Uppföljningen bevakar att beslutade åtgärder är genomförda, att årliga mål uppfylls, att riktlinjer följs och att systemsäkerhetsplaner och policydokument revideras vid behov (IT-säkerhetspolicyn kap. 5).", "Follow-up checks that decided measures are carried out, annual goals met, guidelines followed, and security plans and policy documents revised when needed (policy ch. 5).";
        as_of: "Läget den", "As of";
        revisions: "Revisioner", "Revisions";
        overdue: "Försenad", "Overdue";
        due_soon: "Snart", "Due soon";
        days_ago: "dagar sedan", "days ago";
        in_days: "dagar kvar", "days left";
        on_time: "I tid", "On time";
        document: "Dokument", "Document";
        state: "Läge", "State";
        no_overdue: "Inga revisioner är försenade.", "No revision is overdue.";
        plans_without_approval: "Systemsäkerhetsplaner utan driftgodkännande", "System security plans without operational approval";
        none: "Inga.", "None.";
        threat_analyses: "Hotbildsanalyser", "Threat analyses";
        stale: "Inaktuell", "Stale";
        current_analysis: "Aktuell", "Current";
        older_than: "äldre än", "older than";
        months: "månader", "months";
        annual_goals: "Årliga mål", "Annual goals";
        late: "Sluttiden har passerats", "Past its deadline";
        critical_without_plan: "Samhällsviktiga system utan systemsäkerhetsplan", "Critical systems without a security plan";
        area: "Område", "Area";
        areas_intro: "Vilka av IT-säkerhetspolicyns områden (kap. 4) som varje IT-säkerhetsinstruktion täcker. Varje ruta länkar till avsnittet som täcker området.", "Which of the policy's areas (ch. 4) each IT security instruction covers. Each cell links to the section that covers the area.";
        not_required: "Krävs inte", "Not required";
        no_instruction: "instruktionen saknas", "instruction missing";
        covered_by: "täcks av", "covered by";
        history: "Versionshistorik", "Revision history";
        history_link: "Visa versionshistoriken", "Show the revision history";
        back_to_document: "Tillbaka till dokumentet", "Back to the document";
        uncommitted: "Ändringar som inte är incheckade", "Uncommitted changes";
        uncommitted_note: "Arbetskopian skiljer sig från senaste incheckningen. Ändringarna nedan syns bara i denna lokala byggning.", "The working copy differs from the latest commit. The changes below show in this local build only.";
        shallow_note: "Historiken är ofullständig: arkivet är en grund kloning (shallow clone) och äldre incheckningar saknas.", "The history is incomplete: the repository is a shallow clone and older commits are missing.";
        not_in_git: "Webbplatsen ligger inte i git, så någon versionshistorik finns inte.", "The site is not in git, so there is no revision history.";
        date: "Datum", "Date";
        author: "Författare", "Author";
        message: "Meddelande", "Message";
        changes: "Ändringar", "Changes";
        changes_since_adopted: "Ändringar sedan senast fastställda version", "Changes since the last adopted version";
        no_changes_since: "Inga ändringar sedan version", "No changes since version";
        was_adopted: "fastställdes", "was adopted";
        adopted_marker: "Fastställd version", "Adopted version";
        created: "Skapad", "Created";
        renamed_from: "Flyttad från", "Moved from";
        revisions_capped: "Äldre revisioner visas inte.", "Older revisions are not shown.";
        no_revisions: "Dokumentet har inga incheckade revisioner.", "The document has no committed revisions.";
        restricted_revision: "En revision med begränsat innehåll: den publiceras inte i denna utgåva.", "A revision with restricted content: it is not published in this edition.";
        message_withheld: "(Meddelandet visas inte: samma ändring rörde dokument med begränsat innehåll.)", "(The message is not shown: the same commit changed documents with restricted content.)";
        in_submodule: "Dokumentet ligger i en git-undermodul, så dess versionshistorik läses inte.", "The document is in a git submodule, so its revision history is not read.";
        changelog: "Ändringslogg för version", "Change log of version";
        compared_with: "Jämfört med version", "Compared with version";
        first_version: "Den första versionen: alla dokument är nya.", "The first version: every document is new.";
        added: "Tillagda dokument", "Documents added";
        changed: "Ändrade dokument", "Documents changed";
        removed: "Borttagna dokument", "Documents removed";
        show_changes: "visa ändringarna", "show the changes";
        compare_in_history: "jämför i dokumentets historik", "compare in the document's history";
        versions: "Versioner", "Versions";
        versions_intro: "Tidigare utgåvor av webbplatsen, byggda från git-taggar. Varje version visar dokumenten så som de var när versionen taggades.", "Earlier editions of the site, built from git tags. Each version shows the documents as they were when it was tagged.";
        current_version: "Aktuell version", "Current version";
        version_switcher: "Version", "Version";
        archived_banner: "Du läser en arkiverad version av webbplatsen:", "You are reading an archived version of the site:";
        go_to_current: "Gå till aktuell version", "Go to the current version";
        adoption_changed_heading: "Ändrad sedan fastställandet", "Changed since adoption";
        adoption_changed: "Version {version} fastställdes {date}. Texten har ändrats sedan dess, och ändringarna är inte fastställda.", "Version {version} was adopted on {date}. The text has changed since, and the changes have not been adopted.";
        adoption_changed_undated: "Texten har ändrats sedan version {version} fastställdes, och ändringarna är inte fastställda.", "The text has changed since version {version} was adopted, and the changes have not been adopted.";
        adoption_changed_link: "Visa ändringarna som inte är fastställda", "Show the changes not yet adopted";
        revision_overdue: "Revisionen skulle ha gjorts senast {date}.", "The revision was due by {date}.";
        revision_due_soon: "Revision ska göras senast {date}.", "The revision is due by {date}.";
        revisions_due: "Revisioner att göra", "Revisions due";
        no_revisions_due: "Inga revisioner är försenade eller nära.", "No revision is overdue or near.";
        recently_adopted: "Senast fastställt", "Recently adopted";
        redline_legend: "Borttagen text är överstruken, tillagd text understruken.", "Removed text is struck through, added text underlined.";
        redline_legend_title: "Teckenförklaring", "Legend";
        legend_inserted: "tillagd text", "added text";
        legend_deleted: "borttagen text", "removed text";
        legend_moved: "Flyttat: stycket står på nytt ställe, oförändrat", "Moved: the paragraph stands elsewhere, unchanged";
        legend_folded: "Oförändrade stycken är hopfällda; klicka för att visa dem.", "Unchanged paragraphs are folded; click to show them.";
        unchanged_one: "1 oförändrat stycke", "1 unchanged paragraph";
        unchanged_many: "{n} oförändrade stycken", "{n} unchanged paragraphs";
        moved_here_from: "Flyttat hit från", "Moved here from";
        moved_away_to: "Flyttat härifrån till", "Moved from here to";
        preamble: "Inledningen", "The opening";
        changed_in: "Ändrat i", "Changed in";
        and_more: "och {n} till", "and {n} more";
        words: "ord", "words";
        words_added: "ord tillagda", "words added";
        words_removed: "ord borttagna", "words removed";
        moved_one: "1 stycke flyttat", "1 paragraph moved";
        moved_many: "{n} stycken flyttade", "{n} paragraphs moved";
        text_unchanged: "Texten är oförändrad", "The text is unchanged";
        compare_versions: "Jämför versioner", "Compare versions";
        compare_intro: "Ändringarna mellan två fastställda versioner av dokumentet, och från den senast fastställda till den aktuella texten.", "The changes between two adopted versions of the document, and from the last adopted one to the current text.";
        compare_from: "Från", "From";
        compare_to: "Till", "To";
        compare_show: "Visa ändringarna", "Show the changes";
        current_text: "aktuell text", "current text";
        compare_adopted: "Fastställda versioner", "Adopted versions";
        compare_revisions: "Alla revisioner", "All revisions";
        compare_none: "Välj en tidigare version som Från och en senare som Till.", "Choose an earlier version as From and a later one as To.";
        show_redline: "Visa ändringarna", "Show the changes";
        search_any: "alla", "any";
        search_type: "Dokumenttyp", "Document type";
        search_owner: "Dokumentägare", "Document owner";
        search_more: "Visa fler träffar", "Show more results";
        search_shown: "Visar {n} av {total}.", "Showing {n} of {total}.";
        search_loading: "Söker …", "Searching …";
        search_failed: "Sökindexet kunde inte läsas.", "The search index could not be read.";
        review_title: "Granskning", "Review";
        review_banner: "Granskningsversion, inte publicerad: ändringar mot", "Review build, not published: changes against";
        review_open: "Se vad ändringen gör", "See what the change does";
        review_intro: "Vad ändringen gör jämfört med", "What the change does compared with";
        review_of_worktree: "Granskad: arbetskopian.", "Reviewed: the work tree.";
        review_of_revision: "Granskad revision:", "Reviewed revision:";
        review_limit: "Högsta klassning som visas:", "Most sensitive class shown:";
        review_docs: "Dokument som ändras", "Documents the change touches";
        review_no_docs: "Ändringen rör inga dokument.", "The change touches no documents.";
        review_kind_added: "Tillagt", "Added";
        review_kind_changed: "Ändrat", "Changed";
        review_kind_renamed: "Flyttat", "Moved";
        review_kind_removed: "Borttaget", "Removed";
        review_change: "Ändring", "Change";
        review_document: "Dokument", "Document";
        review_words: "Ändrade ord", "Words changed";
        review_fields: "Ändrade uppgifter", "Changed fields";
        review_field: "Uppgift", "Field";
        review_before: "Före", "Before";
        review_after: "Efter", "After";
        review_not_set: "(saknas)", "(not set)";
        review_register: "Systemregistret", "The system register";
        review_goals: "Årsmål", "Annual goals";
        review_system: "System", "System";
        review_goal: "Mål", "Goal";
        review_rules: "Vad ändringen gör med reglerna", "What the change does to the rules";
        review_rules_broken: "Regler som ändringen bryter", "Rules the change breaks";
        review_rules_mended: "Regler som ändringen uppfyller", "Rules the change now meets";
        review_introduced: "Problem som ändringen inför", "Problems the change introduces";
        review_resolved: "Problem som ändringen löser", "Problems the change resolves";
        review_none: "Inga.", "None.";
        review_where: "Var", "Where";
        review_problem: "Problem", "Problem";
        review_with_changes: "Med ändringar markerade", "With changes marked";
        review_clean: "Ren sida", "Clean page";
        review_view: "Visning", "View";
        review_doc_banner: "Det här dokumentet ändras i granskningen", "This document changes in the review";
        review_removed_note: "Dokumentet tas bort i ändringen och har ingen sida i granskningsversionen.", "The change removes the document: it has no page in the review build.";
        review_moved: "Flyttat från", "Moved from";
        // The PDF of a document (`build --pdf`) and its redline appendix.
        pdf_link: "PDF", "PDF";
        pdf_link_label: "Ladda ned dokumentet som PDF", "Download the document as PDF";
        pdf_page_of: "Sida {n} av {total}", "Page {n} of {total}";
        pdf_changes_title: "Ändringar sedan {tag}", "Changes since {tag}";
        pdf_changes_of: "Ändringar i", "Changes to";
        pdf_compared_with: "Jämförs med", "Compared with";
        pdf_version_then: "Version i {tag}", "Version in {tag}";
        pdf_legend: "Tillagd text är understruken och inledd med +, borttagen text är överstruken och inledd med −. Ett stycke som flyttats är märkt med var det står.", "Added text is underlined and begins with +, removed text is struck through and begins with −. A moved paragraph is marked with where it stands.";
        pdf_moved_here: "[Flyttat hit]", "[Moved here]";
        pdf_moved_away: "[Flyttat härifrån]", "[Moved away]";
    }
    terms {
        type_policy: "IT-säkerhetspolicy", "IT security policy";
        type_instruction: "IT-säkerhetsinstruktion", "IT security instruction";
        type_plan: "Systemsäkerhetsplan", "System security plan";
        type_annual_goals: "Årliga mål", "Annual goals";
        type_other: "Dokument", "Document";
        types_policy: "IT-säkerhetspolicy", "IT security policy";
        types_instruction: "IT-säkerhetsinstruktioner", "IT security instructions";
        types_plan: "Systemsäkerhetsplaner", "System security plans";
        types_annual_goals: "Årliga mål", "Annual goals";
        types_other: "Övriga dokument", "Other documents";
        status_draft: "Utkast", "Draft";
        status_consultation: "Remiss", "Out for consultation";
        status_adopted: "Fastställd", "Adopted";
        status_repealed: "Upphävd", "Repealed";
        class_open: "Öppen", "Public";
        class_internal: "Intern", "Internal";
        class_confidential: "Konfidentiell", "Confidential";
        goal_planned: "Planerat", "Planned";
        goal_in_progress: "Pågår", "In progress";
        goal_done: "Genomfört", "Done";
        goal_late: "Försenat", "Late";
        goal_cancelled: "Inställt", "Cancelled";
        kind_management: "Förvaltning", "Management";
        kind_operations: "Drift", "Operations";
        kind_users: "Användare", "Users";
        md_note: "Obs", "Note";
        md_tip: "Tips", "Tip";
        md_important: "Viktigt", "Important";
        md_warning: "Varning", "Warning";
        md_caution: "Se upp", "Caution";
        md_footnotes: "Fotnoter", "Footnotes";
        md_footnote_back: "Tillbaka till hänvisning", "Back to reference";
        md_heading_link: "Länk till avsnittet", "Link to the section";
    }
}

impl Texts {
    /// A document type, singular.
    pub fn doc_type(&self, t: DocType) -> &'static str {
        match t {
            DocType::Policy => self.type_policy,
            DocType::Instruktion => self.type_instruction,
            DocType::Plan => self.type_plan,
            DocType::Arsmal => self.type_annual_goals,
            DocType::Dokument => self.type_other,
        }
    }

    /// A document type, plural, as a heading for lists.
    pub fn doc_type_plural(&self, t: DocType) -> &'static str {
        match t {
            DocType::Policy => self.types_policy,
            DocType::Instruktion => self.types_instruction,
            DocType::Plan => self.types_plan,
            DocType::Arsmal => self.types_annual_goals,
            DocType::Dokument => self.types_other,
        }
    }

    /// A document's status.
    pub fn status_name(&self, s: Status) -> &'static str {
        match s {
            Status::Utkast => self.status_draft,
            Status::Remiss => self.status_consultation,
            Status::Faststalld => self.status_adopted,
            Status::Upphavd => self.status_repealed,
        }
    }

    /// A classification.
    pub fn class_name(&self, k: Klassning) -> &'static str {
        match k {
            Klassning::Oppen => self.class_open,
            Klassning::Intern => self.class_internal,
            Klassning::Konfidentiell => self.class_confidential,
        }
    }

    /// An annual goal's status.
    pub fn goal_status_name(&self, s: GoalStatus) -> &'static str {
        match s {
            GoalStatus::Planerat => self.goal_planned,
            GoalStatus::Pagar => self.goal_in_progress,
            GoalStatus::Genomfort => self.goal_done,
            GoalStatus::Forsenat => self.goal_late,
            GoalStatus::Installt => self.goal_cancelled,
        }
    }

    /// The kind of an instruction (a column of the area coverage table).
    pub fn instruction_kind(&self, k: InstructionKind) -> &'static str {
        match k {
            InstructionKind::Forvaltning => self.kind_management,
            InstructionKind::Drift => self.kind_operations,
            InstructionKind::Anvandare => self.kind_users,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_is_there_in_both_languages() {
        for texts in [&SV, &EN] {
            for (name, text) in texts.fields() {
                assert!(!text.trim().is_empty(), "{name} is empty");
            }
        }
    }

    #[test]
    fn placeholders_are_the_same_in_both_languages() {
        let holes = |s: &str| -> Vec<String> {
            s.split('{')
                .skip(1)
                .filter_map(|p| p.split_once('}'))
                .map(|(h, _)| h.to_string())
                .collect()
        };
        for ((name, sv), (_, en)) in SV.fields().into_iter().zip(EN.fields()) {
            assert_eq!(holes(sv), holes(en), "{name}");
        }
    }

    #[test]
    fn templates_see_the_labels_and_not_the_terms() {
        let t = serde_json::to_value(&SV).expect("texts serialise");
        assert_eq!(t["restricted"], SV.restricted);
        // A field named by a keyword keeps its name: `t.type`.
        assert_eq!(t["type"], SV.r#type);
        assert!(t.get("type_policy").is_none() && t.get("kind_users").is_none());
    }
}
