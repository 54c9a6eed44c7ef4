#!/usr/bin/env bash
# Fuzz one parser for a chosen time:  fuzz/run.sh TARGET SECONDS   (fuzz/run.sh list  shows the targets)
# atheris goes into fuzz/.venv (not a project dependency, not in CI); the project's own venv (.venv)
# provides spyscan's dependencies. Findings (crashing inputs) land in fuzz/findings/TARGET/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
target="${1:-}"
seconds="${2:-60}"
if [ -z "$target" ] || [ "$target" = "list" ]; then
  ls "$here/targets" | sed -n 's/^fuzz_\(.*\)\.py$/\1/p'
  exit 0
fi
script="$here/targets/fuzz_${target}.py"
[ -f "$script" ] || { echo "unknown target $target; try: $0 list" >&2; exit 2; }
[ -x "$repo/.venv/bin/python" ] || { echo "the project venv $repo/.venv is missing (see README)" >&2; exit 2; }

venv="$here/.venv"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import atheris" 2>/dev/null; then
  "$repo/.venv/bin/python" -m venv "$venv"
  "$venv/bin/pip" install --quiet "atheris>=2.3"
  site="$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
  project_site="$("$repo/.venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
  printf '%s\n%s\n%s\n' "$repo/src" "$repo" "$project_site" > "$site/spyscan-project.pth"
fi

corpus="$here/corpus/$target"
findings="$here/findings/$target"
mkdir -p "$corpus" "$findings"
if [ -d "$here/seeds/$target" ]; then cp -n "$here/seeds/$target"/* "$corpus"/ 2>/dev/null || true; fi
cd "$findings"
exec "$venv/bin/python" "$script" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=20 \
  -artifact_prefix="$findings/" "$corpus"
