#!/usr/bin/env bash
# Runs a command beside a throwaway PostgreSQL 15 server, then stops the
# server and deletes it:
#
#   tests/run_with_postgres.sh build-store/bin/store_test --gtest_filter='*Postgres*'
#
# The server lives in a fresh temporary directory (mode 0700) and listens on
# a Unix socket there only, never on a network port. The command gets
# REPORTPIPE_TEST_POSTGRES_URL naming an empty database, and
# REPORTPIPE_TEST_POSTGRES_CTL, a command that stops or starts the server
# (see below). PostgreSQL refuses to run as root, so as root the server runs
# as the `postgres` user that Debian's postgresql package creates
# (scripts/deps installs it).
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi
pg_bin=${REPORTPIPE_PG_BIN:-/usr/lib/postgresql/15/bin}
if [ ! -x "$pg_bin/initdb" ] || [ ! -x "$pg_bin/pg_ctl" ]; then
  echo "run_with_postgres: no PostgreSQL 15 in $pg_bin; run scripts/deps" >&2
  exit 2
fi
as_postgres=()
if [ "$(id -u)" -eq 0 ]; then
  if ! id postgres >/dev/null 2>&1; then
    echo "run_with_postgres: running as root needs the 'postgres' user;" \
      "run scripts/deps (Debian's postgresql package creates it)" >&2
    exit 2
  fi
  as_postgres=(runuser -u postgres --)
fi

# Short, so that the socket path stays under the 107-byte limit.
dir=$(mktemp -d /tmp/rp-pg.XXXXXX)
chmod 700 "$dir"
[ ${#as_postgres[@]} -gt 0 ] && chown postgres: "$dir"
data="$dir/data"

# Runs a server program from inside $dir: as root, the postgres user may not
# be allowed into the caller's working directory.
pg() { (cd "$dir" && "${as_postgres[@]}" "$@"); }

stop_server() {
  if [ -f "$data/postmaster.pid" ]; then
    pg "$pg_bin/pg_ctl" -D "$data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
      pg "$pg_bin/pg_ctl" -D "$data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}
trap stop_server EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# If this script is killed outright (a test timeout's SIGKILL), no trap
# runs and the daemonised server would outlive it: a detached watchdog
# stops it once this shell is gone.
harness=$$
setsid -f bash -c '
  while kill -0 "$1" 2>/dev/null && [ -d "$2" ]; do sleep 1; done
  if [ -f "$2/data/postmaster.pid" ]; then
    (cd /tmp && $4 "$3/pg_ctl" -D "$2/data" -m immediate -w -t 30 stop) >/dev/null 2>&1
    rm -rf "$2"
  fi' watchdog "$harness" "$dir" "$pg_bin" "${as_postgres[*]}" \
  </dev/null >/dev/null 2>&1

if ! pg "$pg_bin/initdb" -D "$data" -U postgres -A trust --no-locale \
    -E UTF8 --no-sync >"$dir/initdb.log" 2>&1; then
  echo "run_with_postgres: initdb failed:" >&2
  cat "$dir/initdb.log" >&2
  exit 1
fi
if ! pg "$pg_bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses='' -c unix_socket_directories='$dir'" \
    start >/dev/null 2>&1; then
  echo "run_with_postgres: the server did not start within 60 s:" >&2
  cat "$dir/server.log" >&2 || true
  exit 1
fi
pg "$pg_bin/createdb" -h "$dir" -U postgres reportpipe_test

# For tests that restart the server in the middle of their work:
# `$REPORTPIPE_TEST_POSTGRES_CTL stop` stops it the hard way (immediate, as
# after a crash: no checkpoint), `... start` starts it again on the same
# socket. Each waits at most 30 s.
cat >"$dir/ctl" <<CTL
#!/usr/bin/env bash
set -euo pipefail
cd "$dir"
case "\${1:-}" in
  stop) ${as_postgres[*]} "$pg_bin/pg_ctl" -D "$data" -m immediate -w -t 30 stop >/dev/null ;;
  start) ${as_postgres[*]} "$pg_bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 30 \\
      -o "-c listen_addresses='' -c unix_socket_directories='$dir'" start >/dev/null ;;
  *) echo "usage: \$0 stop|start" >&2; exit 2 ;;
esac
CTL
chmod 755 "$dir/ctl"

export REPORTPIPE_TEST_POSTGRES_URL="postgresql:///reportpipe_test?host=$dir&user=postgres"
export REPORTPIPE_TEST_POSTGRES_CTL="$dir/ctl"
set +e
"$@"
status=$?
set -e
exit "$status"
