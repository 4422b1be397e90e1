#!/usr/bin/env bash
# Runs every fault scenario (or those named with --only) with --runs N, keeps each one's output in
# bench/out/faults/<scenario>.txt, and prints a summary table. Exits 1 if any run of any scenario failed.
# Usage: bench/faults/run-all.sh [--runs N] [--only "kill-during-import database-outage ..."]
set -uo pipefail
DIR=$(cd "$(dirname "$0")" && pwd)
OUT="$DIR/../out/faults"
mkdir -p "$OUT"
RUNS=5
ONLY="kill-during-import two-nodes-twenty-uploads database-outage disk-and-inbox two-nodes-staff-and-cache"
while [ $# -gt 0 ]; do
  case $1 in
    --runs) RUNS=$2; shift 2 ;;
    --only) ONLY=$2; shift 2 ;;
    *) echo "usage: $0 [--runs N] [--only \"SCENARIO ...\"]" >&2; exit 2 ;;
  esac
done

status=0
rows=()
for scenario in $ONLY; do
  [ -x "$DIR/$scenario.sh" ] || { echo "no scenario $scenario" >&2; exit 2; }
  echo "== $scenario (--runs $RUNS)" >&2
  start=$SECONDS
  "$DIR/$scenario.sh" --runs "$RUNS" 2>"$OUT/$scenario.err" | tee "$OUT/$scenario.txt"
  code=${PIPESTATUS[0]}
  [ "$code" = 0 ] || status=1
  verdict=$(grep -a " summary: " "$OUT/$scenario.txt" | tail -1 | sed 's/.* summary: //')
  figures=$(grep -a "^$scenario[^:]*: seconds" "$OUT/$scenario.txt" | sed "s/^$scenario//; s/^ //" | paste -sd';' -)
  rows+=("| $scenario | $([ "$code" = 0 ] && echo pass || echo FAIL) | ${verdict:-no summary (exit $code)} | ${figures:--} | $((SECONDS - start)) s |")
done

echo
echo "| scenario | verdict | runs | figures | wall time |"
echo "|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
exit $status
