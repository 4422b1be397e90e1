#!/usr/bin/env bash
# Import benchmark: the end-to-end `import` verb against `psql \copy` of the same file into a bare
# table (the physical floor), for national-scale files. Prints a Markdown table of wall time and peak
# memory. Usage: bench/import.sh [ROWS ...]   (default: 100000 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT="$ROOT/bench/out"
mkdir -p "$OUT"
ROWS=("$@"); [ ${#ROWS[@]} -gt 0 ] || ROWS=(100000 1000000)

# shellcheck source=../scripts/pg.sh
source scripts/pg.sh
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }

echo "Building (Release)..." >&2
dotnet publish src/Ashyq.Registry.Web -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$OUT/app" --nologo -v quiet >/dev/null
dotnet build bench/Ashyq.Registry.Bench -c Release --nologo -v quiet >/dev/null
BENCH="$ROOT/bench/Ashyq.Registry.Bench/bin/Release/net10.0/Ashyq.Registry.Bench"

PORT=${BENCH_PG_PORT:-55490}
CLUSTER="$OUT/pg-import"
pg_cluster_start "$CLUSTER/data" "$PORT"
trap 'pg_cluster_stop "$CLUSTER/data"' EXIT
PSQL=(psql -h 127.0.0.1 -p "$PORT" -U ashyq -v ON_ERROR_STOP=1 -qAt)

seconds() { python3 -c "import sys; print(f'{float(sys.argv[1]):.2f}')" "$1"; }

echo "| rows | file size | psql \\copy (s) | import verb (s) | ratio | import peak RSS (MB) |"
echo "|---:|---:|---:|---:|---:|---:|"
for rows in "${ROWS[@]}"; do
  file="$OUT/rows-$rows.csv"
  [ -f "$file" ] || "$BENCH" generate-rows --rows "$rows" --out "$file" >/dev/null
  size=$(du -m "$file" | cut -f1)

  db="bench_import_$rows"
  "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
  export ConnectionStrings__Registry="Host=127.0.0.1;Port=$PORT;Username=ashyq;Database=$db"
  (cd "$OUT/app" && dotnet Ashyq.Registry.Web.dll migrate >/dev/null 2>"$OUT/migrate.log") || { cat "$OUT/migrate.log" >&2; exit 1; }

  columns=$(head -1 "$file" | tr -d '\r\n\xef\xbb\xbf' | awk -F';' '{ for (i = 1; i <= NF; i++) printf "%sc%d text", (i > 1 ? ", " : ""), i }')
  "${PSQL[@]}" -d "$db" -c "CREATE TABLE bare_copy ($columns) WITH (autovacuum_enabled = false)"
  # Each timed step starts with nothing left to write out from the step before it, and the bare table is
  # kept from autovacuum, which would otherwise start on it in the middle of the import's timing.
  "${PSQL[@]}" -d "$db" -c "CHECKPOINT"
  start=$(date +%s.%N)
  "${PSQL[@]}" -d "$db" -c "\\copy bare_copy FROM '$file' WITH (FORMAT csv, DELIMITER ';', HEADER true)"
  copy_s=$(python3 -c "import time,sys; print(time.time() - float(sys.argv[1]))" "$start")

  "${PSQL[@]}" -d "$db" -c "CHECKPOINT"
  start=$(date +%s.%N)
  # Readable log lines, so that the phases can be picked out of them below.
  (cd "$OUT/app" && Serilog__ConsoleFormat=text Registry__MaxUploadBytes=1073741824 /usr/bin/time -f "%M" -o "$OUT/import-$rows.rss" dotnet Ashyq.Registry.Web.dll import "$file" --week 2021-07-19 --json >"$OUT/import-$rows.json" 2>"$OUT/import-$rows.log")
  import_s=$(python3 -c "import time,sys; print(time.time() - float(sys.argv[1]))" "$start")
  rss_mb=$(( $(tail -1 "$OUT/import-$rows.rss") / 1024 ))
  loaded=$("${PSQL[@]}" -d "$db" -c "SELECT count(*) FROM week_rows")
  [ "$loaded" -eq "$rows" ] || { echo "import loaded $loaded of $rows rows" >&2; exit 1; }

  ratio=$(python3 -c "import sys; print(f'{float(sys.argv[1]) / float(sys.argv[2]):.2f}')" "$import_s" "$copy_s")
  echo "| $rows | ${size} MB | $(seconds "$copy_s") | $(seconds "$import_s") | $ratio | $rss_mb |"
  # Where the import's time went, as its own log says.
  grep -o 'Import [0-9]*: [^"]* in [0-9.]* s[^"]*' "$OUT/import-$rows.log" | sed "s/^/  $rows rows: /" >&2 || true
done
