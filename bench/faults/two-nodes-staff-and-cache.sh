#!/usr/bin/env bash
# "More than one machine" with two real processes on one database:
#  - a staff member signs in on node A; the cookie opens a staff page on node B, and a form token
#    taken from a page of node A is accepted by a form post (publish/withdraw) on node B, and the
#    other way round;
#  - node B's public pages are cached (a second request is served from the cache); a week published
#    or withdrawn through node A appears on / disappears from node B's cached pages within a second;
#  - an upload on each node at once: each import runs once.
# Usage: bench/faults/two-nodes-staff-and-cache.sh [--runs N]
source "$(dirname "$0")/lib.sh"
SCENARIO=two-nodes-staff-and-cache
parse_runs "$@"

build_app
pg_up
trap cleanup_common EXIT
FILE=$(export_file 5000)
fresh_db faults_nodes
create_staff
A=$PORT_BASE
B=$((PORT_BASE + 1))
: >"$(node_log a)"; : >"$(node_log b)"
node_start a "$A" ApiRateLimit__PermitLimit=1000000
node_start b "$B" ApiRateLimit__PermitLimit=1000000
JAR="$OUT/nodes.jar"

# How long after the change a check (a shell function and its arguments) first held on node B, polled
# every 20 ms: the time its successful request was sent (by then B's cache had let go of the old
# page), and after a slash the time its answer was in (including B rendering the page afresh).
# "99/99" if not within 5 s.
seconds_until() {
  local start attempt; start=$(now)
  local deadline=$((SECONDS + 5))
  while :; do
    attempt=$(now)
    "$@" && break
    [ $SECONDS -lt $deadline ] || { echo 99/99; return; }
    sleep 0.02
  done
  python3 -c "import sys,time; s=float(sys.argv[1]); print(f'{float(sys.argv[2]) - s:.2f}/{time.time() - s:.2f}')" "$start" "$attempt"
}
week_listed() { # PORT WEEK YES|NO
  local n
  n=$(curl -s "http://127.0.0.1:$1/api/v1/weeks" | jq -r --arg w "$2" '[.items[] | select(.weekStart == $w)] | length')
  [ "$3" = yes ] && [ "$n" = 1 ] || { [ "$3" = no ] && [ "$n" = 0 ]; }
}
home_shows() { # PORT WEEK YES|NO: the home page links to the week's lists when it is the latest published
  local page; page=$(curl -s "http://127.0.0.1:$1/")
  if [ "$3" = yes ]; then grep -q "week=$2" <<<"$page"; else ! grep -q "week=$2" <<<"$page"; fi
}
cached() { # PORT PATH: the second answer carries Age (served from the output cache)
  curl -s -o /dev/null "http://127.0.0.1:$1$2"
  curl -s -D - -o /dev/null "http://127.0.0.1:$1$2" | grep -qi '^age:'
}

LAT=()
DONE=()
for run in $(seq 1 "$RUNS"); do
  problems=()
  week_a=$(python3 -c "import datetime,sys; print(datetime.date(2022,1,3) + datetime.timedelta(weeks=2*int(sys.argv[1])))" "$run")
  week_b=$(python3 -c "import datetime,sys; print(datetime.date(2022,1,10) + datetime.timedelta(weeks=2*int(sys.argv[1])))" "$run")

  # Sign in on A; the cookie works on B.
  [ "$(staff_login "$A" "$JAR")" = 302 ] || problems+=("sign-in on A failed")
  grep -q ashyq_staff "$JAR" || problems+=("no staff cookie from A")
  staff_on_b=$(curl -s -o /dev/null -w '%{http_code}' -b "$JAR" "http://127.0.0.1:$B/staff/imports")
  [ "$staff_on_b" = 200 ] || problems+=("A's cookie on B's staff page: $staff_on_b")
  anon_on_b=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$B/staff/imports")

  # One upload on each node at once: each runs once.
  id_a=""; id_b=""
  staff_upload "$A" "$JAR" "$FILE" "$week_a" >"$OUT/nodes-a.id" &
  up_a=$!
  staff_upload "$B" "$JAR" "$FILE" "$week_b" >"$OUT/nodes-b.id" &
  up_b=$!
  wait $up_a || true; wait $up_b || true
  id_a=$(cat "$OUT/nodes-a.id"); id_b=$(cat "$OUT/nodes-b.id")
  if [ -n "$id_a" ] && [ -n "$id_b" ]; then
    wait_for 120 "SELECT bool_and(state = 'loaded') FROM imports WHERE id IN ($id_a, $id_b)" || problems+=("uploads not loaded")
    once=$(q "SELECT count(*) FROM imports WHERE id IN ($id_a, $id_b) AND attempts = 1")
    audits=$(q "SELECT count(*) FROM audit_log WHERE action = 'import.load' AND subject IN ('import $id_a', 'import $id_b')")
    [ "$once" = 2 ] && [ "$audits" = 2 ] || problems+=("imports ran once: $once of 2, load audits $audits")
  else
    problems+=("an upload was refused"); once=0; audits=0
  fi

  # Warm B's cache with the week absent, prove it is cached, then publish through A with a token from A.
  week_listed "$B" "$week_a" no || problems+=("week listed on B before publishing")
  home_shows "$B" "$week_a" no || true
  cached "$B" /api/v1/weeks || problems+=("B's /api/v1/weeks is not served from the cache")
  cached "$B" / || problems+=("B's home page is not served from the cache")
  published=$(staff_publish "$A" "$JAR" "$week_a")
  [ "$published" = 302 ] || problems+=("publish on A: $published")
  appear=$(seconds_until week_listed "$B" "$week_a" yes)
  appear_home=$(seconds_until home_shows "$B" "$week_a" yes)

  # The other week: token from a page of A, posted to B (and the cookie from A).
  token=$(form_token "http://127.0.0.1:$A/staff/weeks/$week_b" "$JAR")
  ack=$(review_acknowledgement "http://127.0.0.1:$A" "$JAR" "$week_b")
  cross=$(curl -s -o /dev/null -w '%{http_code}' -b "$JAR" -c "$JAR" --data-urlencode "__RequestVerificationToken=$token" \
    --data-urlencode confirm=true ${ack:+--data-urlencode "acknowledge=$ack"} "http://127.0.0.1:$B/staff/weeks/$week_b/publish")
  [ "$cross" = 302 ] || problems+=("A's form token posted to B: $cross")
  forged=$(curl -s -o /dev/null -w '%{http_code}' -b "$JAR" --data-urlencode "__RequestVerificationToken=forged" \
    --data-urlencode reason=test "http://127.0.0.1:$B/staff/weeks/$week_b/withdraw")
  [ "$forged" = 400 ] || problems+=("a forged token on B answered $forged, not 400")
  state_b=$(q "SELECT status FROM weeks WHERE week_start = '$week_b'")
  [ "$state_b" = published ] || problems+=("week published through B is $state_b")

  # Withdraw through A (token from B this time): gone from B's cached pages within a second.
  cached "$B" /api/v1/weeks || true
  token=$(form_token "http://127.0.0.1:$B/staff/weeks/$week_a" "$JAR")
  withdrawn=$(curl -s -o /dev/null -w '%{http_code}' -b "$JAR" -c "$JAR" --data-urlencode "__RequestVerificationToken=$token" \
    --data-urlencode "reason=fault suite" "http://127.0.0.1:$A/staff/weeks/$week_a/withdraw")
  [ "$withdrawn" = 302 ] || problems+=("withdraw on A with B's token: $withdrawn")
  vanish=$(seconds_until week_listed "$B" "$week_a" no)

  for s in "$appear" "$appear_home" "$vanish"; do
    python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) <= 1 else 1)" "${s%/*}" || problems+=("B still served the old page ${s%/*} s after the change (target 1 s)")
  done
  detail="A's cookie on B: $staff_on_b (anonymous $anon_on_b); A's token on B: $cross, forged: $forged; publish on A seen on B's API after ${appear} s (request sent/answered), home ${appear_home} s; withdraw seen after ${vanish} s; imports once: $once/2, load audits $audits"
  if [ ${#problems[@]} -eq 0 ]; then
    LAT+=("${appear%/*}" "${appear_home%/*}" "${vanish%/*}"); DONE+=("${appear#*/}" "${appear_home#*/}" "${vanish#*/}"); run_verdict "$run" 1 "$detail"
  else
    run_verdict "$run" 0 "$detail — $(IFS=';'; echo "${problems[*]}")"
  fi
done
echo "$SCENARIO: seconds until node B stopped serving the old page: $(printf '%s\n' "${LAT[@]+"${LAT[@]}"}" | stats)"
echo "$SCENARIO: seconds until node B's new page was in: $(printf '%s\n' "${DONE[@]+"${DONE[@]}"}" | stats)"
summary "two nodes on one database"
