#!/usr/bin/env bash
# Minimize the committed corpus of one target: libFuzzer -merge=1 of the committed corpus, its seeds and
# any other corpus folders given (e.g. a campaign's) into a fresh folder, which then replaces
# fuzz/corpus/TARGET. Keeps the smallest set of inputs that covers everything they cover together.
#   fuzz/minimize.sh TARGET [CORPUS_DIR...]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
target="${1:?usage: $0 TARGET [CORPUS_DIR...]}"; shift
script="$here/targets/fuzz_${target}.py"
[ -f "$script" ] || { echo "unknown target $target" >&2; exit 2; }
venv="$here/.venv"
[ -x "$venv/bin/python" ] || { echo "run fuzz/run.sh $target 1 once first (it creates fuzz/.venv)" >&2; exit 2; }
committed="$here/corpus/$target"
fresh="$(mktemp -d "$here/.merge-$target-XXXXXX")"
trap 'rm -rf "$fresh"' EXIT
mkdir -p "$committed"
sources=("$committed")
[ -d "$here/seeds/$target" ] && sources+=("$here/seeds/$target")
for extra in "$@"; do [ -d "$extra" ] && sources+=("$extra"); done
nice -n 19 "$venv/bin/python" "$script" -merge=1 -rss_limit_mb=2048 -timeout=20 "$fresh" "${sources[@]}" \
  >"$fresh.log" 2>&1 || { tail -20 "$fresh.log" >&2; rm -f "$fresh.log"; exit 1; }
rm -f "$fresh.log"
rm -rf "$committed"
mkdir -p "$committed"
cp "$fresh"/* "$committed"/ 2>/dev/null || true
echo "$target: $(ls "$committed" | wc -l) inputs, $(du -sh "$committed" | cut -f1)"
