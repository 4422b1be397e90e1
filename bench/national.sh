#!/usr/bin/env bash
# Builds the national-scale database every load benchmark runs against: 100,000 businesses x 52 weekly
# exports, each loaded and published through the real pipeline (the `import --publish` verb).
# Usage: bench/national.sh   (BUSINESSES, WEEKS and BENCH_PG_PORT may be set)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT="$ROOT/bench/out"
BUSINESSES=${BUSINESSES:-100000}
WEEKS=${WEEKS:-52}
PORT=${BENCH_PG_PORT:-55491}
DB=national

# shellcheck source=../scripts/pg.sh
source scripts/pg.sh
echo "Building (Release)..." >&2
dotnet publish src/Ashyq.Registry.Web -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$OUT/app" --nologo -v quiet >/dev/null
dotnet build bench/Ashyq.Registry.Bench -c Release --nologo -v quiet >/dev/null
BENCH="$ROOT/bench/Ashyq.Registry.Bench/bin/Release/net10.0/Ashyq.Registry.Bench"

if [ ! -f "$OUT/national/week-$(date -d "2021-06-07 + $(( (WEEKS - 1) * 7 )) days" +%F).csv" ]; then
  "$BENCH" generate --businesses "$BUSINESSES" --weeks "$WEEKS" --out "$OUT/national" >/dev/null
fi

pg_cluster_start "$OUT/pg-national/data" "$PORT"
psql -h 127.0.0.1 -p "$PORT" -U ashyq -d postgres -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
export ConnectionStrings__Registry="Host=127.0.0.1;Port=$PORT;Username=ashyq;Database=$DB"
(cd "$OUT/app" && dotnet Ashyq.Registry.Web.dll migrate >/dev/null 2>"$OUT/migrate.log") || { cat "$OUT/migrate.log" >&2; exit 1; }

start=$(date +%s)
for file in "$OUT"/national/week-*.csv; do
  week=$(basename "$file" .csv); week=${week#week-}
  t0=$(date +%s.%N)
  (cd "$OUT/app" && dotnet Ashyq.Registry.Web.dll import "$file" --week "$week" --publish --confirm-warnings --own-upload --json >"$OUT/national-$week.json" 2>"$OUT/national-$week.log")
  printf '%s loaded and published in %.1f s\n' "$week" "$(echo "$(date +%s.%N) - $t0" | bc)"
done
total=$(( $(date +%s) - start ))
psql -h 127.0.0.1 -p "$PORT" -U ashyq -d "$DB" -qAt -c "VACUUM ANALYZE" \
  -c "SELECT count(*) || ' published weeks, ' || sum(participants + excluded) || ' weekly rows' FROM weeks WHERE status = 'published'" \
  -c "SELECT count(*) || ' businesses' FROM businesses" \
  -c "SELECT pg_size_pretty(pg_database_size('$DB')) || ' on disk'"
echo "All $WEEKS weeks loaded and published in ${total} s"
echo "The cluster keeps running on port $PORT; stop it with: source scripts/pg.sh && pg_cluster_stop $OUT/pg-national/data"
