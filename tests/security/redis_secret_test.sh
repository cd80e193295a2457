#!/usr/bin/env bash
# The Redis password never leaks: the real exporter against a real password-protected
# redis-server, the password given by file, by environment (with an ACL user, JSON logs) and in
# the --redis.addr URL, then a wrong password and an unreachable Redis. Every place an operator
# or another user of the machine could read is searched for the password and its encodings:
# all log output (debug level), /metrics, the landing page, every other GET route, the process's
# argv (/proc/PID/cmdline), --help, --version and the start-up errors of bad flags.
# Each run first proves the password was really used (stampede_redis_up 1, or WRONGPASS).
. "$(dirname "$0")/../e2e/lib.sh"
BIN=$(realpath "$1")
URL=http://127.0.0.1:1  # until an exporter starts

rand() { tr -dc 'A-Za-z0-9' </dev/urandom | head -c "$1"; }
# The secret: a random core (caught even in a truncated or escaped echo) wrapped in bytes that
# URL-encoding, base64 and JSON escaping would all change.
CORE=$(rand 20)
SECRET="Stmp-${CORE}+/=%:x"
WRONG_CORE=$(rand 20)
WRONG="Wrng-${WRONG_CORE}+/=%:x"
USER_NAME=sec-user

urlencode() {
  local s=$1 out='' c i
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case $c in [A-Za-z0-9._~-]) out+=$c ;; *) out+=$(printf '%%%02X' "'$c") ;; esac
  done
  printf '%s' "$out"
}

# Every form a password could leak in, one per line: either half of the random core (ten random
# letters and digits each, so also a cut or escaped echo), the password, URL-encoded, base64
# alone and as user:password (HTTP basic auth), hex.
forms() {  # forms SECRET CORE
  printf '%s\n' "${2:0:10}" "${2:10}" "$1" "$(urlencode "$1")" "$(printf '%s' "$1" | base64 -w0)" \
    "$(printf 'default:%s' "$1" | base64 -w0)" "$(printf '%s:%s' "$USER_NAME" "$1" | base64 -w0)" \
    "$(printf ':%s' "$1" | base64 -w0)" "$(printf '%s' "$1" | od -An -tx1 | tr -d ' \n')"
}
forms "$SECRET" "$CORE" >"$WORK/forms"
forms "$WRONG" "$WRONG_CORE" >>"$WORK/forms"

# no_leak FILE...: true when no form of either password occurs in the files (case-insensitive
# for the hex and URL forms).
no_leak() {
  local f hit=0
  for f in "$@"; do
    if grep -qiF -f "$WORK/forms" "$f"; then
      echo "     leak in $f:"; grep -iF -o -f "$WORK/forms" "$f" | sort -u | sed 's/^/       /'
      hit=1
    fi
  done
  return "$hit"
}
leaks() { ! no_leak "$@" >/dev/null; }

# The detector itself must be able to fail: one canary per encoding.
i=0
while IFS= read -r form; do
  i=$((i + 1))
  printf 'ts=x level=info msg=canary err="%s"\n' "$form" >"$WORK/canary.$i"
  check "leak detector catches form $i" leaks "$WORK/canary.$i"
done <"$WORK/forms"
printf 'ts=x msg="auth: %s"\n' "${SECRET:0:16}" >"$WORK/canary.prefix"
check "leak detector catches a truncated echo" leaks "$WORK/canary.prefix"
rm -f "$WORK"/canary.*

# --- a password-protected Redis, with an ACL user holding the same password ---------------
RPORT=$(free_port)
redis-server --port "$RPORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" \
  --requirepass "$SECRET" >"$WORK/redis.log" 2>&1 &
PIDS+=($!)
REDISCLI=(redis-cli -p "$RPORT" --no-auth-warning -a "$SECRET")
ping_redis() { [ "$("${REDISCLI[@]}" ping 2>/dev/null)" = PONG ]; }
check "redis starts with requirepass" wait_for 10 ping_redis
"${REDISCLI[@]}" acl setuser "$USER_NAME" on ">$SECRET" '~*' '&*' '+@all' >/dev/null
"${REDISCLI[@]}" set user:1 x >/dev/null
"${REDISCLI[@]}" get user:1 >/dev/null
check "redis refuses a client without the password" \
  bash -c "redis-cli -p $RPORT ping 2>&1 | grep -q NOAUTH"

printf '%s\n' "$SECRET" >"$WORK/password"
printf '%s\n' "$WRONG" >"$WORK/wrong-password"
chmod 600 "$WORK/password" "$WORK/wrong-password"

ROUTES=(/ /metrics /api/v1/status /api/v1/incidents /api/v1/incidents/1 /-/healthy /-/ready
  /no-such-page /metrics?debug=1)

# start_exporter NAME [env VAR=...] -- FLAGS...: starts one exporter, sets EXP and URL.
start_exporter() {
  local name=$1; shift
  local envs=()
  while [ "$1" != -- ]; do envs+=("$1"); shift; done
  shift
  env "${envs[@]}" "$BIN" --web.listen-address=127.0.0.1:0 "${NO_FIXED_PORTS[@]}" \
    --log.level=debug "$@" >"$WORK/$name.log" 2>&1 &
  EXP=$!
  PIDS+=("$EXP")
  wait_for 10 grep -qs 'listening' "$WORK/$name.log" || return 1
  PORT=$(sed -n 's/.*"\{0,1\}msg"\{0,1\}[=:]"\{0,1\}listening.*"\{0,1\}port"\{0,1\}[=:]"\{0,1\}\([0-9]*\).*/\1/p' \
    "$WORK/$name.log" | head -n 1)
  URL="http://127.0.0.1:$PORT"
  tr '\0' ' ' <"/proc/$EXP/cmdline" >"$WORK/$name.cmdline"
}

# snapshot NAME: every GET route (with headers), a HEAD and a POST, into NAME.routes; the landing
# page and /metrics also alone.
snapshot() {
  local name=$1 r
  curl -s "$URL/" >"$WORK/$name.landing"
  curl -s "$URL/metrics" >"$WORK/$name.metrics"
  : >"$WORK/$name.routes"
  for r in "${ROUTES[@]}"; do
    { echo "== GET $r"; curl -s -i "$URL$r"; echo; } >>"$WORK/$name.routes"
  done
  { echo "== HEAD /"; curl -s -I "$URL/"; echo "== POST /"; curl -s -i -X POST -d x "$URL/"; } \
    >>"$WORK/$name.routes"
}

stop_exporter() {
  kill -TERM "$EXP" 2>/dev/null
  wait "$EXP" 2>/dev/null
}

metric_is() { curl -sf "$URL/metrics" | grep -qx "$1"; }

# run_ok NAME [env ...] -- FLAGS...: a run with the right password.
run_ok() {
  local name=$1; shift
  check "$name: exporter starts" start_exporter "$name" "$@"
  check "$name: stampede_redis_up 1 (the password was used)" wait_for 10 metric_is 'stampede_redis_up 1'
  check "$name: notifications subscribed (pub/sub connection authenticated too)" \
    wait_for 10 metric_is 'stampede_notifications_connected 1'
  check "$name: Redis sees the exporter's subscription as user ${AS_USER:-default}" \
    bash -c "redis-cli -p $RPORT --no-auth-warning -a '$SECRET' client list |
      grep -Eq ' sub=[1-9][0-9]* .* user=${AS_USER:-default} '"
  # Something to put an error reply and a keyspace event in flight while we look.
  "${REDISCLI[@]}" del user:1 >/dev/null
  snapshot "$name"
  stop_exporter
  check "$name: no password in the log (stdout+stderr, debug)" no_leak "$WORK/$name.log"
  check "$name: no password in /metrics" no_leak "$WORK/$name.metrics"
  check "$name: no password on the landing page" no_leak "$WORK/$name.landing"
  check "$name: no password in any route (status, incidents, health, 404, 405)" \
    no_leak "$WORK/$name.routes"
  check "$name: landing page names the target without credentials" \
    grep -q "redis://127.0.0.1:$RPORT" "$WORK/$name.landing"
}

# 1. The password file (the default user).
run_ok file -- --redis.addr="redis://127.0.0.1:$RPORT" --redis.password-file="$WORK/password"
check "file: no password in argv (/proc/PID/cmdline)" no_leak "$WORK/file.cmdline"

# 2. The environment, an ACL user, JSON logs.
AS_USER=$USER_NAME run_ok env "STAMPEDE_REDIS_PASSWORD=$SECRET" -- --redis.addr="127.0.0.1:$RPORT" \
  --redis.user="$USER_NAME" --log.format=json
check "env: no password in argv (/proc/PID/cmdline)" no_leak "$WORK/env.cmdline"

# 3. The password in the URL: it works, and it stays out of everything the exporter writes.
#    It is in argv, where every user of the machine can read it: the README says so, and
#    recommends the file or the environment.
run_ok url -- --redis.addr="redis://default:$SECRET@127.0.0.1:$RPORT"
if no_leak "$WORK/url.cmdline" >/dev/null; then
  echo "note: the URL's password is not visible in /proc/PID/cmdline"
else
  echo "note: the URL's password is visible in /proc/PID/cmdline (documented: use the file or env)"
fi

# 4. A wrong password: auth fails visibly, and neither password shows.
check "wrong: exporter starts" start_exporter wrong -- \
  --redis.addr="redis://127.0.0.1:$RPORT" --redis.password-file="$WORK/wrong-password"
check "wrong: the log says redis down with WRONGPASS" \
  wait_for 10 grep -q 'msg="redis down".*WRONGPASS' "$WORK/wrong.log"
check "wrong: stampede_redis_up 0" metric_is 'stampede_redis_up 0'
check "wrong: notifications report the auth failure" \
  wait_for 10 grep -q 'notifications down.*WRONGPASS' "$WORK/wrong.log"
snapshot wrong
stop_exporter
check "wrong: no password in the log" no_leak "$WORK/wrong.log"
check "wrong: no password in /metrics" no_leak "$WORK/wrong.metrics"
check "wrong: no password on the landing page" no_leak "$WORK/wrong.landing"
check "wrong: no password in any route" no_leak "$WORK/wrong.routes"
check "wrong: no password in argv" no_leak "$WORK/wrong.cmdline"

# 4b. An ACL user but no password: the exporter authenticates as that user (and fails with
#     WRONGPASS) instead of skipping AUTH and running as `default` (which would say NOAUTH here).
check "nopw: exporter starts" start_exporter nopw -- --redis.addr="redis://127.0.0.1:$RPORT" \
  --redis.user="$USER_NAME"
check "nopw: AUTH as the user, refused with WRONGPASS (not NOAUTH as default)" \
  wait_for 10 grep -q 'msg="redis down".*WRONGPASS' "$WORK/nopw.log"
stop_exporter

# 5. Redis unreachable (nothing listens), the password in both the environment and the URL.
DEAD=$(free_port)
check "down: exporter starts" start_exporter down "STAMPEDE_REDIS_PASSWORD=$SECRET" -- \
  --redis.addr="redis://default:$WRONG@127.0.0.1:$DEAD"
check "down: the log says connection refused" \
  wait_for 10 grep -q "redis down.*127.0.0.1:$DEAD.*refused" "$WORK/down.log"
check "down: stampede_redis_up 0" metric_is 'stampede_redis_up 0'
snapshot down
stop_exporter
check "down: no password in the log" no_leak "$WORK/down.log"
check "down: no password in /metrics, landing page or routes" \
  no_leak "$WORK/down.metrics" "$WORK/down.landing" "$WORK/down.routes"

# 6. --help, --version and start-up errors, with the password in every place it can come from.
cli() {  # cli NAME WANT_STATUS ARGS...: runs the exporter to completion, output in NAME.cli
  local name=$1 want=$2 rc; shift 2
  STAMPEDE_REDIS_PASSWORD="$SECRET" STAMPEDE_REDIS_PASSWORD_FILE="$WORK/password" \
    timeout 10 "$BIN" "$@" >"$WORK/$name.cli" 2>&1
  rc=$?
  [ "$rc" -eq "$want" ] || { echo "     $name: exit $rc, want $want"; cat "$WORK/$name.cli"; return 1; }
}
check "--help exits 0" cli help 0 --help
check "--version exits 0" cli version 0 --version
check "--redis.password=... is refused (exit 2)" cli flag 2 --redis.password="$SECRET"
check "... and named" grep -q 'the password is not a flag' "$WORK/flag.cli"
check "URL without host is refused (exit 2)" cli nohost 2 --redis.addr="redis://default:$SECRET"
check "URL with only a password is refused (exit 2)" cli onlypw 2 --redis.addr="redis://:$SECRET"
check "URL with a bad port is refused (exit 2)" cli badport 2 \
  --redis.addr="redis://default:$SECRET@127.0.0.1:0"
check "rediss:// is refused (exit 2)" cli rediss 2 --redis.addr="rediss://default:$SECRET@h:6380"
check "unknown scheme is refused (exit 2)" cli scheme 2 --redis.addr="http://default:$SECRET@h"
check "unreadable password file is refused (exit 2)" cli nofile 2 \
  --redis.password-file="$WORK/no-such-file"
check "STAMPEDE_REDIS_ADDR without host is refused (exit 2)" \
  bash -c "STAMPEDE_REDIS_ADDR='redis://default:$SECRET' timeout 10 '$BIN' \
    >'$WORK/envaddr.cli' 2>&1; [ \$? -eq 2 ]"
for f in "$WORK"/*.cli; do
  check "no password in $(basename "$f" .cli) output" no_leak "$f"
done

finish
