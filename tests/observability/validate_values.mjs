#!/usr/bin/env node
// Validates chart values against the chart's values.schema.json (JSON Schema draft-07) with
// ajv, as `helm install`/`helm template` do with the merged values.
//
// usage: node validate_values.mjs NODE_MODULES_DIR values.schema.json VALUES.(json|yaml)...
// Each values file is the *merged* values (helmrender --values-out) or a plain values file.
// Exit 0 when all are valid, 1 otherwise ("FILE: /path: message" per problem).
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [nm, schemaFile, ...files] = process.argv.slice(2);
if (!nm || !schemaFile || files.length === 0) {
  console.error("usage: validate_values.mjs NODE_MODULES_DIR values.schema.json VALUES...");
  process.exit(2);
}
const load = (p) => import(pathToFileURL(path.join(path.resolve(nm), p)).href);
const Ajv = (await load("ajv/dist/ajv.js")).default;
const yaml = (await load("js-yaml/index.js")).default;

let schema;
try {
  schema = JSON.parse(fs.readFileSync(schemaFile, "utf8"));
} catch (e) {
  console.error(`${schemaFile}: ${e.message}`);
  process.exit(1);
}
const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
let validate;
try {
  validate = ajv.compile(schema);
} catch (e) {
  console.error(`${schemaFile}: not a valid draft-07 schema: ${e.message}`);
  process.exit(1);
}
let bad = 0;
for (const f of files) {
  const values = yaml.load(fs.readFileSync(f, "utf8")) ?? {};
  if (validate(values)) continue;
  bad++;
  for (const e of validate.errors) {
    const extra = e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : "";
    console.error(`${f}: ${e.instancePath || "/"}: ${e.message}${extra}`);
  }
}
if (bad > 0) process.exit(1);
console.log(`validate_values: ${files.length} file(s) valid against ${schemaFile}`);
