#!/usr/bin/env bash
# The web server's security against the real binary: TLS with a throwaway CA (and mTLS, and a
# minimum version), basic auth with a bcrypt hash, open probes, refusals counted in
# stampede_http_auth_failures_total, promtool-clean /metrics over TLS, request limits (an
# oversized header, a slowloris client), and a bad --web.config.file refused at start.
. "$(dirname "$0")/lib.sh"
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")  # the test cds into its work dir
PASSWORD="pw-$RANDOM-$RANDOM"

# ---- Certificates: a CA, a server certificate for localhost/127.0.0.1, a client certificate.
cd "$WORK" || exit 1
gen() {  # gen NAME SUBJECT [CA-signed extensions]
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$1.key" \
    -out "$1.csr" -subj "$2" 2>/dev/null &&
    openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -out "$1.crt" \
      -days 1 ${3:+-extfile "$3"} 2>/dev/null
}
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key \
  -out ca.crt -days 1 -subj "/CN=stampede test CA" 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >server.ext
gen server "/CN=localhost" server.ext
gen client "/CN=scraper"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout rogue.key \
  -out rogue.crt -days 1 -subj "/CN=rogue" 2>/dev/null
check "certificates generated" test -s server.crt -a -s client.crt -a -s rogue.crt

# ---- A bcrypt hash of $PASSWORD (cost 4 keeps the test fast).
HASH=$(python3 -W ignore -c 'import crypt,sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))' "$PASSWORD" 2>/dev/null)
check "bcrypt hash made" grep -q '^\$2[aby]\$04\$' <<<"$HASH"

redis-server --port 0 --unixsocket "$WORK/redis.sock" --save '' --appendonly no --dir "$WORK" \
  >"$WORK/redis.log" 2>&1 &
PIDS+=($!)
check "redis starts" wait_for 10 test -S "$WORK/redis.sock"

# start NAME [flags...]: an exporter logging to NAME.log; sets PORT (0 when it did not listen).
start() {
  local name=$1; shift
  "$BIN" --redis.addr="unix://$WORK/redis.sock" --web.listen-address=127.0.0.1:0 \
    "${NO_FIXED_PORTS[@]}" --log.level=debug "$@" >"$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  wait_for 10 grep -q 'msg=listening' "$WORK/$name.log"
  PORT=$(exporter_port "$WORK/$name.log")
  PORT=${PORT:-0}
}
code() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@"; }

# ---- TLS + basic auth. Relative paths: resolved against the config file's directory.
mkdir -p conf && mv server.crt server.key conf/
cat >conf/web.yml <<YML
tls_server_config:
  cert_file: server.crt
  key_file: server.key
basic_auth_users:
  scraper: '$HASH'
http_server_config:
  headers:
    X-Frame-Options: deny
YML
start tls --web.config.file="$WORK/conf/web.yml"
check "TLS exporter listens" [ "$PORT" -gt 0 ]
URL="https://localhost:$PORT"
TLS=(--cacert ca.crt)
check "https with the CA: /metrics needs auth (401)" [ "$(code "${TLS[@]}" "$URL/metrics")" = 401 ]
check "401 carries WWW-Authenticate Basic realm" bash -c \
  "curl -s -D - -o /dev/null --cacert ca.crt '$URL/metrics' | tr -d '\r' | grep -qx 'WWW-Authenticate: Basic realm=\"stampede_exporter\"'"
check "right password: 200 /metrics" [ "$(code "${TLS[@]}" -u "scraper:$PASSWORD" "$URL/metrics")" = 200 ]
check "wrong password: 401" [ "$(code "${TLS[@]}" -u "scraper:wrong" "$URL/metrics")" = 401 ]
check "unknown user: 401" [ "$(code "${TLS[@]}" -u "nobody:$PASSWORD" "$URL/metrics")" = 401 ]
check "malformed Authorization: 401" \
  [ "$(code "${TLS[@]}" -H 'Authorization: Basic ###' "$URL/metrics")" = 401 ]
check "landing page needs auth" [ "$(code "${TLS[@]}" "$URL/")" = 401 ]
check "/-/healthy open without credentials" [ "$(code "${TLS[@]}" "$URL/-/healthy")" = 200 ]
ready() { [ "$(code "${TLS[@]}" "$URL/-/ready")" = 200 ]; }
check "/-/ready open without credentials" wait_for 10 ready
check "configured header sent" bash -c \
  "curl -s -D - -o /dev/null --cacert ca.crt '$URL/-/healthy' | tr -d '\r' | grep -qx 'X-Frame-Options: deny'"
check "without the CA the certificate is refused" [ "$(code "$URL/-/healthy")" = 000 ]
check "plain http to the TLS port fails" [ "$(code "http://127.0.0.1:$PORT/-/healthy")" = 000 ]
curl -s "${TLS[@]}" -u "scraper:$PASSWORD" "$URL/metrics" >metrics.txt
check "failures counted: bad_credentials 2" \
  grep -qx 'stampede_http_auth_failures_total{reason="bad_credentials"} 2' metrics.txt
# missing: the first /metrics, the WWW-Authenticate check, the landing page.
check "failures counted: missing 3" \
  grep -qx 'stampede_http_auth_failures_total{reason="missing"} 3' metrics.txt
check "failures counted: malformed 1" \
  grep -qx 'stampede_http_auth_failures_total{reason="malformed"} 1' metrics.txt
check "401s counted per handler" \
  grep -qx 'stampede_http_requests_total{code="401",handler="metrics"} 5' metrics.txt
promtool check metrics <metrics.txt >promtool.txt 2>&1
rc=$?
check "promtool check metrics on TLS+auth /metrics exits 0" [ "$rc" -eq 0 ]
check "promtool check metrics prints nothing" [ ! -s promtool.txt ]
[ -s promtool.txt ] && cat promtool.txt
echo | openssl s_client -connect "127.0.0.1:$PORT" -CAfile ca.crt -servername localhost \
  >s_client.txt 2>&1
check "openssl s_client: verified handshake" grep -q 'Verify return code: 0 (ok)' s_client.txt
for f in tls.log metrics.txt; do
  check "password absent from $f" bash -c "! grep -qF '$PASSWORD' '$WORK/$f'"
  check "hash absent from $f" bash -c "! grep -qF '${HASH:7}' '$WORK/$f'"
done
check "no Authorization header logged" bash -c "! grep -qi 'authorization' '$WORK/tls.log'"

# ---- mTLS and TLS 1.3 only.
cat >mtls.yml <<YML
tls_server_config:
  cert_file: $WORK/conf/server.crt
  key_file: $WORK/conf/server.key
  client_ca_file: $WORK/ca.crt
  client_auth_type: RequireAndVerifyClientCert
  min_version: TLS13
YML
start mtls --web.config.file="$WORK/mtls.yml"
MURL="https://localhost:$PORT/-/healthy"
check "mTLS exporter listens" [ "$PORT" -gt 0 ]
check "mTLS: a client without a certificate is refused" [ "$(code "${TLS[@]}" "$MURL")" = 000 ]
check "mTLS: a certificate of another CA is refused" \
  [ "$(code "${TLS[@]}" --cert rogue.crt --key rogue.key "$MURL")" = 000 ]
check "mTLS: the client certificate is accepted" \
  [ "$(code "${TLS[@]}" --cert client.crt --key client.key "$MURL")" = 200 ]
check "TLS13: curl --tls-max 1.2 is refused" \
  [ "$(code "${TLS[@]}" --cert client.crt --key client.key --tls-max 1.2 "$MURL")" = 000 ]

# ---- Request limits, on a plain listener: 4 KiB of headers, 2 s to send a request.
start limits --web.max-header-bytes=4096 --web.read-timeout=2s
LURL="http://127.0.0.1:$PORT"
BIG=$(head -c 6000 /dev/zero | tr '\0' a)
# CivetWeb 1.15 answers 400 "Malformed message" and closes the connection.
curl -s -i --max-time 5 -H "X-Big: $BIG" "$LURL/metrics" | tr -d '\r' >big.txt
check "oversized header refused with 400" grep -qx 'HTTP/1.[01] 400 Bad Request' big.txt
check "oversized header: connection closed" grep -qix 'Connection: close' big.txt
check "a header under the limit is fine" [ "$(code -H "X-Small: ${BIG:0:2000}" "$LURL/metrics")" = 200 ]
# A slowloris client: one header byte every 200 ms, never finishing. It must be cut after the
# 2 s timeout (well before its 8 s of bytes run out), while scrapes go on.
python3 - "$PORT" >slowloris.txt 2>&1 <<'PY' &
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
start = time.monotonic()
request = b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 40
try:
    for b in request:
        s.send(bytes([b]))
        s.settimeout(0.2)
        try:
            if s.recv(4096) == b"":
                break
        except socket.timeout:
            pass
except OSError:
    pass
print("closed_after=%.1f" % (time.monotonic() - start))
PY
SLOW=$!
sleep 1
check "a scrape succeeds while the slowloris client hangs on" [ "$(code "$LURL/metrics")" = 200 ]
wait "$SLOW"
after=$(sed -n 's/closed_after=//p' slowloris.txt)
check "slowloris client cut after the read timeout (${after:-?} s)" \
  awk -v t="${after:-99}" 'BEGIN { exit !(t >= 1.5 && t < 5) }'

# ---- Bad config files: exit 2, one clear line naming file:line and key, no secret.
bad() {  # bad "description" "expected stderr substring" YAML
  printf '%s\n' "$3" >bad.yml
  err=$(timeout 10 "$BIN" --web.config.file="$WORK/bad.yml" --redis.addr=redis://127.0.0.1:1 \
    --web.listen-address=127.0.0.1:0 "${NO_FIXED_PORTS[@]}" 2>&1 >/dev/null)
  rc=$?
  check "$1: exit 2" [ "$rc" -eq 2 ]
  check "$1: says $2" grep -qF -- "$2" <<<"$err"
  check "$1: one line" [ "$(wc -l <<<"$err")" -eq 1 ]
  check "$1: no secret in the message" bash -c "! grep -q 'SECRET' <<<'$err'"
}
bad "unknown key" "--web.config.file: $WORK/bad.yml:1:1: unknown key \"tls_config\"" \
  "tls_config: {}"
bad "bad enum" "bad.yml:4:16: tls_server_config.min_version: invalid value \"TLS14\"" \
  "$(printf 'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  min_version: TLS14')"
bad "not a bcrypt hash" "bad.yml:2:10: basic_auth_users.alice: not a bcrypt hash" \
  "$(printf 'basic_auth_users:\n  alice: SECRET-plaintext')"
bad "missing certificate file" "tls_server_config.cert_file: cannot read $WORK/missing.crt" \
  "$(printf 'tls_server_config:\n  cert_file: missing.crt\n  key_file: server.key')"
err=$("$BIN" --web.config.file="$WORK/nope.yml" 2>&1 >/dev/null)
rc=$?
check "missing config file: exit 2" [ "$rc" -eq 2 ]
check "missing config file: named" grep -qF "$WORK/nope.yml: cannot read" <<<"$err"
# A key that does not match the certificate: refused when the listener starts (exit 1).
printf 'tls_server_config:\n  cert_file: conf/server.crt\n  key_file: client.key\n' >mismatch.yml
timeout 10 "$BIN" --web.config.file="$WORK/mismatch.yml" --redis.addr=redis://127.0.0.1:1 \
  --web.listen-address=127.0.0.1:0 "${NO_FIXED_PORTS[@]}" >mismatch.log 2>&1
rc=$?
check "key not matching the certificate: exit 1" [ "$rc" -eq 1 ]
check "key not matching the certificate: says so" \
  grep -q 'msg="cannot start".*tls_server_config.key_file: .*key values mismatch' mismatch.log

finish
