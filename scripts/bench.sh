#!/usr/bin/env bash
# Benchmarks styrdok against Hugo and mdBook on the same generated corpus
# (see README, "Performance"). Not a test: it prints figures.
#
#   bash scripts/bench.sh [SIZES...]      # default: 1000 10000
#
# Installs what it needs when missing: hyperfine and hugo (Debian
# packages), mdbook (cargo install). Work files go to ${BENCH_DIR:-/tmp/styrdok-bench}.
# RUNS (default 5) rounds per size; each round builds with every tool once.
# mdBook renders every chapter with the whole table of contents: at 10,000
# documents one mdBook build takes minutes, so it runs once there
# (MDBOOK_REPEAT_MAX, default 2000, is the largest size it repeats at;
# MDBOOK_MAX leaves it out above that size).
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

cargo build --release --quiet --bins --examples
styrdok=$repo/target/release/styrdok
gen=$repo/target/release/examples/gencorpus
mkdir -p "$work"
echo "# styrdok benchmark, $(date -u +%F), $(nproc) cores, $(hugo version | cut -d' ' -f2), $(mdbook --version)"

runs=${RUNS:-5}
# mdBook puts the whole table of contents into every chapter, so its time
# grows with the square of the book: above this size it runs once.
mdbook_repeat_max=${MDBOOK_REPEAT_MAX:-2000}
# Above MDBOOK_MAX documents mdBook is left out (default: never).
mdbook_max=${MDBOOK_MAX:-1000000000}

# Median of the numbers on stdin.
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

for n in "${sizes[@]}"; do
  dir=$work/$n
  if ! [ -d "$dir/styrdok" ]; then
    "$gen" "$dir/styrdok" --docs "$n" --hugo "$dir/hugo" --mdbook "$dir/mdbook" 2>/dev/null
  fi
  declare -A cmd=(
    [styrdok]="$styrdok build --root $dir/styrdok --today 2026-11-27 --output $dir/out-styrdok"
    [hugo]="hugo --quiet --source $dir/hugo --destination $dir/out-hugo"
    [mdbook]="mdbook build $dir/mdbook --dest-dir $dir/out-mdbook"
  )
  tools=(styrdok hugo)
  if [ "$n" -le "$mdbook_repeat_max" ] && [ "$n" -le "$mdbook_max" ]; then tools+=(mdbook); fi
  log=$work/times-$n.txt
  : > "$log"
  # One warm-up build each (the file cache, and styrdok's and Hugo's
  # previous output in place), then rounds that take turns: every round
  # runs each tool once, so a slow moment of the machine hits all of them.
  for t in "${tools[@]}"; do ${cmd[$t]} > /dev/null 2>&1; done
  for _ in $(seq "$runs"); do
    for t in "${tools[@]}"; do
      /usr/bin/time -a -o "$log" -f "$t %e %M" ${cmd[$t]} > /dev/null 2>&1
    done
  done
  if [ "$n" -gt "$mdbook_repeat_max" ] && [ "$n" -le "$mdbook_max" ]; then
    /usr/bin/time -a -o "$log" -f "mdbook %e %M" ${cmd[mdbook]} > /dev/null 2>&1
    tools+=(mdbook)
  fi
  echo
  echo "## $n documents ($runs alternating rounds; medians)"
  echo
  echo "| tool | median time [s] | min [s] | max [s] | runs | peak memory [MiB] | time / styrdok |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
  base=$(grep '^styrdok ' "$log" | awk '{ print $2 }' | median)
  for t in "${tools[@]}"; do
    times=$(grep "^$t " "$log" | awk '{ print $2 }')
    med=$(echo "$times" | median)
    min=$(echo "$times" | sort -n | head -1)
    max=$(echo "$times" | sort -n | tail -1)
    count=$(echo "$times" | wc -l)
    mem=$(grep "^$t " "$log" | awk '{ print $3 }' | median)
    awk -v t="$t" -v med="$med" -v min="$min" -v max="$max" -v c="$count" -v mem="$mem" -v base="$base" \
      'BEGIN { printf "| %s | %.2f | %.2f | %.2f | %d | %.0f | %.1f× |\n", t, med, min, max, c, mem / 1024, med / base }'
  done
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
