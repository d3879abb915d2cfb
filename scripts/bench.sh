#!/usr/bin/env bash
# Benchmarks styrdok against Hugo and mdBook on the same generated corpus
# (see README, "Performance"). Not a test: it prints figures.
#
#   bash scripts/bench.sh [SIZES...]      # default: 1000 10000
#
# Installs what it needs when missing: hyperfine and hugo (Debian
# packages), mdbook (cargo install). Work files go to ${BENCH_DIR:-/tmp/styrdok-bench}.
# mdBook renders every chapter with the whole table of contents: at 10,000
# documents one mdBook build takes minutes, so the whole script does too.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
work=${BENCH_DIR:-/tmp/styrdok-bench}
sizes=("${@:-1000 10000}")
read -r -a sizes <<< "${sizes[*]}"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
need_deb() { command -v "$1" >/dev/null 2>&1 || { as_root apt-get update -qq; as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null; }; }
need_deb hyperfine hyperfine
need_deb hugo hugo
command -v mdbook >/dev/null 2>&1 || cargo install mdbook --locked --quiet
command -v /usr/bin/time >/dev/null 2>&1 || need_deb /usr/bin/time time

cargo build --release --quiet --examples
styrdok=$repo/target/release/styrdok
gen=$repo/target/release/examples/gencorpus
mkdir -p "$work"
echo "# styrdok benchmark, $(date -u +%F), $(nproc) cores, $(hugo version | cut -d' ' -f2), $(mdbook --version)"

peak() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1; }

for n in "${sizes[@]}"; do
  dir=$work/$n
  if ! [ -d "$dir/styrdok" ]; then
    "$gen" "$dir/styrdok" --docs "$n" --hugo "$dir/hugo" --mdbook "$dir/mdbook" 2>/dev/null
  fi
  echo
  echo "## $n documents"
  hyperfine --style basic --warmup 1 --runs 3 --export-markdown "$work/result-$n.md" \
    -n styrdok "$styrdok build --root $dir/styrdok --today 2026-11-27 --output $dir/out-styrdok" \
    -n hugo "hugo --quiet --source $dir/hugo --destination $dir/out-hugo" \
    -n mdbook "mdbook build $dir/mdbook --dest-dir $dir/out-mdbook" >/dev/null
  cat "$work/result-$n.md"
  echo
  echo "peak memory (KiB): styrdok $(peak "$styrdok" build --root "$dir/styrdok" --today 2026-11-27 --output "$dir/out-styrdok")," \
    "hugo $(peak hugo --quiet --source "$dir/hugo" --destination "$dir/out-hugo")," \
    "mdbook $(peak mdbook build "$dir/mdbook" --dest-dir "$dir/out-mdbook")"
done

echo
echo "## History and preview"
if ! [ -d "$work/history/.git" ]; then
  "$gen" "$work/history" --docs 1000 --commits 2000 --tags 5 2>/dev/null
fi
"$repo/target/release/examples/bench_history" "$work/history" 5
(cd "$work/history" && hyperfine --style basic --warmup 1 --runs 5 -n "git log --name-status" "git log --name-status" 2>/dev/null | grep -E "Time|±" | head -2)
for n in "${sizes[@]}"; do
  echo "serve, $n documents:"
  STYRDOK_BIN=$styrdok "$repo/target/release/examples/bench_reload" "$work/$n/styrdok" 7
done
