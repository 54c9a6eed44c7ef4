#!/usr/bin/env bash
# A long fuzzing campaign: LANES targets at a time (niced), each for SLICE seconds, round after round,
# until HOURS of wall time have passed. Every slice is logged to fuzz/campaign.log as
#   <start UTC> <target> <seconds run> <exit status>
# (exit status 0 = slice ended by its time limit; anything else = libFuzzer stopped on a finding,
# whose input is in fuzz/findings/<target>/, and whose output is kept as fuzz/findings/<target>/<start>.log).
# The slice's executions ("Done N runs") are logged too. docs/robustness.md sums this log per target.
#   fuzz/campaign.sh [LANES] [SLICE] [HOURS] [TARGET...]
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
lanes="${1:-3}"; slice="${2:-1800}"; hours="${3:-10}"; shift 3 2>/dev/null || shift $#
if [ "$#" -gt 0 ]; then targets=("$@"); else mapfile -t targets < <("$here/run.sh" list); fi
deadline=$(( $(date +%s) + hours * 3600 ))
lane() {
  local n="$1" i="$1"
  while [ "$(date +%s)" -lt "$deadline" ]; do
    local t="${targets[$(( i % ${#targets[@]} ))]}"
    i=$(( i + lanes ))
    local start; start=$(date +%s)
    nice -n 19 "$here/run.sh" "$t" "$slice" >"$here/.lane-$n.out" 2>&1
    local rc=$?
    local runs; runs=$(grep -o 'Done [0-9]* runs' "$here/.lane-$n.out" | tail -1 | cut -d' ' -f2)
    echo "$(date -u -d @"$start" +%FT%TZ) $t $(( $(date +%s) - start )) $rc ${runs:-?}" >> "$here/campaign.log"
    if [ "$rc" != 0 ]; then cp "$here/.lane-$n.out" "$here/findings/$t/$(date -u -d @"$start" +%Y%m%dT%H%M%S).log"; fi
    # the targets' scratch folders (libFuzzer exits without running atexit handlers)
    find "${TMPDIR:-/tmp}" -maxdepth 1 -name 'spyscan-fuzz-*' -mmin +30 -user "$(id -u)" -exec rm -rf {} + 2>/dev/null
  done
}
for n in $(seq 0 $(( lanes - 1 ))); do lane "$n" & done
wait
