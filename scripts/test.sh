#!/usr/bin/env bash
# The project's one test command (see README). Installs what the tests need
# when it is missing (Debian's Chromium, the npm packages of the browser
# tests), checks formatting and lints, then runs the Rust tests and the
# real-browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! [ -x /usr/lib/chromium/chromium ] && ! command -v chromium >/dev/null 2>&1; then
  echo "test.sh: installing Chromium (Debian package) for the browser tests"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
if ! command -v java >/dev/null 2>&1; then
  echo "test.sh: installing a Java runtime for the Nu Html Checker"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null
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
cargo test --locked --all-targets
cargo build --locked --quiet
(cd tests/browser && node --test --test-concurrency=1 --test-reporter=spec)
