#!/usr/bin/env bash
# A long fuzzing campaign: LANES targets at a time (niced), each for SLICE seconds, round after round,
# until HOURS of wall time have passed. Every slice is logged to fuzz/campaign.log as
#   <start UTC> <target> <seconds run> <exit status>
# (exit status 0 = slice ended by its time limit; anything else = libFuzzer stopped on a finding,
# whose input is in fuzz/findings/<target>/). docs/robustness.md sums this log per target.
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
    echo "$(date -u -d @"$start" +%FT%TZ) $t $(( $(date +%s) - start )) $rc" >> "$here/campaign.log"
  done
}
for n in $(seq 0 $(( lanes - 1 ))); do lane "$n" & done
wait
