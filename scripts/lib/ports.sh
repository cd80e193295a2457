# shellcheck shell=bash
# Loopback ports for the scripts and tests that start servers: sourced by scripts/demo,
# tests/e2e/lib.sh and the other shell tests, so that no two copies drift apart.

# port_free PORT: true when nothing listens on 127.0.0.1:PORT.
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# free_port [START]: the first free loopback port from START (default: a random start between
# 20000 and the kernel's ephemeral range, so that several suites running at once rarely race
# for the same port, and no outgoing connection takes it between this check and the bind: a
# port from the ephemeral range once went to a client before stunnel could listen on it).
free_port() {
  local ephemeral
  ephemeral=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  [ "$ephemeral" -gt 21000 ] 2>/dev/null || ephemeral=32768
  local start=${1:-$((20000 + RANDOM % (ephemeral - 20500)))} p
  for p in $(seq "$start" $((start + 500))); do port_free "$p" && { echo "$p"; return; }; done
  return 1
}

# log_port FILE MESSAGE: the port=... of the exporter's log line with msg=MESSAGE
# (`listening` for the web server, '"statsd listening"', '"ingest listening"').
log_port() { sed -n "s/.*msg=$2 .*port=\([0-9]*\).*/\1/p" "$1" | head -n 1; }
