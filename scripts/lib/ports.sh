# shellcheck shell=bash
# Loopback ports for the scripts and tests that start servers: sourced by scripts/demo,
# tests/e2e/lib.sh and the other shell tests, so that no two copies drift apart.

# port_free PORT: true when nothing listens on 127.0.0.1:PORT.
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# free_port [START]: the first free loopback port from START (default: a random start between
# 20000 and 49999, so that several suites running at once rarely race for the same port).
free_port() {
  local start=${1:-$((20000 + RANDOM % 30000))} p
  for p in $(seq "$start" $((start + 500))); do port_free "$p" && { echo "$p"; return; }; done
  return 1
}

# log_port FILE MESSAGE: the port=... of the exporter's log line with msg=MESSAGE
# (`listening` for the web server, '"statsd listening"', '"ingest listening"').
log_port() { sed -n "s/.*msg=$2 .*port=\([0-9]*\).*/\1/p" "$1" | head -n 1; }
