#!/usr/bin/env bash
# The project's one test command (see README). Installs what the tests need
# when it is missing (Debian's Chromium, the npm packages of the browser
# tests), checks formatting and lints, then runs the Rust tests and the
# real-browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
# The tests take about 5 GB of target/ and the checks for Windows and
# macOS 1 GB each: a full disk shows up as a linker crash, so say first
# how much room there is.
echo "test.sh: free space for target/: $(df -h . | awk 'NR==2 {print $4}')"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
# Debian packages, installed once each: an interrupted earlier install
# (dpkg left half-configured) is finished first, or apt refuses to work.
apt_install() {
  as_root env DEBIAN_FRONTEND=noninteractive dpkg --configure -a >/dev/null 2>&1 || true
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if ! [ -x /usr/lib/chromium/chromium ] && ! command -v chromium >/dev/null 2>&1; then
  echo "test.sh: installing Chromium (Debian package) for the browser tests"
  apt_install chromium
fi
if ! command -v pdftotext >/dev/null 2>&1 || ! command -v pdfinfo >/dev/null 2>&1 \
  || ! command -v pdfimages >/dev/null 2>&1 || ! command -v qpdf >/dev/null 2>&1; then
  echo "test.sh: installing poppler-utils and qpdf for the PDF tests (tests/pdf.rs)"
  apt_install poppler-utils qpdf
fi
if ! command -v java >/dev/null 2>&1; then
  echo "test.sh: installing a Java runtime for the Nu Html Checker"
  apt_install default-jre-headless
fi
# Debian's Rust toolchain (/usr/bin/rustc, 1.96) ships the standard
# library's source, so cargo can build `std` for Windows and macOS itself:
# the type-checks below need no target download. clang assembles psm's
# stack switching code for macOS, MinGW's gcc for Windows (Typst's
# stacker needs psm on Windows too).
if ! [ -x /usr/bin/rustc ] || ! [ -x /usr/bin/cargo ] || ! [ -d /usr/lib/rustlib/src/rust/library ] \
  || ! command -v x86_64-w64-mingw32-as >/dev/null 2>&1 || ! command -v clang >/dev/null 2>&1 \
  || ! command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1; then
  echo "test.sh: installing Debian's Rust toolchain for the Windows and macOS checks"
  apt_install rustc-web cargo-web rust-web-src binutils-mingw-w64-x86-64 gcc-mingw-w64-x86-64 clang
fi
if ! [ -d tests/browser/node_modules/playwright-core ] || ! [ -d tests/browser/node_modules/axe-core ]; then
  echo "test.sh: installing the browser tests' npm packages"
  (cd tests/browser && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi

cargo fmt --check
cargo clippy --locked --all-targets -- -D warnings
# The portable fallbacks of src/platform.rs in place of the Unix code: the
# code paths Windows and macOS take compile (see README, Development).
cargo rustc --locked --lib --quiet -- --cfg styrdok_portable -D warnings
# The crate and its tests type-check for Windows and macOS (README,
# Development), each in a target directory of its own.
cross_check() {
  local target=$1 dir=$2
  shift 2
  env "$@" RUSTC_BOOTSTRAP=1 RUSTC=/usr/bin/rustc RUSTFLAGS=-Dwarnings \
    CARGO_TARGET_DIR="target/$dir" /usr/bin/cargo check --locked --quiet \
    -Zbuild-std=std,panic_abort --target "$target" --all-targets
}
time cross_check x86_64-pc-windows-gnu windows-check
time cross_check x86_64-apple-darwin macos-check CC_x86_64_apple_darwin=clang
cargo test --locked --all-targets
cargo build --locked --quiet
(cd tests/browser && node --test --test-concurrency=1 --test-reporter=spec)
