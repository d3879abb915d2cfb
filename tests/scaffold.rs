//! `styrdok init` writes a site that checks clean; `styrdok new` extends it
//! and it still checks clean; the repository's example site is clean too.

mod common;

use common::{styrdok, TODAY};
use std::path::Path;

fn check_clean(root: &Path) {
    let out = styrdok(&["check", "--format", "json"], root);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.trim(), "[]", "diagnostics: {stdout}");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn init_writes_a_site_that_checks_clean_and_builds() {
    let tmp = tempfile::tempdir().expect("tmp");
    let site = tmp.path().join("ny-webbplats");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_styrdok"))
        .args(["init"])
        .arg(&site)
        .args(["--today", TODAY])
        .output()
        .expect("run");
    common::assert_success(&out);
    for f in [
        "styrdok.toml",
        "content/it-sakerhetspolicy.md",
        "content/systemregister.yaml",
        "content/planer/exempelsystem.md",
        "content/arsmal/arsmal.md",
    ] {
        assert!(site.join(f).is_file(), "{f}");
    }
    let policy =
        std::fs::read_to_string(site.join("content/it-sakerhetspolicy.md")).expect("policy");
    assert!(
        policy.contains("nästa_revision: 2027-11-27"),
        "dates are filled in"
    );
    check_clean(&site);
    // Every document of a new site is a draft: a build leaves them out
    // (and says so), `--drafts` publishes them.
    let out = styrdok(&["build"], &site);
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("6 drafts (utkast, remiss) left out"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!site.join("output/instruktioner/drift.html").exists());
    assert!(styrdok(&["build", "--drafts"], &site).status.success());
    assert!(styrdok(&["build", "--drafts"], &site).status.success());
    assert!(site.join("output/instruktioner/drift.html").is_file());
    // What builds leave beside the output is ignored by git.
    let ignore = std::fs::read_to_string(site.join(".gitignore")).expect("gitignore");
    let beside: Vec<String> = std::fs::read_dir(&site)
        .expect("site")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".output."))
        .collect();
    assert!(!beside.is_empty(), "a second build keeps a spare");
    assert!(ignore.lines().any(|l| l == "/output/"));
    assert!(
        ignore.lines().any(|l| l == "/.output.styrdok-*"),
        "{beside:?} are ignored"
    );
    // A second init into the same directory refuses.
    let again = std::process::Command::new(env!("CARGO_BIN_EXE_styrdok"))
        .arg("init")
        .arg(&site)
        .output()
        .expect("run");
    assert_eq!(again.status.code(), Some(2));
}

#[test]
fn new_documents_extend_an_init_site_and_it_stays_clean() {
    let tmp = tempfile::tempdir().expect("tmp");
    let site = tmp.path();
    assert!(styrdok(&["init", "."], site).status.success());
    // A plan for a system not yet in the register adds it there.
    let out = styrdok(&["new", "plan", "lonesystem"], site);
    common::assert_success(&out);
    assert!(String::from_utf8_lossy(&out.stdout).contains("added system `lonesystem`"));
    let plan = std::fs::read_to_string(site.join("content/planer/lonesystem.md")).expect("plan");
    for line in [
        "typ: systemsäkerhetsplan",
        "system: lonesystem",
        "id: plan-lonesystem",
        "nästa_revision: 2027-11-27",
        "## Hot- och riskanalys",
    ] {
        assert!(plan.contains(line), "{line} in {plan}");
    }
    // A plan for a system that is in the register takes its name and owner.
    let out = styrdok(&["new", "plan", "intranat"], site);
    common::assert_success(&out);
    let plan = std::fs::read_to_string(site.join("content/planer/intranat.md")).expect("plan");
    assert!(
        plan.contains("titel: Systemsäkerhetsplan Intranät")
            && plan.contains("dokumentägare: Kommunikationschef"),
        "{plan}"
    );
    let out = styrdok(
        &[
            "new",
            "dokument",
            "rutin-loggning",
            "--titel",
            "Rutin: loggning",
            "--parent",
            "förvaltning",
        ],
        site,
    );
    common::assert_success(&out);
    let doc =
        std::fs::read_to_string(site.join("content/dokument/rutin-loggning.md")).expect("doc");
    assert!(
        doc.contains("titel: \"Rutin: loggning\"") && doc.contains("överordnad: förvaltning"),
        "{doc}"
    );
    // A new plan claims no threat analysis: each is reported as never
    // analysed, at its empty `hotbild_analyserad`, until the author fills it.
    never_analysed_until_filled(site, &["lonesystem", "intranat"]);
    check_clean(site);
    // The same id twice is refused, and so is an unknown instruction kind.
    assert_eq!(
        styrdok(&["new", "dokument", "rutin-loggning"], site)
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        styrdok(&["new", "instruktion", "ekonomi"], site)
            .status
            .code(),
        Some(2)
    );
    // `--path` names a Markdown file in the content directory, nothing else.
    for outside in [
        "../utanfor.md",
        "content/../styrdok-ny.md",
        "content/rutin.txt",
    ] {
        let out = styrdok(&["new", "dokument", "rutin-ny", "--path", outside], site);
        assert_eq!(out.status.code(), Some(2), "{outside}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("must name a .md file inside"),
            "{outside}"
        );
    }
    assert!(!site.join("styrdok-ny.md").exists() && !site.join("../utanfor.md").exists());
    // `index.md` and `README.md` are start and folder pages, not documents.
    for args in [
        &["new", "dokument", "readme"][..],
        &[
            "new",
            "dokument",
            "rutin-ny",
            "--path",
            "content/rutiner/Index.md",
        ],
    ] {
        let out = styrdok(args, site);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("would be a start or folder page"),
            "{args:?}"
        );
    }
    let out = styrdok(
        &[
            "new",
            "dokument",
            "rutin-ny",
            "--path",
            "content/rutiner/ny.md",
        ],
        site,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(site.join("content/rutiner/ny.md").is_file());
}

/// `check` reports each new plan as never analysed (SD605, a warning, so
/// `--strict` fails), and nothing else; with a date written in, it is clean.
fn never_analysed_until_filled(site: &Path, plans: &[&str]) {
    let out = styrdok(&["check", "--format", "json"], site);
    assert_eq!(out.status.code(), Some(0), "warnings only");
    let diags: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let got: Vec<(String, String, u64, u64)> = diags
        .as_array()
        .expect("array")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["file"].as_str().unwrap_or_default().to_string(),
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let mut want: Vec<(String, String, u64, u64)> = plans
        .iter()
        .map(|p| ("SD605".to_string(), format!("content/planer/{p}.md"), 12, 1))
        .collect();
    want.sort();
    assert_eq!(got, want, "{diags:#}");
    assert!(diags[0]["message"]
        .as_str()
        .is_some_and(|m| m.contains("has not been made")));
    assert_eq!(styrdok(&["check", "--strict"], site).status.code(), Some(1));
    // Not shown as a current analysis on the follow-up page either.
    let out = styrdok(&["build", "--drafts"], site);
    common::assert_success(&out);
    let followup = std::fs::read_to_string(site.join("output/uppfoljning.html")).expect("page");
    assert!(followup.contains("Ej analyserad"), "{followup}");
    for p in plans {
        let path = site.join(format!("content/planer/{p}.md"));
        let text = std::fs::read_to_string(&path).expect("plan");
        let line = text
            .lines()
            .find(|l| l.starts_with("hotbild_analyserad:"))
            .expect("key")
            .to_string();
        let filled = text.replace(&line, "hotbild_analyserad: 2026-11-20");
        std::fs::write(&path, filled).expect("write");
    }
}

#[test]
fn new_instruction_has_every_required_area() {
    let tmp = tempfile::tempdir().expect("tmp");
    let site = tmp.path();
    assert!(styrdok(&["init", "."], site).status.success());
    std::fs::remove_file(site.join("content/instruktioner/drift.md")).expect("rm");
    let out = styrdok(&["new", "instruktion", "drift"], site);
    common::assert_success(&out);
    let text = std::fs::read_to_string(site.join("content/instruktioner/drift.md")).expect("new");
    assert!(
        text.contains("## Tillträdes- och brandskydd") && text.contains("instruktion: drift"),
        "{text}"
    );
    check_clean(site);
}

#[test]
fn the_example_site_checks_clean() {
    check_clean(Path::new(env!("CARGO_MANIFEST_DIR")));
}

#[test]
fn the_example_site_builds_every_document() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = styrdok(&["build", "--output"], root);
    assert_eq!(out.status.code(), Some(2), "--output needs a value");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_styrdok"))
        .args(["build", "--today", TODAY, "--root"])
        .arg(root)
        .arg("--output")
        .arg(tmp.path().join("site"))
        .output()
        .expect("run");
    common::assert_success(&out);
    let markdown: Vec<std::path::PathBuf> = common::walk(&root.join("content"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    let is_page = |p: &std::path::PathBuf| {
        let name = p.file_name().map(|n| n.to_string_lossy().to_lowercase());
        matches!(name.as_deref(), Some("readme.md" | "index.md"))
    };
    let docs = markdown.iter().filter(|p| !is_page(p)).count();
    // The start page's text is on the start page; each other page is a page.
    let folder_pages = markdown
        .iter()
        .filter(|p| is_page(p) && p.parent() != Some(&root.join("content")))
        .count();
    let out = tmp.path().join("site");
    let pages = common::walk(&out)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .filter(|p| !p.starts_with(out.join("historik")) && !p.starts_with(out.join("versioner")))
        .count();
    assert!(
        docs >= 11,
        "example has the policy, 3 instructions, 5+ plans, goals: {docs}"
    );
    assert_eq!(
        pages,
        docs + 6 + folder_pages,
        "a page per document and folder page, plus start, hierarchy, register, follow-up, area and search pages"
    );
}

/// `init --mall iso` into `site`; the files it wrote, relative to `site`.
fn init_iso(site: &Path) -> Vec<String> {
    let out = styrdok(&["init", ".", "--mall", "iso"], site);
    common::assert_success(&out);
    let mut files: Vec<String> = common::walk(site)
        .iter()
        .map(|p| {
            let rel = p.strip_prefix(site).expect("inside");
            rel.to_string_lossy().replace('\\', "/")
        })
        .collect();
    files.sort();
    files
}

#[test]
fn init_iso_writes_an_msb_site_that_checks_clean_and_builds() {
    let tmp = tempfile::tempdir().expect("tmp");
    let site = tmp.path();
    let files = init_iso(site);
    assert_eq!(
        files,
        [
            ".gitignore",
            "content/README.md",
            "content/informationssakerhetspolicy.md",
            "content/klassningsmodell.md",
            "content/riktlinje/behorighetshantering.md",
            "content/riktlinje/incidenthantering.md",
            "content/riktlinje/informationsklassning.md",
            "content/riktlinje/kontinuitet.md",
            "content/rutin/aterlasningstest.md",
            "content/rutin/behorighet.md",
            "content/rutin/incidentrapportering.md",
            "content/tillampningsforklaring.md",
            "styrdok.toml",
        ],
        "the MSB set: no instructions, plans, register or annual goals"
    );
    for f in &files {
        let text = std::fs::read_to_string(site.join(f)).expect("read");
        assert!(!text.contains("{{"), "{f}: every placeholder is filled in");
    }
    let policy =
        std::fs::read_to_string(site.join("content/informationssakerhetspolicy.md")).expect("read");
    for line in [
        "typ: policy",
        "fastställd: 2026-11-27",
        "nästa_revision: 2027-11-27",
        "diarienummer: KS 2026/123",
        "<!-- styrdok:hierarki -->",
    ] {
        assert!(policy.contains(line), "{line} in the policy");
    }
    check_clean(site);
    assert_eq!(styrdok(&["check", "--strict"], site).status.code(), Some(0));
    // Adopted, so the first build publishes every document.
    let out = styrdok(&["build"], site);
    common::assert_success(&out);
    let output = site.join("output");
    for page in [
        "informationssakerhetspolicy.html",
        "riktlinje/informationsklassning.html",
        "rutin/incidentrapportering.html",
        "klassningsmodell.html",
        "tillampningsforklaring.html",
    ] {
        assert!(output.join(page).is_file(), "{page}");
    }
    // The start page groups the site's own types, in declaration order.
    let index = std::fs::read_to_string(output.join("index.html")).expect("index");
    let groups: Vec<usize> = [
        "<h2 id=\"group-riktlinje\">Riktlinjer</h2>",
        "<h2 id=\"group-rutin\">Rutiner</h2>",
        "<h2 id=\"group-klassningsmodell\">Klassningsmodeller</h2>",
        "<h2 id=\"group-tillämpningsförklaring\">Tillämpningsförklaringar</h2>",
    ]
    .iter()
    .map(|h| index.find(h).unwrap_or_else(|| panic!("{h} in {index}")))
    .collect();
    assert!(groups.windows(2).all(|w| w[0] < w[1]), "{groups:?}");
    // The diarienummer is a search filter; the decision's paragraph is
    // printed, not shown.
    let search = std::fs::read_to_string(output.join("sok.html")).expect("search");
    assert!(search.contains("name=\"f-diarienummer\""), "{search}");
    let page = std::fs::read_to_string(output.join("informationssakerhetspolicy.html"))
        .expect("policy page");
    assert!(
        page.contains("class=\"field-beslutsparagraf print-only\""),
        "{page}"
    );
    let ignore = std::fs::read_to_string(site.join(".gitignore")).expect("gitignore");
    assert!(ignore.lines().any(|l| l == "/output/"));
}

#[test]
fn the_statement_of_applicability_names_every_annex_a_control_once() {
    let tmp = tempfile::tempdir().expect("tmp");
    let site = tmp.path();
    init_iso(site);
    let content = site.join("content");
    let text = std::fs::read_to_string(content.join("tillampningsforklaring.md")).expect("soa");
    // One row per control: | id | title | Ja/Nej | why | [document](link) |
    let rows: Vec<Vec<&str>> = text
        .lines()
        .filter_map(|l| l.strip_prefix("| ")?.strip_suffix(" |"))
        .map(|l| l.split(" | ").collect::<Vec<_>>())
        .filter(|cells| cells[0].starts_with(|c: char| c.is_ascii_digit()))
        .collect();
    let ids: Vec<&str> = rows.iter().map(|r| r[0]).collect();
    let want: Vec<String> = [(5, 37), (6, 8), (7, 14), (8, 34)]
        .iter()
        .flat_map(|&(theme, n)| (1..=n).map(move |i| format!("{theme}.{i}")))
        .collect();
    assert_eq!(want.len(), 93);
    assert_eq!(ids, want, "ISO/IEC 27001:2022 Annex A, in order, each once");
    let mut links = 0;
    for row in &rows {
        assert_eq!(row.len(), 5, "{row:?}");
        assert!(!row[1].is_empty() && !row[3].is_empty(), "{row:?}");
        assert!(matches!(row[2], "Ja" | "Nej"), "{row:?}");
        let target = row[4]
            .split_once("](")
            .and_then(|(_, rest)| rest.strip_suffix(')'))
            .unwrap_or_else(|| panic!("a link to a document in {row:?}"));
        // The file exists; `check` (clean) has seen to the headings.
        let (path, _anchor) = target.split_once('#').unwrap_or((target, ""));
        assert!(
            path.is_empty() || content.join(path).is_file(),
            "{} links to {target}",
            row[0]
        );
        links += 1;
    }
    assert_eq!(links, 93);
    check_clean(site);
    let out = styrdok(&["build"], site);
    common::assert_success(&out);
    let page =
        std::fs::read_to_string(site.join("output/tillampningsforklaring.html")).expect("page");
    for id in &want {
        assert_eq!(
            page.matches(&format!("<tr><td>{id}</td>")).count(),
            1,
            "{id} on the page once"
        );
    }
}

#[test]
fn init_writes_the_bits_set_unless_told_otherwise() {
    let tmp = tempfile::tempdir().expect("tmp");
    let read_all = |dir: &Path| -> Vec<(String, String)> {
        let mut files: Vec<(String, String)> = common::walk(dir)
            .iter()
            .map(|p| {
                let rel = p.strip_prefix(dir).expect("inside");
                (
                    rel.to_string_lossy().into_owned(),
                    std::fs::read_to_string(p).expect("read"),
                )
            })
            .collect();
        files.sort();
        files
    };
    common::assert_success(&styrdok(&["init", "utan"], tmp.path()));
    common::assert_success(&styrdok(&["init", "bits", "--mall", "bits"], tmp.path()));
    let default = read_all(&tmp.path().join("utan"));
    assert!(default
        .iter()
        .any(|(f, _)| f.ends_with("it-sakerhetspolicy.md")));
    assert_eq!(default, read_all(&tmp.path().join("bits")));
    // An unknown set is a usage error, and nothing is written.
    let out = styrdok(&["init", "annan", "--mall", "bitz"], tmp.path());
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("bitz") && stderr.contains("bits") && stderr.contains("iso"),
        "{stderr}"
    );
    assert!(!tmp.path().join("annan").exists());
}

#[test]
fn the_iso_site_opens_with_its_own_start_text_and_no_area_coverage() {
    let tmp = tempfile::tempdir().expect("tmp");
    let site = tmp.path();
    init_iso(site);
    let out = common::styrdok(&["build"], site);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let index = std::fs::read_to_string(site.join("output/index.html")).expect("index");
    assert!(index.contains("MSB:s metodstöd"), "the start text: {index}");
    assert!(
        index.contains("href=\"tillampningsforklaring.html\""),
        "{index}"
    );
    // No instruction, no areas: no coverage page, and no link to one.
    assert!(!site.join("output/omraden.html").exists());
    assert!(!index.contains("omraden.html"), "{index}");
}
