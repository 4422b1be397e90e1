#!/usr/bin/env bash
# Paired runs of the uncached API case against two builds of the site, for comparing a change whose effect
# is smaller than this machine's noise: build A and build B take turns (A B, B A, A B, ...), each run on a
# freshly started site (so its output cache is empty and every request is a miss), the site pinned to core
# 0 and wrk to core 1. Prints each run and, per build, the median and range of req/s, p99 and the site's
# CPU per request, and the median of B's figure over A's within each pair (the pairs share the machine's
# state of the moment, so their ratio is steadier than either figure alone).
# Usage: bench/api-miss.sh APP_DIR_A APP_DIR_B [PAIRS]   (each APP_DIR a `dotnet publish` of the site)
# BUSINESSES, WEEKS, DURATION, CONNECTIONS, BENCH_PG_PORT and BENCH_SITE_PORT may be set.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT="$ROOT/bench/out"
APP_A=$(realpath "$1") APP_B=$(realpath "$2") PAIRS=${3:-5}
BUSINESSES=${BUSINESSES:-100000}
WEEKS=${WEEKS:-8}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-32}
PORT=${BENCH_PG_PORT:-55493}
SITE=${BENCH_SITE_PORT:-8098}
BASE="http://127.0.0.1:$SITE"
DB=apimiss

# shellcheck source=../scripts/pg.sh
source scripts/pg.sh
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
pg_cluster_start "$OUT/pg-apimiss/data" "$PORT"
trap 'pg_cluster_stop "$OUT/pg-apimiss/data"' EXIT
export ConnectionStrings__Registry="Host=127.0.0.1;Port=$PORT;Username=ashyq;Database=$DB"
PSQL=(psql -h 127.0.0.1 -p "$PORT" -U ashyq -d "$DB" -qAt)

# The database, built once through the real pipeline by build A and kept for later runs.
if ! psql -h 127.0.0.1 -p "$PORT" -U ashyq -d postgres -qAt -c "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
  BENCH="$ROOT/bench/Ashyq.Registry.Bench/bin/Release/net10.0/Ashyq.Registry.Bench"
  [ -x "$BENCH" ] || dotnet build bench/Ashyq.Registry.Bench -c Release --nologo -v quiet >/dev/null
  rm -rf "$OUT/apimiss"
  "$BENCH" generate --businesses "$BUSINESSES" --weeks "$WEEKS" --out "$OUT/apimiss" >/dev/null
  psql -h 127.0.0.1 -p "$PORT" -U ashyq -d postgres -qc "CREATE DATABASE $DB"
  (cd "$APP_A" && dotnet Ashyq.Registry.Web.dll migrate >/dev/null 2>"$OUT/apimiss-migrate.log")
  for file in "$OUT"/apimiss/week-*.csv; do
    week=$(basename "$file" .csv); week=${week#week-}
    (cd "$APP_A" && dotnet Ashyq.Registry.Web.dll import "$file" --week "$week" --publish --confirm-warnings --own-upload --json >/dev/null 2>"$OUT/apimiss-import.log")
  done
  "${PSQL[@]}" -c "VACUUM ANALYZE"
fi
# Warm-up BINs apart from the measured ones, so that the measured run starts with none of its answers cached.
"${PSQL[@]}" -c "SELECT '/api/v1/businesses/' || bin FROM businesses ORDER BY md5(bin) LIMIT 5000" >"$OUT/apimiss-warm.txt"
"${PSQL[@]}" -c "SELECT '/api/v1/businesses/' || bin FROM businesses ORDER BY md5(bin) OFFSET 5000" >"$OUT/apimiss-paths.txt"
paths=$(wc -l <"$OUT/apimiss-paths.txt")

ticks() { [ -r "/proc/$1/stat" ] && awk '{ print $14 + $15 }' "/proc/$1/stat" || echo 0; }
tick_us=$((1000000 / $(getconf CLK_TCK)))

run_once() { # label, app dir; prints: label rps p50 p95 p99 non2xx errors cpu_us_per_request
  local label=$1 app=$2 pid line rps p50 p95 p99 non2xx errors t0 t1 requests
  (cd "$app" && DOTNET_ENVIRONMENT=Production ApiRateLimit__PermitLimit=1000000 ApiRateLimit__WindowSeconds=1 \
    exec taskset -c 0 dotnet Ashyq.Registry.Web.dll --urls "$BASE" >"$OUT/apimiss-site-$label.log" 2>&1) &
  pid=$!
  for _ in $(seq 1 120); do curl -fs "$BASE/health/ready" >/dev/null && break; sleep 0.5; done
  PATHS="$OUT/apimiss-warm.txt" taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d3s -s bench/wrk/report.lua "$BASE/" >/dev/null
  t0=$(ticks "$pid")
  line=$(PATHS="$OUT/apimiss-paths.txt" taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 5s -s bench/wrk/report.lua "$BASE/" \
    | awk -F'\t' '/^RESULT/ { print $2 "\t" $3 "\t" $4 "\t" $5 "\t" $6 "\t" $7 }')
  t1=$(ticks "$pid")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  IFS=$'\t' read -r rps p50 p95 p99 non2xx errors <<<"$line"
  requests=$((rps * DURATION))
  [ "$requests" -le "$paths" ] || echo "WARNING: $requests requests over $paths businesses: not every request was a miss." >&2
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$rps" "$p50" "$p95" "$p99" "$non2xx" "$errors" $(( (t1 - t0) * tick_us / requests ))
}

results="$OUT/apimiss-results.tsv"
: >"$results"
echo "| pair | build | req/s | p50 ms | p95 ms | p99 ms | non-2xx | socket errors | site CPU µs/request |"
echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|"
for pair in $(seq 1 "$PAIRS"); do
  if (( pair % 2 )); then order="A B"; else order="B A"; fi
  for build in $order; do
    if [ "$build" = A ]; then app=$APP_A; else app=$APP_B; fi
    IFS=$'\t' read -r label rps p50 p95 p99 non2xx errors cpu <<<"$(run_once "$build" "$app")"
    printf '%s\t%s\t%s\t%s\t%s\n' "$build" "$rps" "$p99" "$cpu" "$pair" >>"$results"
    echo "| $pair | $label | $rps | $p50 | $p95 | $p99 | $non2xx | $errors | $cpu |"
  done
done

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
range() { sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo "–" hi }'; }
echo
echo "| build | runs | req/s median (range) | p99 ms median (range) | site CPU µs/request median (range) |"
echo "|---|---:|---:|---:|---:|"
for build in A B; do
  col() { awk -F'\t' -v b="$build" -v c="$1" '$1 == b { print $c }' "$results"; }
  echo "| $build | $(col 2 | wc -l) | $(col 2 | median) ($(col 2 | range)) | $(col 3 | median) ($(col 3 | range)) | $(col 4 | median) ($(col 4 | range)) |"
done
ratio() { # column: B over A within each pair, median and range
  awk -F'\t' -v c="$1" '$1 == "A" { a[$5] = $c } $1 == "B" { b[$5] = $c } END { for (p in a) if (p in b && a[p] > 0) printf "%.3f\n", b[p] / a[p] }' "$results"
}
echo
echo "Within each pair, B ÷ A: req/s $(ratio 2 | median) ($(ratio 2 | range)), p99 $(ratio 3 | median) ($(ratio 3 | range)), site CPU per request $(ratio 4 | median) ($(ratio 4 | range))."
