#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 30), after replaying the inputs kept in
# regressions/<target>/. Exits non-zero on the first crash, leak, time-out or over-limit memory.
#   fuzz/run.sh            # what CI runs
#   fuzz/run.sh 3600 html_extract   # a long local campaign on one target
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-30}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo +nightly fuzz list)
fi
./seed.sh >/dev/null
cargo +nightly fuzz build -O
for target in "${targets[@]}"; do
  dict=()
  case "$target" in
    html_extract|xhtml_extract) dict=(-dict=dicts/html.dict) ;;
    price) dict=(-dict=dicts/price.dict) ;;
    expiration) dict=(-dict=dicts/expiration.dict) ;;
  esac
  mkdir -p "corpus/$target"
  if compgen -G "regressions/$target/*" >/dev/null; then
    echo "== $target: replaying regressions"
    cargo +nightly fuzz run -O "$target" regressions/"$target"/* -- -runs=1 -rss_limit_mb=2048 -timeout=10
  fi
  echo "== $target: ${seconds}s"
  log=$(mktemp)
  set +e
  cargo +nightly fuzz run -O "$target" "corpus/$target" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 "${dict[@]}" \
    >"$log" 2>&1
  status=$?
  set -e
  grep -E '^#[0-9]+ +DONE|^stat::number_of_executed_units' "$log" || true
  if [ "$status" -ne 0 ]; then
    tail -n 60 "$log"
    echo "fuzz target $target failed (exit $status): the input is in fuzz/artifacts/$target/"
    exit 1
  fi
  rm -f "$log"
done
