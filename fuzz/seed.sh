#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from spec-fixtures/ (pages, and the field values they hold).
set -euo pipefail
cd "$(dirname "$0")"
root=../spec-fixtures
mkdir -p corpus/html_extract corpus/price corpus/duration corpus/expiration corpus/paymentsystem corpus/token_verify
dirs=()
for d in "$root/cases" "$root/pairs"; do [ -d "$d" ] && dirs+=("$d"); done
find "${dirs[@]}" -type f \( -name '*.html' -o -name '*.htm' \) \
  | while read -r page; do
      for target in html_extract; do
        cp "$page" "corpus/$target/$(basename "$(dirname "$page")")-$(basename "$page")"
      done
    done
python3 - "$root" <<'PY'
import json, os, re, sys, hashlib
root = sys.argv[1]
fields = {"price": "price", "duration": "duration", "expiration": "expiration", "paymentsystem": "paymentsystem"}
for dirpath, _, files in os.walk(os.path.join(root, "cases")):
    for name in files:
        if not name.endswith((".html", ".htm")):
            continue
        text = open(os.path.join(dirpath, name), "rb").read().decode("utf-8", "replace")
        for field, value in re.findall(r'name="?([a-z0-9.]+)"?\s+value="([^"]*)"', text, re.I):
            target = fields.get(field.lower())
            if target:
                digest = hashlib.sha1(value.encode()).hexdigest()[:12]
                open(f"corpus/{target}/{digest}", "w").write(value)
vectors = os.path.join(root, "wallet", "vectors.json")
if os.path.exists(vectors):
    def tokens(node):
        if isinstance(node, dict):
            for v in node.values():
                yield from tokens(v)
        elif isinstance(node, list):
            for v in node:
                yield from tokens(v)
        elif isinstance(node, str) and len(node) > 80 and re.fullmatch(r"[A-Za-z0-9_-]+", node):
            yield node
    for token in tokens(json.load(open(vectors))):
        open(f"corpus/token_verify/{hashlib.sha1(token.encode()).hexdigest()[:12]}", "w").write(token)
PY
for d in corpus/*; do echo "$d: $(ls "$d" | wc -l) inputs"; done
