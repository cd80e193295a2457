#!/usr/bin/env bash
# TLS to Redis through stunnel (examples/stunnel-redis.conf): a throwaway CA, server and client
# certificates; a real redis-server listening on TLS only (tls-auth-clients yes, requirepass);
# stunnel in client mode from that example file; the exporter on stunnel's loopback port gets
# INFO metrics and keyspace notifications. Negative: stunnel trusting another CA, stunnel
# without the client certificate, and the exporter straight on the TLS port all leave the
# exporter running and reporting Redis down; rediss:// is refused with a pointer to stunnel.
. "$(dirname "$0")/../e2e/lib.sh"
BIN=$(realpath "$1")
URL=http://127.0.0.1:1  # until an exporter starts
EXAMPLE="$(cd "$(dirname "$0")/../.." && pwd)/examples/stunnel-redis.conf"
PW="tls-$(tr -dc 'A-Za-z0-9' </dev/urandom | head -c 16)"
printf '%s\n' "$PW" >"$WORK/password"
chmod 600 "$WORK/password"
HOST=redis.test

# --- certificates (P-256: fast) -------------------------------------------------------------
cd "$WORK" || exit 1
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
ca() {  # ca NAME
  key "$1.key" &&
    openssl req -x509 -new -key "$1.key" -out "$1.crt" -days 2 -subj "/CN=stampede test $1" \
      2>/dev/null
}
leaf() {  # leaf NAME CA EXTENSIONS
  key "$1.key" &&
    openssl req -new -key "$1.key" -out "$1.csr" -subj "/CN=$1" 2>/dev/null &&
    printf '%s\n' "$3" >"$1.ext" &&
    openssl x509 -req -in "$1.csr" -CA "$2.crt" -CAkey "$2.key" -CAcreateserial -days 2 \
      -extfile "$1.ext" -out "$1.crt" 2>/dev/null
}
check "certificates: CA, server ($HOST), client, and an unrelated CA" bash -c "
  $(declare -f key ca leaf)
  ca ca && ca other-ca &&
  leaf server ca 'subjectAltName=DNS:$HOST
extendedKeyUsage=serverAuth' &&
  leaf client ca 'extendedKeyUsage=clientAuth'"
check "the server certificate verifies against the CA" \
  bash -c "openssl verify -CAfile ca.crt server.crt >/dev/null"

# --- Redis on TLS only -----------------------------------------------------------------------
TLS_PORT=$(free_port)
redis-server --port 0 --tls-port "$TLS_PORT" --bind 127.0.0.1 --unixsocket "$WORK/redis.sock" \
  --tls-cert-file server.crt --tls-key-file server.key --tls-ca-cert-file ca.crt \
  --tls-auth-clients yes --requirepass "$PW" --notify-keyspace-events Egxemn \
  --save '' --appendonly no --dir "$WORK" >"$WORK/redis.log" 2>&1 &
PIDS+=($!)
CLI=(redis-cli -s "$WORK/redis.sock" --no-auth-warning -a "$PW")
ping_redis() { [ "$("${CLI[@]}" ping 2>/dev/null)" = PONG ]; }
check "redis-server starts with TLS (Debian's is built with it)" wait_for 10 ping_redis
check "redis answers TLS with the client certificate" bash -c "
  redis-cli --tls --cacert ca.crt --cert client.crt --key client.key --sni $HOST -h 127.0.0.1 \
    -p $TLS_PORT --no-auth-warning -a '$PW' ping | grep -qx PONG"
check "redis refuses plain TCP on its TLS port" bash -c "
  ! timeout 5 redis-cli -h 127.0.0.1 -p $TLS_PORT --no-auth-warning -a '$PW' ping 2>&1 |
    grep -qx PONG"
for i in 1 2 3; do "${CLI[@]}" set "user:$i" v >/dev/null; done

# --- stunnel from the example file -------------------------------------------------------------
# start_stunnel NAME PORT [SED...]: the example with our paths, host and ports, plus SED edits.
start_stunnel() {
  local name=$1 port=$2; shift 2
  sed -e "s|^pid =.*|pid = $WORK/$name.pid|" \
    -e "s|^accept = 127.0.0.1:6380|accept = 127.0.0.1:$port|" \
    -e "s|^connect = redis.internal:6379|connect = 127.0.0.1:$TLS_PORT|" \
    -e "s|^checkHost = redis.internal|checkHost = $HOST|" \
    -e "s|^sni = redis.internal|sni = $HOST|" \
    -e "s|/etc/stunnel/redis-ca.crt|$WORK/ca.crt|" \
    -e "s|/etc/stunnel/stampede-client.crt|$WORK/client.crt|" \
    -e "s|/etc/stunnel/stampede-client.key|$WORK/client.key|" \
    "$@" "$EXAMPLE" >"$WORK/$name.conf"
  stunnel "$WORK/$name.conf" >"$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  wait_for 10 listening "$port" || sed "s/^/     $name: /" "$WORK/$name.log"
}
listening() { ! port_free "$1"; }

start_exporter() {  # start_exporter NAME PORT: sets EXP and URL
  "$BIN" --redis.addr="redis://127.0.0.1:$2" --redis.password-file="$WORK/password" \
    --web.listen-address=127.0.0.1:0 "${NO_FIXED_PORTS[@]}" --log.level=debug \
    >"$WORK/$1.log" 2>&1 &
  EXP=$!
  PIDS+=("$EXP")
  wait_for 10 grep -qs 'msg=listening' "$WORK/$1.log" || return 1
  URL="http://127.0.0.1:$(exporter_port "$WORK/$1.log")"
}
stop_exporter() { kill -TERM "$EXP" 2>/dev/null; wait "$EXP" 2>/dev/null; }
metric_is() { curl -sf "$URL/metrics" | grep -qx "$1"; }
metric_matches() { curl -sf "$URL/metrics" | grep -Eq "$1"; }
alive() { kill -0 "$EXP" 2>/dev/null; }

# --- 1. through stunnel: everything flows -------------------------------------------------------
SP=$(free_port)
start_stunnel stunnel "$SP"
check "stunnel (client mode, from the example) listens on 127.0.0.1:$SP" listening "$SP"
check "stunnel wrote its pid file" wait_for 5 test -s "$WORK/stunnel.pid"
check "exporter starts on stunnel's port" start_exporter via-stunnel "$SP"
check "via stunnel: stampede_redis_up 1" wait_for 10 metric_is 'stampede_redis_up 1'
check "via stunnel: INFO metrics (keys of db 0)" \
  wait_for 5 metric_is 'stampede_redis_db_keys{db="0"} 3'
check "via stunnel: notifications subscribed" \
  wait_for 10 metric_is 'stampede_notifications_connected 1'
"${CLI[@]}" del user:1 >/dev/null
"${CLI[@]}" get user:nope >/dev/null
check "via stunnel: a DEL moves the del counter" \
  wait_for 10 metric_matches '^stampede_keyspace_events_total\{[^}]*event="del"[^}]*\} [1-9]'
check "via stunnel: a miss moves the keymiss counter" \
  wait_for 10 metric_matches '^stampede_keyspace_events_total\{[^}]*event="keymiss"[^}]*\} [1-9]'
check "via stunnel: the notification lag is measured (PING through TLS)" \
  wait_for 10 metric_matches '^stampede_notifications_lag_seconds [0-9]'
check "stunnel verified the server (no certificate error)" \
  bash -c "! grep -qi 'verify failed\|certificate verify' '$WORK/stunnel.log'"
stop_exporter

# --- 2. stunnel trusting another CA: Redis down, not a crash -------------------------------------
SP2=$(free_port)
start_stunnel wrong-ca "$SP2" -e "s|^CAfile = .*|CAfile = $WORK/other-ca.crt|"
check "wrong CA: stunnel listens" listening "$SP2"
check "wrong CA: exporter starts" start_exporter wrong-ca-exporter "$SP2"
# Wait for the first failed sample: stampede_redis_up is 0 before the first sample too.
check "wrong CA: the exporter logs redis down" \
  wait_for 10 grep -q 'msg="redis down"' "$WORK/wrong-ca-exporter.log"
check "wrong CA: stampede_redis_up 0" metric_is 'stampede_redis_up 0'
check "wrong CA: the exporter's error points at TLS/stunnel" \
  grep -q 'msg="redis down".*stunnel' "$WORK/wrong-ca-exporter.log"
grep -m1 'msg="redis down"' "$WORK/wrong-ca-exporter.log" | sed 's/^/     /'
check "wrong CA: stunnel says why (certificate verify failed)" \
  wait_for 5 grep -qsi 'certificate verify failed' "$WORK/wrong-ca.log"
check "wrong CA: the exporter keeps running" alive
check "wrong CA: still ready=503, healthy=200" bash -c "
  [ \$(curl -s -o /dev/null -w '%{http_code}' $URL/-/ready) = 503 ] &&
  [ \$(curl -s -o /dev/null -w '%{http_code}' $URL/-/healthy) = 200 ]"
stop_exporter

# --- 2b. the right CA but another name: checkHost refuses ------------------------------------------
SPN=$(free_port)
start_stunnel wrong-name "$SPN" -e "s|^checkHost = .*|checkHost = other.test|"
check "wrong name: stunnel listens" listening "$SPN"
check "wrong name: exporter starts" start_exporter wrong-name-exporter "$SPN"
check "wrong name: the exporter logs redis down" \
  wait_for 10 grep -q 'msg="redis down"' "$WORK/wrong-name-exporter.log"
check "wrong name: stampede_redis_up 0" metric_is 'stampede_redis_up 0'
check "wrong name: stunnel rejects the certificate" \
  wait_for 5 grep -qsi 'verify failed\|CERT: No matching host name\|check.*host' "$WORK/wrong-name.log"
check "wrong name: the exporter keeps running" alive
stop_exporter

# --- 3. stunnel without the client certificate: Redis refuses (tls-auth-clients yes) -------------
SP3=$(free_port)
start_stunnel no-cert "$SP3" -e '/^cert = /d' -e '/^key = /d'
check "no client cert: stunnel listens" listening "$SP3"
check "no client cert: exporter starts" start_exporter no-cert-exporter "$SP3"
check "no client cert: the exporter logs redis down" \
  wait_for 10 grep -q 'msg="redis down"' "$WORK/no-cert-exporter.log"
check "no client cert: stampede_redis_up 0" metric_is 'stampede_redis_up 0'
check "no client cert: the exporter keeps running" alive
stop_exporter

# --- 4. the exporter straight on the TLS port: a clear error, no crash ---------------------------
check "direct: exporter starts" start_exporter direct "$TLS_PORT"
check "direct: the log says redis down and hints at TLS/stunnel" \
  wait_for 10 grep -Eq 'msg="redis down".*(TLS|stunnel)' "$WORK/direct.log"
check "direct: stampede_redis_up 0" metric_is 'stampede_redis_up 0'
check "direct: the exporter keeps running" alive
stop_exporter
grep -m1 'msg="redis down"' "$WORK/direct.log" | sed 's/^/     /'

# --- 5. rediss:// is refused, pointing at stunnel and the README ---------------------------------
"$BIN" --redis.addr="rediss://127.0.0.1:$TLS_PORT" >"$WORK/rediss.out" 2>&1
rc=$?
check "rediss://: exit status 2" [ "$rc" -eq 2 ]
check "rediss://: the error names stunnel, the example and the README section" \
  grep -q 'stunnel.*examples/stunnel-redis.conf.*README "TLS to Redis"' "$WORK/rediss.out"
sed 's/^/     /' "$WORK/rediss.out"

finish
