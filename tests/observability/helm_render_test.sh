#!/usr/bin/env bash
# Renders the chart for one values file and compares the output with its golden file.
#
#   helm_render_test.sh [--renderer HELMRENDER] NAME        compare (ctest: helm.render.NAME)
#   helm_render_test.sh [--renderer HELMRENDER] --update NAME    rewrite that golden
#   helm_render_test.sh [--renderer HELMRENDER] --update-all     rewrite every golden (and
#                                                                 drop goldens without values)
# NAME is a file tests/observability/helm_values/NAME.yaml ("default" holds no values).
# Goldens: tests/golden/helm/NAME.yaml (manifests) and NAME.notes.txt (NOTES.txt, helmrender
# only). Without --renderer, tools/helmrender is built into a temporary directory.
#
# Renderer: `helm template` when helm is on PATH (STAMPEDE_HELM=helmrender forces helmrender),
# else helmrender. Both get release stampede-exporter, namespace monitoring, Kubernetes 1.30.0
# and the monitoring.coreos.com/v1 API.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
chart=$root/helm/stampede-exporter
values_dir=$root/tests/observability/helm_values
golden_dir=$root/tests/golden/helm
renderer="" update=0 all=0 names=()
while [ $# -gt 0 ]; do
  case $1 in
    --renderer) renderer=$2; shift 2 ;;
    --update) update=1; shift ;;
    --update-all) update=1; all=1; shift ;;
    -*) echo "helm_render_test: unknown option $1" >&2; exit 2 ;;
    *) names+=("$1"); shift ;;
  esac
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ "$all" = 1 ]; then
  names=()
  for f in "$values_dir"/*.yaml; do names+=("$(basename "$f" .yaml)"); done
fi
[ "${#names[@]}" -gt 0 ] || { echo "usage: helm_render_test.sh [--renderer PATH] [--update] NAME | --update-all" >&2; exit 2; }

use_helm=0
if [ "${STAMPEDE_HELM:-}" != helmrender ] && command -v helm >/dev/null; then use_helm=1; fi
if [ "$use_helm" = 0 ] && [ -z "$renderer" ]; then
  "$root/tools/helmrender/build.sh" "$tmp/bin" && renderer=$tmp/bin/helmrender
fi

render() { # render NAME OUT_MANIFESTS OUT_NOTES
  local vf=$values_dir/$1.yaml
  [ -f "$vf" ] || { echo "helm.render.$1: no values file $vf" >&2; return 1; }
  if [ "$use_helm" = 1 ]; then
    helm template stampede-exporter "$chart" --namespace monitoring --kube-version 1.30.0 \
      --api-versions monitoring.coreos.com/v1 -f "$vf" >"$2"
  else
    "$renderer" --release-name stampede-exporter --namespace monitoring --kube-version v1.30.0 \
      --api-versions monitoring.coreos.com/v1 -f "$vf" --notes "$3" "$chart" >"$2"
  fi
}

status=0
for n in "${names[@]}"; do
  if ! render "$n" "$tmp/$n.yaml" "$tmp/$n.notes.txt"; then
    echo "helm.render.$n: rendering failed" >&2
    status=1
    continue
  fi
  if [ "$update" = 1 ]; then
    mkdir -p "$golden_dir"
    cp "$tmp/$n.yaml" "$golden_dir/$n.yaml"
    [ "$use_helm" = 1 ] || cp "$tmp/$n.notes.txt" "$golden_dir/$n.notes.txt"
    echo "updated tests/golden/helm/$n.yaml"
    continue
  fi
  for ext in yaml notes.txt; do
    [ "$ext" = notes.txt ] && [ "$use_helm" = 1 ] && continue
    if [ ! -f "$golden_dir/$n.$ext" ]; then
      echo "helm.render.$n: golden tests/golden/helm/$n.$ext is missing (run $0 --update $n)" >&2
      status=1
    elif ! diff -u --label "golden/$n.$ext" --label "rendered/$n.$ext" "$golden_dir/$n.$ext" "$tmp/$n.$ext" >&2; then
      echo "helm.render.$n: rendered $n.$ext differs from tests/golden/helm/$n.$ext (if intended: $0 --update $n)" >&2
      status=1
    fi
  done
done
if [ "$all" = 1 ]; then
  for g in "$golden_dir"/*.yaml; do
    [ -f "$values_dir/$(basename "$g")" ] || { rm -f "$g" "${g%.yaml}.notes.txt"; echo "removed stale $g"; }
  done
fi
[ "$status" = 0 ] && [ "$update" = 0 ] && echo "helm.render: ${names[*]} match their goldens"
exit "$status"
