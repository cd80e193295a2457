#!/usr/bin/env bash
# The chart's values against values.schema.json (ajv, draft-07), as Helm checks the *merged*
# values (chart defaults + the -f file, from `helmrender --values-out`):
#   - the defaults and every tests/observability/helm_values/*.yaml must be valid;
#   - every tests/observability/helm_values_bad/*.yaml must be rejected: its
#     "# expect-schema: TEXT" lines must appear in the validator's errors, and its
#     "# expect-render: TEXT" lines in helmrender's error (the chart's own required/fail).
# usage: helm_values_test.sh NODE_MODULES_DIR HELMRENDER
set -uo pipefail
nm=${1:?usage: helm_values_test.sh NODE_MODULES_DIR HELMRENDER}
hr=${2:?usage: helm_values_test.sh NODE_MODULES_DIR HELMRENDER}
root=$(cd "$(dirname "$0")/../.." && pwd)
chart=$root/helm/stampede-exporter
schema=$chart/values.schema.json
validate=$root/tests/observability/validate_values.mjs
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bad=0
problem() { echo "helm.values_schema: $*" >&2; bad=1; }

# Good values: merged, then validated together.
merged=()
"$hr" --values-out "$tmp/defaults.json" "$chart" >/dev/null || problem "chart defaults do not render"
merged+=("$tmp/defaults.json")
for f in "$root"/tests/observability/helm_values/*.yaml; do
  n=$(basename "$f" .yaml)
  "$hr" -f "$f" --values-out "$tmp/good-$n.json" "$chart" >/dev/null || problem "$n.yaml does not render"
  merged+=("$tmp/good-$n.json")
done
node "$validate" "$nm" "$schema" "${merged[@]}" || problem "valid values were rejected (above)"

# Bad values: each must fail for the reason its comments expect.
count=0
for f in "$root"/tests/observability/helm_values_bad/*.yaml; do
  n=$(basename "$f")
  count=$((count + 1))
  grep -q '^# expect-' "$f" || problem "$n: no '# expect-schema:' or '# expect-render:' line"
  "$hr" -f "$f" --values-out "$tmp/bad.json" "$chart" >/dev/null 2>"$tmp/render.err"
  rc=$?
  while IFS= read -r want; do
    [ "$rc" != 0 ] || { problem "$n: rendered, but should fail with: $want"; continue; }
    grep -qF -- "$want" "$tmp/render.err" || problem "$n: render error lacks '$want': $(cat "$tmp/render.err")"
  done < <(sed -n 's/^# expect-render: //p' "$f")
  if grep -q '^# expect-schema: ' "$f"; then
    if node "$validate" "$nm" "$schema" "$tmp/bad.json" 2>"$tmp/schema.err" >/dev/null; then
      problem "$n: accepted by values.schema.json"
    fi
    while IFS= read -r want; do
      grep -qF -- "$want" "$tmp/schema.err" || problem "$n: schema errors lack '$want': $(cat "$tmp/schema.err")"
    done < <(sed -n 's/^# expect-schema: //p' "$f")
  fi
done
[ "$count" -gt 0 ] || problem "no files in helm_values_bad/"
[ "$bad" = 0 ] && echo "helm.values_schema: ${#merged[@]} valid values sets accepted, $count bad ones rejected as expected"
exit "$bad"
