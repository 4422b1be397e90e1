#!/usr/bin/env bash
# Runs one test project (built already) and leaves three files for scripts/test-summary.sh in RESULTS:
# NAME.minimum (the project's <MinimumTestCount>, else 1), NAME.trx and NAME.exit (dotnet test's exit
# code, written whatever happened to the test host). Further arguments go to dotnet test.
# usage: scripts/test-project.sh PROJECT.csproj RESULTS [NAME] [dotnet test arguments...]
set -uo pipefail
project=$1 results=$2
name=${3:-$(basename "$project" .csproj)}
shift $(($# < 3 ? $# : 3))
mkdir -p "$results"
minimum=$(sed -n 's/.*<MinimumTestCount>\([0-9][0-9]*\)<\/MinimumTestCount>.*/\1/p' "$project" | head -1)
echo "${minimum:-1}" >"$results/$name.minimum"
rm -f "$results/$name.exit" "$results/$name.trx"
dotnet test "$project" -c Release --no-build --nologo \
  --logger "trx;LogFileName=$results/$name.trx" --logger "console;verbosity=minimal" "$@"
code=$?
echo "$code" >"$results/$name.exit"
exit "$code"
