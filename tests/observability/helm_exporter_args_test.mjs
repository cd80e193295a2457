#!/usr/bin/env node
// The real exporter accepts what the chart renders: for every exporter container in the
// golden renders, start the binary with the container's args and the rendered config file
// (ConfigMap key stampede.yml), and require it to still be running after a moment (a bad flag
// or config exits 2 at once). Also: every STAMPEDE_* environment variable the chart sets is one
// the exporter's --help names.
// Rewritten for the run: --config.file -> a temp copy of the rendered config (an empty one for
// an existing ConfigMap), --redis.addr -> a closed loopback port, listeners -> 127.0.0.1:0,
// --ingest.token-file -> a temp file.
//
// usage: node helm_exporter_args_test.mjs NODE_MODULES_DIR STAMPEDE_EXPORTER GOLDEN.yaml...
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [nm, exporter, ...files] = process.argv.slice(2);
if (!nm || !exporter || files.length === 0) {
  console.error("usage: helm_exporter_args_test.mjs NODE_MODULES_DIR STAMPEDE_EXPORTER GOLDEN.yaml...");
  process.exit(2);
}
const yaml = (await import(pathToFileURL(path.join(path.resolve(nm), "js-yaml/index.js")).href)).default;
const help = execFileSync(exporter, ["--help"], { encoding: "utf8" });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "helm-exporter-args-"));
let failures = 0;
let runs = 0;
const fail = (where, msg) => {
  failures++;
  console.error(`${where}: ${msg}`);
};

function rewrite(args, configPath) {
  return args.map((a) => {
    const [flag, ...rest] = a.split("=");
    const value = rest.join("=");
    switch (flag) {
      case "--config.file": return `${flag}=${configPath}`;
      case "--redis.addr": return `${flag}=redis://127.0.0.1:1`;
      case "--web.listen-address": return `${flag}=127.0.0.1:0`;
      case "--statsd.listen-udp":
      case "--ingest.listen-address": return value === "" ? a : `${flag}=127.0.0.1:0`;
      case "--ingest.token-file": {
        const p = path.join(tmp, "token");
        fs.writeFileSync(p, "test-token\n");
        return `${flag}=${p}`;
      }
      default: return a;
    }
  });
}

// Runs the exporter; resolves to null if it is still up after `ms`, else to its exit and stderr.
function survives(args, ms) {
  return new Promise((resolve) => {
    const child = spawn(exporter, args, { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (d) => { err += d; });
    const timer = setTimeout(() => { child.kill("SIGKILL"); resolve(null); }, ms);
    child.on("exit", (code, sig) => {
      clearTimeout(timer);
      if (sig !== "SIGKILL") resolve({ code, err });
    });
  });
}

try {
  for (const file of files) {
    const docs = yaml.loadAll(fs.readFileSync(file, "utf8")).filter(Boolean);
    const configMaps = new Map(docs.filter((d) => d.kind === "ConfigMap").map((d) => [d.metadata.name, d]));
    for (const d of docs) {
      const spec = d.spec?.template?.spec;
      for (const c of spec?.containers ?? []) {
        if (c.name !== "stampede-exporter") continue;
        const where = `${file}: ${d.kind}/${d.metadata.name}`;
        for (const e of c.env ?? []) {
          if (e.name.startsWith("STAMPEDE_") && !help.includes(e.name)) {
            fail(where, `env ${e.name} is not a variable the exporter knows (--help)`);
          }
        }
        const mount = (c.volumeMounts ?? []).find((m) => m.mountPath === "/etc/stampede-exporter/config");
        const vol = (spec.volumes ?? []).find((v) => v.name === mount?.name);
        let config = "{}\n";
        if (!vol?.configMap?.name) {
          fail(where, "no config volume mounted at /etc/stampede-exporter/config");
          continue;
        }
        const cm = configMaps.get(vol.configMap.name);
        if (cm) config = cm.data?.["stampede.yml"] ?? fail(where, `ConfigMap ${cm.metadata.name} has no stampede.yml`) ?? "";
        const cfg = path.join(tmp, "stampede.yml");
        fs.writeFileSync(cfg, config);
        if (!(c.args ?? []).some((a) => a === "--config.file=/etc/stampede-exporter/config/stampede.yml")) {
          fail(where, "args lack --config.file=/etc/stampede-exporter/config/stampede.yml");
        }
        const args = rewrite(c.args ?? [], cfg);
        runs++;
        const r = await survives(args, 1500);
        if (r) fail(where, `exporter exited ${r.code} with ${JSON.stringify(args)}: ${r.err.trim().split("\n").pop()}`);
      }
    }
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
if (runs === 0) fail("helm_exporter_args_test", "no stampede-exporter container found in the renders");
if (failures > 0) process.exit(1);
console.log(`helm.exporter_args: the exporter accepted the args and config of ${runs} rendered container(s)`);
