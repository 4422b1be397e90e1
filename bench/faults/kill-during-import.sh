#!/usr/bin/env bash
# A node of the site killed with SIGKILL in the middle of an import, at three moments chosen from
# outside the process by watching PostgreSQL:
#   read   the job has claimed the import and is reading the stored file; no COPY has begun
#   copy   COPY into week_rows is running and at least 40 % of the rows have been read
#   merge  the COPY is over and the same transaction is deriving (rule, counts, messages)
# The import is uploaded through the staff form; whichever of the two nodes runs it is killed and then
# started again. Passes when the job is recovered, the week is loaded once (rows = file rows, attempts
# counted, one import.load audit entry), and neither node's public API ever showed the week partly
# or answered 5xx.
# Usage: bench/faults/kill-during-import.sh [--runs N] [--rows R] [--phases "read copy merge"]
source "$(dirname "$0")/lib.sh"
SCENARIO=kill-during-import
ROWS=200000
PHASES="read copy merge"
args=()
while [ $# -gt 0 ]; do
  case $1 in
    --rows) ROWS=$2; shift 2 ;;
    --phases) PHASES=$2; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
parse_runs "${args[@]+"${args[@]}"}"

build_app
pg_up
trap 'stop_poller; cleanup_common' EXIT
FILE=$(export_file "$ROWS")
fresh_db faults_kill
create_staff
PORT_A=$PORT_BASE
PORT_B=$((PORT_BASE + 1))
NODE_ENV=(ApiRateLimit__PermitLimit=1000000)
: >"$(node_log a)"; : >"$(node_log b)"
node_start a "$PORT_A" "${NODE_ENV[@]}"
node_start b "$PORT_B" "${NODE_ENV[@]}"
JAR="$OUT/kill.jar"
[ "$(staff_login "$PORT_A" "$JAR")" = 302 ] || { echo "staff sign-in on node a failed" >&2; exit 1; }

# The phase the import is in, judged from the database alone.
phase_sql() {
  local id=$1
  cat <<SQL
SELECT CASE
  WHEN i.state <> 'running' THEN i.state
  WHEN EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = current_database() AND a.state = 'active'
               AND a.query LIKE 'COPY week_rows%')
    THEN CASE WHEN i.rows_read >= $ROWS * 0.4 THEN 'copy' ELSE 'copy-early' END
  WHEN i.rows_read = 0 THEN 'read'
  WHEN EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()
               AND a.backend_xid IS NOT NULL AND a.query NOT LIKE 'COPY week_rows%' AND a.query NOT ILIKE '%hangfire%'
               AND a.query NOT LIKE 'UPDATE imports SET rows_read%')
    THEN 'merge'
  ELSE 'between' END
FROM imports i WHERE i.id = $id
SQL
}

# Waits inside the database, every 10 ms and with fresh activity figures each time, until the import is in
# the phase (or has ended, or the seconds are up); prints the phase it saw and the client port of the
# connection holding the import's advisory lock (the process running it).
wait_phase_sql() {
  local id=$1 phase=$2 seconds=$3
  cat <<SQL
CREATE FUNCTION pg_temp.phase() RETURNS text LANGUAGE sql VOLATILE AS \$\$ $(phase_sql "$id") \$\$;
CREATE FUNCTION pg_temp.runner_port() RETURNS int LANGUAGE sql VOLATILE AS \$\$
  SELECT a.client_port FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
  WHERE l.locktype = 'advisory' AND l.classid = 1095977033 AND l.objid = $id AND l.granted LIMIT 1 \$\$;
CREATE FUNCTION pg_temp.wait_phase() RETURNS text LANGUAGE plpgsql VOLATILE AS \$\$
DECLARE
  seen text;
  port int;
  give_up timestamptz := clock_timestamp() + interval '$seconds seconds';
BEGIN
  LOOP
    PERFORM pg_stat_clear_snapshot();
    seen := pg_temp.phase();
    IF seen = '$phase' THEN
      port := pg_temp.runner_port();
      EXIT WHEN port IS NOT NULL;
    END IF;
    EXIT WHEN seen IN ('loaded', 'failed') OR clock_timestamp() > give_up;
    PERFORM pg_sleep(0.01);
  END LOOP;
  RETURN seen || '|' || coalesce(port::text, '');
END \$\$;
SELECT pg_temp.wait_phase();
SQL
}

# The process on this machine that owns the connection from the given client port.
pid_of_port() {
  ss -tnpH "( sport = :$1 )" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2
}

node_of_pid() {
  local pid=$1 name
  for name in "${!NODE_PID[@]}"; do
    [ "$(node_pid "$name")" = "$pid" ] && { echo "$name"; return 0; }
  done
  return 1
}

# Polls both nodes' public API every 100 ms; one line per answer: node, week's participants in
# /api/v1/weeks (or "absent"), the list's status and total.
POLLER=""
start_poller() {
  local week=$1 log=$2
  : >"$log"
  (
    while [ ! -f "$log.stop" ]; do
      for port in "$PORT_A" "$PORT_B"; do
        weeks=$(curl -s -m 5 -w '\n%{http_code}' "http://127.0.0.1:$port/api/v1/weeks") || { echo "$port down" >>"$log"; continue; }
        weeks_status=${weeks##*$'\n'}
        shown=$(jq -r --arg w "$week" '[.items[] | select(.weekStart == $w) | .participants] | first // "absent"' <<<"${weeks%$'\n'*}" 2>/dev/null || echo "status-$weeks_status")
        list=$(curl -s -m 5 -w '\n%{http_code}' "http://127.0.0.1:$port/api/v1/lists/participants?week=$week&pageSize=1") || list=$'\ndown'
        status=${list##*$'\n'}
        total=$(jq -r '.total // "-"' <<<"${list%$'\n'*}" 2>/dev/null || echo -)
        echo "$port $shown $status $total" >>"$log"
      done
      sleep 0.1
    done
  ) &
  POLLER=$!
}
stop_poller() {
  [ -n "$POLLER" ] || return 0
  touch "$POLL_LOG.stop"; wait "$POLLER" 2>/dev/null || true; rm -f "$POLL_LOG.stop"; POLLER=""
}

RECOVERY=()
RECLAIM=()
RELOAD=()
run=0
for phase in $PHASES; do
  for i in $(seq 1 "$RUNS"); do
    run=$((run + 1))
    week=$(python3 -c "import datetime,sys; print(datetime.date(2021,1,4) + datetime.timedelta(weeks=int(sys.argv[1])))" "$run")
    POLL_LOG="$OUT/kill-poll-$run.log"
    start_poller "$week" "$POLL_LOG"
    problems=()

    id=$(staff_upload "$PORT_A" "$JAR" "$FILE" "$week")
    # One psql session waits for the phase and names the runner's connection in the same breath, so that
    # neither a short phase nor the time to start another psql process lies between seeing it and the kill.
    read -r seen port < <(q "$(wait_phase_sql "$id" "$phase" 120)" | tr '|' ' ')
    victim_pid=$( [ -n "${port:-}" ] && pid_of_port "$port" || true)
    victim=$( [ -n "$victim_pid" ] && node_of_pid "$victim_pid" || true)
    if [ "$seen" != "$phase" ] || [ -z "$victim" ]; then
      stop_poller
      run_verdict "$run" 0 "phase $phase: never caught the import in that phase (last seen '$seen', runner pid '${victim_pid:-}')"
      wait_for 180 "SELECT state IN ('loaded','failed') FROM imports WHERE id = $id" || true
      continue
    fi
    node_kill "$victim"
    rows_at_kill=$(q "SELECT rows_read FROM imports WHERE id = $id")
    killed_at=$(now)
    # Nothing of the killed transaction may survive it.
    sleep 0.5
    partial=$(q "SELECT count(*) FROM weeks WHERE week_start = '$week' AND import_id = $id AND EXISTS (SELECT 1 FROM imports WHERE id = $id AND state = 'loaded')")
    [ "$partial" = 0 ] || problems+=("the week was marked loaded by the killed process")
    node_start "$victim" "$( [ "$victim" = a ] && echo "$PORT_A" || echo "$PORT_B")" "${NODE_ENV[@]}"

    if wait_for 240 "SELECT state IN ('loaded','failed') FROM imports WHERE id = $id"; then
      recovered=$(since "$killed_at")
    else
      recovered=timeout; problems+=("not loaded 240 s after the kill")
    fi
    read -r state attempts rows_loaded < <(q "SELECT state, attempts, rows_loaded FROM imports WHERE id = $id" | tr '|' ' ')
    week_rows=$(q "SELECT count(*) FROM week_rows WHERE week_start = '$week'")
    audits=$(q "SELECT count(*) FROM audit_log WHERE action = 'import.load' AND subject = 'import $id'")
    recovering=$(cat "$(node_log a)" "$(node_log b)" | grep -ac "Recovering import $id after" || true)
    # The new attempt's claim and end, as the database recorded them.
    read -r reclaimed reloaded < <(q "SELECT round((extract(epoch FROM started_at) - $killed_at)::numeric, 2), round(extract(epoch FROM finished_at - started_at)::numeric, 2) FROM imports WHERE id = $id" | tr '|' ' ')
    [ "$state" = loaded ] || problems+=("state $state")
    [ "$week_rows" = "$ROWS" ] || problems+=("week_rows $week_rows, file $ROWS")
    [ "$audits" = 1 ] || problems+=("$audits import.load audit entries")
    [ "${attempts:-0}" -ge 2 ] || problems+=("attempts $attempts (the killed attempt was not counted)")

    # Publish through node a (signed in again if node a was the one restarted: its cookie still holds).
    [ "$(staff_publish "$PORT_A" "$JAR" "$week")" = 302 ] || problems+=("publish refused")
    participants=$(q "SELECT participants FROM weeks WHERE week_start = '$week' AND status = 'published'")
    [ -n "$participants" ] || problems+=("the publish form answered but the week is not published")
    # Both nodes show it whole within a second of the publish (their caches are evicted by NOTIFY).
    shown_everywhere=0
    for _ in $(seq 1 10); do
      a=$(curl -s "http://127.0.0.1:$PORT_A/api/v1/weeks" | jq -r --arg w "$week" '[.items[] | select(.weekStart == $w)] | length')
      b=$(curl -s "http://127.0.0.1:$PORT_B/api/v1/weeks" | jq -r --arg w "$week" '[.items[] | select(.weekStart == $w)] | length')
      [ "$a" = 1 ] && [ "$b" = 1 ] && { shown_everywhere=1; break; }
      sleep 0.1
    done
    [ $shown_everywhere = 1 ] || problems+=("published week not shown on both nodes within 1 s")
    sleep 0.3
    stop_poller
    # Every answer that showed the week at all showed it whole.
    polls=$(wc -l <"$POLL_LOG")
    wrong=$(awk -v p="$participants" '($2 ~ /^[0-9]+$/ && $2 != p) || ($3 == 200 && $4 != p)' "$POLL_LOG" | wc -l)
    errors=$(awk '($3 ~ /^[0-9]+$/ && $3 >= 500) || $2 ~ /^status-5/' "$POLL_LOG" | wc -l)
    [ "$wrong" = 0 ] || problems+=("$wrong public answers showed a partial week")
    [ "$errors" = 0 ] || problems+=("$errors public answers were 5xx")

    detail="phase $phase: killed node $victim at rows_read=$rows_at_kill; loaded again after ${recovered} s (claimed again after ${reclaimed} s, that attempt took ${reloaded} s), attempts=$attempts, week_rows=$week_rows, load audits=$audits, recovery logged=$recovering; $polls public polls, $wrong partial, $errors 5xx"
    if [ ${#problems[@]} -eq 0 ]; then
      RECOVERY+=("$phase:$recovered"); RECLAIM+=("$phase:$reclaimed"); RELOAD+=("$phase:$reloaded")
      run_verdict "$run" 1 "$detail"
    else
      run_verdict "$run" 0 "$detail — $(IFS=';'; echo "${problems[*]}")"
    fi
  done
done

for phase in $PHASES; do
  for measure in RECOVERY:"kill to loaded" RECLAIM:"kill to the job claimed again" RELOAD:"the recovered attempt"; do
    declare -n values=${measure%%:*}
    figures=$(printf '%s\n' "${values[@]+"${values[@]}"}" | awk -F: -v p="$phase" '$1 == p { print $2 }' | stats)
    echo "$SCENARIO $phase: seconds, ${measure#*:}: $figures"
    unset -n values
  done
done
summary "file of $ROWS rows"
