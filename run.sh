#!/usr/bin/env bash
# Starts the registry on http://127.0.0.1:${PORT:-8080} with a private PostgreSQL cluster under .data/
# (or the server named by ConnectionStrings__Registry), migrated and loaded with demo data.
# Ctrl+C, or SIGTERM / SIGHUP sent to this script's process id alone, stops the site, then the cluster.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
PORT=${PORT:-8080}
DATA=${ASHYQ_RUN_DATA:-$ROOT/.data}
mkdir -p "$DATA"
DATA=$(cd "$DATA" && pwd)
APP_DIR=${ASHYQ_RUN_APP:-$DATA/app}
# The site's working copies of uploads go beside the rest of this run's data: the default, a folder in
# /tmp shared by every account, may already belong to another user of the machine.
export Registry__WorkPath=${Registry__WorkPath:-$DATA/work}
# The demo is one person's: the second-person rule of publishing, on in Production, is off here unless set.
export Publishing__RequireSecondPerson=${Publishing__RequireSecondPerson:-false}

# Each step runs as a child this script waits for, rather than in the foreground: a supervisor signals
# only the script's own process, and a foreground child would never hear of it and outlive the script.
# The trap hands the signal on, waits for the child to end, and only then lets the EXIT trap stop the
# cluster, so the site never runs on without its database.
CHILD=""
stop_child() {
  trap '' INT TERM HUP
  if [ -n "$CHILD" ]; then
    kill -TERM "$CHILD" 2>/dev/null || true
    wait "$CHILD" 2>/dev/null || true
  fi
  exit 143
}
trap stop_child INT TERM HUP
run_child() {
  "$@" &
  CHILD=$!
  wait "$CHILD"
  CHILD=""
}

# The reports' PDF draws its text in DejaVu Sans, which has every Kazakh letter (Debian's fonts-dejavu-core).
if [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then
  echo "Installing fonts-dejavu-core for the reports' PDF..."
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq fonts-dejavu-core >/dev/null
fi

if [ -z "${ConnectionStrings__Registry:-}" ]; then
  # shellcheck source=scripts/pg.sh
  source scripts/pg.sh
  PG_PORT=${ASHYQ_PG_PORT:-54329}
  if [ -f "$DATA/pg.port" ]; then PG_PORT=$(cat "$DATA/pg.port"); fi
  echo "$PG_PORT" >"$DATA/pg.port"
  echo "Starting the private PostgreSQL cluster in $DATA/pg on port $PG_PORT..."
  pg_cluster_start "$DATA/pg" "$PG_PORT"
  trap 'echo "Stopping the private PostgreSQL cluster..."; pg_cluster_stop "$DATA/pg"' EXIT
  psql -h 127.0.0.1 -p "$PG_PORT" -U ashyq -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'ashyq'" | grep -q 1 \
    || psql -h 127.0.0.1 -p "$PG_PORT" -U ashyq -d postgres -qc "CREATE DATABASE ashyq"
  export ConnectionStrings__Registry="Host=127.0.0.1;Port=$PG_PORT;Username=ashyq;Database=ashyq"
fi

if [ -z "${ASHYQ_RUN_APP:-}" ]; then
  echo "Building the site..."
  run_child dotnet publish src/Ashyq.Registry.Web -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$APP_DIR" --nologo -v quiet >"$DATA/publish.log" 2>&1 \
    || { grep -i "error" "$DATA/publish.log" | sort -u | tail -20 >&2; echo "Publishing the site failed; the whole output is in $DATA/publish.log." >&2; exit 1; }
fi
# Readable log lines in the terminal; a deployment keeps the Production default of JSON lines.
# Called only through run_child, whose background subshell it replaces with the site's process (exec),
# so that the process the signal is handed to is the site itself, not a shell that would die and
# leave the site running.
app() { cd "$APP_DIR" && Serilog__ConsoleFormat=${Serilog__ConsoleFormat:-text} exec dotnet Ashyq.Registry.Web.dll "$@"; }

run_child app migrate
run_child app seed-demo
# One demo staff account, made once, its password shown only now (there is no default password).
DEMO_EMAIL=demo@ashyq.local
DEMO_PASSWORD="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')Aa1"
if ASHYQ_STAFF_PASSWORD="$DEMO_PASSWORD" run_child app create-staff "$DEMO_EMAIL" --admin >/dev/null 2>&1; then
  echo
  echo "Demo staff account (shown once): $DEMO_EMAIL / $DEMO_PASSWORD"
  echo "Sign in at http://127.0.0.1:$PORT/staff/login"
fi
unset DEMO_PASSWORD

echo
echo "Ashyq Registry: http://127.0.0.1:$PORT   (Ctrl+C stops it)"
echo
run_child app --urls "http://127.0.0.1:$PORT"
