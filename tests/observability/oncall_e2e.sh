#!/usr/bin/env bash
# On call, end to end: a real Prometheus evaluating alerts/ and a real Alertmanager paging a
# webhook receiver, both on loopback with 1 s intervals, scraping two real exporters, each
# watching its own real redis-server, driven by stampede_sim.
#   target A: the celebrity scenario without protection must reach the receiver as
#             StampedeDetected (critical) within 20 s of the spike, and resolve after;
#   target B: a deploy purge with single-flight must page nothing critical;
#   then every panel query of dashboards/ must return data over the run (a real Prometheus
#   scraping the real exporter during a simulated stampede).
# Usage: oncall_e2e.sh <stampede_exporter> <stampede_sim> <source dir>
. "$(dirname "$0")/../e2e/lib.sh"
EXPORTER=$1
SIM=$2
SRC=$3
HERE=$(cd "$(dirname "$0")" && pwd)
JOB=stampede-exporter        # the job name alerts/ expects (alerts/RUNBOOK.md, "Wiring")
SPIKE_TO_PAGE_LIMIT=20       # seconds from the spike to the page at the receiver
RESOLVE_LIMIT=180            # seconds from the end of the scenario to the resolved notification
SCALE=0.2                    # the scenarios five times faster, as scripts/demo --quick

. "$HERE/../../scripts/lib/ports.sh"
http_ok() { curl -sf -o /dev/null "$1"; }

# target NAME: a redis-server and an exporter watching it; sets REDIS_<NAME>, WEB_<NAME>,
# STATSD_<NAME>, INGEST_<NAME>.
target() {
  local name=$1 dir=$WORK/$1 redis web statsd ingest
  mkdir -p "$dir"
  redis=$(free_port) || return 1
  redis-server --port "$redis" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" \
    --notify-keyspace-events Egxemn >"$dir/redis.log" 2>&1 &
  PIDS+=($!)
  wait_for 10 redis-cli -p "$redis" ping >/dev/null 2>&1 || return 1
  "$EXPORTER" --redis.addr="redis://127.0.0.1:$redis" --web.listen-address=127.0.0.1:0 \
    --config.file="$SRC/examples/stampede.yml" --incidents.show-keys "${NO_FIXED_PORTS[@]}" \
    >"$dir/exporter.log" 2>&1 &
  PIDS+=($!)
  # The web listener's line comes last (after statsd and ingest).
  wait_for 10 grep -q 'msg=listening ' "$dir/exporter.log" || { cat "$dir/exporter.log"; return 1; }
  web=$(log_port "$dir/exporter.log" listening)
  statsd=$(log_port "$dir/exporter.log" '"statsd listening"')
  ingest=$(log_port "$dir/exporter.log" '"ingest listening"')
  printf -v "REDIS_$name" %s "$redis"
  printf -v "WEB_$name" %s "$web"
  printf -v "STATSD_$name" %s "$statsd"
  printf -v "INGEST_$name" %s "$ingest"
  [ -n "$web" ] && [ -n "$statsd" ] && [ -n "$ingest" ]
}

# play NAME SCENARIO STRATEGY: stampede_sim against target NAME; each row of its table is
# prefixed with the unix time it was printed. Summary in $WORK/NAME.summary.
play() {
  local name=$1 redis web statsd ingest
  redis=REDIS_$1 web=WEB_$1 statsd=STATSD_$1 ingest=INGEST_$1
  "$SIM" --scenario "$2" --strategy "$3" --time-scale "$SCALE" --scenarios.dir "$SRC/scenarios" \
    --redis.addr "127.0.0.1:${!redis}" --statsd.addr "127.0.0.1:${!statsd}" \
    --exporter.url "http://127.0.0.1:${!web}" --ingest.url "http://127.0.0.1:${!ingest}" \
    --summary-file "$WORK/$name.summary" 2>&1 |
    while IFS= read -r line; do printf '%s %s\n' "$(date +%s.%N)" "$line"; done >"$WORK/$name.sim"
  return "${PIPESTATUS[0]}"
}
field() { sed -n "s/^$2=//p" "$WORK/$1.summary" 2>/dev/null | head -n 1; }

# --- Alertmanager, with the webhook receiver --------------------------------------------------
/usr/bin/python3 "$HERE/webhook_receiver.py" "$WORK/webhook.port" "$WORK/webhook.jsonl" &
PIDS+=($!)
check "webhook receiver listening" wait_for 10 test -s "$WORK/webhook.port"
HOOK=$(cat "$WORK/webhook.port")
AM=$(free_port)
cat >"$WORK/alertmanager.yml" <<YML
route:
  receiver: webhook
  group_by: [alertname, instance, class]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: webhook
    webhook_configs:
      - url: http://127.0.0.1:$HOOK/
        send_resolved: true
YML
quietly() { "$@" >"$WORK/quietly.out" 2>&1 || { cat "$WORK/quietly.out"; return 1; }; }
check "amtool check-config" quietly amtool check-config "$WORK/alertmanager.yml"
# An empty --cluster.listen-address turns gossip off: nothing binds 0.0.0.0:9094.
prometheus-alertmanager --config.file="$WORK/alertmanager.yml" --storage.path="$WORK/am" \
  --web.listen-address="127.0.0.1:$AM" --cluster.listen-address= >"$WORK/alertmanager.log" 2>&1 &
PIDS+=($!)
check "alertmanager ready" wait_for 20 http_ok "http://127.0.0.1:$AM/-/ready"

# --- two targets, and Prometheus scraping them --------------------------------------------------
check "target A (redis + exporter) starts" target A
check "target B (redis + exporter) starts" target B
PROM=$(free_port)
cat >"$WORK/prometheus.yml" <<YML
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - $SRC/alerts/recording-rules.yml
  - $SRC/alerts/alerts.yml
alerting:
  alertmanagers:
    - static_configs:
        - targets: ["127.0.0.1:$AM"]
scrape_configs:
  - job_name: $JOB
    static_configs:
      - targets: ["127.0.0.1:$WEB_A", "127.0.0.1:$WEB_B"]
YML
check "promtool check config (with the rules of alerts/)" \
  quietly promtool check config "$WORK/prometheus.yml"
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/prom" \
  --web.listen-address="127.0.0.1:$PROM" >"$WORK/prometheus.log" 2>&1 &
PIDS+=($!)
check "prometheus ready" wait_for 30 http_ok "http://127.0.0.1:$PROM/-/ready"
targets_up() {
  curl -sf "http://127.0.0.1:$PROM/api/v1/query" --data-urlencode "query=sum(up{job=\"$JOB\"})" |
    grep -q '"value":\[[0-9.]*,"2"\]'
}
# Prometheus 2.42 hands targets to the scrape loop after its discovery throttle (about 5 s).
check "prometheus scrapes both exporters" wait_for 30 targets_up
rules_loaded() {
  curl -sf "http://127.0.0.1:$PROM/api/v1/rules" | grep -q '"name":"StampedeDetected"'
}
check "prometheus loaded StampedeDetected" rules_loaded
RUN_START=$(date +%s)

# --- A: the celebrity without protection pages, then resolves ------------------------------------
check "celebrity (none) on A runs" play A celebrity none
check "the exporter on A said stampede" test "$(field A verdict)" = stampede
# The table's row for the second that held the spike is printed as that second ends.
spike_row=$(awk '/ spike on /{ print $1; exit }' "$WORK/A.sim")
SPIKE=$(awk -v t="$spike_row" 'BEGIN { printf "%.3f", t - 1 }')
check "the spike is in the simulator's table" test -n "$spike_row"
SIM_END=$(date +%s.%N)
paged() {
  /usr/bin/python3 "$HERE/alert_notifications.py" "$WORK/webhook.jsonl" first StampedeDetected \
    firing "127.0.0.1:$WEB_A" "$SPIKE" >"$WORK/paged.at"
}
wait_for "$SPIKE_TO_PAGE_LIMIT" paged
PAGED=$(cat "$WORK/paged.at" 2>/dev/null)
LATENCY=$(awk -v p="$PAGED" -v s="$SPIKE" 'BEGIN { if (p == "") print "none"; else printf "%.1f", p - s }')
echo "     spike at $SPIKE, page at ${PAGED:-never}: $LATENCY s from spike to the receiver"
check "StampedeDetected reached the receiver within ${SPIKE_TO_PAGE_LIMIT} s of the spike" \
  awk -v l="$LATENCY" -v max="$SPIKE_TO_PAGE_LIMIT" 'BEGIN { exit !(l != "none" && l <= max) }'
/usr/bin/python3 "$HERE/alert_notifications.py" "$WORK/webhook.jsonl" show StampedeDetected \
  firing "127.0.0.1:$WEB_A" >"$WORK/page.json"
page_has() { grep -q "$1" "$WORK/page.json"; }
check "the page is critical" page_has '"severity": "critical"'
check "the page names the class" page_has '"class": "user_profile"'
check "the page links its runbook" page_has 'RUNBOOK.md#stampededetected'
check "the page has a summary and a description" \
  bash -c "grep -q '\"summary\"' '$WORK/page.json' && grep -q '\"description\"' '$WORK/page.json'"

# --- B: a purge with single-flight pages nothing critical (while A's alert resolves) -----------
B_START=$(date +%s)
check "deploy-purge (single-flight) on B runs" play B deploy-purge single-flight
check "the exporter on B said no stampede" test "$(field B verdict)" != stampede
sleep 10  # rules evaluate every second; Alertmanager groups for 1 s
CRITICAL_B=$(/usr/bin/python3 "$HERE/alert_notifications.py" "$WORK/webhook.jsonl" severity \
  critical "127.0.0.1:$WEB_B")
echo "     critical alerts for B at the receiver: ${CRITICAL_B:-none}"
check "the purge paged nothing critical" test -z "$CRITICAL_B"
never_critical_b() {  # not even pending, at any evaluation since B started
  curl -sf "http://127.0.0.1:$PROM/api/v1/query" --data-urlencode \
    "query=count_over_time(ALERTS{severity=\"critical\",instance=\"127.0.0.1:$WEB_B\"}[$(($(date +%s) - B_START + 5))s])" |
    grep -q '"result":\[\]'
}
check "no critical alert was even pending for B" never_critical_b

resolved() {
  /usr/bin/python3 "$HERE/alert_notifications.py" "$WORK/webhook.jsonl" first StampedeDetected \
    resolved "127.0.0.1:$WEB_A" "$PAGED" >"$WORK/resolved.at"
}
check "StampedeDetected resolved within ${RESOLVE_LIMIT} s of the scenario's end" \
  wait_for "$RESOLVE_LIMIT" resolved
RESOLVED=$(cat "$WORK/resolved.at" 2>/dev/null)
[ -n "$RESOLVED" ] && awk -v r="$RESOLVED" -v e="$SIM_END" \
  'BEGIN { printf "     resolved %.0f s after the scenario ended\n", r - e }'

# --- every dashboard query returns data over the run -------------------------------------------
check "every panel query of dashboards/ returns data" /usr/bin/python3 \
  "$HERE/check_dashboard_queries.py" --prom "http://127.0.0.1:$PROM" --start "$RUN_START" \
  --end "$(date +%s)" "$SRC"/dashboards/*.json

if [ "$FAILED" -gt 0 ]; then
  for f in alertmanager prometheus A/exporter B/exporter; do
    echo "--- $f.log (tail)"; tail -n 15 "$WORK/$f.log"
  done
  echo "--- webhook notifications"; cut -c1-400 "$WORK/webhook.jsonl"
  echo "--- A.sim"; cat "$WORK/A.sim"
fi
finish
