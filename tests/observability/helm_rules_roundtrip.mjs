#!/usr/bin/env node
// The chart's PrometheusRule carries the rule files unchanged: in a render without rule options
// (tests/golden/helm/sidecar.yaml), spec.groups must deep-equal the groups of
// files/alerts/recording-rules.yml followed by files/alerts/alerts.yml (fromYaml/toYaml must not
// alter an expression, a `for`, a label or a templated annotation), and `promtool check rules`
// must accept them. In a render with options (full.yaml), every alert carries alertLabels, no
// disabled alert is left, and every runbook_url starts with runbookBaseUrl.
//
// usage: node helm_rules_roundtrip.mjs NODE_MODULES_DIR REPO_ROOT
import { execFileSync } from "node:child_process";
import { isDeepStrictEqual } from "node:util";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [nm, root] = process.argv.slice(2);
if (!nm || !root) {
  console.error("usage: helm_rules_roundtrip.mjs NODE_MODULES_DIR REPO_ROOT");
  process.exit(2);
}
const yaml = (await import(pathToFileURL(path.join(path.resolve(nm), "js-yaml/index.js")).href)).default;
let failures = 0;
const fail = (msg) => {
  failures++;
  console.error(`helm.rules_roundtrip: ${msg}`);
};
const rulesOf = (golden) => {
  const docs = yaml.loadAll(fs.readFileSync(path.join(root, "tests/golden/helm", golden), "utf8"));
  const pr = docs.filter((d) => d?.kind === "PrometheusRule");
  if (pr.length !== 1) fail(`${golden}: want one PrometheusRule, found ${pr.length}`);
  return pr[0]?.spec?.groups ?? [];
};
const files = path.join(root, "helm/stampede-exporter/files/alerts");
const source = ["recording-rules.yml", "alerts.yml"].flatMap(
  (f) => yaml.load(fs.readFileSync(path.join(files, f), "utf8"))?.groups ?? [],
);

// 1. Unchanged round trip.
const plain = rulesOf("sidecar.yaml");
if (!isDeepStrictEqual(plain, source)) {
  const a = plain.flatMap((g) => g.rules ?? []);
  const b = source.flatMap((g) => g.rules ?? []);
  const i = b.findIndex((r, k) => !isDeepStrictEqual(r, a[k]));
  fail(`sidecar.yaml: PrometheusRule groups differ from files/alerts (first at rule ${i}: ` +
    `${JSON.stringify(b[i])} rendered as ${JSON.stringify(a[i])}); run ` +
    "tests/observability/helm_render_test.sh --update-all after scripts/sync-chart");
}
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "helm-rules-"));
try {
  const f = path.join(tmp, "rules.yml");
  fs.writeFileSync(f, yaml.dump({ groups: plain }));
  execFileSync("promtool", ["check", "rules", f], { stdio: ["ignore", "ignore", "pipe"] });
} catch (e) {
  fail(`promtool check rules on the rendered PrometheusRule: ${e.stderr?.toString() ?? e.message}`);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}

// 2. The options of full.yaml.
const values = yaml.load(fs.readFileSync(path.join(root, "tests/observability/helm_values/full.yaml"), "utf8"));
const opt = values.prometheusRule;
const alerts = rulesOf("full.yaml").flatMap((g) => g.rules ?? []).filter((r) => r.alert);
const sourceAlerts = source.flatMap((g) => g.rules ?? []).filter((r) => r.alert);
for (const name of opt.disabledAlerts) {
  if (!sourceAlerts.some((r) => r.alert === name)) fail(`full.yaml disables ${name}, which alerts.yml lacks`);
  if (alerts.some((r) => r.alert === name)) fail(`full.yaml: disabled alert ${name} is rendered`);
}
if (alerts.length !== sourceAlerts.length - opt.disabledAlerts.length) {
  fail(`full.yaml: ${alerts.length} alerts rendered, want ${sourceAlerts.length - opt.disabledAlerts.length}`);
}
for (const r of alerts) {
  for (const [k, v] of Object.entries(opt.alertLabels)) {
    const own = sourceAlerts.find((s) => s.alert === r.alert)?.labels?.[k];
    if (r.labels?.[k] !== (own ?? v)) fail(`full.yaml: ${r.alert} label ${k}=${r.labels?.[k]}, want ${own ?? v}`);
  }
  const url = r.annotations?.runbook_url;
  if (url && !url.startsWith(`${opt.runbookBaseUrl}#`)) fail(`full.yaml: ${r.alert} runbook_url ${url} not under ${opt.runbookBaseUrl}`);
}
if (failures > 0) process.exit(1);
console.log(`helm.rules_roundtrip: ${source.length} groups round-trip unchanged and pass promtool; ` +
  `${alerts.length} alerts carry the options of full.yaml`);
