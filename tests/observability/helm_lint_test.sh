#!/usr/bin/env bash
# yamllint (repository .yamllint.yml) over the chart's YAML and its rendered output:
# Chart.yaml, values.yaml, the test values files and every golden render.
# usage: helm_lint_test.sh        (run from anywhere; paths are taken from the repository)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"   # .yamllint.yml's ignore patterns are relative paths
command -v yamllint >/dev/null || { echo "helm.yamllint: yamllint not found (apt-get install yamllint)" >&2; exit 1; }
shopt -s nullglob
goldens=(tests/golden/helm/*.yaml)
[ "${#goldens[@]}" -gt 0 ] || { echo "helm.yamllint: no tests/golden/helm/*.yaml" >&2; exit 1; }
yamllint -f parsable -c .yamllint.yml helm/stampede-exporter/Chart.yaml helm/stampede-exporter/values.yaml \
  tests/observability/helm_values tests/observability/helm_values_bad "${goldens[@]}"
echo "helm.yamllint: chart, values files and ${#goldens[@]} renders clean"
