#!/usr/bin/env bash
# Instruction counts (valgrind callgrind) per token of the wallet's verification, one token
# per call, for buyers seen before and new ones, in batches of 64, and of a bare
# `verify_strict` (the floor), with the ratio to the floor. Repeatable to a few tenths of a
# per cent (each run's tokens have random nonces, and a signature check takes a number of
# steps that depends on the scalars); what the kernel does for the replay store (writes,
# flushes, locks) is not counted, which the times of benches/wallet.rs include.
#
#   scripts/wallet-instructions.sh [DIR]    (the replay store's directory; default the
#                                            system's temporary directory)
#
# Only `measured` of benches/verify_once.rs is counted, and one token = (count with 192
# tokens - count with 64) / 128, so that what a first call alone does (opening statements,
# the first read of the store) is not counted.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(cargo bench --no-run --quiet -p micropay-wallet --bench verify_once --message-format=json |
  grep -o '"executable":"[^"]*verify_once[^"]*"' | cut -d'"' -f4)
dir=${1:-${TMPDIR:-/tmp}}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

count() { # mode tokens -> instructions
  valgrind --tool=callgrind --callgrind-out-file="$tmp/out" '--toggle-collect=*verify_once::measured' \
    "$bin" "$1" "$2" "$dir" 2>"$tmp/log" >/dev/null
  grep -o 'Collected : [0-9]*' "$tmp/log" | grep -o '[0-9]*$'
}

declare -A per=()
for mode in verify-strict verify verify-new-buyers verify-batch-64; do
  few=$(count "$mode" 64)
  many=$(count "$mode" 192)
  per[$mode]=$(( (many - few) / 128 ))
done
printf '%-20s %14s %10s\n' mode instructions x-strict
for mode in verify-strict verify verify-new-buyers verify-batch-64; do
  ratio=$(awk -v a="${per[$mode]}" -v b="${per[verify-strict]}" 'BEGIN { printf "%.3f", a / b }')
  printf '%-20s %14s %10s\n' "$mode" "${per[$mode]}" "$ratio"
done
