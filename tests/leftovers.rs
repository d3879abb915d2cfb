//! What builds leave beside `output/`: the spare directory and the
//! manifests hold nothing above the limit of the build that kept them, and
//! a build that runs out of disk gives the space back.

mod common;

use common::TestSite;

const MARKERS: [&str; 3] = ["KVARLAMNAD4801", "kvarlamnad-plan-4802", "KVARTEXT4803"];

/// The basic site and a confidential plan whose title, name and text
/// hold the markers.
fn site_with_a_confidential_plan() -> TestSite {
    TestSite::fixture("basic").with("leftovers/confidential_plan")
}

#[test]
fn lowering_the_limit_leaves_nothing_of_the_higher_build_on_disk() {
    let site = site_with_a_confidential_plan();
    site.build_with(&["--max-klassning", "konfidentiell"]);
    let found = common::left_on_disk_with(site.path(), &MARKERS);
    assert!(
        found.iter().any(|f| f.starts_with("output/")),
        "the confidential build publishes the plan: {found:?}"
    );
    // The confidential site is the previous output now: the intern build
    // must neither keep it as the spare nor list its names anywhere.
    site.build();
    assert_eq!(
        common::left_on_disk_with(site.path(), &MARKERS),
        Vec::<String>::new()
    );
    // Again, with the spare now an intern build's: still nothing.
    site.build();
    assert_eq!(
        common::left_on_disk_with(site.path(), &MARKERS),
        Vec::<String>::new()
    );
    // Raising the limit again may reuse the intern spare.
    site.build_with(&["--max-klassning", "konfidentiell"]);
    site.build_with(&["--max-klassning", "öppen"]);
    assert_eq!(
        common::left_on_disk_with(site.path(), &MARKERS),
        Vec::<String>::new()
    );
}

#[test]
fn a_spare_of_unknown_limit_is_not_kept_by_a_limited_build() {
    let site = site_with_a_confidential_plan();
    site.build_with(&["--max-klassning", "konfidentiell"]);
    // A spare without a limit in its marker (an older styrdok, or a
    // directory put there by hand) holding confidential bytes.
    let spare = site.path().join(".output.styrdok-spare");
    std::fs::create_dir_all(&spare).expect("spare");
    std::fs::write(spare.join(".styrdok-output"), "generated\n").expect("marker");
    std::fs::write(spare.join("gammal.html"), "KVARTEXT4803").expect("file");
    site.build();
    assert_eq!(
        common::left_on_disk_with(site.path(), &MARKERS),
        Vec::<String>::new()
    );
}

/// Runs `script` in a new user and mount namespace (no root needed), where
/// `mount -t tmpfs` works.
fn in_mount_namespace(script: &str) -> std::process::Output {
    std::process::Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "sh", "-c", script])
        .output()
        .expect("unshare (util-linux) runs")
}

#[test]
fn a_full_disk_leaves_no_partial_staging_behind() {
    // A document that links a 600 KiB attachment.
    let site = site_with_a_confidential_plan()
        .with("leftovers/large_attachment")
        .file("content/bilagor/stor.bin", &"x".repeat(600 * 1024));
    let bin = env!("CARGO_BIN_EXE_styrdok");
    let disk = site.path().join("disk");
    std::fs::create_dir_all(&disk).expect("disk dir");
    // A 512 KiB file system and a site larger than that: the write fails.
    let script = format!(
        "mount -t tmpfs -o size=512k tmpfs '{disk}' && '{bin}' build --root '{root}' --today {today} --output '{disk}/site'; echo rc=$?; ls -a '{disk}'; df -k '{disk}' | tail -1",
        disk = disk.display(),
        root = site.path().display(),
        today = common::TODAY,
    );
    let out = in_mount_namespace(&script);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stdout.contains("rc=2"),
        "the build fails: {stdout}\n{stderr}"
    );
    assert!(
        stderr.contains("No space left") || stderr.contains("space"),
        "{stderr}"
    );
    let names: Vec<&str> = stdout
        .lines()
        .skip_while(|l| !l.starts_with("rc="))
        .skip(1)
        .take_while(|l| !l.starts_with("tmpfs"))
        .filter(|l| *l != "." && *l != "..")
        .collect();
    assert_eq!(names, Vec::<&str>::new(), "nothing left on the full disk");
    let used: u64 = stdout
        .lines()
        .last()
        .and_then(|l| l.split_whitespace().nth(2))
        .and_then(|n| n.parse().ok())
        .expect("df's used column");
    assert_eq!(used, 0, "the space is given back: {stdout}");
}
