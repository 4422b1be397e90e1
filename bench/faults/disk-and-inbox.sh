#!/usr/bin/env bash
# Disk full during an import, and an inbox folder the site cannot read. The node runs as an
# unprivileged account (file permissions mean nothing to root) with Registry:WorkPath on a small
# tmpfs mounted for the run, and Registry:InboxPath on a folder of its own, scanned every minute.
#  disk   a file is uploaded; the moment the import starts writing its working copy, the rest of the
#         tmpfs is filled. The attempt fails, is retried by the job with backoff and, the disk staying
#         full, ends failed with the reason; nothing of the week is loaded; the node keeps serving.
#         The disk is then freed and the import re-queued from the staff page: it loads, once.
#  inbox  a valid export is dropped into the inbox, which is then made unreadable (chmod 000): the
#         scan logs a clear error, stores nothing, the node keeps serving. Made readable again, the
#         next scan takes the file and it is loaded.
# Usage: bench/faults/disk-and-inbox.sh [--runs N] [--rows R] [--part disk|inbox|both]
# (needs root: mount and runuser). The two parts can run at once on different ports
# (FAULTS_PG_PORT, FAULTS_PORT_BASE), each with --part.
source "$(dirname "$0")/lib.sh"
SCENARIO=disk-and-inbox
ROWS=300000
PART=both
args=()
while [ $# -gt 0 ]; do
  case $1 in
    --rows) ROWS=$2; shift 2 ;;
    --part) PART=$2; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
parse_runs "${args[@]+"${args[@]}"}"
case $PART in disk|inbox|both) ;; *) echo "--part is disk, inbox or both" >&2; exit 2 ;; esac
SCENARIO=disk-and-inbox$([ "$PART" = both ] || echo "-$PART")
[ "$(id -u)" = 0 ] || { echo "$SCENARIO needs root (tmpfs mount, running the node as another account)" >&2; exit 2; }

build_app
pg_up
FILE=$(export_file "$ROWS")
SIZE_MB=$(( $(stat -c %s "$FILE") / 1048576 + 1 ))
ACCOUNT=ashyqfaults
id -u "$ACCOUNT" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$ACCOUNT"
WORK="$OUT/disk-work-$PG_PORT"
INBOX="$OUT/disk-inbox-$PG_PORT"
HOME_DIR="$OUT/disk-home-$PG_PORT"
FILLER="$WORK/filler"
cleanup() {
  stop_all_nodes
  chmod 755 "$INBOX" 2>/dev/null || true
  mountpoint -q "$WORK" && umount "$WORK"
  pg_down
}
trap cleanup EXIT
mkdir -p "$WORK" "$INBOX" "$HOME_DIR"
mountpoint -q "$WORK" || mount -t tmpfs -o size=$((SIZE_MB * 3))m,mode=0700 faults-work "$WORK"
chown "$ACCOUNT" "$WORK" "$INBOX" "$HOME_DIR"
rm -rf "${INBOX:?}"/*

fresh_db faults_disk
create_staff
PORT=$PORT_BASE
NODE_USER=$ACCOUNT
LOG=$(node_log a)
: >"$LOG"
node_start a "$PORT" HOME="$HOME_DIR" DOTNET_CLI_HOME="$HOME_DIR" Registry__WorkPath="$WORK" \
  Registry__InboxPath="$INBOX" Registry__InboxScanMinutes=1
JAR="$OUT/disk.jar"
[ "$(staff_login "$PORT" "$JAR")" = 302 ] || { echo "staff sign-in failed" >&2; exit 1; }
pid_at_start=$(node_pid a)
DISK_S=()

serving() {
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/health/live")" = 200 ] &&
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/")" = 200 ]
}
week_for() { python3 -c "import datetime,sys; print(datetime.date(2023,1,2) + datetime.timedelta(weeks=int(sys.argv[1])))" "$1"; }

# Fills what is left of the tmpfs with one more file.
fill_rest() {
  python3 - "$WORK" "$1" <<'PY'
import os, sys
stat = os.statvfs(sys.argv[1])
fd = os.open(sys.argv[2], os.O_CREAT | os.O_WRONLY)
try:
    os.posix_fallocate(fd, 0, max(stat.f_bavail * stat.f_frsize, 1))
except OSError:
    pass
os.close(fd)
PY
}

for run in $(seq 1 "$RUNS"); do
 if [ "$PART" != inbox ]; then
  # Disk full.
  problems=()
  week=$(week_for $((2 * run)))
  rm -f "$FILLER" "$FILLER-2"
  # Watches for the import's working copy every millisecond, from before the upload, and fills the
  # rest of the disk the moment it appears; prints how many bytes of the copy were written by then.
  python3 - "$WORK" "import-" "$FILLER" >"$OUT/disk-fill-$run.txt" <<'PY' &
import os, sys, time
work, prefix, filler = sys.argv[1:]
deadline = time.time() + 180
while time.time() < deadline:
    names = [n for n in os.listdir(work) if n.startswith(prefix)]
    if names:
        stat = os.statvfs(work)
        fd = os.open(filler, os.O_CREAT | os.O_WRONLY)
        try:
            os.posix_fallocate(fd, 0, stat.f_bavail * stat.f_frsize)
        except OSError:
            pass
        os.close(fd)
        try:
            print(os.path.getsize(os.path.join(work, names[0])))
        except OSError:
            print(-1)
        sys.exit(0)
    time.sleep(0.001)
sys.exit(1)
PY
  watcher=$!
  id=$(staff_upload "$PORT" "$JAR" "$FILE" "$week") || id=""
  filled=0
  wait $watcher && filled=1
  written=$(cat "$OUT/disk-fill-$run.txt" 2>/dev/null || echo "?")
  if [ $filled = 1 ] && [ "$written" = "$(stat -c %s "$FILE")" ]; then
    rm -f "$FILLER"
    wait_for 240 "SELECT state IN ('loaded', 'failed') FROM imports WHERE id = ${id:-0}" || true
    run_verdict "$run" 0 "disk: the working copy was complete ($written bytes) before the disk was filled (a miss of this script, not of the site)"
    continue
  fi
  if [ $filled = 0 ]; then
    run_verdict "$run" 0 "disk: the import's working copy was never seen, the disk was not filled (import '${id:-none}')"
    continue
  fi
  filled_at=$(now)
  first_error=""
  for _ in $(seq 1 300); do
    first_error=$(q "SELECT coalesce(error, '') FROM imports WHERE id = $id")
    [ -n "$first_error" ] && break
    sleep 0.1
  done
  # The upload's own spool may still have been on the disk when it filled; once it is gone, fill that too.
  sleep 1; fill_rest "$FILLER-2"
  serving_while_full=0; serving && serving_while_full=1
  wait_for 240 "SELECT state = 'failed' FROM imports WHERE id = $id" || problems+=("not failed 240 s after the disk filled")
  gave_up=$(since "$filled_at")
  read -r state attempts < <(q "SELECT state, attempts FROM imports WHERE id = $id" | tr '|' ' ')
  final_error=$(q "SELECT error FROM imports WHERE id = $id")
  rows=$(q "SELECT count(*) FROM week_rows WHERE week_start = '$week'")
  weeks=$(q "SELECT count(*) FROM weeks WHERE week_start = '$week'")
  [ "$state" = failed ] || problems+=("state $state")
  grep -qi "space" <<<"$final_error" || problems+=("the reason does not say the disk is full: $final_error")
  [ "$rows" = 0 ] && [ "$weeks" = 0 ] || problems+=("half-loaded: $rows rows, $weeks week rows")
  [ $serving_while_full = 1 ] && serving || problems+=("the node stopped serving")
  # Free the disk and retry from the staff page: loads once.
  rm -f "$FILLER" "$FILLER-2"
  retried=$(staff_post "$PORT" "$JAR" "/staff/imports/$id" "/staff/imports/$id/retry")
  wait_for 240 "SELECT state = 'loaded' FROM imports WHERE id = $id" || problems+=("not loaded after the disk was freed and the import re-queued ($retried)")
  rows_after=$(q "SELECT count(*) FROM week_rows WHERE week_start = '$week'")
  audits=$(q "SELECT count(*) FROM audit_log WHERE action = 'import.load' AND subject = 'import $id'")
  [ "$rows_after" = "$ROWS" ] && [ "$audits" = 1 ] || problems+=("after the retry: $rows_after rows, $audits load audits")
  detail="disk: filled with $written bytes of the working copy written; first attempt failed with \"${first_error:0:90}\"; failed for good after ${gave_up} s, attempts=$attempts, reason \"${final_error:0:70}\"; rows of the week while failed $rows; re-queued with the disk freed: $rows_after rows, $audits load audit"
  if [ ${#problems[@]} -eq 0 ]; then
    run_verdict "$run" 1 "$detail"; DISK_S+=("$gave_up")
  else
    run_verdict "$run" 0 "$detail — $(IFS=';'; echo "${problems[*]}")"
  fi

 fi
 if [ "$PART" != disk ]; then
  # Inbox unreadable.
  problems=()
  week=$(week_for $((2 * run + 1)))
  imports_before=$(q "SELECT count(*) FROM imports")
  lines_before=$(wc -l <"$LOG")
  cp "$FILE" "$INBOX/.export-$week.csv.part"
  chown "$ACCOUNT" "$INBOX/.export-$week.csv.part"
  mv "$INBOX/.export-$week.csv.part" "$INBOX/export-$week.csv"
  chmod 000 "$INBOX"
  blocked_at=$(now)
  logged=""
  for _ in $(seq 1 900); do
    logged=$(tail -n +$((lines_before + 1)) "$LOG" | grep -a "The inbox folder" | head -1 || true)
    [ -n "$logged" ] && break
    sleep 0.1
  done
  saw_error=$(since "$blocked_at")
  sleep 1
  imports_while=$(q "SELECT count(*) FROM imports")
  [ -n "$logged" ] || problems+=("no \"The inbox folder … cannot be read\" line within 90 s")
  [ "$imports_while" = "$imports_before" ] || problems+=("imports were stored from an unreadable inbox")
  node_alive a && [ "$(node_pid a)" = "$pid_at_start" ] && serving || problems+=("the node stopped serving or restarted")
  chmod 755 "$INBOX"
  if wait_for 150 "SELECT EXISTS (SELECT 1 FROM imports WHERE week_start = '$week' AND state = 'loaded')"; then
    picked=loaded
  else
    picked="not loaded within 150 s"; problems+=("the file was not taken once the inbox was readable")
  fi
  rows_after=$(q "SELECT count(*) FROM week_rows WHERE week_start = '$week'")
  [ "$rows_after" = "$ROWS" ] || problems+=("$rows_after rows after the inbox was readable again")
  detail="inbox: chmod 000 → logged after ${saw_error} s: \"$(cut -c1-140 <<<"$logged")\"; imports stored while unreadable $((imports_while - imports_before)); readable again → $picked, $rows_after rows"
  if [ ${#problems[@]} -eq 0 ]; then
    run_verdict "$run" 1 "$detail"
  else
    run_verdict "$run" 0 "$detail — $(IFS=';'; echo "${problems[*]}")"
  fi
 fi
done
[ "$PART" = inbox ] || echo "$SCENARIO: seconds from the disk filling to the import failed for good: $(printf '%s\n' "${DISK_S[@]+"${DISK_S[@]}"}" | stats)"
summary "file of $ROWS rows (${SIZE_MB} MB), tmpfs of $((SIZE_MB * 3)) MB, node as $ACCOUNT"
