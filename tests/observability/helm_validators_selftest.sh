#!/usr/bin/env bash
# Negative self-test: the validators of the rendered chart must reject broken manifests.
# Each case breaks a copy of tests/golden/helm/default.yaml one way and expects the named
# validator to fail with the given message.
# usage: helm_validators_selftest.sh NODE_MODULES_DIR
set -uo pipefail
nm=${1:?usage: helm_validators_selftest.sh NODE_MODULES_DIR}
root=$(cd "$(dirname "$0")/../.." && pwd)
src=$root/tests/golden/helm/default.yaml
validate=$root/tests/observability/validate_manifests.mjs
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bad=0
[ -f "$src" ] || { echo "helm.validators_selftest: $src missing" >&2; exit 1; }

# expect_fail NAME VALIDATOR(manifests|yamllint) MESSAGE SED_SCRIPT
expect_fail() {
  local name=$1 tool=$2 want=$3 f=$tmp/$1.yaml out rc
  sed -e "$4" "$src" >"$f"
  cmp -s "$src" "$f" && { echo "helm.validators_selftest: $name: the edit did not change anything" >&2; bad=1; return; }
  if [ "$tool" = manifests ]; then
    out=$(node "$validate" "$nm" "$f" 2>&1); rc=$?
  else
    out=$(cd "$root" && yamllint -c .yamllint.yml "$f" 2>&1); rc=$?
  fi
  if [ "$rc" = 0 ]; then
    echo "helm.validators_selftest: $name: $tool accepted a broken manifest" >&2; bad=1
  elif ! grep -qF -- "$want" <<<"$out"; then
    echo "helm.validators_selftest: $name: $tool failed without '$want':" >&2; echo "$out" >&2; bad=1
  else
    echo "ok: $name rejected by $tool"
  fi
}

expect_fail replicas-string   manifests 'spec/replicas must be integer' 's/^  replicas: 1$/  replicas: "2"/'
expect_fail misspelled-field  manifests "'\"protocl\"' does not exist in type 'ContainerPort'" '0,/containerPort: 9912/{n;s/protocol:/protocl:/}'
expect_fail missing-port      manifests 'must have required property' '/^    - name: http-metrics$/{n;d}'
expect_fail unknown-kind      manifests 'unknown kind Deploymnet in apps/v1' 's/^kind: Deployment$/kind: Deploymnet/'
expect_fail bad-enum          manifests 'imagePullPolicy must be equal to one of the allowed values' 's/imagePullPolicy: IfNotPresent/imagePullPolicy: Sometimes/'
expect_fail not-yaml          manifests 'YAML' 's/^  replicas: 1$/  replicas: [1/'
expect_fail duplicate-key     yamllint  'duplication of key "replicas"' 's/^  replicas: 1$/  replicas: 1\n  replicas: 1/'
expect_fail bad-indentation   yamllint  'syntax error' 's/^kind: Deployment$/ kind: Deployment/'
# The prometheus-operator kinds (full.yaml has them): schema and unknown fields.
src=$root/tests/golden/helm/full.yaml
expect_fail crd-misspelled    manifests "'\"honourLabels\"' does not exist" 's/honorLabels:/honourLabels:/'
expect_fail crd-wrong-type    manifests 'must be string' 's/^      interval: 10s$/      interval: [10s]/'
src=$root/tests/golden/helm/default.yaml

# And the unbroken golden passes, so the failures above are the edits' doing.
node "$validate" "$nm" "$src" >/dev/null || { echo "helm.validators_selftest: the unbroken $src fails" >&2; bad=1; }
exit "$bad"
