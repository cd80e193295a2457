# shellcheck shell=bash
# Installs the Debian packages the project needs, only when one is missing (idempotent).
# Sourced by scripts/demo and scripts/test; works as root or through sudo.

STAMPEDE_DEBS=(
  cmake g++ make pkg-config curl ca-certificates git clang-format
  prometheus-cpp-dev libcivetweb-dev libhiredis-dev nlohmann-json3-dev libyaml-cpp-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  redis-server redis-tools prometheus
  python3-statsd iproute2
  prometheus-alertmanager yamllint python3-yaml
  golang-go golang-github-masterminds-sprig-dev golang-k8s-sigs-yaml-dev
  clang libclang-rt-14-dev libssl-dev libcrypt-dev stunnel4 openssl
)

# The npm tooling of tests/ingest (hot-shots): Debian's Node only when the machine has none.
deps::node_debs() {
  command -v node >/dev/null 2>&1 || echo nodejs npm
}
# shellcheck disable=SC2207
STAMPEDE_DEBS+=($(deps::node_debs))

deps::missing() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || echo "$p"
  done
}

deps::install() {
  local missing
  mapfile -t missing < <(deps::missing "${STAMPEDE_DEBS[@]}" "$@")
  [ "${#missing[@]}" -eq 0 ] && return 0
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "need root or sudo to install: ${missing[*]}" >&2; return 1; }
    sudo=(sudo)
  fi
  echo "installing Debian packages: ${missing[*]}"
  # Packages' own services must not start on install (prometheus, redis): we start our own.
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}
