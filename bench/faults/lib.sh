# Shared by the fault scenarios: a private PostgreSQL, real processes of the published site, staff
# sign-in and upload with curl, and the per-run verdicts. Source it from a scenario script.
#
# Settings (environment): FAULTS_PG_PORT (55520), FAULTS_PORT_BASE (55521: nodes use it and the next
# three), FAULTS_REBUILD=1 to publish the site again even when bench/out/app exists.

set -euo pipefail
FAULTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$FAULTS_DIR/../.." && pwd)
APP=${FAULTS_APP:-$ROOT/bench/out/app}
OUT="$ROOT/bench/out/faults"
BENCH_BIN="$ROOT/bench/Ashyq.Registry.Bench/bin/Release/net10.0/Ashyq.Registry.Bench"
PG_PORT=${FAULTS_PG_PORT:-55520}
PORT_BASE=${FAULTS_PORT_BASE:-55521}
PG_DATA="$OUT/pg-$PG_PORT/data"
STAFF_EMAIL="faults@ashyq.test"
mkdir -p "$OUT"

# shellcheck source=../../scripts/pg.sh
source "$ROOT/scripts/pg.sh"

RUNS=5
parse_runs() {
  while [ $# -gt 0 ]; do
    case $1 in
      --runs) RUNS=$2; shift 2 ;;
      --runs=*) RUNS=${1#--runs=}; shift ;;
      *) echo "usage: $0 [--runs N]" >&2; exit 2 ;;
    esac
  done
  [[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "--runs takes a positive whole number" >&2; exit 2; }
}

say() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
now() { date +%s.%N; }
since() { python3 -c "import sys,time; print(f'{time.time() - float(sys.argv[1]):.2f}')" "$1"; }

build_app() {
  if [ "${FAULTS_REBUILD:-0}" = 1 ] || [ ! -f "$APP/Ashyq.Registry.Web.dll" ]; then
    say "publishing the site to bench/out/app"
    nice -n 15 dotnet publish "$ROOT/src/Ashyq.Registry.Web" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$APP" --nologo -v quiet >/dev/null
  fi
}

build_bench() {
  [ -x "$BENCH_BIN" ] || nice -n 15 dotnet build "$ROOT/bench/Ashyq.Registry.Bench" -c Release --nologo -v quiet >/dev/null
}

# An export with exactly N rows, generated once and kept under bench/out/faults.
export_file() {
  local rows=$1 file="$OUT/rows-$1.csv"
  if [ ! -f "$file" ]; then
    build_bench
    nice -n 15 "$BENCH_BIN" generate-rows --rows "$rows" --out "$file" >/dev/null
  fi
  echo "$file"
}

pg_up() { pg_cluster_start "$PG_DATA" "$PG_PORT"; }
pg_down() { pg_cluster_stop "$PG_DATA" >/dev/null 2>&1 || true; }
pg_fast_stop() { pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null; }
pg_restart_only() { pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -o "-p $PG_PORT" -l "$PG_DATA/server.log" -w -t 60 start >/dev/null; }

DB=""
q() { psql -h 127.0.0.1 -p "$PG_PORT" -U ashyq -d "$DB" -v ON_ERROR_STOP=1 -qAtX -c "$1"; }

# A new empty database, migrated with the site's own verb.
fresh_db() {
  DB=$1
  psql -h 127.0.0.1 -p "$PG_PORT" -U ashyq -d postgres -qAtX -v ON_ERROR_STOP=1 \
    -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB" >/dev/null
  (cd "$APP" && ConnectionStrings__Registry="$(conn)" nice -n 15 dotnet Ashyq.Registry.Web.dll migrate >/dev/null 2>&1)
}
conn() { echo "Host=127.0.0.1;Port=$PG_PORT;Username=ashyq;Database=$DB;Timeout=5;Command Timeout=300"; }

verb() { (cd "$APP" && ConnectionStrings__Registry="$(conn)" nice -n 15 dotnet Ashyq.Registry.Web.dll "$@"); }

STAFF_PASSWORD=""
create_staff() {
  STAFF_PASSWORD="Faults-$(head -c 9 /dev/urandom | base64 | tr -dc 'a-zA-Z0-9')7Q"
  ASHYQ_STAFF_PASSWORD="$STAFF_PASSWORD" verb create-staff "$STAFF_EMAIL" --admin >/dev/null
}

# node_start NAME PORT [VAR=value ...]: one process of the site, logging to $OUT/NAME.log (appended,
# so a restart keeps the killed process's log above). Waits until /health/ready answers 200.
declare -A NODE_PID
node_log() { echo "$OUT/${SCENARIO:-node}-$1.log"; }
NODE_USER=""
node_start() {
  local name=$1 port=$2; shift 2
  local log; log=$(node_log "$name")
  echo "----- start $(date +%H:%M:%S.%N) -----" >>"$log"
  local run=(env "ConnectionStrings__Registry=$(conn)" DOTNET_ENVIRONMENT=Testing
    "Registry__MaxUploadBytes=536870912" "$@" nice -n 15 dotnet Ashyq.Registry.Web.dll "--urls=http://127.0.0.1:$port")
  if [ -n "$NODE_USER" ]; then
    run=(runuser -u "$NODE_USER" -- "${run[@]}")
  fi
  (cd "$APP" && exec "${run[@]}") >>"$log" 2>&1 &
  NODE_PID[$name]=$!
  local deadline=$((SECONDS + 90))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health/ready")" = 200 ]; do
    if ! kill -0 "${NODE_PID[$name]}" 2>/dev/null; then say "node $name exited during start-up; see $log"; return 1; fi
    [ $SECONDS -lt $deadline ] || { say "node $name not ready after 90 s; see $log"; return 1; }
    sleep 0.2
  done
}

# The site's own process (the runuser/nice/env wrappers exec into it, so it is the same pid,
# except under runuser, which stays as its parent).
node_pid() {
  local pid=${NODE_PID[$1]}
  local child
  child=$(pgrep -P "$pid" -f Ashyq.Registry.Web.dll 2>/dev/null | head -1 || true)
  echo "${child:-$pid}"
}
node_kill() {
  local pid; pid=$(node_pid "$1")
  kill -KILL "$pid" 2>/dev/null || true
  kill -KILL "${NODE_PID[$1]}" 2>/dev/null || true
  wait "${NODE_PID[$1]}" 2>/dev/null || true
  unset "NODE_PID[$1]"
}
node_stop() {
  local pid; pid=$(node_pid "$1")
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 30))
  while kill -0 "${NODE_PID[$1]}" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
  kill -KILL "${NODE_PID[$1]}" 2>/dev/null || true
  wait "${NODE_PID[$1]}" 2>/dev/null || true
  unset "NODE_PID[$1]"
}
node_alive() { [ -n "${NODE_PID[$1]:-}" ] && kill -0 "${NODE_PID[$1]}" 2>/dev/null; }
stop_all_nodes() {
  local name
  for name in "${!NODE_PID[@]}"; do node_stop "$name"; done
}

# The anti-forgery form token on a page, fetched with the given cookie jar.
form_token() {
  curl -s -b "$2" -c "$2" "$1" | grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"\|name="__RequestVerificationToken" value="[^"]*"' \
    | head -1 | sed 's/.*value="\([^"]*\)"/\1/'
}

# staff_login PORT JAR: signs in; the jar then holds the staff cookie. Prints the HTTP status.
staff_login() {
  local base="http://127.0.0.1:$1" jar=$2 token
  rm -f "$jar"
  token=$(form_token "$base/staff/login" "$jar")
  curl -s -o /dev/null -w '%{http_code}' -b "$jar" -c "$jar" \
    --data-urlencode "Email=$STAFF_EMAIL" --data-urlencode "Password=$STAFF_PASSWORD" \
    --data-urlencode "__RequestVerificationToken=$token" "$base/staff/login"
}

# staff_upload PORT JAR FILE WEEK: the staff upload form; prints the new import's id.
staff_upload() {
  local base="http://127.0.0.1:$1" jar=$2 file=$3 week=$4 token location
  token=$(form_token "$base/staff/imports/new" "$jar")
  location=$(curl -s -o /dev/null -w '%{redirect_url}' -b "$jar" -c "$jar" \
    -F "__RequestVerificationToken=$token" -F "WeekStart=$week" -F "File=@$file;filename=$(basename "$file")" \
    "$base/staff/imports")
  [[ $location =~ /staff/imports/([0-9]+)$ ]] || { say "upload to port $1 did not redirect to an import: '$location'"; return 1; }
  echo "${BASH_REMATCH[1]}"
}

# staff_post PORT JAR PATH_OF_FORM_PAGE PATH_TO_POST [FIELD=value ...]: prints the status code.
staff_post() {
  local base="http://127.0.0.1:$1" jar=$2 page=$3 target=$4 token; shift 4
  token=$(form_token "$base$page" "$jar")
  local fields=(--data-urlencode "__RequestVerificationToken=$token")
  local f
  for f in "$@"; do fields+=(--data-urlencode "$f"); done
  curl -s -o /dev/null -w '%{http_code}' -b "$jar" -c "$jar" "${fields[@]}" "$base$target"
}

# The review page's confirmation of its warnings (empty when it has none): a publish must send it back.
review_acknowledgement() { # base url, jar, week
  curl -s -b "$2" -c "$2" "$1/staff/weeks/$3" | grep -o 'name="acknowledge" value="[^"]*"' | head -1 | sed 's/.*value="\([^"]*\)"/\1/'
}

# staff_publish PORT JAR WEEK: publishes a loaded week through the staff form as a person would, ticking
# the review's warnings when it shows any. Prints the HTTP status (302 on success).
staff_publish() {
  local ack fields=(confirm=true)
  ack=$(review_acknowledgement "http://127.0.0.1:$1" "$2" "$3")
  [ -n "$ack" ] && fields+=("acknowledge=$ack")
  staff_post "$1" "$2" "/staff/weeks/$3" "/staff/weeks/$3/publish" "${fields[@]}"
}

# wait_for SECONDS SQL: until the query returns t.
wait_for() {
  local limit=$1 sql=$2 deadline
  deadline=$(python3 -c "import time,sys; print(time.time() + float(sys.argv[1]))" "$limit")
  until [ "$(q "$sql" 2>/dev/null || true)" = t ]; do
    python3 -c "import time,sys; sys.exit(0 if time.time() < float(sys.argv[1]) else 1)" "$deadline" || return 1
    sleep 0.1
  done
}

# Verdicts: pass/fail per run, then a summary line; the script exits 1 if any run failed.
PASSED=0
FAILED=0
FIGURES=()
run_verdict() {
  local run=$1 ok=$2 detail=$3
  if [ "$ok" = 1 ]; then
    PASSED=$((PASSED + 1)); printf '%s run %d: PASS  %s\n' "$SCENARIO" "$run" "$detail"
  else
    FAILED=$((FAILED + 1)); printf '%s run %d: FAIL  %s\n' "$SCENARIO" "$run" "$detail"
  fi
}
summary() {
  printf '%s summary: %d of %d runs passed%s\n' "$SCENARIO" "$PASSED" $((PASSED + FAILED)) "${1:+; $1}"
  [ "$FAILED" -eq 0 ]
}

# Statistics over numbers on stdin: "min X, median Y, max Z".
stats() {
  python3 -c "
import sys, statistics
v = [float(x) for x in sys.stdin.read().split()]
print(f'min {min(v):.2f}, median {statistics.median(v):.2f}, max {max(v):.2f}' if v else 'none')"
}

cleanup_common() {
  stop_all_nodes
  pg_down
}
