#!/usr/bin/env bash
# Builds in Release (which checks formatting too), starts a throwaway PostgreSQL cluster (unless ASHYQ_TEST_PG names
# a server), runs every test project and ends with one line: "N passed, N failed[, N skipped]"
# (scripts/test-summary.sh says what it counts).
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

# The build is also the formatting and style check: .editorconfig raises formatting (IDE0055) and the
# code-style rules to warnings, and warnings are errors, so a separate formatting pass would only
# compile the solution a second time.
echo "== build (Release, with the formatting and style checks)"
if ! dotnet build Ashyq.Registry.sln -c Release --nologo -v quiet -clp:NoSummary; then
  echo "The build failed; an IDE0055 error is formatting, which 'dotnet format Ashyq.Registry.sln' fixes."
  echo "0 passed, 1 failed"; exit 1
fi

if [ -z "${ASHYQ_TEST_PG:-}" ]; then
  CLUSTER="$ROOT/.test-data/cluster-$$"
  port=$(pg_free_port)
  echo "== starting a throwaway PostgreSQL cluster on port $port"
  # Every test class has a database of its own and its site a job server; idle connections are let go
  # soon, and the server takes more than a deployment's default, so that classes run one after another
  # never run out of connections.
  PG_MAX_CONNECTIONS=1000 PG_FSYNC=off PG_SYNC_COMMIT=off pg_cluster_start "$CLUSTER/data" "$port" || { echo "0 passed, 1 failed"; exit 1; }
  export ASHYQ_TEST_PG="Host=127.0.0.1;Port=$port;Username=ashyq;Database=postgres;Maximum Pool Size=50;Connection Idle Lifetime=10;Connection Pruning Interval=2"
fi

for project in tests/*/*.csproj; do
  echo "== $(basename "$project" .csproj)"
  scripts/test-project.sh "$project" "$RESULTS"
done

scripts/test-summary.sh "$RESULTS"
exit $?
