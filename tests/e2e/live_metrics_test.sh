#!/usr/bin/env bash
# The real binary against a real redis-server (password-protected, over a Unix socket):
# promtool-clean /metrics, the landing page, no secret anywhere, clean exit on SIGTERM.
. "$(dirname "$0")/lib.sh"
BIN=$1
SECRET="s3cret-$RANDOM-$RANDOM"

redis-server --port 0 --unixsocket "$WORK/redis.sock" --save '' --appendonly no \
  --dir "$WORK" --requirepass "$SECRET" >"$WORK/redis.log" 2>&1 &
PIDS+=($!)
check "redis starts" wait_for 10 test -S "$WORK/redis.sock"
printf '%s\n' "$SECRET" >"$WORK/password"
REDISCLI=(redis-cli -s "$WORK/redis.sock" --no-auth-warning -a "$SECRET")
"${REDISCLI[@]}" set user:1 x >/dev/null
"${REDISCLI[@]}" get user:1 >/dev/null
"${REDISCLI[@]}" get user:2 >/dev/null

"$BIN" --redis.addr="unix://$WORK/redis.sock" --redis.password-file="$WORK/password" \
  --web.listen-address=127.0.0.1:0 "${NO_FIXED_PORTS[@]}" --log.level=debug \
  >"$WORK/exporter.log" 2>&1 &
EXPORTER=$!
PIDS+=("$EXPORTER")
check "exporter logs its port" wait_for 10 grep -q 'msg=listening' "$WORK/exporter.log"
PORT=$(exporter_port "$WORK/exporter.log")
URL="http://127.0.0.1:$PORT"

up() { curl -sf "$URL/metrics" | grep -qx 'stampede_redis_up 1'; }
check "stampede_redis_up 1 with AUTH" wait_for 10 up
curl -sf "$URL/metrics" >"$WORK/metrics.txt"
promtool check metrics <"$WORK/metrics.txt" >"$WORK/promtool.txt" 2>&1
rc=$?
check "promtool check metrics exits 0" [ "$rc" -eq 0 ]
check "promtool check metrics prints nothing" [ ! -s "$WORK/promtool.txt" ]
[ -s "$WORK/promtool.txt" ] && cat "$WORK/promtool.txt"
check "hits counted" grep -qx 'stampede_redis_keyspace_hits_total 1' "$WORK/metrics.txt"
check "build info" grep -q '^stampede_build_info{version="' "$WORK/metrics.txt"

curl -sf "$URL/" >"$WORK/landing.html"
check "landing page links /metrics" grep -q 'href="/metrics"' "$WORK/landing.html"
check "landing page names the target" grep -q "unix://$WORK/redis.sock" "$WORK/landing.html"
check "ready" curl -sf -o /dev/null "$URL/-/ready"

for f in exporter.log metrics.txt landing.html; do
  check "secret absent from $f" bash -c "! grep -qF '$SECRET' '$WORK/$f'"
done
"${REDISCLI[@]}" config set requirepass "other-$SECRET" >/dev/null
down() { curl -sf "$URL/metrics" | grep -qx 'stampede_redis_up 0'; }
redis-cli -s "$WORK/redis.sock" --no-auth-warning -a "other-$SECRET" client kill type normal >/dev/null 2>&1
check "wrong password: up 0" wait_for 10 down
check "secret absent from log after auth failure" bash -c "! grep -qF '$SECRET' '$WORK/exporter.log'"

kill -TERM "$EXPORTER"
check "SIGTERM: exits within 5 s" wait_for 5 bash -c "! kill -0 $EXPORTER 2>/dev/null"
wait "$EXPORTER"; rc=$?
check "SIGTERM: exit status 0" [ "$rc" -eq 0 ]
check "logs its stop" grep -q 'msg=stopping' "$WORK/exporter.log"

finish
