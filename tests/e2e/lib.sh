# shellcheck shell=bash
# Shared by the e2e tests: counting checks, temp dirs, cleanup of everything started.
set -u
PASSED=0
FAILED=0
PIDS=()
WORK=$(mktemp -d "${TMPDIR:-/tmp}/stampede-e2e.XXXXXX")

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null; done
  rm -rf "$WORK"
}
trap cleanup EXIT

check() {  # check "description" command...
  local what=$1; shift
  if "$@"; then PASSED=$((PASSED + 1)); echo "ok   $what"
  else FAILED=$((FAILED + 1)); echo "FAIL $what"; fi
}

finish() {
  echo "$PASSED passed, $FAILED failed"
  [ "$FAILED" -eq 0 ]
}

# wait_for SECONDS command...: polls every 50 ms.
wait_for() {
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do
    [ "$SECONDS" -ge "$deadline" ] && return 1
    sleep 0.05
  done
}

# Flags that move the exporter's ingest listeners (8125/udp, 9913 by default) to free ports,
# so tests never collide with each other or with anything else on the machine.
NO_FIXED_PORTS=(--statsd.listen-udp=127.0.0.1:0 --ingest.listen-address=127.0.0.1:0)

. "$(cd "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib" && pwd)/ports.sh"

# The port the exporter logged in its "listening" line (the web server).
exporter_port() { log_port "$1" listening; }
