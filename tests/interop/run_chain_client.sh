#!/usr/bin/env bash
# Starts the chain — aggregator_server (a SQLite store in a temporary
# directory), extractor_server, segmenter_server — on free loopback ports,
# runs the Python chain client against it, then stops the three servers with
# SIGTERM and expects each to exit 0.
# Usage: run_chain_client.sh BIN_DIR STUBS_DIR REPORT_FILE...
set -euo pipefail

bin=$1
stubs=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

# start NAME FLAG...: starts bin/NAME on port 0, waits (up to 15 s) for its
# port file, and leaves the port in $port.
start() {
  local name=$1
  shift
  "$bin/$name" --listen=127.0.0.1:0 --port_file="$work/$name.port" \
    --grace_seconds=5 "$@" 2>"$work/$name.log" &
  local pid=$!
  pids+=("$pid")
  for _ in $(seq 150); do
    [ -s "$work/$name.port" ] && break
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$name died:" >&2
      cat "$work/$name.log" >&2
      exit 1
    fi
    sleep 0.1
  done
  [ -s "$work/$name.port" ] || { echo "no port file from $name" >&2; exit 1; }
  port=$(cat "$work/$name.port")
}

start aggregator_server --store="$work/store.db"
aggregator=127.0.0.1:$port
start extractor_server --aggregator="$aggregator"
start segmenter_server --extractor=127.0.0.1:$port
segmenter=127.0.0.1:$port

if ! /usr/bin/python3 "$here/chain_client.py" --segmenter "$segmenter" \
    --aggregator "$aggregator" --stubs "$stubs" "$@"; then
  for name in segmenter_server extractor_server aggregator_server; do
    echo "--- $name log" >&2
    cat "$work/$name.log" >&2
  done
  exit 1
fi

# All three drain at once; each within its grace (5 s) plus a margin.
kill -TERM "${pids[@]}"
for pid in "${pids[@]}"; do
  for _ in $(seq 70); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "server $pid still running after SIGTERM and its grace" >&2
    exit 1
  fi
  status=0
  wait "$pid" || status=$?
  [ "$status" -eq 0 ] || { echo "server $pid exited with $status" >&2; exit 1; }
done
pids=()
echo "the chain stopped cleanly"
