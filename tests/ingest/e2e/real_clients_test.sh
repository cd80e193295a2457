#!/usr/bin/env bash
# Real clients into the real binary: Debian's python3-statsd and the npm DogStatsD client
# hot-shots send known counts; the exported counters equal them exactly. Then the HTTP ingest
# API with curl: a batch, a bearer token, the body limit; the loopback defaults in --help.
# Usage: real_clients_test.sh <stampede_exporter> <npm work dir>
. "$(dirname "$0")/../../e2e/lib.sh"
BIN=$1
NPM_DIR=$2
HERE=$(cd "$(dirname "$0")" && pwd)

metric() {  # metric FILE SERIES: the value of one series, or nothing
  awk -v s="$2" '$1 == s { print $2 }' "$1"
}
scrape() { curl -sf "http://127.0.0.1:$WEB/metrics" >"$WORK/metrics.txt"; }
has() {  # has SERIES VALUE: /metrics has that series at that value now
  scrape && [ "$(metric "$WORK/metrics.txt" "$1")" = "$2" ]
}
port_of() {  # port_of LOG MSG: the port= of the first log line with msg="MSG"
  sed -n "s/.*msg=\"$2\".* port=\([0-9]*\).*/\1/p" "$1" | head -n 1
}
start() {  # start NAME ARGS...: starts the exporter, sets WEB, UDP, INGEST
  local log=$WORK/$1.log
  shift
  "$BIN" --redis.addr=redis://127.0.0.1:1 --web.listen-address=127.0.0.1:0 "$@" >"$log" 2>&1 &
  PIDS+=($!)
  wait_for 10 grep -q 'msg=listening' "$log" || { cat "$log"; return 1; }
  WEB=$(exporter_port "$log")
  UDP=$(port_of "$log" "statsd listening")
  INGEST=$(port_of "$log" "ingest listening")
}

cat >"$WORK/stampede.yml" <<'YML'
statsd:
  metrics:
    - {match: "py.*.hits", name: cache.hit, class: users, tier: l1}
    - {match: "py.*.misses", name: cache.miss, class: users, tier: l1}
    - {match: "py.*.loads", name: cache.load, class: users, tier: l1}
    - {match: "py.*.load_ms", name: cache.load.time, class: users, tier: l1}
YML
# Detection off: its engine drains the key table every second, and the key-hash check below
# reads the table itself.
check "exporter starts with the mapping file" start main --config.file="$WORK/stampede.yml" \
  --statsd.listen-udp=127.0.0.1:0 --ingest.listen-address=127.0.0.1:0 --detect.enabled=false

# python3-statsd (Debian's, hence /usr/bin/python3).
check "python3-statsd sends" /usr/bin/python3 "$HERE/python_statsd_send.py" "$UDP"
U='class="users",tier="l1"'
check "python: hits = 50 + 20×2" wait_for 10 has "stampede_app_lookups_total{$U,result=\"hit\"}" 90
check "python: misses = 7" has "stampede_app_lookups_total{$U,result=\"miss\"}" 7
check "python: loads = 20" has "stampede_app_origin_loads_total{$U}" 20
check "python: load durations = 20" has "stampede_app_origin_load_duration_seconds_count{$U}" 20
check "python: default names too" has \
  'stampede_app_lookups_total{class="default",tier="default",result="hit"}' 3
check "python: the gauge is ignored" has stampede_ingest_statsd_lines_ignored_total 1

# hot-shots, pinned by package.json + package-lock.json, installed outside the source tree.
mkdir -p "$NPM_DIR"
cp "$HERE/../package.json" "$HERE/../package-lock.json" "$NPM_DIR/"
check "npm ci hot-shots" bash -c "cd '$NPM_DIR' && npm ci --no-audit --no-fund --ignore-scripts \
  --loglevel=error >/dev/null"
check "hot-shots sends" env NODE_PATH="$NPM_DIR/node_modules" node "$HERE/hotshots_send.js" "$UDP"
O='class="orders",tier="l2"'
check "hot-shots: hits = 40×2" wait_for 10 has "stampede_app_lookups_total{$O,result=\"hit\"}" 80
check "hot-shots: misses = 5" has "stampede_app_lookups_total{$O,result=\"miss\"}" 5
check "hot-shots: loads = 5" has "stampede_app_origin_loads_total{$O}" 5
check "hot-shots: ms, h, d timings = 3" has \
  "stampede_app_origin_load_duration_seconds_count{$O}" 3
check "hot-shots: sum = 3.33 s" has "stampede_app_origin_load_duration_seconds_sum{$O}" 3.33
check "hot-shots: coalesced = 11" has "stampede_app_coalesced_total{$O}" 11
check "hot-shots: stale = 4" has "stampede_app_stale_served_total{$O}" 4
check "hot-shots: lock waits = 6" has "stampede_app_lock_waits_total{$O}" 6
check "hot-shots: one key hash" has stampede_ingest_key_table_entries 1
check "no line refused" bash -c "! grep -E '^stampede_ingest_statsd_lines_rejected_total.* [1-9]' \
  '$WORK/metrics.txt'"
check "no raw key in /metrics" bash -c "! grep -q 'order:1' '$WORK/metrics.txt'"
promtool check metrics <"$WORK/metrics.txt" >"$WORK/promtool.txt" 2>&1
check "promtool check metrics prints nothing" test ! -s "$WORK/promtool.txt"

# HTTP batches with curl.
post() {  # post PORT PATH BODY [curl args...]: prints the status code
  local port=$1 path=$2 body=$3
  shift 3
  curl -s -o "$WORK/answer.json" -w '%{http_code}' -H 'Content-Type: application/json' \
    --data-binary "$body" "$@" "http://127.0.0.1:$port$path"
}
BATCH='{"version":1,"events":[{"class":"carts","tier":"l1","hits":9,"misses":1,"loads":1,"load_seconds":[0.05]}]}'
check "batch: 202" [ "$(post "$INGEST" /api/v1/events "$BATCH")" = 202 ]
check "batch: counted" has 'stampede_app_lookups_total{class="carts",tier="l1",result="hit"}' 9
check "bad batch: 400" [ "$(post "$INGEST" /api/v1/events '{"version":1,"events":[{"hits":-1}]}')" = 400 ]
check "bad batch: names the field" grep -q '"field":"events\[0\].hits"' "$WORK/answer.json"
check "public port refuses writes" [ "$(post "$WEB" /api/v1/events "$BATCH")" = 404 ]

printf 'e2e-token\n' >"$WORK/token"
check "token exporter starts" start token --statsd.listen-udp= --ingest.listen-address=127.0.0.1:0 \
  --ingest.token-file="$WORK/token" --ingest.max-body-bytes=1024
check "token: missing → 401" [ "$(post "$INGEST" /api/v1/events "$BATCH")" = 401 ]
check "token: wrong → 401" [ "$(post "$INGEST" /api/v1/events "$BATCH" -H 'Authorization: Bearer nope')" = 401 ]
check "token: right → 202" [ "$(post "$INGEST" /api/v1/events "$BATCH" -H 'Authorization: Bearer e2e-token')" = 202 ]
BIG="{\"version\":1,\"events\":[$(printf '{"hits":1},%.0s' $(seq 1 200)){\"hits\":1}]}"
check "body limit: 413" [ "$(post "$INGEST" /api/v1/events "$BIG" -H 'Authorization: Bearer e2e-token')" = 413 ]
check "token never logged" bash -c "! grep -q e2e-token '$WORK/token.log'"

# Defaults: loopback only. Read from --help, not by binding the default ports: other tests
# (and other exporters on this machine) may hold them, and a test must not take them either.
"$BIN" --help >"$WORK/help.txt"
check "help: StatsD defaults to loopback" grep -qx -- '  --statsd.listen-udp=127.0.0.1:8125' "$WORK/help.txt"
check "help: ingest defaults to loopback" grep -qx -- '  --ingest.listen-address=127.0.0.1:9913' "$WORK/help.txt"

finish
