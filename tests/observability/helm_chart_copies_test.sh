#!/usr/bin/env bash
# The chart's copies of the alert rules and dashboards must be byte-identical to the sources,
# with the same set of files:
#   helm/stampede-exporter/files/alerts/{recording-rules,alerts}.yml == alerts/...
#   helm/stampede-exporter/files/dashboards/*.json == dashboards/*.json
# usage: helm_chart_copies_test.sh REPO_ROOT
set -uo pipefail
root=${1:?usage: helm_chart_copies_test.sh REPO_ROOT}
files=$root/helm/stampede-exporter/files
bad=0
problem() { echo "helm.chart_copies: $*" >&2; bad=1; }

check_set() { # check_set SRC_DIR COPY_DIR NAME...
  local src=$1 copy=$2 n
  shift 2
  for n in "$@"; do
    if [ ! -f "$src/$n" ]; then problem "source ${src#"$root"/}/$n is missing"
    elif [ ! -f "$copy/$n" ]; then problem "${copy#"$root"/}/$n is missing"
    elif ! cmp -s "$src/$n" "$copy/$n"; then
      problem "${copy#"$root"/}/$n differs from ${src#"$root"/}/$n:"
      diff -u "$src/$n" "$copy/$n" | head -20 >&2
    fi
  done
}

check_set "$root/alerts" "$files/alerts" recording-rules.yml alerts.yml
for f in "$files"/alerts/*; do
  case $(basename "$f") in recording-rules.yml | alerts.yml) ;; *) problem "unexpected ${f#"$root"/}" ;; esac
done

shopt -s nullglob
src_d=("$root"/dashboards/*.json)
[ "${#src_d[@]}" -gt 0 ] || problem "no dashboards/*.json in the repository"
names=()
for f in "${src_d[@]}"; do names+=("$(basename "$f")"); done
check_set "$root/dashboards" "$files/dashboards" "${names[@]}"
for f in "$files"/dashboards/*; do
  [ -f "$root/dashboards/$(basename "$f")" ] || problem "${f#"$root"/} has no source in dashboards/"
done

if [ "$bad" != 0 ]; then
  echo "helm.chart_copies: the chart's copies are stale: run scripts/sync-chart (then tests/observability/helm_render_test.sh --update-all)" >&2
  exit 1
fi
echo "helm.chart_copies: ${#names[@]} dashboards and 2 rule files identical"
