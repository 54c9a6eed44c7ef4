#!/usr/bin/env bash
# Minimize the committed corpus of one target: libFuzzer -merge=1 of the committed corpus, its seeds and
# any other corpus folders given (e.g. a campaign's) into a fresh folder, which then replaces
# fuzz/corpus/TARGET. Keeps the smallest set of inputs that covers everything they cover together.
# The committed corpus is only replaced when the merge succeeded and kept at least one input. Committed
# inputs are named <sha1>.in; the files a running fuzzer adds (plain <sha1>) are ignored by git, so that a
# campaign can fuzz in a checkout. Never run this where a campaign is writing the corpus: it replaces the folder.
#   fuzz/minimize.sh TARGET [CORPUS_DIR...]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
target="${1:?usage: $0 TARGET [CORPUS_DIR...]}"; shift
script="$here/targets/fuzz_${target}.py"
[ -f "$script" ] || { echo "unknown target $target" >&2; exit 2; }
venv="$here/.venv"
[ -x "$venv/bin/python" ] || { echo "run fuzz/run.sh $target 1 once first (it creates fuzz/.venv)" >&2; exit 2; }
committed="$here/corpus/$target"
work="$(mktemp -d "$here/.merge-$target-XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$committed" "$work/out"
# libFuzzer runs argv[0] again for the merge: a wrapper starting the script with the fuzz venv's python
printf '#!/bin/sh\nexec "%s" "%s" "$@"\n' "$venv/bin/python" "$script" > "$work/run"
chmod +x "$work/run"
sources=("$committed")
[ -d "$here/seeds/$target" ] && sources+=("$here/seeds/$target")
for extra in "$@"; do [ -d "$extra" ] && sources+=("$extra"); done
inputs=$(find "${sources[@]}" -type f | wc -l)
if ! SPYSCAN_FUZZ_ARGV0="$work/run" nice -n 19 "$work/run" -merge=1 -rss_limit_mb=2048 -timeout=20 \
    "$work/out" "${sources[@]}" >"$work/log" 2>&1; then
  tail -20 "$work/log" >&2; exit 1
fi
kept=$(find "$work/out" -type f | wc -l)
if [ "$kept" -eq 0 ] && [ "$inputs" -gt 0 ]; then
  echo "$target: the merge kept nothing out of $inputs inputs; the committed corpus is left as it was" >&2
  tail -20 "$work/log" >&2; exit 1
fi
for f in "$work/out"/*; do mv "$f" "$f.in"; done  # committed inputs end in .in: fuzzers' own files are ignored
rm -rf "$committed"
mv "$work/out" "$committed"
echo "$target: $kept inputs kept out of $inputs, $(du -sh "$committed" | cut -f1)"
