#!/usr/bin/env bash
# Import and publish benchmark: what a staff member waits for from a national-scale file to the week on
# the public site, beside `psql \copy` of the same file into a bare table (the physical floor) in the
# same run. Each run takes a fresh database through four weeks over the same businesses:
#   first     week 0's file: load (`import`), then `publish`
#   following week 1's file (statuses drawn afresh, as a real week), load then publish
#   unchanged the same file again as the next week: a week in which no business changed
#   moved     that file with 5 % of the businesses at a new address
# and then withdraws the following week, which re-derives the two weeks after it. Raw COPY is timed
# before the first and before the following week, so the floor and the pipeline alternate.
# For every step: wall time, peak RSS of the verb, and the WAL it generated (pg_current_wal_lsn()
# before and after; autovacuum is off in this cluster so that only the step's own writes are counted).
# Prints one Markdown table per size with the median and range over the runs, and the statements of
# the last run that took longer than 200 ms (log_min_duration_statement) on standard error.
# Usage: bench/import.sh [ROWS ...]   (default: 100000 1000000; RUNS=3; BENCH_APP, a published site to
# measure instead of building this checkout; BENCH_RESULTS, BENCH_PG_PORT may be set)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT="$ROOT/bench/out"
mkdir -p "$OUT"
ROWS=("$@"); [ ${#ROWS[@]} -gt 0 ] || ROWS=(100000 1000000)
RUNS=${RUNS:-3}

# shellcheck source=../scripts/pg.sh
source scripts/pg.sh
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }

if [ -z "${BENCH_APP:-}" ]; then
  echo "Building (Release)..." >&2
  dotnet publish src/Ashyq.Registry.Web -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$OUT/app" --nologo -v quiet >/dev/null
  BENCH_APP="$OUT/app"
fi
dotnet build bench/Ashyq.Registry.Bench -c Release --nologo -v quiet >/dev/null
BENCH="$ROOT/bench/Ashyq.Registry.Bench/bin/Release/net10.0/Ashyq.Registry.Bench"

PORT=${BENCH_PG_PORT:-55490}
CLUSTER="$OUT/pg-import"
PG_SERVER_OPTIONS="-c autovacuum=off -c log_min_duration_statement=200 ${PG_SERVER_OPTIONS:-}" pg_cluster_start "$CLUSTER/data" "$PORT"
trap 'pg_cluster_stop "$CLUSTER/data"' EXIT
PSQL=(psql -h 127.0.0.1 -p "$PORT" -U ashyq -v ON_ERROR_STOP=1 -qAt)
SERVER_LOG="$(pg_real_dir "$CLUSTER/data")/server.log"

now() { date +%s.%N; }
since() { python3 -c "import sys, time; print(f'{time.time() - float(sys.argv[1]):.3f}')" "$1"; }
lsn() { "${PSQL[@]}" -d "$db" -c "SELECT pg_current_wal_lsn()"; }
wal_mb() { "${PSQL[@]}" -d "$db" -c "SELECT round(pg_wal_lsn_diff('$2', '$1') / 1048576.0, 1)"; }
# Rows of the public view of businesses inserted, updated or deleted so far (the server's statistics).
business_writes() {
  "${PSQL[@]}" -d "$db" -c "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_user_tables WHERE relname = 'businesses'"
}

# Runs the app's command-line verb and records one line: size, run, step, seconds, peak RSS (MB), WAL (MB),
# rows of businesses written.
verb() {
  local step=$1; shift
  "${PSQL[@]}" -d "$db" -c "CHECKPOINT"
  local before start after written
  written=$(business_writes); before=$(lsn); start=$(now)
  (cd "$BENCH_APP" && Serilog__ConsoleFormat=text Registry__MaxUploadBytes=1073741824 \
    /usr/bin/time -f "%M" -o "$OUT/verb.rss" dotnet Ashyq.Registry.Web.dll "$@" >>"$OUT/verb-$rows.log" 2>&1) \
    || { tail -20 "$OUT/verb-$rows.log" >&2; exit 1; }
  local seconds; seconds=$(since "$start"); after=$(lsn)
  # The verb's server session has ended, so its statistics are in; the server may still take a moment to show them.
  sleep 1
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$rows" "$run" "$step" "$seconds" "$(( $(tail -1 "$OUT/verb.rss") / 1024 ))" \
    "$(wal_mb "$before" "$after")" "$(( $(business_writes) - written ))" >>"$RESULTS"
}

raw_copy() {
  local step=$1 file=$2
  "${PSQL[@]}" -d "$db" -c "DROP TABLE IF EXISTS bare_copy" -c "CREATE TABLE bare_copy ($columns)" -c "CHECKPOINT"
  local start; start=$(now)
  "${PSQL[@]}" -d "$db" -c "\\copy bare_copy FROM '$file' WITH (FORMAT csv, DELIMITER ';', HEADER true)"
  printf '%s\t%s\t%s\t%s\t\t\t\n' "$rows" "$run" "$step" "$(since "$start")" >>"$RESULTS"
}

RESULTS=${BENCH_RESULTS:-$OUT/import-results.tsv}
: >"$RESULTS"
W0=2021-07-19 W1=2021-07-26 W2=2021-08-02 W3=2021-08-09
for rows in "${ROWS[@]}"; do
  first="$OUT/rows-$rows.csv" following="$OUT/rows-$rows-week1.csv" moved="$OUT/rows-$rows-week1-moved5.csv"
  [ -f "$first" ] || "$BENCH" generate-rows --rows "$rows" --out "$first" >/dev/null 2>&1
  [ -f "$following" ] || "$BENCH" generate-rows --rows "$rows" --week 1 --out "$following" >/dev/null 2>&1
  [ -f "$moved" ] || "$BENCH" generate-rows --rows "$rows" --week 1 --moved-percent 5 --out "$moved" >/dev/null 2>&1
  columns=$(head -1 "$first" | tr -d '\r\n\xef\xbb\xbf' | awk -F';' '{ for (i = 1; i <= NF; i++) printf "%sc%d text", (i > 1 ? ", " : ""), i }')
  : >"$OUT/verb-$rows.log"
  for run in $(seq 1 "$RUNS"); do
    db="bench_import_$rows"
    "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
    # A million-row publish on a busy machine can take longer than the driver's 30 s default per statement.
    export ConnectionStrings__Registry="Host=127.0.0.1;Port=$PORT;Username=ashyq;Database=$db;Command Timeout=600"
    (cd "$BENCH_APP" && dotnet Ashyq.Registry.Web.dll migrate >/dev/null 2>"$OUT/migrate.log") || { cat "$OUT/migrate.log" >&2; exit 1; }
    [ "$run" -eq "$RUNS" ] && : >"$OUT/statements-$rows.log" && log_from=$(wc -c <"$SERVER_LOG")

    raw_copy "copy" "$first"
    verb "first load" import "$first" --week "$W0"
    verb "first publish" publish --week "$W0" --confirm-warnings --own-upload
    raw_copy "copy" "$following"
    verb "following load" import "$following" --week "$W1"
    verb "following publish" publish --week "$W1" --confirm-warnings --own-upload
    verb "unchanged load" import "$following" --week "$W2"
    verb "unchanged publish" publish --week "$W2" --confirm-warnings --own-upload
    verb "moved load" import "$moved" --week "$W3"
    verb "moved publish" publish --week "$W3" --confirm-warnings --own-upload
    verb "withdraw" withdraw --week "$W1" --reason "Benchmark"
    published=$("${PSQL[@]}" -d "$db" -c "SELECT count(*) FROM business_weeks")
    [ "$published" -eq $(( 3 * rows )) ] || { echo "business_weeks holds $published rows, not $(( 3 * rows ))" >&2; exit 1; }
    echo "$rows rows, run $run of $RUNS done (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  done
  tail -c +"$((log_from + 1))" "$SERVER_LOG" | grep -o 'duration: [0-9.]* ms  [a-z]* [^:]*: .\{0,110\}' \
    | sort -t' ' -k2 -rn | head -25 | sed "s/^/  $rows rows: /" >&2 || true
done

python3 - "$RESULTS" <<'PY'
import statistics, sys
from collections import defaultdict
data = defaultdict(lambda: defaultdict(list))
for line in open(sys.argv[1]):
    rows, run, step, seconds, rss, wal, written = line.rstrip("\n").split("\t")
    data[int(rows)][(int(run), step)].append((float(seconds), rss, wal, written))
def spread(values, unit="", digits=2):
    return f"{statistics.median(values):.{digits}f}{unit} ({min(values):.{digits}f}–{max(values):.{digits}f})"
for rows, steps in data.items():
    runs = sorted({run for run, _ in steps})
    def per_run(step, field=0, index=0):
        return [float(steps[(run, step)][index][field]) for run in runs if (run, step) in steps and steps[(run, step)][index][field] != ""]
    copy_first = per_run("copy", 0, 0)
    copy_following = per_run("copy", 0, 1)
    print(f"\n{rows:,} rows, {len(runs)} runs: median (min–max)\n")
    print("| week | raw \\copy (s) | load (s) | publish (s) | file → public (s) | ÷ raw copy | publish WAL (MB) | businesses rows written | peak RSS (MB) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, copies in (("first", copy_first), ("following", copy_following), ("unchanged", copy_following), ("moved", copy_following)):
        load, publish = per_run(f"{name} load"), per_run(f"{name} publish")
        total = [l + p for l, p in zip(load, publish)]
        ratio = [t / c for t, c in zip(total, copies)]
        rss = per_run(f"{name} load", 1) + per_run(f"{name} publish", 1)
        print(f"| {name} | {spread(copies)} | {spread(load)} | {spread(publish)} | {spread(total)} | {spread(ratio, ' ×')} "
              f"| {spread(per_run(f'{name} publish', 2), '', 1)} | {spread(per_run(f'{name} publish', 3), '', 0)} | {max(rss):.0f} |")
    withdraw = per_run("withdraw")
    print(f"| withdraw the following week (re-derives 2 later weeks) | | | {spread(withdraw)} | | | {spread(per_run('withdraw', 2), '', 1)} "
          f"| {spread(per_run('withdraw', 3), '', 0)} | {max(per_run('withdraw', 1)):.0f} |")
PY
