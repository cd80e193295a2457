#!/usr/bin/env bash
# tools/helmrender against a small fixture chart (tests/observability/helmrender_fixture/):
# the helm-template behaviour the chart relies on, compared with expected.yaml (written to match
# `helm template rel chart -n ns -f values1.yaml -f values2.yaml --api-versions
# monitoring.coreos.com/v1`): repeated -f deep merge with null deleting a default, .Release,
# .Chart, .Capabilities, .Template, .Files (Get/Glob/Lines/AsConfig), tpl, include (recursive),
# lookup, fromYaml/toYaml/toJson, missing values as "", Helm's kind order, documents split on
# "---", empty templates dropped, partials and NOTES.txt not rendered as manifests.
# Then the failures: required, fail-on-env (removed from sprig), chart kubeVersion.
# usage: helm_helmrender_test.sh HELMRENDER
set -uo pipefail
hr=${1:?usage: helm_helmrender_test.sh HELMRENDER}
dir=$(cd "$(dirname "$0")" && pwd)/helmrender_fixture
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bad=0
problem() { echo "helm.helmrender: $*" >&2; bad=1; }
base=(--release-name rel --namespace ns -f "$dir/values1.yaml" -f "$dir/values2.yaml"
  --api-versions monitoring.coreos.com/v1)

if "$hr" "${base[@]}" --notes "$tmp/notes" "$dir/chart" >"$tmp/out.yaml" 2>"$tmp/err"; then
  diff -u --label expected.yaml --label rendered "$dir/expected.yaml" "$tmp/out.yaml" >&2 ||
    problem "output differs from helmrender_fixture/expected.yaml"
  [ "$(cat "$tmp/notes")" = "Installed fixture as rel." ] || problem "NOTES.txt rendered as '$(cat "$tmp/notes")'"
else
  problem "fixture does not render: $(cat "$tmp/err")"
fi

# expect_error WANT ARGS...: helmrender must exit 1 and print WANT.
expect_error() {
  local want=$1
  shift
  if "$hr" "$@" >/dev/null 2>"$tmp/err"; then
    problem "rendered although it should fail with '$want' ($*)"
  elif ! grep -qF -- "$want" "$tmp/err"; then
    problem "error lacks '$want': $(cat "$tmp/err")"
  fi
}
printf 'needRequired: true\n' >"$tmp/req.yaml"
printf 'useEnv: true\n' >"$tmp/env.yaml"
expect_error 'execution error at (fixture/templates/b-configmap.yaml:38:12): needRequired: set value x' \
  "${base[@]}" -f "$tmp/req.yaml" "$dir/chart"
expect_error 'function "env" not defined' "${base[@]}" -f "$tmp/env.yaml" "$dir/chart"
expect_error 'chart requires kubeVersion: >=1.20.0-0 which is incompatible with Kubernetes v1.19.0' \
  "${base[@]}" --kube-version v1.19.0 "$dir/chart"
expect_error 'Chart.yaml file is missing' "$dir"
[ "$bad" = 0 ] && echo "helm.helmrender: fixture output and 4 failures as expected"
exit "$bad"
