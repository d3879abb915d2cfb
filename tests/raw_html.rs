//! Raw HTML in documents: what the sanitiser allows comes through whole,
//! what it removes is reported from what it actually removed, and inputs
//! built to be slow are handled in linear time.

mod common;

use common::TestSite;

/// The basic site and the routine of `tests/fixtures/raw_html/<case>`.
fn case(name: &str) -> TestSite {
    TestSite::fixture("basic").with(&format!("raw_html/{name}"))
}

/// The front matter of the routine, open for more keys.
const FRONT: &str = "---\ntitel: Rutin\ntyp: dokument\nstatus: utkast\nversion: \"0.1\"\ndokumentägare: IT-chef\nnästa_revision: 2027-06-30\növerordnad: policy\n";

/// The basic site and a routine with this (generated) body.
fn site_with(body: &str) -> TestSite {
    TestSite::fixture("basic").file("content/rutin.md", &format!("{FRONT}---\n\n{body}"))
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
    let site = case("allowed");
    assert_eq!(codes(&site), Vec::<(String, String)>::new());
    site.build();
    let page = site.body("rutin.html");
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
    insta::assert_snapshot!(page);
}

#[test]
fn the_warning_names_what_the_sanitiser_removed() {
    let site = case("removed");
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
    let page = site.body("rutin.html");
    for bad in ["onclick", "onmouseover", "color: red", "<object"] {
        assert!(!page.contains(bad), "{bad} in {page}");
    }
    assert!(page.contains("<span class=\"x\">klicka</span>"), "{page}");
    insta::assert_snapshot!(page);
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
    let page = site.body("rutin.html");
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
        &format!("{FRONT}{keys}egen7: igen\n---\n\nText.\n"),
    );
    // Not a speed test: a guard against quadratic work. 30 s of CPU is
    // several times what this takes in a debug build and a fraction of
    // what comparing every key with every other took.
    let out = site.run_with_cpu_limit(30, &["check", "--format", "json"]);
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
