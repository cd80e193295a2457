#!/usr/bin/env node
// Validates rendered Kubernetes manifests (multi-document YAML, e.g. `helm template` output):
//   1. every document parses, has apiVersion/kind/metadata.name, and is a known kind;
//   2. kubernetes-models (+ @kubernetes-models/prometheus-operator): `new Model(doc).validate()`,
//      the Kubernetes OpenAPI schema as precompiled ajv validators (types, required fields, enums);
//   3. kubernetes-types (+ the prometheus-operator .d.ts) with tsc: each document becomes a typed
//      object literal, so unknown fields (`protocl:`) fail too, which the OpenAPI schema allows.
//
// usage: node validate_manifests.mjs NODE_MODULES_DIR FILE.yaml...
// Exit 0 when every document of every file is valid, 1 otherwise (each problem printed as
// "FILE: doc N (Kind/name): message").
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [nm, ...files] = process.argv.slice(2);
if (!nm || files.length === 0) {
  console.error("usage: validate_manifests.mjs NODE_MODULES_DIR FILE.yaml...");
  process.exit(2);
}
const nmDir = path.resolve(nm);
const load = (p) => import(pathToFileURL(path.join(nmDir, p)).href);
const yaml = (await load("js-yaml/index.js")).default;

// apiVersion -> [kubernetes-models module, kubernetes-types module or null (TS via CRD d.ts)]
function modulesFor(apiVersion) {
  if (apiVersion === "monitoring.coreos.com/v1") {
    return { models: "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/index.js", crd: true };
  }
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const models = group ? `kubernetes-models/${group}/${version}/index.js` : `kubernetes-models/${version}/index.js`;
  // kubernetes-types names groups by their first label: networking.k8s.io -> networking,
  // rbac.authorization.k8s.io -> rbac, the core group -> core.
  const tgroup = group ? group.split(".")[0] : "core";
  return { models, types: `kubernetes-types/${tgroup}/${version}`, crd: false };
}

let failures = 0;
const fail = (where, msg) => {
  failures++;
  console.error(`${where}: ${msg}`);
};

const typed = []; // {where, typeImport, typeName, json}
for (const file of files) {
  let docs;
  try {
    docs = yaml.loadAll(fs.readFileSync(file, "utf8"));
  } catch (e) {
    fail(file, `YAML: ${e.message.split("\n")[0]}`);
    continue;
  }
  docs = docs.filter((d) => d !== null && d !== undefined);
  if (docs.length === 0) fail(file, "no documents");
  for (const [i, doc] of docs.entries()) {
    const id = `${doc?.kind ?? "?"}/${doc?.metadata?.name ?? "?"}`;
    const where = `${file}: doc ${i + 1} (${id})`;
    if (typeof doc !== "object" || Array.isArray(doc)) {
      fail(where, "not a mapping");
      continue;
    }
    if (!doc.apiVersion || !doc.kind || !doc.metadata?.name) {
      fail(where, "apiVersion, kind and metadata.name are required");
      continue;
    }
    const mods = modulesFor(doc.apiVersion);
    let Model;
    try {
      Model = (await load(mods.models))[doc.kind];
    } catch {
      Model = undefined;
    }
    if (typeof Model !== "function") {
      fail(where, `unknown kind ${doc.kind} in ${doc.apiVersion}`);
      continue;
    }
    try {
      new Model(doc).validate();
    } catch (e) {
      fail(where, `schema: ${e.message}`);
    }
    if (mods.crd) {
      typed.push({
        where,
        imp: `@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/${doc.kind}`,
        name: `I${doc.kind}`,
        doc,
      });
    } else {
      typed.push({ where, imp: mods.types, name: doc.kind, doc });
    }
  }
}

// Strict typecheck with tsc: one literal per document, excess-property checks on.
if (typed.length > 0) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "validate-manifests-"));
  try {
    fs.symlinkSync(nmDir, path.join(dir, "node_modules"), "dir");
    const lines = [];
    const imports = new Map();
    typed.forEach((t, i) => {
      const key = `${t.imp}#${t.name}`;
      if (!imports.has(key)) imports.set(key, { alias: `T${imports.size}`, ...t });
      const alias = imports.get(key).alias;
      lines.push(`// @@ ${i}`, `export const d${i}: ${alias} = ${JSON.stringify(t.doc, null, 2)};`);
    });
    const head = [...imports.values()].map((v) => `import type { ${v.name} as ${v.alias} } from "${v.imp}";`);
    const src = [...head, ...lines].join("\n") + "\n";
    fs.writeFileSync(path.join(dir, "manifests.ts"), src);
    fs.writeFileSync(
      path.join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true, noEmit: true, module: "nodenext", moduleResolution: "nodenext",
          target: "es2022", skipLibCheck: true, types: [],
        },
        files: ["manifests.ts"],
      }),
    );
    // Map each source line back to its document for readable errors.
    const owner = [];
    let cur = -1;
    src.split("\n").forEach((l, n) => {
      const m = /^\/\/ @@ (\d+)$/.exec(l);
      if (m) cur = Number(m[1]);
      owner[n + 1] = cur;
    });
    try {
      execFileSync(process.execPath, [path.join(nmDir, "typescript/bin/tsc"), "-p", dir], {
        cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"],
      });
    } catch (e) {
      const out = `${e.stdout ?? ""}${e.stderr ?? ""}`;
      let matched = false;
      for (const l of out.split("\n")) {
        const m = /^manifests\.ts\((\d+),\d+\): error (TS\d+: .*)$/.exec(l);
        if (m) {
          matched = true;
          const t = typed[owner[Number(m[1])]];
          fail(t ? t.where : "manifests.ts", `type: ${m[2]}`);
        }
      }
      if (!matched) fail("tsc", out.trim() || e.message);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (failures > 0) {
  console.error(`validate_manifests: ${failures} problem(s)`);
  process.exit(1);
}
console.log(`validate_manifests: ${typed.length} documents in ${files.length} file(s) valid`);
