#!/usr/bin/python3
"""Checks every PromQL query of Grafana dashboards: parsed by Prometheus, or run and non-empty.

Usage:
  check_dashboard_queries.py --offline [--promtool PATH] DASHBOARD.json...
      Parser check, no server: every query becomes a recording rule in a temporary file and
      `promtool check rules` parses it.
  check_dashboard_queries.py --prom URL --start T --end T [--step 5s] DASHBOARD.json...
      Live check: every query runs as /api/v1/query_range over [start, end] on the Prometheus at
      URL and must answer status "success" with at least one series holding at least one sample.
      T is Unix seconds (e.g. `date +%s`) or RFC 3339. Template variable queries
      (label_values(metric, label) / label_values(label)) must return at least one value there.
  Common options:
      --var NAME=VALUE    value of a dashboard variable (repeatable); default `.*` for every
                          variable ($datasource is never used in a query)
      --rate-interval D   what $__rate_interval becomes (default 1m); $__interval becomes --step,
                          $__range the length of [start, end] (1h offline)

Queries checked: every panel's targets (rows and collapsed rows included), every annotation's
target, every query variable. Grafana variables are substituted in all forms: $x, ${x},
${x:format}, [[x]]; an unknown variable is a failure.
Output: `PASS|FAIL <dashboard> / <panel title> / <refId>: <expr>` (and the reason on
FAIL), then `N passed, M failed`. Exit status 1 when anything failed, 2 on bad usage.
Python 3 standard library only.
"""
import argparse
import datetime
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request

BUILTIN_RANGE = ("__range_ms", "__range_s", "__range")
VAR_RE = re.compile(r"\$\{(\w+)(?::[^}]*)?\}|\[\[(\w+)(?::[^\]]*)?\]\]|\$(\w+)")
DURATION_RE = re.compile(r"^(\d+)(ms|s|m|h|d|w|y)$")
UNIT_SECONDS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "y": 31536000}


def seconds(duration):
    m = DURATION_RE.match(duration)
    if not m:
        raise argparse.ArgumentTypeError(f"not a duration: {duration!r} (e.g. 5s, 1m)")
    return int(m.group(1)) * UNIT_SECONDS[m.group(2)]


def timestamp(text):
    try:
        return float(text)
    except ValueError:
        pass
    try:
        return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a Unix time or RFC 3339 time: {text!r}")


class Query:
    def __init__(self, dashboard, where, ref, expr, kind):
        self.dashboard, self.where, self.ref, self.expr, self.kind = dashboard, where, ref, expr, kind

    def label(self):
        return f"{self.dashboard} / {self.where} / {self.ref}"


def walk_panels(panels):
    for panel in panels or []:
        yield panel
        yield from walk_panels(panel.get("panels"))


def collect(path):
    """Every query of one dashboard file, and the names of its variables."""
    with open(path, encoding="utf-8") as f:
        dash = json.load(f)
    name = os.path.basename(path)
    queries, variables = [], set()
    for var in dash.get("templating", {}).get("list", []):
        variables.add(var.get("name", ""))
        if var.get("type") == "query":
            q = var.get("query")
            q = q.get("query", "") if isinstance(q, dict) else (q or "")
            queries.append(Query(name, f"variable ${var.get('name')}", "query", q, "variable"))
    for anno in dash.get("annotations", {}).get("list", []):
        target = anno.get("target") or {}
        expr = target.get("expr", anno.get("expr"))
        if expr is not None:
            queries.append(Query(name, f"annotation {anno.get('name')}", target.get("refId", "Anno"),
                                 expr, "expr"))
    for panel in walk_panels(dash.get("panels")):
        for target in panel.get("targets") or []:
            if "expr" not in target:
                queries.append(Query(name, panel.get("title", f"panel {panel.get('id')}"),
                                     target.get("refId", "?"), "", "missing"))
                continue
            queries.append(Query(name, panel.get("title", f"panel {panel.get('id')}"),
                                 target.get("refId", "?"), target["expr"], "expr"))
    return queries, variables


def substitute(expr, variables, values, builtins):
    """Grafana's interpolation, with test values. Returns (text, unknown variable names)."""
    unknown = []

    def repl(m):
        var = m.group(1) or m.group(2) or m.group(3)
        if var in builtins:
            return builtins[var]
        if var.startswith("__"):
            unknown.append(var)
            return m.group(0)
        if var in values:
            return values[var]
        if var in variables:
            return ".*"
        unknown.append(var)
        return m.group(0)

    return VAR_RE.sub(repl, expr), unknown


LABEL_VALUES_RE = re.compile(r"^\s*label_values\(\s*(?:(.+?)\s*,\s*)?([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*$", re.S)


def offline(queries, promtool):
    """Runs promtool check rules on all queries at once; per query on failure to name it."""
    def check(items):
        rules = [{"record": f"dashboard_query_{i}", "expr": text} for i, (_, text) in enumerate(items)]
        with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as f:
            json.dump({"groups": [{"name": "dashboard_queries", "rules": rules}]}, f)  # JSON is YAML
        try:
            run = subprocess.run([promtool, "check", "rules", f.name], capture_output=True, text=True)
        finally:
            os.unlink(f.name)
        return run.returncode == 0, (run.stdout + run.stderr).strip()

    ok, _ = check(queries)
    results = []
    for q, text in queries:
        if ok:
            results.append((q, True, ""))
        else:
            good, out = check([(q, text)])
            last = out.splitlines()[-1] if out else "promtool check rules failed"
            results.append((q, good, "" if good else "promtool: " + re.sub(r'^.*"dashboard_query_\d+": ', "", last)))
    return results


def get(url, params):
    full = url + "?" + urllib.parse.urlencode(params, doseq=True)
    try:
        with urllib.request.urlopen(full, timeout=30) as r:
            return json.load(r)
    except urllib.error.HTTPError as e:
        try:
            return json.load(e)
        except ValueError:
            return {"status": "error", "error": f"HTTP {e.code}"}
    except (urllib.error.URLError, OSError, ValueError) as e:
        return {"status": "error", "error": str(e)}


def live_query(prom, text, start, end, step):
    body = get(prom + "/api/v1/query_range", {"query": text, "start": start, "end": end, "step": step})
    if body.get("status") != "success":
        return False, f"{body.get('errorType', 'error')}: {body.get('error', body)}"
    series = body.get("data", {}).get("result", [])
    samples = sum(len(s.get("values", [])) for s in series)
    if not series or samples == 0:
        return False, "no data: 0 series over the range"
    return True, f"{len(series)} series, {samples} samples"


def live_variable(prom, text, start, end):
    m = LABEL_VALUES_RE.match(text)
    if not m:
        return False, "unsupported variable query (only label_values(...) is checked)"
    selector, label = m.group(1), m.group(2)
    params = {"start": start, "end": end}
    if selector:
        params["match[]"] = selector
    body = get(prom + f"/api/v1/label/{urllib.parse.quote(label)}/values", params)
    if body.get("status") != "success":
        return False, f"{body.get('errorType', 'error')}: {body.get('error', body)}"
    values = body.get("data") or []
    if not values:
        return False, f"no values of label {label}"
    return True, f"{len(values)} values: {', '.join(values[:5])}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="See the top of this file for the full usage.")
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--offline", action="store_true", help="parser check with promtool")
    mode.add_argument("--prom", metavar="URL", help="Prometheus base URL, e.g. http://127.0.0.1:9090")
    ap.add_argument("--start", type=timestamp, help="range start (Unix seconds or RFC 3339)")
    ap.add_argument("--end", type=timestamp, help="range end (Unix seconds or RFC 3339)")
    ap.add_argument("--step", default="5s", help="query_range step and $__interval (default 5s)")
    ap.add_argument("--rate-interval", default="1m", help="$__rate_interval (default 1m)")
    ap.add_argument("--var", action="append", default=[], metavar="NAME=VALUE")
    ap.add_argument("--promtool", default="promtool")
    ap.add_argument("dashboards", nargs="+", metavar="DASHBOARD.json")
    args = ap.parse_args()
    for d in (args.step, args.rate_interval):
        seconds(d)
    if args.prom and (args.start is None or args.end is None or args.end < args.start):
        ap.error("--prom needs --start and --end, start <= end")
    if args.prom:
        args.prom = args.prom.rstrip("/")
    values = {}
    for kv in args.var:
        name, sep, value = kv.partition("=")
        if not sep or not name:
            ap.error(f"--var wants NAME=VALUE, got {kv!r}")
        values[name.lstrip("$")] = value

    range_s = int(args.end - args.start) if args.prom else 3600
    range_s = max(range_s, 1)
    builtins = {"__rate_interval": args.rate_interval, "__interval": args.step,
                "__interval_ms": str(int(seconds(args.step) * 1000)),
                "__range": f"{range_s}s", "__range_s": str(range_s), "__range_ms": str(range_s * 1000)}

    passed = failed = 0
    pending = []  # (query, substituted text) for the offline batch

    def report(status, q, detail=""):
        nonlocal passed, failed
        flat = " ".join(q.expr.split())
        print(f"{status} {q.label()}: {flat}" + (f"\n     -> {detail}" if detail else ""))
        if status == "PASS":
            passed += 1
        else:
            failed += 1

    for path in args.dashboards:
        try:
            queries, variables = collect(path)
        except (OSError, ValueError) as e:
            print(f"FAIL {path}: cannot read dashboard: {e}")
            failed += 1
            continue
        if not queries:
            print(f"FAIL {path}: no queries found")
            failed += 1
        for q in queries:
            if q.kind == "missing" or not q.expr.strip():
                report("FAIL", q, "target without an expr")
                continue
            text, unknown = substitute(q.expr, variables, values, builtins)
            if unknown:
                report("FAIL", q, f"unknown variable(s): {', '.join(sorted(set(unknown)))}")
                continue
            if q.kind == "variable":
                m = LABEL_VALUES_RE.match(text)
                if not m:
                    report("FAIL", q, "unsupported variable query (only label_values(...) is checked)")
                    continue
                if args.offline:
                    if m.group(1):
                        pending.append((q, m.group(1)))
                    else:
                        report("PASS", q)
                    continue
                ok, detail = live_variable(args.prom, text, args.start, args.end)
            elif args.offline:
                pending.append((q, text))
                continue
            else:
                ok, detail = live_query(args.prom, text, args.start, args.end, args.step)
            report("PASS" if ok else "FAIL", q, "" if ok else detail)

    if pending:
        for q, good, detail in offline(pending, args.promtool):
            report("PASS" if good else "FAIL", q, detail)

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
