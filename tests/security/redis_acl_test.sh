#!/usr/bin/env bash
# The minimal ACL of examples/redis-acl.conf, proven on a real redis-server: the `stampede` user
# of that file (its password given as a SHA-256, the default user off) runs the exporter with
# INFO metrics, keyspace notifications and TTL sampling, and Redis logs no ACL denial; MONITOR
# shows the exporter sends exactly the commands the file documents (so a new command fails here
# until the file allows it). The `stampede-strict` user works too, denied only CONFIG GET.
# Users missing +subscribe, a channel, or +info make the exporter say NOPERM and keep running.
# The same user also serves cluster mode, on a one-node Redis Cluster (CLUSTER SLOTS).
. "$(dirname "$0")/../e2e/lib.sh"
BIN=$(realpath "$1")
URL=http://127.0.0.1:1  # until an exporter starts
EXAMPLE="$(cd "$(dirname "$0")/../.." && pwd)/examples/redis-acl.conf"

rand() { tr -dc 'A-Za-z0-9' </dev/urandom | head -c "$1"; }
PW="acl-$(rand 16)"
ADMIN_PW="admin-$(rand 16)"
PW_SHA=$(printf '%s' "$PW" | sha256sum | cut -d' ' -f1)
printf '%s\n' "$PW" >"$WORK/password"
chmod 600 "$WORK/password"

# The example's user lines, with the real password; plus test-only variants of `stampede`
# that each lack one rule, and an admin for the test itself.
line() { grep -E "^user $1 " "$EXAMPLE"; }
STAMPEDE=$(line stampede)
check "the example defines user stampede" [ -n "$STAMPEDE" ]
check "the example defines user stampede-strict" [ -n "$(line stampede-strict)" ]
check "the example switches the default user off" grep -qx 'user default off' "$EXAMPLE"
without() {  # without NAME RULE: the stampede line renamed NAME, RULE removed
  local l=${STAMPEDE/#user stampede /user $1 }
  l=" $l "
  l=${l// $2 / }
  echo "$l" | sed 's/^ //; s/ $//'
}
{
  echo "${STAMPEDE/>CHANGE-ME/#$PW_SHA}"
  line stampede-strict | sed "s/>CHANGE-ME/>$PW/"
  without stampede-nosub +subscribe | sed "s/>CHANGE-ME/>$PW/"
  without stampede-nochannel '&__keyevent@*__:keymiss' | sed "s/>CHANGE-ME/>$PW/"
  without stampede-noinfo +info | sed "s/>CHANGE-ME/>$PW/"
  grep -E '^user default ' "$EXAMPLE"
  echo "user admin on >$ADMIN_PW ~* &* +@all"
} >"$WORK/users.acl"
check "the variants each lack their rule" \
  bash -c "! grep -E '^user stampede-nosub .*\+subscribe' '$WORK/users.acl' &&
    ! grep -E '^user stampede-nochannel .*keymiss' '$WORK/users.acl' &&
    ! grep -E '^user stampede-noinfo .*\+info' '$WORK/users.acl'"

# Plain TCP for the exporter; a Unix socket for the test's own commands, so that MONITOR can
# tell the exporter's commands (127.0.0.1:...) from ours (unix:...).
RPORT=$(free_port)
redis-server --port "$RPORT" --bind 127.0.0.1 --unixsocket "$WORK/redis.sock" --save '' \
  --appendonly no --dir "$WORK" --aclfile "$WORK/users.acl" --notify-keyspace-events Egxemn \
  >"$WORK/redis.log" 2>&1 &
PIDS+=($!)
ADMIN=(redis-cli -s "$WORK/redis.sock" --no-auth-warning --user admin --pass "$ADMIN_PW")
ping_redis() { [ "$("${ADMIN[@]}" ping 2>/dev/null)" = PONG ]; }
# up_or_log SECONDS CHECK LOG: waits for CHECK; prints the server's LOG when it never passes.
up_or_log() { wait_for "$1" "$2" || { sed 's/^/     log: /' "$3"; return 1; }; }
check "redis starts with the ACL file (port $RPORT)" up_or_log 10 ping_redis "$WORK/redis.log"
check "the ACL file loaded (stampede has the hashed password)" \
  bash -c "'${ADMIN[0]}' -s '$WORK/redis.sock' --no-auth-warning --user admin --pass '$ADMIN_PW' \
    acl list | grep -q '^user stampede on .*#$PW_SHA '"
check "the default user is off (no AUTH: no access)" \
  bash -c "redis-cli -p $RPORT info server 2>&1 | grep -q NOAUTH"
for i in 1 2 3 4 5; do "${ADMIN[@]}" set "user:$i" v EX 3600 >/dev/null; done

# Denied commands, as "user object" lines.
acl_denials() {
  "${ADMIN[@]}" acl log 100 | awk '/^username$/ {getline; u=$0} /^object$/ {getline; o=$0}
    /^client-info$/ {print u, o}'
}

start_exporter() {  # start_exporter NAME FLAGS...: sets EXP and URL
  local name=$1; shift
  "$BIN" --redis.addr="redis://127.0.0.1:$RPORT" --redis.password-file="$WORK/password" \
    --web.listen-address=127.0.0.1:0 "${NO_FIXED_PORTS[@]}" --log.level=debug "$@" \
    >"$WORK/$name.log" 2>&1 &
  EXP=$!
  PIDS+=("$EXP")
  wait_for 10 grep -qs 'msg=listening' "$WORK/$name.log" || return 1
  URL="http://127.0.0.1:$(exporter_port "$WORK/$name.log")"
}
stop_exporter() { kill -TERM "$EXP" 2>/dev/null; wait "$EXP" 2>/dev/null; }
metric_is() { curl -sf "$URL/metrics" | grep -qx "$1"; }
metric_matches() { curl -sf "$URL/metrics" | grep -Eq "$1"; }
alive() { kill -0 "$EXP" 2>/dev/null; }

# --- 1. the example's stampede user -----------------------------------------------------------
"${ADMIN[@]}" acl log reset >/dev/null
"${ADMIN[@]}" monitor >"$WORK/monitor.txt" 2>&1 &
MONITOR=$!
PIDS+=("$MONITOR")
check "MONITOR is on" wait_for 5 grep -qsx OK "$WORK/monitor.txt"
check "stampede: exporter starts" start_exporter stampede --redis.user=stampede
check "stampede: stampede_redis_up 1" wait_for 10 metric_is 'stampede_redis_up 1'
check "stampede: notifications subscribed" \
  wait_for 10 metric_is 'stampede_notifications_connected 1'
check "stampede: notify-keyspace-events readable (CONFIG GET allowed)" \
  metric_is 'stampede_notifications_config_readable 1'
check "stampede: keymiss notifications known on" \
  metric_is 'stampede_notifications_enabled{event="keymiss"} 1'
check "stampede: TTL sampler up (RANDOMKEY, PEXPIRETIME, TIME allowed)" \
  wait_for 10 grep -q 'msg="ttl sampler up"' "$WORK/stampede.log"
"${ADMIN[@]}" get user:missing >/dev/null
"${ADMIN[@]}" del user:1 >/dev/null
check "stampede: a DEL moves the del counter" \
  wait_for 10 metric_matches '^stampede_keyspace_events_total\{[^}]*event="del"[^}]*\} [1-9]'
check "stampede: a GET of a missing key moves the keymiss counter" \
  wait_for 10 metric_matches '^stampede_keyspace_events_total\{[^}]*event="keymiss"[^}]*\} [1-9]'
curl -sf "$URL/metrics" >"$WORK/stampede.metrics"
for m in stampede_redis_uptime_seconds stampede_redis_connected_clients \
  stampede_redis_memory_used_bytes 'stampede_redis_keyspace_hits_total' \
  'stampede_redis_commands_total{cmd="info"}' 'stampede_redis_db_keys{db="0"}'; do
  check "stampede: INFO metric $m" grep -qF "$m " "$WORK/stampede.metrics"
done
sleep 1.5  # a PING or two on the subscribed connection
check "stampede: Redis logged no ACL denial" [ -z "$(acl_denials)" ]
acl_denials | sed 's/^/     denied: /'
stop_exporter
kill "$MONITOR" 2>/dev/null; wait "$MONITOR" 2>/dev/null

# What the exporter sent (TCP clients only; ours came over the socket): the command and, for
# commands with subcommands, the subcommand. It must be exactly the set the example documents.
awk '$3 ~ /^127\.0\.0\.1:/ {
    c = tolower($4); gsub(/"/, "", c)
    if (c == "config" || c == "client" || c == "command" || c == "cluster") {
      s = tolower($5); gsub(/"/, "", s); c = c "|" s
    }
    print c
  }' "$WORK/monitor.txt" | sort -u >"$WORK/sent.txt"
# Rules the example documents that MONITOR cannot show: cluster|slots (cluster mode only) and
# config|get (MONITOR hides admin commands; the strict user below proves it is sent).
# AUTH shows (its arguments redacted) but needs no rule: it runs before the user is chosen.
printf '%s\n' auth client\|setname command\|info info pexpiretime ping randomkey subscribe \
  time >"$WORK/want.txt"
check "MONITOR: the exporter sent exactly the documented commands" \
  diff "$WORK/want.txt" "$WORK/sent.txt"
echo "     sent: $(tr '\n' ' ' <"$WORK/sent.txt")"
while read -r c; do
  check "MONITOR: +$c is a rule of user stampede" grep -qF " +$c " <<<"$STAMPEDE "
done < <(grep -vx auth "$WORK/sent.txt")
check "MONITOR: no PSUBSCRIBE, no write, no value read" \
  bash -c "! grep -Eiq '\"(psubscribe|set|get|scan|keys|config\" \"set)\"' <(awk '\$3 ~ /^127/' '$WORK/monitor.txt')"

# --- 2. the strict user: no CONFIG, no keys ---------------------------------------------------
"${ADMIN[@]}" acl log reset >/dev/null
check "strict: exporter starts" start_exporter strict --redis.user=stampede-strict \
  --detect.ttl-sample-interval=0
check "strict: stampede_redis_up 1" wait_for 10 metric_is 'stampede_redis_up 1'
check "strict: notifications subscribed" wait_for 10 metric_is 'stampede_notifications_connected 1'
check "strict: CONFIG GET refused, said once" \
  grep -q 'cannot read notify-keyspace-events.*NOPERM' "$WORK/strict.log"
check "strict: stampede_notifications_config_readable 0" \
  metric_is 'stampede_notifications_config_readable 0'
"${ADMIN[@]}" del user:2 >/dev/null
check "strict: a DEL moves the del counter" \
  wait_for 10 metric_matches '^stampede_keyspace_events_total\{[^}]*event="del"[^}]*\} [1-9]'
check "strict: ACL LOG holds only config|get denials" \
  bash -c "[ -n \"\$1\" ] && ! grep -qv '^stampede-strict config|get$' <<<\"\$1\"" _ "$(acl_denials)"
stop_exporter

# --- 3. users missing a rule: a clear NOPERM, no crash ------------------------------------------
"${ADMIN[@]}" acl log reset >/dev/null
check "nosub: exporter starts" start_exporter nosub --redis.user=stampede-nosub
check "nosub: stampede_redis_up 1 (INFO still works)" wait_for 10 metric_is 'stampede_redis_up 1'
check "nosub: the log names NOPERM and subscribe" \
  wait_for 10 grep -Eq 'level=warn .*NOPERM.*subscribe' "$WORK/nosub.log"
check "nosub: stampede_notifications_connected 0" \
  metric_is 'stampede_notifications_connected 0'
check "nosub: the error reply is counted" \
  metric_matches '^stampede_notifications_unexpected_messages_total [1-9]'
check "nosub: Redis logged the denial" grep -q '^stampede-nosub subscribe$' <(acl_denials)
# Granting the rule while the exporter runs: an unconfirmed subscription is given up after
# 10 s and retried, so it subscribes without a restart, having warned once, not per retry.
"${ADMIN[@]}" acl setuser stampede-nosub +subscribe >/dev/null
check "nosub: subscribed within 15 s of +subscribe being granted, no restart" \
  wait_for 15 metric_is 'stampede_notifications_connected 1'
check "nosub: the refusal was warned about once, not at every retry" \
  test "$(grep -c 'level=warn .*msg="notification subscriber got an error reply"' "$WORK/nosub.log")" -eq 1
check "nosub: still running" alive
stop_exporter

"${ADMIN[@]}" acl log reset >/dev/null
check "nochannel: exporter starts" start_exporter nochannel --redis.user=stampede-nochannel
check "nochannel: the log names NOPERM and the channels" \
  wait_for 10 grep -Eq 'level=warn .*NOPERM.*channel' "$WORK/nochannel.log"
check "nochannel: stampede_notifications_connected 0" \
  metric_is 'stampede_notifications_connected 0'
acl_denials >"$WORK/nochannel.denials"
check "nochannel: Redis logged the denied channel" \
  grep -Eqx 'stampede-nochannel __keyevent@0__:[a-z]+' "$WORK/nochannel.denials"
sed 's/^/     denied: /' "$WORK/nochannel.denials"
check "nochannel: still running" alive
stop_exporter

check "noinfo: exporter starts" start_exporter noinfo --redis.user=stampede-noinfo
check "noinfo: the log says redis down with NOPERM info" \
  wait_for 10 grep -Eq 'msg="redis down" .*reason=command .*NOPERM.*info' "$WORK/noinfo.log"
check "noinfo: stampede_redis_up 0" metric_is 'stampede_redis_up 0'
check "noinfo: counted as a command error" \
  metric_matches '^stampede_redis_info_errors_total\{reason="command"\} [1-9]'
check "noinfo: still running" alive
stop_exporter

# --- 4. cluster mode: the same stampede user on a one-node Redis Cluster ---------------------------
# (every slot on one master: CLUSTER SLOTS, then INFO, CONFIG GET and SUBSCRIBE per master).
# The bus port is chosen too: the default, port + 10000, can fall in the kernel's ephemeral range.
CPORT=$(free_port)
BUS=$(free_port)
while [ "$BUS" = "$CPORT" ]; do BUS=$(free_port); done
redis-server --port "$CPORT" --bind 127.0.0.1 --unixsocket "$WORK/cluster.sock" --save '' \
  --appendonly no --dir "$WORK" --cluster-enabled yes --cluster-config-file "$WORK/nodes.conf" \
  --cluster-port "$BUS" --aclfile "$WORK/users.acl" --notify-keyspace-events Egxemn \
  >"$WORK/cluster.log" 2>&1 &
PIDS+=($!)
CADMIN=(redis-cli -s "$WORK/cluster.sock" --no-auth-warning --user admin --pass "$ADMIN_PW")
cluster_ok() { "${CADMIN[@]}" cluster info 2>/dev/null | grep -q 'cluster_state:ok'; }
ping_cluster() { [ "$("${CADMIN[@]}" ping 2>/dev/null)" = PONG ]; }
check "cluster: the node starts (port $CPORT, bus $BUS)" \
  up_or_log 10 ping_cluster "$WORK/cluster.log"
"${CADMIN[@]}" cluster addslotsrange 0 16383 >/dev/null
check "cluster: a one-node cluster is up" wait_for 10 cluster_ok
RPORT=$CPORT
check "cluster: exporter starts" start_exporter cluster --redis.user=stampede
check "cluster: cluster mode, one master" wait_for 10 metric_is 'stampede_cluster_masters 1'
check "cluster: stampede_redis_up 1 for the master" \
  wait_for 10 metric_matches '^stampede_redis_up\{[^}]*\} 1$'
check "cluster: notifications subscribed on the master" \
  wait_for 10 metric_matches '^stampede_notifications_connected\{[^}]*\} 1$'
check "cluster: topology read (CLUSTER SLOTS allowed)" \
  metric_matches '^stampede_cluster_topology_refreshes_total\{result="ok"\} [1-9]'
"${CADMIN[@]}" set user:9 v >/dev/null
"${CADMIN[@]}" del user:9 >/dev/null
check "cluster: a DEL moves the del counter" \
  wait_for 10 metric_matches '^stampede_keyspace_events_total\{[^}]*event="del"[^}]*\} [1-9]'
"${CADMIN[@]}" acl log 100 >"$WORK/cluster.acllog"
check "cluster: Redis logged no ACL denial" bash -c "! grep -q . '$WORK/cluster.acllog'"
grep -A1 -x object "$WORK/cluster.acllog" | grep -v -x -e object -e -- | sed 's/^/     denied: /'
stop_exporter

finish
