#!/usr/bin/env bash
# The library crates as a user gets them: `cargo package` (which builds each package from its
# .crate file), then each .crate unpacked outside the repository and its own tests and doctests
# run there. The unpacked crates form a throw-away workspace whose [patch.crates-io] points the
# dependencies between them at the unpacked copies (they are not on crates.io yet). The target
# directory is shared with the repository's builds, so only the crates themselves are compiled.
set -euo pipefail
cd "$(dirname "$0")/.."
crates=(micropay-pgtest micropay-markup micropay-wallet micropay-http)
target=$(realpath -m "${CARGO_TARGET_DIR:-target}")
export CARGO_TARGET_DIR="$target"

packages=()
for crate in "${crates[@]}"; do packages+=(-p "$crate"); done
# cargo takes a registry crate as final for its version, and the verification builds the crates
# from a temporary registry under the version they had at the last run: the sources cargo
# unpacked from that registry then and their builds (debug profile only) go first.
for crate in "${crates[@]}"; do
  rm -rf "${CARGO_HOME:-$HOME/.cargo}"/registry/src/-*/"$crate"-[0-9]*
done
cargo clean --profile dev "${packages[@]}"
cargo package --locked "${packages[@]}"

version=$(cargo metadata --no-deps --format-version 1 --locked |
  python3 -c 'import json, sys; print({p["name"]: p["version"] for p in json.load(sys.stdin)["packages"]}["micropay-markup"])')
# A fixed place (paths are compiled into the tests), emptied first and removed after.
work="$target/package-test"
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
{
  echo '[workspace]'
  echo 'resolver = "3"'
  printf 'members = ['
  for crate in "${crates[@]}"; do printf '"%s-%s", ' "$crate" "$version"; done
  echo ']'
  echo '[patch.crates-io]'
  for crate in "${crates[@]}"; do printf '%s = { path = "%s-%s" }\n' "$crate" "$crate" "$version"; done
  # The repository's profiles (optimised cryptography in tests), which a package does not carry.
  awk '/^\[/ { keep = ($0 ~ /^\[profile\./) } keep' Cargo.toml
} > "$work/Cargo.toml"
for crate in "${crates[@]}"; do
  # --touch: files as new as the unpacking, so that cargo never takes an earlier build for them.
  tar --touch -xzf "$target/package/$crate-$version.crate" -C "$work"
done
# The repository's lock file: the same dependency versions, and builds the target dir already has.
cp Cargo.lock "$work/"
(cd "$work" && cargo test --workspace)
