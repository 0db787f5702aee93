#!/usr/bin/env bash
# Build the wheel, install it into a fresh venv made with the interpreter's bundled pip
# (no upgrade, no development extras), code the bundled samples with it and compare the
# records with the development venv's. Run by `make check-install` and by CI.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
DEV_BIN="${DEV_BIN:-.venv/bin}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$PYTHON" -m venv "$work/venv"
"$work/venv/bin/pip" --version
"$work/venv/bin/pip" wheel --quiet --no-deps --wheel-dir "$work/dist" .
"$work/venv/bin/pip" install --quiet "$work"/dist/dyad-*.whl 2> "$work/pip.err" || {
    cat "$work/pip.err" >&2
    exit 1
}
grep -v "^WARNING: Location" "$work/pip.err" >&2 || true

# Code from outside the source tree so the installed package, not ./src, is imported.
(cd "$work" && ./venv/bin/dyad code "$OLDPWD/samples" > fresh.jsonl)
"$DEV_BIN/dyad" code samples > "$work/dev.jsonl"
fresh=$(wc -l < "$work/fresh.jsonl")
if [ "$fresh" -eq 0 ]; then
    echo "check-install: the fresh install coded no records" >&2
    exit 1
fi
if ! cmp -s "$work/fresh.jsonl" "$work/dev.jsonl"; then
    echo "check-install: the fresh install's records differ from the development venv's" >&2
    diff <(head -c 2000 "$work/fresh.jsonl") <(head -c 2000 "$work/dev.jsonl") >&2 || true
    exit 1
fi
# Without the serve extra, `dyad serve` says which extra to install (and exits 2).
if (cd "$work" && ./venv/bin/dyad serve --db none.duckdb 2> serve.err); then
    echo "check-install: dyad serve ran without the serve extra" >&2
    exit 1
fi
grep -q "pip install 'dyad\[serve\]'" "$work/serve.err" || {
    echo "check-install: dyad serve without the extra did not name it:" >&2
    cat "$work/serve.err" >&2
    exit 1
}
echo "check-install: fresh venv coded $fresh records, identical to the development venv"
