#!/usr/bin/env node
// Typechecks Grafana dashboards against the `Dashboard` type of npm @grafana/schema with tsc.
//
//   node typecheck_dashboards.mjs NODE_MODULES_DIR OUT_DIR DASHBOARD.json...
//
// For each dashboard it writes OUT_DIR/<name>.ts:
//   import type { Dashboard, ... } from '@grafana/schema';
//   <PREAMBLE: Prometheus query and annotation types, below>
//   export const dashboard: Json<PrometheusDashboard> = <the JSON text>;
// plus OUT_DIR/tsconfig.json (strict, noEmit) and a symlink OUT_DIR/node_modules ->
// NODE_MODULES_DIR, then runs NODE_MODULES_DIR/typescript/bin/tsc -p OUT_DIR. The JSON is pasted
// as an object literal rather than imported (resolveJsonModule would widen literal types and skip
// the excess-property check), so tsc reports missing required fields, wrong types, bad enum
// values and unknown keys, each with the dashboard file and line.
// Exit status: 0 when every dashboard typechecks, 1 on any tsc error (its messages are printed,
// mapped back to the dashboard files), 2 on bad usage or unreadable input.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const [nodeModules, outDir, ...dashboards] = process.argv.slice(2);
if (!nodeModules || !outDir || dashboards.length === 0) {
  console.error('usage: typecheck_dashboards.mjs NODE_MODULES_DIR OUT_DIR DASHBOARD.json...');
  process.exit(2);
}
const nm = path.resolve(nodeModules);
const tsc = path.join(nm, 'typescript', 'bin', 'tsc');
for (const needed of [tsc, path.join(nm, '@grafana', 'schema', 'package.json')]) {
  if (!fs.existsSync(needed)) {
    console.error(`typecheck_dashboards: ${needed} not found (is ${nm} an npm ci of tests/observability?)`);
    process.exit(2);
  }
}

const out = path.resolve(outDir);
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });
fs.symlinkSync(nm, path.join(out, 'node_modules'), 'dir');

// @grafana/schema types the classic dashboard model but has no Prometheus query type: a panel's
// `targets` are Record<string, unknown> (anything passes) and an annotation's `target` is the bare
// DataQuery, so a Prometheus annotation (`target.expr`, `titleFormat`, `tagKeys`) would be refused
// as unknown keys. PrometheusDashboard is `Dashboard` with exactly these two places narrowed to the
// fields Grafana's Prometheus data source saves (PromQuery and its annotation options); every other
// part of the dashboard is checked against @grafana/schema's own types, unchanged.
const PREAMBLE = `import type { AnnotationQuery, Dashboard, DataQuery, Panel, RowPanel } from '@grafana/schema';
interface PromQuery extends DataQuery {
  expr: string; legendFormat?: string; interval?: string; intervalFactor?: number;
  instant?: boolean; range?: boolean; exemplar?: boolean; format?: 'time_series' | 'table' | 'heatmap';
  editorMode?: 'code' | 'builder'; refId: string;
}
interface PromAnnotation extends AnnotationQuery<PromQuery> {
  titleFormat?: string; textFormat?: string; tagKeys?: string; useValueForTime?: boolean; step?: string;
}
type PromPanel = Omit<Panel, 'targets'> & { targets?: PromQuery[] };
type PromRow = Omit<RowPanel, 'panels'> & { panels: PromPanel[] };
type PrometheusDashboard = Omit<Dashboard, 'panels' | 'annotations'> & {
  panels?: Array<PromPanel | PromRow>;
  annotations?: { list?: PromAnnotation[] };
};
// JSON has no enums: a TypeScript string enum (FieldColorModeId, ThresholdsMode, MappingType, ...)
// accepts no string literal at all, so Json<T> turns each one into the union of its values
// ("thresholds" | "fixed" | ...). Numbers, booleans and the shape of every object are unchanged.
type Json<T> = T extends string ? \`\${T}\` : T extends number | boolean | null | undefined ? T
  : T extends Array<infer U> ? Array<Json<U>> : T extends object ? { [K in keyof T]: Json<T[K]> } : T;
`;
const HEADER = `${PREAMBLE}export const dashboard: Json<PrometheusDashboard> = `;
const headerLines = HEADER.split('\n').length - 1;
const sources = new Map(); // generated .ts base name -> dashboard path
const files = [];
for (const [i, file] of dashboards.entries()) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
    JSON.parse(text);
  } catch (err) {
    console.error(`typecheck_dashboards: ${file}: ${err.message}`);
    process.exit(2);
  }
  const base = `d${i}_${path.basename(file, '.json').replace(/[^A-Za-z0-9_]/g, '_')}.ts`;
  fs.writeFileSync(path.join(out, base), `${HEADER}${text.trimEnd()};\n`);
  sources.set(base, file);
  files.push(base);
}
fs.writeFileSync(path.join(out, 'tsconfig.json'), JSON.stringify({
  compilerOptions: {
    strict: true,
    noEmit: true,
    target: 'ES2022',
    module: 'ESNext',
    moduleResolution: 'Bundler',
    skipLibCheck: true,
    types: [],
    typeRoots: [path.join(out, 'node_modules', '@types')],
  },
  files,
}, null, 2));

const run = spawnSync(process.execPath, [tsc, '-p', path.join(out, 'tsconfig.json'), '--pretty', 'false'],
  { encoding: 'utf8' });
if (run.error) {
  console.error(`typecheck_dashboards: cannot run tsc: ${run.error.message}`);
  process.exit(2);
}
// tsc prints "dN_name.ts(LINE,COL): error TS...": name the dashboard file and its own line (the
// JSON starts on the header's last line, so line numbers shift by the header's newlines).
const mapped = `${run.stdout}${run.stderr}`.replace(/^(?:.*[\\/])?(d\d+_[A-Za-z0-9_]+\.ts)\((\d+),(\d+)\)/gm,
  (all, base, line, col) => sources.has(base)
    ? `${sources.get(base)}(${Number(line) - headerLines},${col})` : all);
if (run.status !== 0) {
  process.stdout.write(mapped);
  const bad = dashboards.filter((f) => mapped.includes(`${f}(`));
  console.error(`typecheck_dashboards: FAIL: tsc exit ${run.status}; errors in: ${bad.join(', ') || '(see above)'}`);
  process.exit(1);
}
for (const file of dashboards) console.log(`typecheck_dashboards: PASS ${file}`);
console.log(`typecheck_dashboards: ${dashboards.length} dashboard(s) typecheck against @grafana/schema Dashboard`);
