//! Bad input ends in a clear diagnostic or a correct page, never a panic,
//! in bounded time; a build killed at any moment leaves the previous
//! output intact.

mod common;

use common::TestSite;
use std::process::{Command, Stdio};
use std::time::Duration;

fn doc(extra_front: &str, body: &str) -> String {
    format!("---\ntitel: D\ntyp: dokument\nstatus: utkast\nversion: \"1\"\ndokumentägare: X\nnästa_revision: 2027-06-30\növerordnad: policy\n{extra_front}---\n\n{body}")
}

fn basic() -> TestSite {
    TestSite::fixture("basic")
}

fn no_panic(out: &std::process::Output) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        matches!(out.status.code(), Some(0..=2)),
        "exit {:?}: {err}",
        out.status.code()
    );
}

#[test]
fn invalid_utf8_is_reported_at_its_line() {
    let site = basic();
    site.write(
        "content/trasig.md",
        b"---\ntitel: A\n---\n\nR\xe4tt text i Latin-1.\n",
    );
    assert_eq!(
        site.codes(),
        vec![("SD004".into(), "content/trasig.md".into(), 5)]
    );
}

#[test]
fn empty_unclosed_and_mixed_line_endings() {
    let site = basic()
        .file("content/tom.md", "")
        .file("content/oavslutad.md", "---\ntitel: A\ntyp: dokument\n")
        .file(
            "content/blandad.md",
            &doc("", "Rad ett\r\nRad två\rRad tre\n")
                .replace("titel: D\n", "titel: D\r\nid: blandad\r\n"),
        );
    assert_eq!(
        site.codes(),
        vec![
            ("SD102".into(), "content/oavslutad.md".into(), 1),
            ("SD101".into(), "content/tom.md".into(), 1)
        ]
    );
}

#[test]
fn yaml_alias_bombs_are_refused_quickly() {
    let mut front = String::from("lol0: &a0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n");
    for i in 1..30 {
        front.push_str(&format!(
            "lol{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n",
            p = i - 1
        ));
    }
    front.push_str("titel: *a29\n");
    let site = basic().file(
        "content/bomb.md",
        &doc(&front, "Text.\n").replace("titel: D\n", ""),
    );
    // Bounded in CPU time, not wall time: expanded, the aliases would be
    // 9^29 strings, which no CPU allowance covers.
    let out = site.run_with_cpu_limit(20, &["check", "--format", "json"]);
    assert!(
        out.status.code().is_some(),
        "check ran out of its CPU allowance: {:?}",
        out.status
    );
    no_panic(&out);
    let found = site.codes();
    assert!(
        found
            .iter()
            .any(|(c, f, _)| c == "SD106" && f == "content/bomb.md"),
        "{found:?}"
    );
}

#[test]
fn a_ten_megabyte_document_builds() {
    let body: String = (0..120_000)
        .map(|i| format!("Rad {i} med lite text om säkerhetskopiering.\n\n"))
        .collect();
    assert!(body.len() > 5_000_000);
    let site = basic().file(
        "content/stor.md",
        &doc("", &format!("## Stor\n\n{body}{body}")),
    );
    let out = site.run(&["build"]);
    no_panic(&out);
    common::assert_success(&out);
    assert!(site.output("stor.html").len() > 10_000_000);
}

#[test]
fn deeply_nested_lists_and_quotes_do_not_overflow() {
    let lists: String = (0..10_000)
        .map(|i| format!("{}- nivå {i}\n", "  ".repeat(i.min(5000))))
        .collect();
    let quotes = format!("{} citat\n", ">".repeat(10_000));
    let site = basic().file(
        "content/djup.md",
        &doc("", &format!("{lists}\n\n{quotes}\n")),
    );
    let out = site.run(&["build"]);
    no_panic(&out);
    common::assert_success(&out);
}

#[cfg(unix)]
#[test]
fn symlinks_that_loop_or_leave_content_are_refused() {
    let site = basic();
    let outside = site.path().join("hemlig.md");
    std::fs::write(&outside, doc("", "HEMLIGT UTANFÖR\n")).expect("outside");
    std::os::unix::fs::symlink(&outside, site.path().join("content/lank.md")).expect("symlink out");
    std::os::unix::fs::symlink(
        site.path().join("content/loop-a"),
        site.path().join("content/loop-b"),
    )
    .expect("loop b");
    std::os::unix::fs::symlink(
        site.path().join("content/loop-b"),
        site.path().join("content/loop-a"),
    )
    .expect("loop a");
    std::os::unix::fs::symlink(
        site.path().join("content"),
        site.path().join("content/sjalv"),
    )
    .expect("dir loop");
    let found = site.codes();
    assert!(
        found.contains(&("SD005".into(), "content/lank.md".into(), 1)),
        "{found:?}"
    );
    assert!(
        found.contains(&("SD005".into(), "content/loop-a".into(), 1)),
        "{found:?}"
    );
    // The build goes on without them (errors stop it; here check shows them all).
    let out = site.run(&["build"]);
    no_panic(&out);
    assert!(
        !site.path().join("output").exists()
            || !common::walk(&site.path().join("output"))
                .iter()
                .any(|p| std::fs::read_to_string(p)
                    .unwrap_or_default()
                    .contains("HEMLIGT UTANFÖR"))
    );
}

#[test]
fn names_with_spaces_swedish_letters_both_forms_and_case_twins() {
    let site = basic()
        .file(
            "content/mina dokument/rutin för åtkomst.md",
            &doc("id: rutin-nfc\n", "## Åtkomst\n\n[Bilaga](../bilaga.pdf)\n"),
        )
        .file(
            "content/fo\u{308}rva\u{308}ring.md",
            &doc(
                "id: rutin-nfd\n",
                "Se [rutinen](mina%20dokument/rutin%20f%C3%B6r%20%C3%A5tkomst.md#åtkomst).\n",
            ),
        )
        .file("content/bilaga.pdf", "%PDF-1.4\n")
        .file("content/Drift.md", &doc("id: drift-stor\n", "Text.\n"))
        .file("content/drift.md", &doc("id: drift-liten\n", "Text.\n"));
    let found = site.codes();
    assert_eq!(
        found,
        vec![("SD006".into(), "content/drift.md".into(), 1)],
        "only the case twins collide"
    );
    let site = site.remove("content/Drift.md");
    site.build();
    assert!(site
        .output_files()
        .contains(&"mina dokument/rutin för åtkomst.html".to_string()));
    assert!(site.output_files().contains(&"bilaga.pdf".to_string()));
}

/// A site large enough that a build takes a while, built once; its files
/// and index page. The next build would change every page.
fn a_large_built_site() -> (TestSite, Vec<String>, String) {
    let site = basic();
    for i in 0..400 {
        site.write(
            &format!("content/massa/d{i:03}.md"),
            doc(
                &format!("id: massa-{i}\n"),
                &format!("## Avsnitt\n\n{}\n", "Text om rutiner. ".repeat(200)),
            )
            .as_bytes(),
        );
    }
    site.build();
    let old_files = site.output_files();
    let old_index = site.output("index.html");
    site.edit(
        "styrdok.toml",
        "title = \"Testkommun\"",
        "title = \"Nya kommunen\"",
    );
    (site, old_files, old_index)
}

/// The previous sites that two-rename swaps set aside beside `output/`.
fn set_aside(site: &TestSite) -> Vec<std::path::PathBuf> {
    let mut found: Vec<_> = std::fs::read_dir(site.path())
        .expect("site")
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(".output.styrdok-previous-")
        })
        .map(|e| e.path())
        .collect();
    found.sort();
    found
}

/// Files below `dir`, sorted, relative and `/`-separated.
fn files_below(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> = common::walk(dir)
        .iter()
        .map(|p| {
            p.strip_prefix(dir)
                .expect("prefix")
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    v.sort();
    v
}

/// Kills builds (with `env` set) at ever later moments until one gets
/// through: every 20 ms at first, then further apart (a loaded machine
/// builds slower). After each kill a reader finds the previous site
/// complete, or the new one; or, only with the two-rename swap and only
/// between its renames, no `output/` and the previous site complete under
/// the name the next build puts back first.
fn kill_builds_at_every_moment(env: &[(&str, &str)]) {
    let (site, old_files, old_index) = a_large_built_site();
    let mut delay_ms: u64 = 0;
    while delay_ms < 120_000 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_styrdok"))
            .args(["build", "--today", common::TODAY, "--root"])
            .arg(site.path())
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("build");
        std::thread::sleep(Duration::from_millis(delay_ms));
        // SIGKILL on Unix, TerminateProcess on Windows: nothing runs after.
        let _ = child.kill();
        let _ = child.wait();
        if !site.path().join("output").exists() {
            assert!(
                !env.is_empty(),
                "only the two-rename swap has a moment without output/"
            );
            let aside = set_aside(&site);
            assert_eq!(aside.len(), 1, "{aside:?}");
            assert_eq!(files_below(&aside[0]), old_files);
            delay_ms += 20.max(delay_ms / 8);
            continue;
        }
        let files = site.output_files();
        let index = site.output("index.html");
        if index.contains("Nya kommunen") {
            // The swap happened: the new site is complete.
            assert_eq!(
                files.len(),
                old_files.len(),
                "complete new output after {delay_ms} ms"
            );
            assert!(
                delay_ms > 0,
                "the kills must have hit the build before it finished"
            );
            // Killed after the second rename, a build would have left the
            // previous site aside: the next one keeps it as the spare.
            site.build();
            assert_eq!(set_aside(&site), Vec::<std::path::PathBuf>::new());
            return;
        }
        assert_eq!(
            files, old_files,
            "old output intact after a kill at {delay_ms} ms"
        );
        assert_eq!(index, old_index);
        delay_ms += 20.max(delay_ms / 8);
    }
    panic!("the build never finished within the delays tried");
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_previous_output() {
    kill_builds_at_every_moment(&[]);
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_previous_output_with_the_portable_swap() {
    // The two renames Windows uses in place of the atomic exchange.
    kill_builds_at_every_moment(&[("STYRDOK_PORTABLE_SWAP", "1")]);
}

#[test]
fn the_next_build_puts_back_a_site_a_killed_swap_set_aside() {
    // What a build killed between the two renames leaves: no output/, the
    // previous site under the build's pid (one no process has).
    let site = basic();
    site.build();
    let old_files = site.output_files();
    let aside = site.path().join(".output.styrdok-previous-999999999");
    std::fs::rename(site.path().join("output"), &aside).expect("set aside");
    // A build that stops on an error still puts it back, first.
    site.edit(
        "content/instruktioner/drift.md",
        "överordnad: policy",
        "överordnad: polisy",
    );
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1), "the build stops on SD203");
    assert_eq!(site.output_files(), old_files);
    assert!(!aside.exists());
    site.edit(
        "content/instruktioner/drift.md",
        "överordnad: polisy",
        "överordnad: policy",
    );
    std::fs::rename(site.path().join("output"), &aside).expect("set aside");
    site.build();
    assert_eq!(site.output_files(), old_files);
    assert_eq!(set_aside(&site), Vec::<std::path::PathBuf>::new());
}

/// The basic site with theme `x`, whose `index.html` is `index`.
fn themed(index: &str) -> TestSite {
    let site = basic().file("themes/x/templates/index.html", index);
    let config = site.read("styrdok.toml");
    site.file("styrdok.toml", &format!("theme = \"x\"\n{config}"))
}

/// Builds, expecting a failure with SD007 naming `file`; returns stderr.
fn theme_failure(site: &TestSite, file: &str) -> String {
    let out = site.run(&["build"]);
    no_panic(&out);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!out.status.success(), "the build must fail: {err}");
    assert!(err.contains("SD007") && err.contains(file), "{err}");
    err
}

#[test]
fn a_theme_macro_that_calls_itself_without_end_is_sd007_not_a_crash() {
    let site = themed("{% import \"loop.html\" as l %}{{ l::again(n=1) }}").file(
        "themes/x/templates/loop.html",
        "{% macro again(n) %}<b>{{ self::again(n=n+1) }}</b>{% endmacro again %}",
    );
    let err = theme_failure(&site, "themes/x/templates/index.html");
    assert!(
        err.contains("`again` in loop.html nests deeper than 100"),
        "{err}"
    );
    // Recursion that ends is fine.
    let site = themed("{% import \"loop.html\" as l %}{{ l::down(n=30) }}").file(
        "themes/x/templates/loop.html",
        "{% macro down(n) %}{% if n > 0 %}<b>{{ self::down(n=n-1) }}</b>{% endif %}{% endmacro down %}",
    );
    site.build();
    assert_eq!(site.output("index.html").matches("<b>").count(), 30);
}

#[test]
fn a_theme_cannot_publish_the_environment() {
    let site = themed("<p>{{ get_env(name=\"PATH\") }}</p>");
    let err = theme_failure(&site, "themes/x/templates/index.html");
    assert!(err.contains("`get_env` is not available"), "{err}");
    assert!(!site.path().join("output").exists());
}

#[test]
fn theme_output_without_end_is_bounded_and_sd007() {
    let row = "x".repeat(100);
    let site = themed(&format!(
        "{{% for a in range(end=1000) %}}{{% for b in range(end=999) %}}{row}{{% endfor %}}{{% endfor %}}"
    ));
    let err = theme_failure(&site, "themes/x/templates/index.html");
    assert!(err.contains("longer than 64 MiB"), "{err}");
}

#[test]
fn theme_ranges_and_doubled_strings_are_bounded_and_sd007() {
    // Small enough for a build without the bounds to finish (and fail the test).
    let site = themed("{% for i in range(end=5000000) %}{% endfor %}");
    let err = theme_failure(&site, "themes/x/templates/index.html");
    assert!(err.contains("at most 1000000"), "{err}");
    let site = themed(
        "{% set s = \"ab\" %}{% for i in range(end=27) %}{% set_global s = s ~ s %}{% endfor %}{{ s | length }}",
    );
    let err = theme_failure(&site, "themes/x/templates/index.html");
    assert!(err.contains("a `set` made a string"), "{err}");
}

#[test]
fn templates_that_include_each_other_are_refused() {
    let site = themed("{% include \"a.html\" %}")
        .file("themes/x/templates/a.html", "{% include \"index.html\" %}");
    let err = theme_failure(&site, "themes/x/templates");
    assert!(err.contains("a.html → index.html → a.html"), "{err}");
}
