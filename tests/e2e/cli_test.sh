#!/usr/bin/env bash
# The binary's command line: --help, --version, and one clear line for each bad value.
. "$(dirname "$0")/lib.sh"
BIN=$1

out=$("$BIN" --help); rc=$?
check "--help exits 0" [ "$rc" -eq 0 ]
for flag in redis.addr redis.user redis.password-file redis.connect-timeout info.interval \
            web.listen-address web.telemetry-path log.level log.format detect.enabled \
            detect.key-hash-seed detect.ttl-sample-interval incidents.show-keys incidents.max \
            version; do
  check "--help lists --$flag" grep -q -- "--$flag" <<<"$out"
done
for env in STAMPEDE_REDIS_ADDR STAMPEDE_REDIS_PASSWORD STAMPEDE_INFO_INTERVAL \
           STAMPEDE_WEB_LISTEN_ADDRESS STAMPEDE_LOG_FORMAT; do
  check "--help names $env" grep -q "$env" <<<"$out"
done

out=$("$BIN" --version); rc=$?
check "--version exits 0" [ "$rc" -eq 0 ]
check "--version prints a version" grep -Eq '^stampede_exporter version [0-9]+\.[0-9]+\.[0-9]+' <<<"$out"

# expect_error "description" "expected stderr prefix" [env...] -- args...
expect_error() {
  local what=$1 prefix=$2; shift 2
  local envs=()
  while [ "$1" != "--" ]; do envs+=("$1"); shift; done
  shift
  local err rc
  err=$(env "${envs[@]}" "$BIN" "$@" 2>&1 >/dev/null); rc=$?
  check "$what: exit 2" [ "$rc" -eq 2 ]
  check "$what: one line" [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ]
  check "$what: names the problem ($prefix)" grep -qF -- "$prefix" <<<"$err"
}
expect_error "bad duration" "stampede_exporter: --info.interval:" -- --info.interval=abc
expect_error "bad duration, space form" "stampede_exporter: --info.interval:" -- --info.interval abc
expect_error "bad address" "stampede_exporter: --redis.addr:" -- --redis.addr=ftp://x
expect_error "bad log level" "stampede_exporter: --log.level:" -- --log.level=loud
expect_error "unknown flag" "unknown flag --nope" -- --nope
expect_error "bad env twin" "STAMPEDE_INFO_INTERVAL:" STAMPEDE_INFO_INTERVAL=soon --
expect_error "bad key hash seed" "stampede_exporter: --detect.key-hash-seed: want a whole number" \
  -- --detect.key-hash-seed=-1
expect_error "bad incidents bound" "stampede_exporter: --incidents.max:" -- --incidents.max=0
printf 'classes:\n  - {name: user_profile, patterns: ["user:*"], overrides: {d4.herd_size: 3}}\n' \
  >"$WORK/bad-option.yml"
expect_error "unknown detector option" \
  "class user_profile: unknown detector option \"d4.herd_size\" (d4 has: d4.herd_min_misses" \
  -- --config.file="$WORK/bad-option.yml"
expect_error "unreadable password file" "--redis.password-file: cannot read $WORK/none" -- \
  --redis.password-file="$WORK/none"

# A port already taken: exit non-zero with the address in the error.
"$BIN" --web.listen-address=127.0.0.1:0 --redis.addr=redis://127.0.0.1:1 "${NO_FIXED_PORTS[@]}" \
  >"$WORK/a.log" 2>&1 &
PIDS+=($!)
wait_for 10 grep -q 'msg=listening' "$WORK/a.log"
port=$(exporter_port "$WORK/a.log")
"$BIN" --web.listen-address=127.0.0.1:"$port" --redis.addr=redis://127.0.0.1:1 "${NO_FIXED_PORTS[@]}" \
  >"$WORK/b.log" 2>&1
rc=$?
check "taken port: exits 1" [ "$rc" -eq 1 ]
check "taken port: says where" grep -q "cannot listen on 127.0.0.1:$port" "$WORK/b.log"

finish
