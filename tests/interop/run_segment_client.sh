#!/usr/bin/env bash
# Starts segmenter_server on a free loopback port, runs the Python client
# against it, then stops the server with SIGTERM and expects exit status 0.
# Usage: run_segment_client.sh SERVER_BIN STUBS_DIR REPORT_FILE
set -euo pipefail

server_bin=$1
stubs=$2
report=$3
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

"$server_bin" --listen=127.0.0.1:0 --port_file="$work/port" \
  --grace_seconds=5 &
server_pid=$!

# The port file appears once the server accepts calls: wait up to 15 s.
for _ in $(seq 150); do
  [ -s "$work/port" ] && break
  kill -0 "$server_pid" 2>/dev/null || { echo "server died" >&2; exit 1; }
  sleep 0.1
done
[ -s "$work/port" ] || { echo "no port file from the server" >&2; exit 1; }
port=$(cat "$work/port")

/usr/bin/python3 "$here/segment_client.py" --target "127.0.0.1:$port" \
  --stubs "$stubs" --report "$report"

kill -TERM "$server_pid"
# Within the grace (5 s) plus a margin.
for _ in $(seq 70); do
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
if kill -0 "$server_pid" 2>/dev/null; then
  echo "server still running after SIGTERM and its grace" >&2
  exit 1
fi
status=0
wait "$server_pid" || status=$?
server_pid=""
[ "$status" -eq 0 ] || { echo "server exited with $status" >&2; exit 1; }
echo "segmenter_server stopped cleanly"
