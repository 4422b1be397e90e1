#!/usr/bin/env bash
# Load benchmark against the national-scale database (run bench/national.sh first): every route side by
# side with a static file served by the same server, in one run, server and wrk pinned to separate cores.
# Then 60 s at 128 connections while a 100,000-row import runs. Prints Markdown tables.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT="$ROOT/bench/out"
PORT=${BENCH_PG_PORT:-55491}
SITE=${BENCH_SITE_PORT:-8099}
DURATION=${DURATION:-30s}
CONNECTIONS=${CONNECTIONS:-32}
BASE="http://127.0.0.1:$SITE"

# shellcheck source=../scripts/pg.sh
source scripts/pg.sh
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
pg_cluster_start "$OUT/pg-national/data" "$PORT"
export ConnectionStrings__Registry="Host=127.0.0.1;Port=$PORT;Username=ashyq;Database=national"
PSQL=(psql -h 127.0.0.1 -p "$PORT" -U ashyq -d national -qAt)

# The import run under load loads a week far after the national ones; leave no trace of it before or after.
forget_import_week() {
  "${PSQL[@]}" -c "DO \$\$ DECLARE part text; BEGIN
      FOR part IN SELECT inhrelid::regclass::text FROM pg_inherits
                  WHERE inhparent = 'week_rows'::regclass AND inhrelid::regclass::text LIKE 'week_rows_20300107%' LOOP
        EXECUTE 'DROP TABLE ' || part;
      END LOOP; END \$\$" \
    -c "DELETE FROM business_weeks WHERE week_start = '2030-01-07'" -c "DELETE FROM week_counts WHERE week_start = '2030-01-07'" \
    -c "DELETE FROM weeks WHERE week_start = '2030-01-07'" \
    -c "DELETE FROM import_messages WHERE import_id IN (SELECT id FROM imports WHERE week_start = '2030-01-07')" \
    -c "DELETE FROM import_files WHERE import_id IN (SELECT id FROM imports WHERE week_start = '2030-01-07')" \
    -c "DELETE FROM imports WHERE week_start = '2030-01-07' AND duplicate_of IS NOT NULL" \
    -c "DELETE FROM imports WHERE week_start = '2030-01-07'"
}
forget_import_week

# Paths that rotate: 20,000 businesses, and name searches, so most requests miss the output cache.
"${PSQL[@]}" -c "SELECT '/business/' || bin FROM businesses ORDER BY md5(bin) LIMIT 20000" >"$OUT/paths-business.txt"
sed 's|^/business/|/api/v1/businesses/|' "$OUT/paths-business.txt" >"$OUT/paths-api.txt"
"${PSQL[@]}" -c "SELECT '/search?q=%E2%84%96' || substring(name from '№([0-9]+)') FROM businesses ORDER BY md5(bin) LIMIT 5000" >"$OUT/paths-search.txt"

# The site on core 0 (the API rate limit lifted: all load comes from one address), wrk on core 1.
(cd "$OUT/app" && DOTNET_ENVIRONMENT=Production ApiRateLimit__PermitLimit=1000000 ApiRateLimit__WindowSeconds=1 \
  taskset -c 0 dotnet Ashyq.Registry.Web.dll --urls "$BASE" >"$OUT/load-site.log" 2>&1) &
SITE_PID=$!
trap 'kill $SITE_PID 2>/dev/null || true; wait $SITE_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -fs "$BASE/health/ready" >/dev/null && break; sleep 0.5; done

run() { # name, path or @pathsfile, duration, connections
  local name=$1 target=$2 duration=$3 connections=$4 paths="" url
  if [[ $target == @* ]]; then paths=${target#@}; url="$BASE/"; else url="$BASE$target"; fi
  PATHS=$paths taskset -c 1 wrk -t1 -c"$connections" -d"$duration" --timeout 5s -s bench/wrk/report.lua "$url" \
    | awk -v name="$name" -F'\t' '/^RESULT/ { print name "\t" $2 "\t" $3 "\t" $4 "\t" $5 "\t" $6 "\t" $7 }'
}

HOT_BIN=$(head -1 "$OUT/paths-business.txt" | sed 's|/business/||')
routes=(
  "static file|/css/site.css"
  "/|/"
  "/leaders|/leaders"
  "/leaders?q=…|/leaders?q=%D0%BE%D0%B1%D1%8A%D0%B5%D0%BA%D1%82%2012"
  "/statistics|/statistics"
  "/business/{bin} (one BIN)|/business/$HOT_BIN"
  "/business/{bin} (20,000 BINs)|@$OUT/paths-business.txt"
  "/api/v1/businesses/{bin} (one BIN)|/api/v1/businesses/$HOT_BIN"
  "/api/v1/businesses/{bin} (20,000 BINs)|@$OUT/paths-api.txt"
  "/search?q= (one name)|/search?q=%D0%BE%D0%B1%D1%8A%D0%B5%D0%BA%D1%82%20%E2%84%960012345"
  "/search?q= (5,000 queries)|@$OUT/paths-search.txt"
  "/lists/leaders.csv|/lists/leaders.csv"
)

echo "Warming up (each route, 3 s, ${#routes[@]} routes)..." >&2
for route in "${routes[@]}"; do run warm "${route#*|}" 3s "$CONNECTIONS" >/dev/null; done

echo "| route | req/s | p50 ms | p95 ms | p99 ms | non-2xx | socket errors | vs static |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
static=""
for route in "${routes[@]}"; do
  line=$(run "${route%%|*}" "${route#*|}" "$DURATION" "$CONNECTIONS")
  IFS=$'\t' read -r name rps p50 p95 p99 non2xx errors <<<"$line"
  [ -z "$static" ] && static=$rps
  ratio=$(echo "scale=0; 100 * $rps / $static" | bc)
  echo "| $name | $rps | $p50 | $p95 | $p99 | $non2xx | $errors | ${ratio} % |"
done

echo
echo "60 s at 128 connections on /leaders, /business and the API while a 100,000-row import runs:"
file="$OUT/rows-100000.csv"
[ -f "$file" ] || "$ROOT/bench/Ashyq.Registry.Bench/bin/Release/net10.0/Ashyq.Registry.Bench" generate-rows --rows 100000 --out "$file" >/dev/null
cat "$OUT/paths-business.txt" "$OUT/paths-api.txt" >"$OUT/paths-mixed.txt"
echo "/leaders" >>"$OUT/paths-mixed.txt"
(sleep 5; cd "$OUT/app" && /usr/bin/time -f "%e s" dotnet Ashyq.Registry.Web.dll import "$file" --week 2030-01-07 --json >"$OUT/load-import.json" 2>"$OUT/load-import.log") &
IMPORT_PID=$!
echo "| route | req/s | p50 ms | p95 ms | p99 ms | non-2xx | socket errors |"
echo "|---|---:|---:|---:|---:|---:|---:|"
line=$(run "mixed, during import" "@$OUT/paths-mixed.txt" 60s 128)
IFS=$'\t' read -r name rps p50 p95 p99 non2xx errors <<<"$line"
echo "| $name | $rps | $p50 | $p95 | $p99 | $non2xx | $errors |"
wait $IMPORT_PID
echo "The import loaded $(grep -o '"rowsLoaded": [0-9]*' "$OUT/load-import.json" | grep -o '[0-9]*$') rows in $(tail -1 "$OUT/load-import.log")."
forget_import_week
