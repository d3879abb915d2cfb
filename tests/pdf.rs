//! `build --pdf`: every published document as a tagged PDF/A with its
//! document control, read back with poppler (`pdftotext`, `pdfinfo`,
//! `pdfimages`) and qpdf. These tools are required: scripts/test.sh
//! installs them, and a test fails (never skips) without them.

mod common;

use common::git::git;
use common::TestSite;
use std::path::Path;
use std::process::Command;

/// Runs a PDF tool, failing loudly when it is not installed.
fn tool(name: &str, args: &[&str], pdf: &Path) -> String {
    let out = Command::new(name)
        .args(args)
        .arg(pdf)
        .output()
        .unwrap_or_else(|e| {
            panic!("`{name}` cannot be run ({e}): install poppler-utils and qpdf (scripts/test.sh does)")
        });
    assert!(
        out.status.success(),
        "{name} {args:?} {}: {}",
        pdf.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The text of a PDF, pages separated by form feeds.
fn pdftotext(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap_or_else(|e| {
            panic!("`pdftotext` cannot be run ({e}): install poppler-utils (scripts/test.sh does)")
        });
    assert!(out.status.success(), "pdftotext {}", pdf.display());
    String::from_utf8_lossy(&out.stdout).replace('\u{a0}', " ")
}

/// `pdfinfo`'s fields.
fn info(pdf: &Path) -> Vec<(String, String)> {
    tool("pdfinfo", &[], pdf)
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

fn field<'a>(info: &'a [(String, String)], key: &str) -> &'a str {
    info.iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("pdfinfo has no {key}: {info:?}"))
}

/// The PDF's objects, as qpdf's JSON gives them.
fn objects(pdf: &Path) -> Vec<serde_json::Value> {
    let json: serde_json::Value =
        serde_json::from_str(&tool("qpdf", &["--json", "--json-key=qpdf"], pdf))
            .expect("qpdf --json");
    json["qpdf"][1]
        .as_object()
        .expect("qpdf objects")
        .values()
        .map(|o| o["value"].clone())
        .collect()
}

/// The document catalog.
fn catalog(pdf: &Path) -> serde_json::Value {
    objects(pdf)
        .into_iter()
        .find(|v| v["/Type"] == "/Catalog")
        .expect("a catalog")
}

/// The title of the basic fixture's instruction Drift.
const DRIFT_TITLE: &str = "IT-säkerhetsinstruktion: Drift";

fn out(site: &TestSite, rel: &str) -> std::path::PathBuf {
    site.path().join("output").join(rel)
}

fn pdfs(site: &TestSite) -> Vec<String> {
    site.output_files()
        .into_iter()
        .filter(|f| f.ends_with(".pdf"))
        .collect()
}

#[test]
fn the_policy_pdf_has_its_headings_control_values_and_page_numbers() {
    let site = TestSite::fixture("basic");
    site.build_with(&["--pdf"]);
    let pdf = out(&site, "pdf/policy.pdf");
    let text = pdftotext(&pdf);
    for expected in [
        "Testkommun",
        "IT-säkerhetspolicy",
        "1 Inledning",
        "2 Mål",
        "Mål för arbetet.",
        "Dokumentinformation",
        "Version",
        "2.0",
        "Fastställd",
        "IT-säkerhetssamordnare",
        "2026-03-16",
        "Kommunfullmäktige",
        "Nästa revision",
        "2027-03-31",
        "Informationsklass",
        "Öppen",
    ] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }
    // Where the page draws the hierarchy figure, the PDF lists the
    // governing documents: the policy, an instruction below it.
    let figure = common::between(&text, "Policyn konkretiseras", "2 Mål");
    assert!(
        figure.contains("IT-säkerhetspolicy") && figure.contains(DRIFT_TITLE),
        "{figure}"
    );
    // pdfinfo: tagged, titled, and as many pages as the footers count.
    let info = info(&pdf);
    assert_eq!(field(&info, "Tagged"), "yes");
    assert_eq!(field(&info, "Title"), "IT-säkerhetspolicy");
    let pages: usize = field(&info, "Pages").parse().expect("a page count");
    let last = text
        .trim_end_matches('\u{c}')
        .rsplit('\u{c}')
        .next()
        .unwrap_or("");
    assert!(
        last.contains(&format!("Sida {pages} av {pages}")),
        "{pages} pages, last page:\n{last}"
    );
    // Every published document has one; the page links it.
    for doc in [
        "policy",
        "instruktioner/anvandare",
        "instruktioner/drift",
        "planer/lon",
    ] {
        assert!(out(&site, &format!("pdf/{doc}.pdf")).is_file(), "{doc}");
    }
    let page = site.output("instruktioner/drift.html");
    assert!(
        page.contains("<p class=\"doc-pdf\"><a href=\"../pdf/instruktioner/drift.pdf\" download"),
        "{page}"
    );
}

#[test]
fn a_pdf_is_tagged_pdf_a_with_a_structure_tree_and_the_site_language() {
    let site = TestSite::fixture("basic");
    site.build_with(&["--pdf"]);
    let pdf = out(&site, "pdf/policy.pdf");
    let cat = catalog(&pdf);
    assert!(cat["/StructTreeRoot"].is_string(), "{cat}");
    assert_eq!(cat["/Lang"], "u:sv", "{cat}");
    assert_eq!(cat["/MarkInfo"]["/Marked"], true, "{cat}");
    let objs = objects(&pdf);
    let struct_types: Vec<&str> = objs.iter().filter_map(|o| o["/S"].as_str()).collect();
    for tag in ["/Document", "/H1", "/H2", "/P", "/Table", "/TH", "/TD"] {
        assert!(struct_types.contains(&tag), "no {tag} in {struct_types:?}");
    }
    // The XMP metadata claims PDF/A-2a.
    let bytes = std::fs::read(&pdf).expect("read");
    let raw = String::from_utf8_lossy(&bytes);
    assert!(
        raw.contains("<pdfaid:part>2</pdfaid:part><pdfaid:conformance>A</pdfaid:conformance>"),
        "no PDF/A-2a identification"
    );
}

#[test]
fn an_english_site_numbers_pages_in_english_and_says_en() {
    let site = TestSite::fixture("basic").edited(
        "styrdok.toml",
        "title = \"Testkommun\"",
        "title = \"Testkommun\"\nlanguage = \"en\"",
    );
    site.build_with(&["--pdf"]);
    let pdf = out(&site, "pdf/policy.pdf");
    let text = pdftotext(&pdf);
    assert!(text.contains("Page 1 of "), "{text}");
    assert!(text.contains("Document information"), "{text}");
    assert_eq!(catalog(&pdf)["/Lang"], "u:en");
}

#[test]
fn pdf_true_in_the_configuration_builds_them_and_a_plain_build_does_not() {
    let site = TestSite::fixture("basic");
    site.build();
    assert_eq!(pdfs(&site), Vec::<String>::new());
    assert!(!site.output("policy.html").contains("doc-pdf"));
    let site = site.edited("styrdok.toml", "[publish]\n", "[publish]\npdf = true\n");
    site.build();
    assert!(
        pdfs(&site).contains(&"pdf/policy.pdf".to_string()),
        "{:?}",
        pdfs(&site)
    );
    assert!(site.output("policy.html").contains("class=\"doc-pdf\""));
}

#[test]
fn the_same_site_gives_the_same_bytes() {
    let a = TestSite::fixture("basic");
    a.build_with(&["--pdf"]);
    let first: Vec<(String, Vec<u8>)> = pdfs(&a)
        .into_iter()
        .map(|p| (p.clone(), std::fs::read(out(&a, &p)).expect("read")))
        .collect();
    assert!(!first.is_empty());
    // Built again in place, and elsewhere on disk.
    a.build_with(&["--pdf"]);
    let b = TestSite::fixture("basic");
    b.build_with(&["--pdf"]);
    for (p, bytes) in &first {
        assert!(
            std::fs::read(out(&a, p)).expect("read") == *bytes,
            "{p} changed on rebuild"
        );
        assert!(
            std::fs::read(out(&b, p)).expect("read") == *bytes,
            "{p} differs elsewhere"
        );
    }
}

const MARKERS: [&str; 4] = [
    "HEMLIGTITEL4711",
    "hemlig-plan-4712",
    "HEMLIGTEXT4713",
    "hemligrubrik4714",
];

#[test]
fn a_restricted_document_has_no_pdf_and_appears_in_none() {
    let site = TestSite::fixture("basic").with("publish/restricted");
    // Both documents change after a tag: the routine gets a redline PDF,
    // the restricted plan none.
    let git = git(site.path());
    git.init_with_commit("Alla dokument").run(&["tag", "v1.0"]);
    site.edit("content/planer/hemlig.md", "om larmet", "om larmet, ändrat");
    site.edit("content/rutin.md", "Se [den", "Läs och se [den");
    git.commit_all("Ändring");
    site.build_with(&["--pdf"]);
    let all = pdfs(&site);
    assert!(all.contains(&"pdf/rutin.pdf".to_string()), "{all:?}");
    assert!(
        all.contains(&"pdf/rutin.andringar-v1.0.pdf".to_string()),
        "{all:?}"
    );
    assert!(!all.iter().any(|p| p.contains("hemlig")), "{all:?}");
    // The text of every PDF (which is compressed in the file), and every
    // other file's bytes.
    for p in &all {
        let text = pdftotext(&out(&site, p)).to_lowercase();
        for m in MARKERS {
            assert!(!text.contains(&m.to_lowercase()), "{m} in {p}:\n{text}");
        }
    }
    assert_eq!(
        common::left_on_disk_with(site.path(), &MARKERS),
        Vec::<String>::new()
    );
    // The routine's link keeps its text; its governing document is named
    // as restricted, not by its title.
    let rutin = pdftotext(&out(&site, "pdf/rutin.pdf"));
    assert!(rutin.contains("den skyddade planen"), "{rutin}");
    assert!(rutin.contains("Begränsad åtkomst"), "{rutin}");
    // Raised, the limit publishes it: the test can see a leak.
    site.build_with(&["--pdf", "--max-klassning", "konfidentiell"]);
    let text = pdftotext(&out(&site, "pdf/planer/hemlig.pdf"));
    assert!(text.contains("HEMLIGTEXT4713"), "{text}");
}

/// Text that is Typst syntax, in a title, a heading and a body.
const INJECTED: &str = "---
titel: 'Rutin #read(\"/etc/passwd\") ] [ $x$ \\ *fet* #set page(width: 1cm)'
typ: dokument
id: injektion
status: fastställd
version: \"1.0\"
dokumentägare: 'Ägare #panic(\"boom\")'
fastställd: 2026-03-16
fastställd_av: Nämnd
nästa_revision: 2027-03-31
klassning: öppen
överordnad: policy
---

## Rubrik #import \"@preview/cetz:0.3.0\"

Text #read(\"/etc/passwd\") och #include \"/etc/hostname\" ] [ $ a^2 $ \\\\ \\* `#eval(\"1+1\")` <label> @ref // kommentar

- punkt #{ panic() } ]
";

#[test]
fn typst_syntax_in_a_document_is_text_in_its_pdf() {
    let site = TestSite::fixture("basic").file("content/injektion.md", INJECTED);
    site.build_with(&["--pdf"]);
    let pdf = out(&site, "pdf/injektion.pdf");
    let text = pdftotext(&pdf);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for literal in [
        "Rutin #read(\"/etc/passwd\") ] [ $x$ \\ *fet* #set page(width: 1cm)",
        "Ägare #panic(\"boom\")",
        "Rubrik #import \"@preview/cetz:0.3.0\"",
        "Text #read(\"/etc/passwd\") och #include \"/etc/hostname\" ] [ $ a^2 $ \\ * #eval(\"1+1\") @ref // kommentar",
        "punkt #{ panic() } ]",
    ] {
        assert!(flat.contains(literal), "{literal:?} not in:\n{flat}");
    }
    assert!(!text.contains("root:"), "{text}");
    // `<label>` is HTML, which no PDF carries (as no page publishes it).
    assert!(!text.contains("<label>"), "{text}");
    // The list is a list.
    let objs = objects(&pdf);
    let tags: Vec<&str> = objs.iter().filter_map(|o| o["/S"].as_str()).collect();
    assert!(tags.contains(&"/L") && tags.contains(&"/LI"), "{tags:?}");
    assert_eq!(
        field(&info(&pdf), "Title"),
        "Rutin #read(\"/etc/passwd\") ] [ $x$ \\ *fet* #set page(width: 1cm)"
    );
}

#[test]
fn tables_repeat_their_header_footnotes_and_images_are_typeset() {
    let mut body = String::from("## Tabell\n\n| Kolumnrubrik A | B |\n|---|---|\n");
    for n in 0..90 {
        body.push_str(&format!("| rad {n} | värde {n} |\n"));
    }
    body.push_str("\nEn mening med fotnot.[^1]\n\n[^1]: Fotnotens text.\n\n![Diagram över ansvaret](bild.png)\n");
    let doc = format!(
        "---\ntitel: Lång rutin\ntyp: dokument\nid: lang\nstatus: fastställd\nversion: \"1.0\"\ndokumentägare: IT-chef\nfastställd: 2026-03-16\nfastställd_av: IT-chef\nnästa_revision: 2027-03-31\nklassning: öppen\növerordnad: policy\n---\n\n{body}"
    );
    let site = TestSite::fixture("basic").file("content/lang.md", &doc);
    site.write("content/bild.png", PNG);
    site.build_with(&["--pdf"]);
    let pdf = out(&site, "pdf/lang.pdf");
    let text = pdftotext(&pdf);
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert!(pages.len() >= 2, "{text}");
    // The header row on every page the table spans.
    let spanned: Vec<&&str> = pages.iter().filter(|p| p.contains("rad ")).collect();
    assert!(spanned.len() >= 2, "{text}");
    for p in &spanned {
        assert!(p.contains("Kolumnrubrik A"), "no header on:\n{p}");
    }
    assert!(text.contains("rad 89"), "{text}");
    // The footnote's text stands on the page of its reference.
    let with_ref = pages
        .iter()
        .find(|p| p.contains("En mening med fotnot"))
        .expect("the footnote's page");
    assert!(with_ref.contains("Fotnotens text."), "{with_ref}");
    // The image, once (its alpha channel is a second, `smask`, entry).
    let images = tool("pdfimages", &["-list"], &pdf);
    let rows = images
        .lines()
        .filter(|l| l.split_whitespace().nth(2) == Some("image"))
        .count();
    assert_eq!(rows, 1, "{images}");
}

#[test]
fn the_hierarchy_lists_every_document_however_deep() {
    // A chain of ten routines, each governed by the one before: deeper
    // than lists nest, yet every one is in the policy's PDF.
    let mut site = TestSite::fixture("basic");
    for n in 1..=10 {
        let parent = if n == 1 {
            "policy".to_string()
        } else {
            format!("r{}", n - 1)
        };
        let doc = format!(
            "---\ntitel: Rutinnivå {n}\ntyp: dokument\nid: r{n}\nstatus: fastställd\nversion: \"1.0\"\ndokumentägare: IT-chef\nfastställd: 2026-03-16\nfastställd_av: IT-chef\nnästa_revision: 2027-03-31\nklassning: öppen\növerordnad: {parent}\n---\n\nText.\n"
        );
        site = site.file(&format!("content/rutiner/r{n}.md"), &doc);
    }
    site.build_with(&["--pdf"]);
    let text = pdftotext(&out(&site, "pdf/policy.pdf"));
    let figure = common::between(&text, "Policyn konkretiseras", "2 Mål");
    for n in 1..=10 {
        assert!(figure.contains(&format!("Rutinnivå {n}")), "{n}: {figure}");
    }
    // In the hierarchy's order.
    let at = |n: usize| figure.find(&format!("Rutinnivå {n}\n")).expect("listed");
    assert!((1..10).all(|n| at(n) < at(n + 1)), "{figure}");
}

#[test]
fn a_cmyk_jpeg_is_printed_in_rgb_at_its_resolution() {
    // PDF/A forbids a CMYK image without a colour profile, and Typst
    // embeds JPEGs as they are: this one (40 x 30 pixels at 150 dpi,
    // orange) would stop the build.
    let doc = "---\ntitel: Bildrutin\ntyp: dokument\nid: bild\nstatus: fastställd\nversion: \"1.0\"\ndokumentägare: IT-chef\nfastställd: 2026-03-16\nfastställd_av: IT-chef\nnästa_revision: 2027-03-31\nklassning: öppen\növerordnad: policy\n---\n\n![Tryckfärger](tryck.jpg)\n";
    let site = TestSite::fixture("basic").file("content/bild.md", doc);
    site.write(
        "content/tryck.jpg",
        &std::fs::read("tests/fixtures/images/cmyk.jpg").expect("fixture"),
    );
    site.build_with(&["--pdf"]);
    let pdf = out(&site, "pdf/bild.pdf");
    let list = tool("pdfimages", &["-list"], &pdf);
    let row: Vec<&str> = list
        .lines()
        .find(|l| l.split_whitespace().nth(2) == Some("image"))
        .expect("an image")
        .split_whitespace()
        .collect();
    // width, height, colour, components, and x-ppi, y-ppi.
    assert_eq!(
        (row[3], row[4], row[5], row[6]),
        ("40", "30", "icc", "3"),
        "{list}"
    );
    assert_eq!((row[12], row[13]), ("150", "150"), "{list}");
}

#[test]
fn an_image_typst_cannot_read_is_an_error_at_its_line() {
    let doc = "---\ntitel: Bildrutin\ntyp: dokument\nid: bild\nstatus: fastställd\nversion: \"1.0\"\ndokumentägare: IT-chef\nfastställd: 2026-03-16\nfastställd_av: IT-chef\nnästa_revision: 2027-03-31\nklassning: öppen\növerordnad: policy\n---\n\nText.\n\n![Trasig](trasig.png)\n";
    let site = TestSite::fixture("basic").file("content/bild.md", doc);
    site.write("content/trasig.png", b"not a png");
    site.build();
    let before = site.output_files();
    let run = site.run(&["build", "--pdf"]);
    assert!(!run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("content/bild.md:17"), "{stderr}");
    assert!(stderr.contains("PDF"), "{stderr}");
    // The failed build left the previous output as it was.
    assert_eq!(site.output_files(), before);
}

#[test]
fn a_character_the_fonts_lack_is_an_error_where_it_is_written() {
    let doc = "---\ntitel: Teckenrutin\ntyp: dokument\nid: tecken\nstatus: fastställd\nversion: \"1.0\"\ndokumentägare: IT-chef\nfastställd: 2026-03-16\nfastställd_av: IT-chef\nnästa_revision: 2027-03-31\nklassning: öppen\növerordnad: policy\n---\n\nAvstavning: säker\u{ad}hets\u{200b}kopiering, 👍\u{fe0f}.\n\nEn glad min 🙂 och 中文.\n";
    let site = TestSite::fixture("basic").file("content/tecken.md", doc);
    site.build();
    let before = site.output_files();
    let run = site.run(&["build", "--pdf"]);
    assert!(!run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    // The first one, at its line and column, and the others named.
    assert!(stderr.contains("content/tecken.md:15:35"), "{stderr}");
    assert!(stderr.contains("👍 (U+1F44D)"), "{stderr}");
    assert!(
        stderr.contains("🙂 (U+1F642), 中 (U+4E2D), 文 (U+6587)"),
        "{stderr}"
    );
    // Soft hyphens, zero-width spaces and variation selectors are no glyphs.
    assert!(
        !stderr.contains("U+00AD") && !stderr.contains("U+200B") && !stderr.contains("U+FE0F"),
        "{stderr}"
    );
    assert_eq!(site.output_files(), before);
    // Without the emoji and the Chinese, the same invisible characters print.
    let site = site.edited("content/tecken.md", ", 👍\u{fe0f}", "\u{fe0f}");
    let site = site.edited("content/tecken.md", " 🙂 och 中文", "");
    site.build_with(&["--pdf"]);
    assert!(pdftotext(&site.path().join("output/pdf/tecken.pdf")).contains("Avstavning"));
}

#[test]
fn links_to_other_documents_use_base_url_when_it_is_set() {
    let doc = "---\ntitel: Länkrutin\ntyp: dokument\nid: lankar\nstatus: fastställd\nversion: \"1.0\"\ndokumentägare: IT-chef\nfastställd: 2026-03-16\nfastställd_av: IT-chef\nnästa_revision: 2027-03-31\nklassning: öppen\növerordnad: policy\n---\n\nSe [instruktionen](instruktioner/drift.md#jour-och-beredskap) och [webben](https://example.se/a).\n";
    let uris = |site: &TestSite| -> Vec<String> {
        let mut found = Vec::new();
        for o in objects(&out(site, "pdf/lankar.pdf")) {
            collect_uris(&o, &mut found);
        }
        found
    };
    let site = TestSite::fixture("basic").file("content/lankar.md", doc);
    site.build_with(&["--pdf"]);
    assert_eq!(uris(&site), vec!["https://example.se/a".to_string()]);
    let site = site.edited(
        "styrdok.toml",
        "[publish]\n",
        "[publish]\nbase_url = \"https://intranat.example/it/\"\n",
    );
    site.build_with(&["--pdf"]);
    let mut found = uris(&site);
    found.sort();
    assert_eq!(
        found,
        vec![
            "https://example.se/a".to_string(),
            "https://intranat.example/it/instruktioner/drift.html#jour-och-beredskap".to_string()
        ]
    );
}

#[test]
fn a_document_changed_since_the_last_tag_gets_a_redline_pdf() {
    let site = TestSite::fixture("basic");
    let git = git(site.path());
    git.init_with_commit("Första").run(&["tag", "v1"]);
    site.edit(
        "content/policy.md",
        "Mål för arbetet.",
        "Nya mål för arbetet.\n\nEtt tillagt stycke om loggning.",
    );
    site.edit(
        "content/policy.md",
        "Policyn konkretiseras i instruktioner.",
        "Policyn konkretiseras.",
    );
    git.commit_all("Ändrad policy");
    site.build_with(&["--pdf"]);
    let all = pdfs(&site);
    assert!(
        all.contains(&"pdf/policy.andringar-v1.pdf".to_string()),
        "{all:?}"
    );
    // Only the changed document has one.
    assert_eq!(
        all.iter().filter(|p| p.contains(".andringar-")).count(),
        1,
        "{all:?}"
    );
    let text = pdftotext(&out(&site, "pdf/policy.andringar-v1.pdf"));
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "Ändringar sedan v1",
        "Teckenförklaring",
        "+Nya",
        "+Ett tillagt stycke om loggning.",
        "−i instruktioner.",
        "2 Mål",
    ] {
        assert!(flat.contains(expected), "{expected:?} not in:\n{flat}");
    }
    assert_eq!(
        field(&info(&out(&site, "pdf/policy.andringar-v1.pdf")), "Tagged"),
        "yes"
    );
    // The versions page links it, as the decision appendix of the change.
    let versions = site.output("versioner/index.html");
    let section = common::between(
        &versions,
        "<section aria-labelledby=\"redlines-heading\">",
        "</section>",
    );
    assert!(section.contains("Ändringar sedan v1 som PDF"), "{section}");
    assert!(
        section.contains("<a href=\"../pdf/policy.andringar-v1.pdf\">IT-säkerhetspolicy</a>"),
        "{section}"
    );
    assert_eq!(section.matches("<li>").count(), 1, "{section}");
    // Without --pdf the page has no such list.
    site.build();
    assert!(!site
        .output("versioner/index.html")
        .contains("redlines-heading"));
}

/// A 1×1 PNG.
const PNG: &[u8] = &[
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0,
    0, 0, 31, 21, 196, 137, 0, 0, 0, 13, 73, 68, 65, 84, 120, 218, 99, 100, 96, 248, 95, 15, 0, 2,
    135, 1, 128, 235, 71, 186, 146, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96, 130,
];

#[test]
fn the_sites_own_fields_for_print_are_in_the_control_block() {
    let site = TestSite::fixture("basic");
    let toml = site.read("styrdok.toml");
    site.write(
        "styrdok.toml",
        format!("{toml}\n[fields.beslutsparagraf]\ntype = \"text\"\nlabel = \"Beslutsparagraf\"\nshow = [\"print\"]\n\n[fields.antal_sidor]\ntype = \"number\"\nlabel = \"Antal sidor\"\nshow = [\"page\"]\n").as_bytes(),
    );
    site.edit(
        "content/policy.md",
        "dokumentägare:",
        "beslutsparagraf: KF § 57\nantal_sidor: 12\ndokumentägare:",
    );
    site.build_with(&["--pdf"]);
    let text = pdftotext(&out(&site, "pdf/policy.pdf"));
    assert!(
        text.contains("Beslutsparagraf") && text.contains("KF § 57"),
        "{text}"
    );
    assert!(!text.contains("Antal sidor"), "{text}");
}

#[test]
fn deeply_nested_markdown_still_makes_a_pdf() {
    let quotes = format!("{} djupt citat\n\n", ">".repeat(150));
    let lists: String = (0..60)
        .map(|n| format!("{}- nivå {n}\n", "  ".repeat(n)))
        .collect();
    let doc = format!(
        "---\ntitel: Djup\ntyp: dokument\nid: djup\nstatus: fastställd\nversion: \"1.0\"\ndokumentägare: IT-chef\nfastställd: 2026-03-16\nfastställd_av: IT-chef\nnästa_revision: 2027-03-31\nklassning: öppen\növerordnad: policy\n---\n\n{quotes}{lists}"
    );
    let site = TestSite::fixture("basic").file("content/djup.md", &doc);
    site.build_with(&["--pdf"]);
    let text = pdftotext(&out(&site, "pdf/djup.pdf"));
    assert!(
        text.contains("djupt citat") && text.contains("nivå 59"),
        "{text}"
    );
}

#[test]
fn a_version_has_the_pdfs_of_its_own_texts_linked_from_its_pages() {
    let emoji = "---\ntitel: Glad rutin\ntyp: dokument\nid: glad\nstatus: fastställd\nversion: \"1.0\"\ndokumentägare: IT-chef\nfastställd: 2026-03-16\nfastställd_av: IT-chef\nnästa_revision: 2027-03-31\nklassning: öppen\növerordnad: policy\n---\n\nEn glad min 🙂.\n";
    let site = TestSite::fixture("basic")
        .file("content/glad.md", emoji)
        .edited(
            "styrdok.toml",
            "[publish]\n",
            "[publish]\nbase_url = \"https://intranat.example/it/\"\n",
        );
    let git = git(site.path());
    git.init_with_commit("Första").run(&["tag", "v1"]);
    // After the tag the policy changes and the emoji, which no PDF/A can
    // hold, is written in words.
    site.edit(
        "content/policy.md",
        "Policyn konkretiseras i instruktioner.",
        "Policyn konkretiseras i tre instruktioner.",
    );
    site.edit("content/glad.md", "🙂", "(ler)");
    git.commit_all("Ändrad policy");
    let run = site.run(&["build", "--pdf"]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    // The tag's own text, beside today's.
    let old = pdftotext(&out(&site, "versioner/v1/pdf/policy.pdf"));
    let new = pdftotext(&out(&site, "pdf/policy.pdf"));
    assert!(
        old.contains("Policyn konkretiseras i instruktioner."),
        "{old}"
    );
    assert!(
        new.contains("Policyn konkretiseras i tre instruktioner."),
        "{new}"
    );
    assert_eq!(
        field(&info(&out(&site, "versioner/v1/pdf/policy.pdf")), "Tagged"),
        "yes"
    );
    // The version's pages link it: the document's page and the change log.
    let page = site.output("versioner/v1/policy.html");
    assert!(
        page.contains("<p class=\"doc-pdf\"><a href=\"pdf/policy.pdf\" download"),
        "{page}"
    );
    let log = site.output("versioner/v1/andringar.html");
    assert!(log.contains("href=\"pdf/policy.pdf\" download"), "{log}");
    // A tag cannot be mended: its document that no PDF can hold gets none
    // and a warning, not a stopped build, and its page links none.
    assert!(!out(&site, "versioner/v1/pdf/glad.pdf").exists());
    assert!(out(&site, "pdf/glad.pdf").exists());
    assert!(!site.output("versioner/v1/glad.html").contains("doc-pdf"));
    assert!(
        stderr.contains("in tag v1:") && stderr.contains("U+1F642"),
        "{stderr}"
    );
    // The redline of the change names what it removed that no PDF holds.
    let redline = pdftotext(&out(&site, "pdf/glad.andringar-v1.pdf"));
    assert!(redline.contains("[U+1F642]"), "{redline}");
    // Links to other documents point at the version on the published site.
    let mut uris = Vec::new();
    for o in objects(&out(&site, "versioner/v1/pdf/instruktioner/drift.pdf")) {
        collect_uris(&o, &mut uris);
    }
    assert!(
        uris.iter()
            .any(|u| u.starts_with("https://intranat.example/it/versioner/v1/policy.html#")),
        "{uris:?}"
    );
    // Without --pdf the version is built again, without PDFs.
    site.build();
    assert!(!out(&site, "versioner/v1/pdf").exists());
    assert!(!site.output("versioner/v1/policy.html").contains("doc-pdf"));
}

/// The `/URI`s of a PDF's link annotations, from qpdf's objects.
fn collect_uris(v: &serde_json::Value, found: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v.as_str()) {
                    ("/URI", Some(u)) => found.push(u.trim_start_matches("u:").to_string()),
                    _ => collect_uris(v, found),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_uris(v, found)),
        _ => {}
    }
}
