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
pg_owner_account() {
  id -u postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
}

pg_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    pg_owner_account
    # From /: postgres may not be able to enter the folder we are in, and its tools complain if not.
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

# When we are root the server runs as postgres, which must reach its data folder through every folder
# above it. A checkout under a folder other accounts cannot enter (/root is 0700, so is what mktemp -d
# makes) cannot hold it there, and opening those folders up would change the permissions of someone's
# home. So in that case the data folder lives under /var/tmp/ashyq-pg (ASHYQ_PG_RELOCATE_ROOT), named
# after a hash of the requested path and owned by postgres, and the requested path becomes a link to
# it: the same checkout finds the same cluster on its next start, and PG_VERSION and server.log are
# read through the link as before. Prints the folder the server is to be given.
pg_data_dir() {
  local want=$1 parent real root=${ASHYQ_PG_RELOCATE_ROOT:-/var/tmp/ashyq-pg}
  parent=$(dirname "$want")
  mkdir -p "$parent" || return 1
  parent=$(cd "$parent" && pwd -P) || return 1
  want="$parent/$(basename "$want")"
  if [ "$(id -u)" -ne 0 ]; then
    mkdir -p "$want" && echo "$want"
    return
  fi
  pg_owner_account || return 1
  if [ -L "$want" ]; then
    real=$(readlink -f "$want")
  elif [ -f "$want/PG_VERSION" ] || runuser -u postgres -- test -x "$parent"; then
    mkdir -p "$want" && chown -R postgres "$want" && echo "$want"
    return
  else
    # Only an empty folder (a start that failed before) is replaced by the link.
    if [ -d "$want" ]; then rmdir "$want" || return 1; fi
    real="$root/$(printf '%s' "$want" | sha256sum | cut -c1-16)"
  fi
  install -d -m 0755 "$root" && install -d -o postgres -m 0700 "$real" || return 1
  printf '%s\n' "$want" >"$real.path"
  [ -L "$want" ] || ln -s "$real" "$want" || return 1
  echo "$real"
}

# The folder the server was given for a requested data folder (the link's target when it was moved).
pg_real_dir() {
  if [ -L "$1" ]; then readlink -f "$1"; else echo "$1"; fi
}

pg_cluster_start() {
  local requested=$1 port=$2 dir logs
  pg_ensure_installed || return 1
  dir=$(pg_data_dir "$requested") || { echo "Cannot prepare the data folder $requested" >&2; return 1; }
  logs=$(dirname "$requested")
  if [ ! -f "$dir/PG_VERSION" ]; then
    pg_as_owner "$PG_BIN/initdb" -D "$dir" -U ashyq --auth=trust -E UTF8 --locale=C.UTF-8 >"$logs/initdb.log" 2>&1 \
      || pg_as_owner "$PG_BIN/initdb" -D "$dir" -U ashyq --auth=trust -E UTF8 --no-locale >"$logs/initdb.log" 2>&1 \
      || { cat "$logs/initdb.log" >&2; return 1; }
    # Clients connect over TCP only: a socket under a deep checkout would pass the 107-byte limit on
    # socket paths, and the folder's name may hold spaces or quotes.
    cat >>"$dir/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = ${PG_MAX_CONNECTIONS:-200}
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
  local dir
  dir=$(pg_real_dir "$1")
  [ -f "$dir/PG_VERSION" ] || return 0
  pg_find_bin >/dev/null 2>&1 || return 0
  pg_as_owner "$(pg_find_bin)/pg_ctl" -D "$dir" -m fast -w stop >/dev/null 2>&1 || true
}

# Stops a throwaway cluster and removes its data, wherever pg_data_dir put it.
pg_cluster_drop() {
  local dir
  dir=$(pg_real_dir "$1")
  pg_cluster_stop "$1"
  if [ -L "$1" ]; then rm -rf "$dir" "$dir.path"; rm -f "$1"; else rm -rf "$1"; fi
}

pg_free_port() {
  python3 - <<'PY' 2>/dev/null || echo 55432
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
}
