#!/usr/bin/env bash
# Load benchmark against the national-scale database (run bench/national.sh first): every route side by
# side with a static file served by the same server, in one run, server and wrk pinned to separate cores.
# Then 60 s at 128 connections while a 100,000-row import runs. Prints Markdown tables.
# BENCH_APP: a published site to measure instead of bench/out/app; ONLY: a regular expression of the route
# names to measure (the static file is always measured first); COMPRESSION=0 and IMPORT=0 leave out the
# compression table and the run during an import.
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
# The database server sized as docs/deployment.md recommends for a national registry: shared buffers that
# hold the history's primary key (some 370 MB at 100,000 businesses x 52 weeks). Restarted with it, and
# the tables the business reads use loaded into those buffers, so every run starts from the same state.
SHARED_BUFFERS=${SHARED_BUFFERS:-1GB}
pg_cluster_stop "$OUT/pg-national/data"
PG_SERVER_OPTIONS="-c shared_buffers=$SHARED_BUFFERS" pg_cluster_start "$OUT/pg-national/data" "$PORT"
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
"${PSQL[@]}" -c "CREATE EXTENSION IF NOT EXISTS pg_prewarm" \
  -c "SELECT pg_prewarm(r) FROM unnest(ARRAY['businesses', 'businesses_pkey', 'pk_business_weeks', 'weeks']::regclass[]) r" >/dev/null

# Paths that rotate: 20,000 businesses, and name searches. The API's 80,000 other businesses are asked
# once each in one short run, so that every request of that run misses the output cache.
"${PSQL[@]}" -c "SELECT '/business/' || bin FROM businesses ORDER BY md5(bin) LIMIT 20000" >"$OUT/paths-business.txt"
sed 's|^/business/|/api/v1/businesses/|' "$OUT/paths-business.txt" >"$OUT/paths-api.txt"
"${PSQL[@]}" -c "SELECT '/api/v1/businesses/' || bin FROM businesses ORDER BY md5(bin) OFFSET 20000" >"$OUT/paths-api-cold.txt"
"${PSQL[@]}" -c "SELECT '/search?q=%E2%84%96' || substring(name from '№([0-9]+)') FROM businesses ORDER BY md5(bin) LIMIT 5000" >"$OUT/paths-search.txt"

# The site on core 0 (the API rate limit lifted: all load comes from one address), wrk on core 1.
APP=${BENCH_APP:-$OUT/app}
(cd "$APP" && DOTNET_ENVIRONMENT=Production ApiRateLimit__PermitLimit=1000000 ApiRateLimit__WindowSeconds=1 \
  exec taskset -c 0 dotnet Ashyq.Registry.Web.dll --urls "$BASE" >"$OUT/load-site.log" 2>&1) &
SITE_PID=$!
trap 'kill $SITE_PID 2>/dev/null || true; wait $SITE_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -fs "$BASE/health/ready" >/dev/null && break; sleep 0.5; done

run() { # name, path or @pathsfile, duration, connections[, Accept-Encoding]
  local name=$1 target=$2 duration=$3 connections=$4 encoding=${5:-} paths="" url headers=()
  if [[ $target == @* ]]; then paths=${target#@}; url="$BASE/"; else url="$BASE$target"; fi
  [ -n "$encoding" ] && headers=(-H "Accept-Encoding: $encoding")
  PATHS=$paths taskset -c 1 wrk -t1 -c"$connections" -d"$duration" --timeout 5s "${headers[@]}" -s bench/wrk/report.lua "$url" \
    | awk -v name="$name" -F'\t' '/^RESULT/ { print name "\t" $2 "\t" $3 "\t" $4 "\t" $5 "\t" $6 "\t" $7 "\t" $8 }'
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
  "/api/v1/businesses/{bin} (20,000 BINs, cached)|@$OUT/paths-api.txt"
  "/search?q= (one name)|/search?q=%D0%BE%D0%B1%D1%8A%D0%B5%D0%BA%D1%82%20%E2%84%960012345"
  "/search?q= (5,000 queries)|@$OUT/paths-search.txt"
  "/lists/leaders.csv|/lists/leaders.csv"
  # Last: its 80,000 answers fill the output cache and would push out the pages routes measured after it rely on.
  "/api/v1/businesses/{bin} (80,000 BINs, each asked once)|@$OUT/paths-api-cold.txt"
)
if [ -n "${ONLY:-}" ]; then
  selected=("${routes[0]}")
  for route in "${routes[@]:1}"; do [[ ${route%%|*} =~ $ONLY ]] && selected+=("$route"); done
  routes=("${selected[@]}")
fi

echo "Warming up (each route, 3 s, ${#routes[@]} routes)..." >&2
for route in "${routes[@]}"; do
  [[ $route == *"asked once"* ]] || run warm "${route#*|}" 3s "$CONNECTIONS" >/dev/null
done

echo "| route | req/s | p50 ms | p95 ms | p99 ms | non-2xx | socket errors | vs static |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
static=""
# CPU seconds of a process and its threads, or of several processes, in clock ticks.
ticks() { local t=0 p; for p in "$@"; do [ -r "/proc/$p/stat" ] && t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat"))); done; echo "$t"; }
# The national cluster's server processes: its postmaster and every process it started.
db_pids() { local postmaster; postmaster=$(head -1 "$OUT/pg-national/data/postmaster.pid"); echo "$postmaster" $(pgrep -P "$postmaster"); }
cold_note=""
for route in "${routes[@]}"; do
  name=${route%%|*} target=${route#*|} duration=$DURATION cold=""
  [[ $name == *"asked once"* ]] && cold=yes
  # The cached rotation is measured once the output cache holds all of it: two passes first.
  [[ $name == *cached* ]] && run warm "$target" 20s "$CONNECTIONS" >/dev/null
  # Asked once each: a short run, fewer requests than businesses, so that every request is a miss.
  if [ -n "$cold" ]; then
    duration=10s
    site0=$(ticks "$SITE_PID"); db0=$(ticks $(db_pids))
  fi
  line=$(run "$name" "$target" "$duration" "$CONNECTIONS")
  IFS=$'\t' read -r name rps p50 p95 p99 non2xx errors _bytes <<<"$line"
  if [ -n "$cold" ]; then
    site1=$(ticks "$SITE_PID"); db1=$(ticks $(db_pids))
    requests=$(echo "$rps * ${duration%s}" | bc)
    businesses=$(wc -l <"$OUT/paths-api-cold.txt")
    tick_us=$((1000000 / $(getconf CLK_TCK)))
    cold_note="Every request a miss ($requests requests over $businesses businesses): CPU per request \
$(( (site1 - site0) * tick_us / requests )) µs in the site, $(( (db1 - db0) * tick_us / requests )) µs in PostgreSQL."
    # A faster machine would come round to businesses already asked, and those would be hits.
    [ "$requests" -le "$businesses" ] || cold_note="$cold_note WARNING: more requests than businesses, so not every request was a miss."
  fi
  [ -z "$static" ] && static=$rps
  ratio=$(echo "scale=0; 100 * $rps / $static" | bc)
  echo "| $name | $rps | $p50 | $p95 | $p99 | $non2xx | $errors | ${ratio} % |"
done
[ -n "$cold_note" ] && { echo; echo "$cold_note"; }

# What compression costs: the same routes asked without Accept-Encoding, with gzip and with Brotli, one
# after the other (each row warmed 3 s first). The bytes are the average answer on the wire, headers included.
if [ "${COMPRESSION:-1}" != 0 ]; then
  echo
  echo "Compression (each row $DURATION):"
  echo "| route | Accept-Encoding | req/s | p50 ms | p95 ms | p99 ms | non-2xx | bytes per answer |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|"
  for route in "static file|/css/site.css" "/|/" "/leaders|/leaders" "/business/{bin} (one BIN)|/business/$HOT_BIN" \
      "/api/v1/businesses/{bin} (one BIN)|/api/v1/businesses/$HOT_BIN" "/lists/leaders.csv|/lists/leaders.csv"; do
    for encoding in none gzip br; do
      header=$encoding; [ "$encoding" = none ] && header=""
      run warm "${route#*|}" 3s "$CONNECTIONS" "$header" >/dev/null
      line=$(run "${route%%|*}" "${route#*|}" "$DURATION" "$CONNECTIONS" "$header")
      IFS=$'\t' read -r name rps p50 p95 p99 non2xx errors bytes <<<"$line"
      echo "| $name | $encoding | $rps | $p50 | $p95 | $p99 | $non2xx | $bytes |"
    done
  done
fi

[ "${IMPORT:-1}" = 0 ] && exit 0
echo
echo "60 s at 128 connections on /leaders, /business and the API while a 100,000-row import runs:"
file="$OUT/rows-100000.csv"
[ -f "$file" ] || "$ROOT/bench/Ashyq.Registry.Bench/bin/Release/net10.0/Ashyq.Registry.Bench" generate-rows --rows 100000 --out "$file" >/dev/null
cat "$OUT/paths-business.txt" "$OUT/paths-api.txt" >"$OUT/paths-mixed.txt"
echo "/leaders" >>"$OUT/paths-mixed.txt"
(sleep 5; cd "$APP" && Registry__MaxWeeksAhead=520 /usr/bin/time -f "%e s" dotnet Ashyq.Registry.Web.dll import "$file" --week 2030-01-07 --json >"$OUT/load-import.json" 2>"$OUT/load-import.log") &
IMPORT_PID=$!
echo "| route | req/s | p50 ms | p95 ms | p99 ms | non-2xx | socket errors |"
echo "|---|---:|---:|---:|---:|---:|---:|"
line=$(run "mixed, during import" "@$OUT/paths-mixed.txt" 60s 128)
IFS=$'\t' read -r name rps p50 p95 p99 non2xx errors _bytes <<<"$line"
echo "| $name | $rps | $p50 | $p95 | $p99 | $non2xx | $errors |"
wait $IMPORT_PID
echo "The import loaded $(grep -o '"rowsLoaded": [0-9]*' "$OUT/load-import.json" | grep -o '[0-9]*$') rows in $(tail -1 "$OUT/load-import.log")."
forget_import_week
