#!/usr/bin/env bash
# Builds in Release, checks formatting, starts a throwaway PostgreSQL cluster (unless ASHYQ_TEST_PG names
# a server), runs every test project and ends with one line: "N passed, N failed[, N skipped]".
set -uo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
RESULTS="$ROOT/.test-data/results"
rm -rf "$RESULTS" && mkdir -p "$RESULTS"

# shellcheck source=scripts/pg.sh
source scripts/pg.sh
scripts/install-test-deps.sh || { echo "Could not install the test dependencies."; echo "0 passed, 1 failed"; exit 1; }

CLUSTER=""
cleanup() { [ -n "$CLUSTER" ] && pg_cluster_drop "$CLUSTER/data" && rm -rf "$CLUSTER"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== build (Release)"
if ! dotnet build Ashyq.Registry.sln -c Release --nologo -v quiet -clp:NoSummary; then
  echo "0 passed, 1 failed"; exit 1
fi

echo "== dotnet format --verify-no-changes"
format_failed=0
if ! dotnet format Ashyq.Registry.sln --verify-no-changes --no-restore -v quiet; then
  echo "Formatting differs: run 'dotnet format Ashyq.Registry.sln'."
  format_failed=1
fi

if [ -z "${ASHYQ_TEST_PG:-}" ]; then
  CLUSTER="$ROOT/.test-data/cluster-$$"
  port=$(pg_free_port)
  echo "== starting a throwaway PostgreSQL cluster on port $port"
  PG_FSYNC=off PG_SYNC_COMMIT=off pg_cluster_start "$CLUSTER/data" "$port" || { echo "0 passed, 1 failed"; exit 1; }
  export ASHYQ_TEST_PG="Host=127.0.0.1;Port=$port;Username=ashyq;Database=postgres;Maximum Pool Size=50"
fi

status=0
for project in tests/*/*.csproj; do
  name=$(basename "$project" .csproj)
  echo "== $name"
  dotnet test "$project" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$RESULTS/$name.trx" --logger "console;verbosity=minimal" || status=1
done

passed=0; failed=0; skipped=0
for trx in "$RESULTS"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  total=$(get total); executed=$(get executed)
  skipped=$((skipped + total - executed))
done
# A project whose run crashed leaves no results: count it as a failure, not as nothing.
expected=$(ls tests/*/*.csproj | wc -l); got=$(ls "$RESULTS"/*.trx 2>/dev/null | wc -l)
failed=$((failed + expected - got + format_failed))
[ "$failed" -gt 0 ] && status=1

line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
exit $status
