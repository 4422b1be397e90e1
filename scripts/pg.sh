# Shared by run.sh and test.sh: a private PostgreSQL cluster in a folder of our own.
# Source it, then call pg_cluster_start DIR PORT / pg_cluster_stop DIR.

pg_find_bin() {
  local dir
  if command -v pg_ctl >/dev/null 2>&1; then dirname "$(readlink -f "$(command -v pg_ctl)")"; return 0; fi
  for dir in /usr/lib/postgresql/*/bin; do
    if [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
  done
  return 1
}

pg_ensure_installed() {
  if ! PG_BIN=$(pg_find_bin); then
    echo "PostgreSQL server binaries not found; installing Debian's postgresql..." >&2
    if [ "$(id -u)" -eq 0 ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-contrib >/dev/null
    else
      sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-contrib >/dev/null
    fi
    PG_BIN=$(pg_find_bin) || { echo "Could not install PostgreSQL." >&2; return 1; }
  fi
  command -v psql >/dev/null 2>&1 || PATH="$PG_BIN:$PATH"
  export PG_BIN
}

# The server refuses to run as root: when we are root, run it as an unprivileged account.
pg_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    id -u postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_cluster_start() {
  local dir=$1 port=$2
  pg_ensure_installed || return 1
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  [ "$(id -u)" -eq 0 ] && chown -R postgres "$dir" 2>/dev/null
  if [ ! -f "$dir/PG_VERSION" ]; then
    pg_as_owner "$PG_BIN/initdb" -D "$dir" -U ashyq --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/../initdb.log" 2>&1 \
      || pg_as_owner "$PG_BIN/initdb" -D "$dir" -U ashyq --auth=trust -E UTF8 --no-locale >"$dir/../initdb.log" 2>&1 \
      || { cat "$dir/../initdb.log" >&2; return 1; }
    cat >>"$dir/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
max_connections = 200
shared_buffers = 256MB
fsync = ${PG_FSYNC:-on}
synchronous_commit = ${PG_SYNC_COMMIT:-on}
CONF
  fi
  if pg_as_owner "$PG_BIN/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    return 0
  fi
  # PG_SERVER_OPTIONS adds settings for this start only (the load benchmark sizes shared_buffers with it).
  pg_as_owner "$PG_BIN/pg_ctl" -D "$dir" -o "-p $port -c max_wal_size=4GB -c checkpoint_timeout=15min ${PG_SERVER_OPTIONS:-}" -l "$dir/server.log" -w -t 60 start >/dev/null \
    || { tail -20 "$dir/server.log" >&2; return 1; }
}

pg_cluster_stop() {
  local dir=$1
  [ -f "$dir/PG_VERSION" ] || return 0
  pg_find_bin >/dev/null 2>&1 || return 0
  pg_as_owner "$(pg_find_bin)/pg_ctl" -D "$dir" -m fast -w stop >/dev/null 2>&1 || true
}

pg_free_port() {
  python3 - <<'PY' 2>/dev/null || echo 55432
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
}
