#!/usr/bin/env bash
# The closing line of test.sh: "N passed, N failed[, N skipped]" over the projects scripts/test-project.sh
# ran into RESULTS (one NAME.minimum each). Exits 1 when anything failed.
#
# A test project fails when a test in it failed, and also when its results cannot be trusted: dotnet
# test exited non-zero (a host that crashed, a fixture whose clean-up threw), the results file is
# missing or its outcome is not Completed, or fewer tests ran than the project's stated minimum (none
# found at all, say). Such a project counts one failure even when no single test is to blame, and a
# line above the total says why.
# usage: scripts/test-summary.sh RESULTS [EXTRA_FAILURES]
set -uo pipefail
results=$1 extra=${2:-0}
passed=0 failed=$extra skipped=0 projects=0

attr() { sed -n "s/.* $1=\"\([^\"]*\)\".*/\1/p" <<<"$2"; }
num() { local v; v=$(attr "$1" "$2"); echo "${v:-0}"; }

for minimum_file in "$results"/*.minimum; do
  [ -f "$minimum_file" ] || continue
  projects=$((projects + 1))
  name=$(basename "$minimum_file" .minimum)
  minimum=$(cat "$minimum_file")
  trx="$results/$name.trx"
  reasons=()
  own_failed=0 executed=0
  if [ -f "$trx" ]; then
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
    outcome=$(attr outcome "$(grep -o '<ResultSummary [^>]*>' "$trx" | head -1)")
    passed=$((passed + $(num passed "$counters")))
    own_failed=$(($(num failed "$counters") + $(num error "$counters") + $(num timeout "$counters") + $(num aborted "$counters")))
    executed=$(num executed "$counters")
    skipped=$((skipped + $(num total "$counters") - executed))
    [ "$outcome" = Completed ] || [ "$own_failed" -gt 0 ] || reasons+=("its results say the run was '${outcome:-unknown}'")
  else
    reasons+=("it left no results file")
  fi
  if [ ! -f "$results/$name.exit" ]; then
    reasons+=("its run did not finish")
  else
    code=$(cat "$results/$name.exit")
    [ "$code" = 0 ] || [ "$own_failed" -gt 0 ] || reasons+=("dotnet test exited $code with no failed test reported (a crashed test host, or a fixture's clean-up)")
  fi
  [ "$executed" -ge "$minimum" ] || reasons+=("it ran $executed tests, fewer than its minimum of $minimum")
  for reason in "${reasons[@]}"; do echo "$name failed: $reason"; done
  if [ "$own_failed" -eq 0 ] && [ ${#reasons[@]} -gt 0 ]; then own_failed=1; fi
  failed=$((failed + own_failed))
done
if [ "$projects" -eq 0 ]; then
  echo "No test project ran."
  failed=$((failed + 1))
fi

line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
[ "$failed" -eq 0 ]
