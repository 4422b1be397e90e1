#!/usr/bin/env bash
# PostgreSQL stopped for 10 s under load. One node of the site serves the demo weeks; load.py sends
# bounded load on loopback to `/` and `/api/v1/weeks`, each both as a cacheable page and with a
# counter in the query string (so every such request needs the database). PostgreSQL is stopped
# ("fast": connections are cut) once at least 5 s of load have passed and answers are coming in, and
# started again 10 s later. Passes when no answer was a 500
# or a broken connection, every 503 carried Retry-After, the uncached pages did answer 503 while the
# database was away, the site answered 200 again within 5 s of the database's return, and the node
# was never restarted.
# Usage: bench/faults/database-outage.sh [--runs N] [--down SECONDS]
source "$(dirname "$0")/lib.sh"
SCENARIO=database-outage
DOWN=10
args=()
while [ $# -gt 0 ]; do
  case $1 in
    --down) DOWN=$2; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
parse_runs "${args[@]+"${args[@]}"}"

build_app
pg_up
trap cleanup_common EXIT
fresh_db faults_outage
verb seed-demo >/dev/null
PORT=$PORT_BASE
: >"$(node_log a)"
node_start a "$PORT" ApiRateLimit__PermitLimit=1000000
pid_at_start=$(node_pid a)
# A cold node takes seconds over its first pages; warm every path before measuring anything.
for path in / /api/v1/weeks "/?n=warm" "/api/v1/weeks?n=warm"; do
  for _ in $(seq 1 50); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT$path")" = 200 ] && break
    sleep 0.2
  done
done

BACK=()
for run in $(seq 1 "$RUNS"); do
  log="$OUT/outage-$run.log"
  marks="$OUT/outage-$run.marks"
  nice -n 5 python3 "$FAULTS_DIR/load.py" "$PORT" 4 $((DOWN + 40)) \
    "/" "/api/v1/weeks" "/?n={n}" "/api/v1/weeks?n={n}" >"$log" &
  load=$!
  # At least 5 s of load, and answers coming in, before the database goes.
  sleep 5
  for _ in $(seq 1 150); do [ "$(grep -c ' 200 ' "$log")" -ge 20 ] && break; sleep 0.1; done
  echo "stop $(now)" >"$marks"
  pg_fast_stop
  echo "stopped $(now)" >>"$marks"
  ready_down=$(curl -s -o /dev/null -w '%{http_code}' -m 5 "http://127.0.0.1:$PORT/health/ready")
  live_down=$(curl -s -o /dev/null -w '%{http_code}' -m 5 "http://127.0.0.1:$PORT/health/live")
  sleep "$DOWN"
  pg_restart_only
  echo "started $(now)" >>"$marks"
  wait "$load" || true
  ready_after=$(curl -s -o /dev/null -w '%{http_code}' -m 5 "http://127.0.0.1:$PORT/health/ready")

  result=$(python3 - "$log" "$marks" <<'PY'
import sys, collections
log, marks = sys.argv[1], sys.argv[2]
m = {k: float(v) for k, v in (line.split() for line in open(marks))}
rows = [line.split() for line in open(log)]
windows = collections.OrderedDict((w, collections.Counter()) for w in ("before", "stopping", "down", "after"))
problems = []
first_ok_after = None
last_bad_after = None
for t, path, status, retry in rows:
    t = float(t)
    w = "before" if t < m["stop"] else "stopping" if t < m["stopped"] else "down" if t < m["started"] else "after"
    windows[w][status] += 1
    if status == "503" and retry == "-":
        problems.append(f"503 without Retry-After at {path}")
    if w == "after" and "{n}" in path:
        if status == "200" and first_ok_after is None:
            first_ok_after = t - m["started"]
        if status != "200":
            last_bad_after = t - m["started"]
total = collections.Counter()
for c in windows.values():
    total.update(c)
if total["500"]:
    problems.append(f"{total['500']} answers were 500")
if total["error"]:
    problems.append(f"{total['error']} requests failed without an answer")
if windows["before"]["200"] == 0:
    problems.append("no answer before the stop: the load did not start in time")
if windows["down"]["503"] == 0:
    problems.append("no 503 while the database was down")
back = max(first_ok_after or 99, last_bad_after or 0)
if back > 5:
    problems.append(f"not back to 200 within 5 s ({back:.2f} s)")
codes = "; ".join(f"{w}: " + ", ".join(f"{k}×{v}" for k, v in sorted(c.items())) for w, c in windows.items())
print(f"{back:.2f}|{codes}|{'; '.join(sorted(set(problems)))}")
PY
)
  IFS='|' read -r back codes problems <<<"$result"
  [ "$(node_pid a)" = "$pid_at_start" ] && node_alive a || problems="${problems:+$problems; }the node restarted or died"
  [ "$ready_down" = 503 ] || problems="${problems:+$problems; }/health/ready answered $ready_down while down"
  [ "$live_down" = 200 ] || problems="${problems:+$problems; }/health/live answered $live_down while down"
  detail="back to 200 ${back} s after PostgreSQL returned; ready while down $ready_down, live $live_down, ready after $ready_after; $codes"
  if [ -z "$problems" ]; then
    BACK+=("$back"); run_verdict "$run" 1 "$detail"
  else
    run_verdict "$run" 0 "$detail — $problems"
  fi
  sleep 2
done
echo "$SCENARIO: seconds from PostgreSQL's return to 200: $(printf '%s\n' "${BACK[@]+"${BACK[@]}"}" | stats)"
summary "PostgreSQL down ${DOWN} s per run, one node, no restart"
