#!/usr/bin/env bash
# Instruction counts (valgrind callgrind) of each measurement of benches/extract.rs on pages of
# the benchmark corpus: exact and repeatable where wall-clock time on a shared machine is not.
# Prints, per page, millions of instructions of one run and the ratios of micropay to the
# floor (rcdom) and to the naive scraper extraction, from the decoded text (scraper-naive) and
# from the bytes as served (scraper-bytes), to three decimals: the counts repeat
# exactly, and some ratios are within a per cent of 1.
#
#   scripts/instructions.sh [PAGE...]     (default: every page but the 10 MB one)
#
# Only what benches/once.rs measures is counted (`Setup::measured`: not the page's generation, nor
# the copy of the bytes micropay is handed), and one run = (count with TIMES=3 - count with
# TIMES=1) / 2, so that what a first run alone does is not counted either.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(cargo bench --quiet --no-run -p micropay-markup --bench once --message-format=json \
  | grep -o '"executable":"[^"]*"' | tail -n 1 | cut -d'"' -f4)
pages=("$@")
if [ ${#pages[@]} -eq 0 ]; then
  mapfile -t pages < <("$bin" list | grep -v archive-10m)
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

count() { # variant page times -> instructions
  valgrind --tool=callgrind --callgrind-out-file="$tmp/out" '--toggle-collect=*Setup::measured' \
    "$bin" "$1" "$2" "$3" 2>"$tmp/log" >/dev/null
  grep -o 'Collected : [0-9]*' "$tmp/log" | grep -o '[0-9]*$'
}

printf '%-24s %12s %12s %14s %14s %10s %8s %10s %10s\n' page floor-rcdom floor-arena scraper-naive \
  scraper-bytes micropay x-floor x-scraper x-bytes
for page in "${pages[@]}"; do
  declare -A ir=()
  for variant in floor-rcdom floor-arena scraper-naive scraper-bytes micropay; do
    one=$(count "$variant" "$page" 1)
    three=$(count "$variant" "$page" 3)
    ir[$variant]=$(( (three - one) / 2 ))
  done
  awk -v p="$page" -v r="${ir[floor-rcdom]}" -v a="${ir[floor-arena]}" -v s="${ir[scraper-naive]}" \
      -v b="${ir[scraper-bytes]}" -v m="${ir[micropay]}" 'BEGIN {
    printf "%-24s %11.3fM %11.3fM %13.3fM %13.3fM %9.3fM %8.3f %10.3f %10.3f\n", p, r/1e6, a/1e6, s/1e6, b/1e6, m/1e6, m/r, m/s, m/b }'
done
