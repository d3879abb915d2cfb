//! Raw HTML in documents: what the sanitiser allows comes through whole,
//! what it removes is reported from what it actually removed, and inputs
//! built to be slow are handled in linear time.

mod common;

use common::TestSite;

fn site_with(body: &str) -> TestSite {
    TestSite::fixture("basic").file(
        "content/rutin.md",
        &format!("---\ntitel: Rutin\ntyp: dokument\nstatus: utkast\nversion: \"0.1\"\ndokumentägare: IT-chef\nnästa_revision: 2027-06-30\növerordnad: policy\n---\n\n{body}"),
    )
}

/// The body of a built page.
fn body(site: &TestSite, page: &str) -> String {
    let html = site.output(page);
    let start = html.find("<div class=\"doc-body\">").expect("body");
    let end = html.find("doc-history").expect("end of body");
    html[start..end].to_string()
}

fn codes(site: &TestSite) -> Vec<(String, String)> {
    site.check_json()
        .iter()
        .filter(|d| d["file"] == "content/rutin.md")
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn allowed_inline_and_block_html_round_trips() {
    let site = site_with(
        "Enligt <abbr title=\"Myndigheten för samhällsskydd och beredskap\">MSB</abbr> och <span class=\"x\">t</span>.\n\n<div class=\"note\">\n\nMarkdown **inuti** rutan.\n\n</div>\n\n<div class=\"ruta\"><b>Fet</b> text</div>\n",
    );
    assert_eq!(codes(&site), Vec::<(String, String)>::new());
    site.build();
    let page = body(&site, "rutin.html");
    for kept in [
        "<abbr title=\"Myndigheten för samhällsskydd och beredskap\">MSB</abbr>",
        "<span class=\"x\">t</span>",
        "<div class=\"ruta\"><b>Fet</b> text</div>",
    ] {
        assert!(page.contains(kept), "{kept} in {page}");
    }
    let note = page.find("<div class=\"note\">").expect("the note");
    let inner = page[note..].find("<p>Markdown <strong>inuti</strong> rutan.</p>");
    let close = page[note..].find("</div>");
    assert!(
        matches!((inner, close), (Some(i), Some(c)) if i < c),
        "the note keeps its content: {page}"
    );
}

#[test]
fn the_warning_names_what_the_sanitiser_removed() {
    let site = site_with(
        "Text <span class=\"x\" onclick=\"stjäl()\">klicka</span> och <abbr title=\"t\" onmouseover=\"x()\">A</abbr>.\n\n<table><tr><td style=\"color: red\">cell</td></tr></table>\n\n<object data=\"x.swf\"></object>\n",
    );
    let found = codes(&site);
    let messages: Vec<&str> = found.iter().map(|(_, m)| m.as_str()).collect();
    assert!(found.iter().all(|(c, _)| c == "SD701"), "{found:?}");
    assert_eq!(
        messages,
        vec![
            "the attribute `onclick` of `<span>` is removed from the published page",
            "the attribute `onmouseover` of `<abbr>` is removed from the published page",
            "the attribute `style` of `<td>` is removed from the published page",
            "the element `<object>` is removed from the published page",
        ]
    );
    site.build();
    let page = body(&site, "rutin.html");
    for bad in ["onclick", "onmouseover", "color: red", "<object"] {
        assert!(!page.contains(bad), "{bad} in {page}");
    }
    assert!(page.contains("<span class=\"x\">klicka</span>"), "{page}");
}

#[test]
fn html_nested_beyond_the_limit_is_published_as_text() {
    let n = 100_000;
    let site = site_with(&format!(
        "{}<b>djup</b>{}\n",
        "<div>".repeat(n),
        "</div>".repeat(n)
    ));
    let found = codes(&site);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "SD701");
    assert!(found[0].1.contains("nested more than 256"), "{found:?}");
    site.build();
    let page = body(&site, "rutin.html");
    assert!(
        page.contains("&lt;div&gt;&lt;div&gt;") && !page.contains("<div><div>"),
        "published as text"
    );
}

#[test]
fn every_one_of_many_front_matter_keys_is_reported() {
    let n = 100_000;
    let keys: String = (0..n).map(|i| format!("egen{i}: x\n")).collect();
    let site = TestSite::fixture("basic").file(
        "content/rutin.md",
        &format!("---\ntitel: Rutin\ntyp: dokument\nstatus: utkast\nversion: \"0.1\"\ndokumentägare: IT-chef\nnästa_revision: 2027-06-30\növerordnad: policy\n{keys}egen7: igen\n---\n\nText.\n"),
    );
    // Not a speed test: a guard against quadratic work. 30 s of CPU is
    // several times what this takes in a debug build and a fraction of
    // what comparing every key with every other took.
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -t 30; exec \"$0\" check --format json --root \"$1\" --today \"$2\"")
        .arg(env!("CARGO_BIN_EXE_styrdok"))
        .arg(site.path())
        .arg(common::TODAY)
        .output()
        .expect("sh");
    assert!(
        out.status.code().is_some(),
        "check ran out of its CPU allowance: {:?}",
        out.status
    );
    let found: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("JSON");
    let unknown = found.iter().filter(|d| d["code"] == "SD105").count();
    let twice: Vec<_> = found.iter().filter(|d| d["code"] == "SD109").collect();
    assert_eq!(unknown, n);
    assert_eq!(twice.len(), 1, "the repeated key: {twice:?}");
    assert_eq!(twice[0]["line"], 9 + n as u64);
}
