#!/usr/bin/env bash
# Two nodes of the site on one database, 20 uploads per run sent at once through the staff upload
# form of both nodes in turn (each upload stores the file and enqueues its job on the clustered
# job server). Passes when every import is loaded, ran exactly once (attempts = 1, one import.load
# audit entry, one "loaded week" log line across both nodes), and the job store kept no import job behind.
# Usage: bench/faults/two-nodes-twenty-uploads.sh [--runs N] [--uploads U] [--rows R]
source "$(dirname "$0")/lib.sh"
SCENARIO=two-nodes-twenty-uploads
UPLOADS=20
ROWS=20000
args=()
while [ $# -gt 0 ]; do
  case $1 in
    --uploads) UPLOADS=$2; shift 2 ;;
    --rows) ROWS=$2; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
parse_runs "${args[@]+"${args[@]}"}"

build_app
pg_up
trap cleanup_common EXIT
FILE=$(export_file "$ROWS")
fresh_db faults_twenty
create_staff
PORTS=("$PORT_BASE" $((PORT_BASE + 1)))
: >"$(node_log a)"; : >"$(node_log b)"
node_start a "${PORTS[0]}"
node_start b "${PORTS[1]}"
for n in 0 1; do
  [ "$(staff_login "${PORTS[$n]}" "$OUT/twenty-$n.jar")" = 302 ] || { echo "staff sign-in on port ${PORTS[$n]} failed" >&2; exit 1; }
done

SECONDS_ALL=()
for run in $(seq 1 "$RUNS"); do
  ids_file="$OUT/twenty-$run.ids"
  : >"$ids_file"
  started=$(now)
  pids=()
  for u in $(seq 1 "$UPLOADS"); do
    n=$((u % 2))
    # A distinct week for every upload of every run: the same bytes for another week are a new import.
    week=$(python3 -c "import datetime,sys; print(datetime.date(2020,1,6) + datetime.timedelta(weeks=int(sys.argv[1])))" $(((run - 1) * UPLOADS + u)))
    # A copy of the node's signed-in cookie jar for each upload: ten curls rewriting one jar file at once
    # could leave one of them reading it half-written, and so signed out.
    jar="$OUT/twenty-$n-$u.jar"
    cp "$OUT/twenty-$n.jar" "$jar"
    (id=$(staff_upload "${PORTS[$n]}" "$jar" "$FILE" "$week") && echo "$id ${PORTS[$n]}" >>"$ids_file") &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || true; done
  problems=()
  uploaded=$(wc -l <"$ids_file")
  [ "$uploaded" = "$UPLOADS" ] || problems+=("only $uploaded of $UPLOADS uploads were accepted")
  ids=$(cut -d' ' -f1 "$ids_file" | paste -sd, -)
  ids=${ids:-0}
  wait_for 600 "SELECT bool_and(state IN ('loaded', 'failed')) FROM imports WHERE id IN ($ids)" || problems+=("not all finished within 600 s")
  took=$(since "$started")
  loaded=$(q "SELECT count(*) FROM imports WHERE id IN ($ids) AND state = 'loaded'")
  not_once=$(q "SELECT count(*) FROM imports WHERE id IN ($ids) AND attempts <> 1")
  audits=$(q "SELECT count(*) FROM audit_log WHERE action = 'import.load' AND subject IN (SELECT 'import ' || id FROM imports WHERE id IN ($ids))")
  rows_ok=$(q "SELECT count(*) FROM weeks w JOIN imports i ON i.id = w.import_id WHERE i.id IN ($ids)
               AND (SELECT count(*) FROM week_rows r WHERE r.week_start = w.week_start) = $ROWS")
  left=$(q "SELECT count(*) FROM hangfire.job WHERE statename NOT IN ('Succeeded', 'Deleted')
            AND invocationdata->>'Type' LIKE 'Ashyq.Registry.Core.Jobs.ImportJob,%'")
  by_a=0; by_b=0; logged_twice=0
  for id in ${ids//,/ }; do
    ca=$(grep -ac "Import $id loaded week" "$(node_log a)" || true)
    cb=$(grep -ac "Import $id loaded week" "$(node_log b)" || true)
    by_a=$((by_a + ca)); by_b=$((by_b + cb))
    [ $((ca + cb)) = 1 ] || logged_twice=$((logged_twice + 1))
  done
  [ "$loaded" = "$UPLOADS" ] || problems+=("$loaded of $UPLOADS loaded")
  [ "$not_once" = 0 ] || problems+=("$not_once imports ran more than once")
  [ "$audits" = "$UPLOADS" ] || problems+=("$audits import.load audit entries for $UPLOADS imports")
  [ "$rows_ok" = "$UPLOADS" ] || problems+=("$rows_ok weeks hold exactly $ROWS rows")
  [ "$logged_twice" = 0 ] || problems+=("$logged_twice imports not logged as loaded exactly once")
  [ "$left" = 0 ] || problems+=("$left import jobs left unfinished in the job store")
  detail="$uploaded uploads, $loaded loaded in ${took} s, attempts≠1: $not_once, load audits $audits, run on node a $by_a / node b $by_b, import jobs left $left"
  if [ ${#problems[@]} -eq 0 ]; then
    SECONDS_ALL+=("$took"); run_verdict "$run" 1 "$detail"
  else
    run_verdict "$run" 0 "$detail — $(IFS=';'; echo "${problems[*]}")"
  fi
done
echo "$SCENARIO: seconds from the first upload to the last load: $(printf '%s\n' "${SECONDS_ALL[@]+"${SECONDS_ALL[@]}"}" | stats)"
summary "$UPLOADS uploads of $ROWS rows per run, two nodes"
