#!/usr/bin/env bash
# An ordinary HTTP cache in front of two nodes of the site on one PostgreSQL, as docs/deployment.md
# recommends: Debian's nginx with proxy_cache, revalidating with If-None-Match / If-Modified-Since.
#  1. Freshness: clients poll the proxy while a week is published; the last answer still showing the old
#     week must come within the public max-age (HttpCache__PublicMaxAgeSeconds, MAX_AGE here) of the
#     publish's commit, plus one second for the poll itself.
#  2. Throughput and latency of /leaders, business pages and the business API through the proxy beside
#     the same routes on one node without it, in one run: the nodes and nginx on core 0, wrk on core 1,
#     each route warmed up for WARMUP seconds, then measured for DURATION.
# Usage: bench/proxy.sh        BUSINESSES (20000), MAX_AGE (10), WARMUP (20), DURATION (10),
#                              CONNECTIONS (32), PROXY_PORT (55530) may be set.
source "$(dirname "$0")/faults/lib.sh"
SCENARIO=proxy
BUSINESSES=${BUSINESSES:-20000}
MAX_AGE=${MAX_AGE:-10}
WARMUP=${WARMUP:-20}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-32}
PROXY_PORT=${PROXY_PORT:-55530}
NGINX_DIR="$OUT/nginx"

command -v nginx >/dev/null || { apt-get update -qq && apt-get install -y -qq nginx-core >/dev/null; }
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v jq >/dev/null || { apt-get update -qq && apt-get install -y -qq jq >/dev/null; }

build_app
build_bench
pg_up
stop_nginx() { [ -f "$NGINX_DIR/nginx.pid" ] && kill "$(cat "$NGINX_DIR/nginx.pid")" 2>/dev/null || true; }
trap 'stop_nginx; cleanup_common' EXIT

say "two weeks of $BUSINESSES businesses, published through the import verb"
FIRST="$OUT/proxy-week-1.csv"
SECOND="$OUT/proxy-week-2.csv"
THIRD="$OUT/proxy-week-3.csv"
for k in 1 2 3; do
  [ -f "$OUT/proxy-week-$k.csv" ] || nice -n 15 "$BENCH_BIN" generate-rows --rows "$BUSINESSES" --week "$k" --out "$OUT/proxy-week-$k.csv" >/dev/null
done
fresh_db faults_proxy
verb import "$FIRST" --week 2021-07-05 --publish --confirm-warnings --own-upload --json >/dev/null
verb import "$SECOND" --week 2021-07-12 --publish --confirm-warnings --own-upload --json >/dev/null
verb import "$THIRD" --week 2021-07-19 --json >/dev/null   # loaded, published during the freshness test
q "VACUUM ANALYZE" >/dev/null

A=$PORT_BASE
B=$((PORT_BASE + 1))
NODE_ENV=(ApiRateLimit__PermitLimit=1000000 HttpCache__PublicMaxAgeSeconds="$MAX_AGE")
: >"$(node_log a)"; : >"$(node_log b)"
node_start a "$A" "${NODE_ENV[@]}"
node_start b "$B" "${NODE_ENV[@]}"
taskset -a -cp 0 "$(node_pid a)" >/dev/null
taskset -a -cp 0 "$(node_pid b)" >/dev/null

# The recommended front (docs/deployment.md), with this run's ports and folders.
mkdir -p "$NGINX_DIR/cache" "$NGINX_DIR/tmp"
run_as=""
[ "$(id -u)" = 0 ] && run_as="user root;"
cat >"$NGINX_DIR/nginx.conf" <<CONF
$run_as
worker_processes 1;
worker_cpu_affinity 01;
daemon on;
pid $NGINX_DIR/nginx.pid;
error_log $NGINX_DIR/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $NGINX_DIR/tmp/body;
  proxy_temp_path $NGINX_DIR/tmp/proxy;
  fastcgi_temp_path $NGINX_DIR/tmp/fastcgi;
  uwsgi_temp_path $NGINX_DIR/tmp/uwsgi;
  scgi_temp_path $NGINX_DIR/tmp/scgi;
  proxy_cache_path $NGINX_DIR/cache levels=1:2 keys_zone=registry:64m max_size=2g inactive=1h use_temp_path=off;
  upstream registry {
    server 127.0.0.1:$A;
    server 127.0.0.1:$B;
    keepalive 64;
  }
  server {
    listen 127.0.0.1:$PROXY_PORT;
    location / {
      proxy_pass http://registry;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_cache registry;
      proxy_cache_key \$scheme\$host\$request_uri;
      proxy_cache_revalidate on;
      proxy_cache_lock on;
      proxy_cache_use_stale error timeout http_502 http_503;
      add_header X-Cache-Status \$upstream_cache_status always;
    }
  }
}
CONF
nginx -t -c "$NGINX_DIR/nginx.conf" -p "$NGINX_DIR" 2>"$NGINX_DIR/test.log" || { cat "$NGINX_DIR/test.log" >&2; exit 1; }
nginx -c "$NGINX_DIR/nginx.conf" -p "$NGINX_DIR"
PROXY="http://127.0.0.1:$PROXY_PORT"
for _ in $(seq 1 50); do curl -fs -o /dev/null "$PROXY/health/live" && break; sleep 0.1; done

# 1. Freshness. Two clients poll the proxy (the weeks API and the home page) every 100 ms; the third
# week is published with the publish verb, and both nodes hear of it through the database.
latest_api() { curl -s -m 5 "$PROXY/api/v1/weeks" | jq -r '[.items[].weekStart] | max' 2>/dev/null || echo error; }
latest_home() { curl -s -m 5 -H 'Accept-Language: en' "$PROXY/" | grep -c '19–25 July 2021' || true; }
POLL="$OUT/proxy-poll.log"
: >"$POLL"
(
  while [ ! -f "$POLL.stop" ]; do
    printf '%s api %s\n' "$(now)" "$(latest_api)" >>"$POLL"
    printf '%s home %s\n' "$(now)" "$(latest_home)" >>"$POLL"
    sleep 0.1
  done
) &
POLLER=$!
sleep $((MAX_AGE + 2))   # every cached answer now holds the second week
say "publishing the third week"
verb publish --week 2021-07-19 --confirm-warnings --own-upload >/dev/null
published_at=$(now)
sleep $((MAX_AGE + 3))
touch "$POLL.stop"; wait "$POLLER" 2>/dev/null || true; rm -f "$POLL.stop"
read -r last_old_api last_old_home first_new < <(python3 - "$POLL" "$published_at" <<'PY'
import sys
path, published = sys.argv[1], float(sys.argv[2])
old_api = old_home = 0.0
first_new = None
for line in open(path):
    t, kind, value = line.split()
    t = float(t)
    if t < published:
        continue
    if kind == "api":
        if value == "2021-07-12":
            old_api = t - published
        elif value == "2021-07-19" and first_new is None:
            first_new = t - published
    elif kind == "home" and value == "0":
        old_home = t - published
print(f"{old_api:.2f} {old_home:.2f} {first_new if first_new is not None else -1:.2f}")
PY
)
polls=$(wc -l <"$POLL")
fresh_verdict=PASS
awk -v a="$last_old_api" -v h="$last_old_home" -v m="$MAX_AGE" 'BEGIN { exit !(a <= m + 1 && h <= m + 1) }' || fresh_verdict=FAIL
say "freshness $fresh_verdict: max-age $MAX_AGE s; after the publish the old week was last seen at +$last_old_api s (API) and +$last_old_home s (home page), the new week first at +$first_new s; $polls polls"

# 2. Throughput: the same routes through the proxy and on node a alone.
q "SELECT '/business/' || coalesce(p.public_id, b.bin) FROM businesses b LEFT JOIN business_public_ids p USING (bin) ORDER BY md5(b.bin)" >"$OUT/proxy-business.txt"
q "SELECT '/api/v1/businesses/' || coalesce(p.public_id, b.bin) FROM businesses b LEFT JOIN business_public_ids p USING (bin) ORDER BY md5(b.bin)" >"$OUT/proxy-api.txt"
echo "/leaders" >"$OUT/proxy-leaders.txt"
measure() { # label, base url, paths file; prints: rps p50 p95 p99 non2xx errors
  PATHS=$3 taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" --timeout 5s -s bench/wrk/report.lua "$2" >/dev/null
  PATHS=$3 taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 5s -s bench/wrk/report.lua "$2" | awk -F'\t' '$1 == "RESULT" { print $2, $3, $4, $5, $6, $7 }'
}
cd "$ROOT"
echo
echo "| route | front | req/s | p50 ms | p95 ms | p99 ms | non-2xx/3xx | socket errors |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
for route in leaders business api; do
  for front in proxy node; do
    base=$PROXY; [ "$front" = node ] && base="http://127.0.0.1:$A"
    read -r rps p50 p95 p99 non2xx errors < <(measure "$route-$front" "$base" "$OUT/proxy-$route.txt")
    echo "| $route | $front | $rps | $p50 | $p95 | $p99 | $non2xx | $errors |"
  done
done
hits=$(curl -s -o /dev/null -D - "$PROXY/leaders" | tr -d '\r' | awk -F': ' 'tolower($1) == "x-cache-status" { print $2 }')
echo
echo "freshness: $fresh_verdict (old week last seen +$last_old_api s API, +$last_old_home s home; max-age $MAX_AGE s); /leaders through the proxy now: $hits; load average $(cut -d' ' -f1-3 /proc/loadavg)"
[ "$fresh_verdict" = PASS ]
