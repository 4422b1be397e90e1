#!/usr/bin/env bash
# Starts the registry on http://127.0.0.1:${PORT:-8080} with a private PostgreSQL cluster under .data/
# (or the server named by ConnectionStrings__Registry), migrated and loaded with demo data.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
PORT=${PORT:-8080}
APP_DIR="$ROOT/.data/app"

if [ -z "${ConnectionStrings__Registry:-}" ]; then
  # shellcheck source=scripts/pg.sh
  source scripts/pg.sh
  PG_PORT=${ASHYQ_PG_PORT:-54329}
  if [ -f .data/pg.port ]; then PG_PORT=$(cat .data/pg.port); fi
  mkdir -p .data && echo "$PG_PORT" >.data/pg.port
  echo "Starting the private PostgreSQL cluster in .data/pg on port $PG_PORT..."
  pg_cluster_start "$ROOT/.data/pg" "$PG_PORT"
  trap 'echo "Stopping the private PostgreSQL cluster..."; pg_cluster_stop "$ROOT/.data/pg"' EXIT
  psql -h 127.0.0.1 -p "$PG_PORT" -U ashyq -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'ashyq'" | grep -q 1 \
    || psql -h 127.0.0.1 -p "$PG_PORT" -U ashyq -d postgres -qc "CREATE DATABASE ashyq"
  export ConnectionStrings__Registry="Host=127.0.0.1;Port=$PG_PORT;Username=ashyq;Database=ashyq"
fi

echo "Building the site..."
dotnet publish src/Ashyq.Registry.Web -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$APP_DIR" --nologo -v quiet >/dev/null
# Readable log lines in the terminal; a deployment keeps the Production default of JSON lines.
app() { (cd "$APP_DIR" && Serilog__ConsoleFormat=${Serilog__ConsoleFormat:-text} dotnet Ashyq.Registry.Web.dll "$@"); }

app migrate
app seed-demo
# One demo staff account, made once, its password shown only now (there is no default password).
DEMO_EMAIL=demo@ashyq.local
DEMO_PASSWORD="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')Aa1"
if ASHYQ_STAFF_PASSWORD="$DEMO_PASSWORD" app create-staff "$DEMO_EMAIL" --admin >/dev/null 2>&1; then
  echo
  echo "Demo staff account (shown once): $DEMO_EMAIL / $DEMO_PASSWORD"
  echo "Sign in at http://127.0.0.1:$PORT/staff/login"
fi
unset DEMO_PASSWORD

echo
echo "Ashyq Registry: http://127.0.0.1:$PORT   (Ctrl+C stops it)"
echo
app --urls "http://127.0.0.1:$PORT"
