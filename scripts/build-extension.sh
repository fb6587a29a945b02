#!/usr/bin/env bash
# Builds the browser extension, unpacked, into target/extension/ (docs/browser.md):
# crates/micropay-wasm compiled to WebAssembly (wasm32-unknown-unknown, release), its
# JavaScript bindings made by wasm-bindgen-cli (crates.io, the exact version of the
# wasm-bindgen crate in Cargo.lock), and the files of extension/ beside them.
#
# The compiler: the toolchain's own wasm32 standard library when rustup has it installed
# (`rustup target add wasm32-unknown-unknown`); else Debian's rustc-web with the standard
# library built from Debian's rust-web-src (`apt-get install rustc-web cargo-web rust-web-src lld-19`).
# wasm-bindgen-cli: on PATH at the right version, else installed once under target/tools/.
set -euo pipefail
cd "$(dirname "$0")/.."
target=$(realpath -m "${CARGO_TARGET_DIR:-target}")
out="$target/extension"
wasm_target=wasm32-unknown-unknown

version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
[ -n "$version" ] || { echo "no wasm-bindgen in Cargo.lock" >&2; exit 2; }

# The WebAssembly build, in a target directory of its own (another compiler may build it).
build_dir="$target/wasm"
if rustup target list --installed 2>/dev/null | grep -qx "$wasm_target"; then
  CARGO_TARGET_DIR="$build_dir" cargo build --locked --release -p micropay-wasm \
    --target "$wasm_target"
elif [ -x /usr/bin/rustc ] && [ -x /usr/bin/cargo ] && [ -d /usr/lib/rustlib/src/rust/library ]; then
  # Debian's compiler with the standard library built from source (-Zbuild-std, which a stable
  # compiler allows under RUSTC_BOOTSTRAP): the same sources, compiled for wasm32.
  RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR="$build_dir" \
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER="$(command -v rust-lld || command -v lld-19 || echo rust-lld)" \
    /usr/bin/cargo build --locked --release -p micropay-wasm --target "$wasm_target" \
    -Zbuild-std=std,panic_abort
else
  echo "no wasm32 standard library: run \`rustup target add $wasm_target\`, or install" \
    "Debian's rustc-web, cargo-web, rust-web-src and lld-19" >&2
  exit 2
fi

bindgen=""
if command -v wasm-bindgen >/dev/null 2>&1 && wasm-bindgen --version | grep -qF " $version"; then
  bindgen=wasm-bindgen
else
  bindgen="$target/tools/bin/wasm-bindgen"
  if ! { [ -x "$bindgen" ] && "$bindgen" --version | grep -qF " $version"; }; then
    CARGO_TARGET_DIR="$target/tools-build" cargo install wasm-bindgen-cli --version "=$version" \
      --root "$target/tools"
  fi
fi

rm -rf "$out"
mkdir -p "$out"
cp -R extension/. "$out/"
rm -rf "$out/tests"
"$bindgen" --target web --no-typescript --out-dir "$out/wasm" \
  "$build_dir/$wasm_target/release/micropay_wasm.wasm"
size=$(wc -c < "$out/wasm/micropay_wasm_bg.wasm")
echo "extension built in $out (wasm bundle: $size bytes)"
