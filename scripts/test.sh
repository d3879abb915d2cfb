#!/usr/bin/env bash
# The project's one test command (see README). Installs what the tests need
# when it is missing, then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo test --locked --all-targets
