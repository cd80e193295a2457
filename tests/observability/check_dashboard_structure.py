#!/usr/bin/python3
"""Checks the conventions of our Grafana dashboards that neither tsc nor Prometheus can see.

Usage: check_dashboard_structure.py DASHBOARD.json...

Per dashboard: a stable uid (the expected one for our three files, slug form, unique); tags
stampede and redis; the variables datasource (type datasource, prometheus), job, instance
(chained on $job) and class (chained on $job and $instance, multi, include All); a dashboards
link to the other stampede dashboards. Per panel (rows and collapsed rows included): unique id,
a gridPos inside the 24 columns and overlapping no other panel, a description, no legacy panel types (graph, singlestat, ...),
a unit on query panels, at least one target unless text/row; every panel and target datasource
is {type: prometheus, uid: ${datasource}}. Per query (panel targets and annotations): every
rate()/irate()/increase() range is $__rate_interval, every selector filters
job=~"$job" and instance=~"$instance", and selectors of metrics with a `class` label constrain
class. Prints `FAIL <file>: <item>: <problem>` per problem and `N dashboards checked, M problems`;
exit status 1 on any problem, 2 on bad usage. Python 3 standard library only.
"""
import json
import os
import re
import sys

EXPECTED_UIDS = {
    "stampede-overview.json": "stampede-overview",
    "stampede-investigation.json": "stampede-investigation",
    "redis-health.json": "stampede-redis-health",
}
DS_REF = {"type": "prometheus", "uid": "${datasource}"}
LEGACY_TYPES = {"graph", "singlestat", "table-old", "grafana-piechart-panel", "grafana-worldmap-panel"}
NO_TARGETS = {"text", "row", "dashlist", "news", "annolist"}
# Metrics of stampede_exporter that carry a `class` label (README, "Metrics").
CLASS_METRICS = re.compile(
    r"^stampede_(keyspace_events_total|app_\w+|indicator|detections_total|"
    r"last_detection_timestamp_seconds|verdict|verdicts_total|incidents_total|hit_ratio|"
    r"hit_ratio_baseline|origin_amplification|herd_size|herd_key_misses|"
    r"expiry_cliff_eta_seconds|detector_statistic|marker_active)$")
RANGE_FUNCS = re.compile(r"\b(rate|irate|increase)\s*\(")
SELECTOR = re.compile(r"([A-Za-z_:][A-Za-z0-9_:]*)?\{([^{}]*)\}")
KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right"}


def walk(panels):
    for p in panels or []:
        yield p
        yield from walk(p.get("panels"))


def call_argument(expr, open_paren):
    """Text inside the parentheses that open at index open_paren."""
    depth = 0
    for i in range(open_paren, len(expr)):
        if expr[i] == "(":
            depth += 1
        elif expr[i] == ")":
            depth -= 1
            if depth == 0:
                return expr[open_paren + 1:i]
    return expr[open_paren + 1:]


def expr_problems(expr):
    problems = []
    for m in RANGE_FUNCS.finditer(expr):
        arg = call_argument(expr, m.end() - 1)
        ranges = re.findall(r"\[([^\]]*)\]", arg)
        if not ranges:
            problems.append(f"{m.group(1)}() without a range")
        elif ranges[-1].strip() not in ("$__rate_interval", "${__rate_interval}"):
            problems.append(f"{m.group(1)}() over [{ranges[-1]}], not [$__rate_interval]")
    selectors = list(SELECTOR.finditer(expr))
    # A bare metric name (no braces) would escape the job/instance filter.
    stripped = re.sub(r"\$\{?\w+(:\w+)?\}?|\[\[\w+\]\]", " ", SELECTOR.sub(" ", expr))
    stripped = re.sub(r"\[[^\]]*\]|\"[^\"]*\"|\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)",
                      " ", stripped)
    for word in re.findall(r"\b([A-Za-z_:][A-Za-z0-9_:]*)\b(?!\s*\()", stripped):
        if word not in KEYWORDS and word not in ("offset", "bool", "and", "or", "unless", "inf", "nan") \
                and not re.match(r"^\d", word) and "_" in word:
            problems.append(f"selector {word} without {{job=~\"$job\", instance=~\"$instance\"}}")
    for m in selectors:
        name, matchers = m.group(1) or "", m.group(2)
        if name in KEYWORDS:
            continue
        label = name or "{" + matchers + "}"
        if 'job=~"$job"' not in matchers or 'instance=~"$instance"' not in matchers:
            problems.append(f"selector {label} does not filter job=~\"$job\", instance=~\"$instance\"")
        if CLASS_METRICS.match(name) and not re.search(r'\bclass\s*(=~"\$class|=")', matchers):
            problems.append(f"selector {name} does not filter class=~\"$class\"")
    return problems


def check(path, seen_uids):
    out = []

    def bad(item, problem):
        out.append(f"FAIL {path}: {item}: {problem}")

    try:
        with open(path, encoding="utf-8") as f:
            dash = json.load(f)
    except (OSError, ValueError) as e:
        bad("file", f"cannot read JSON: {e}")
        return out
    base = os.path.basename(path)
    uid = dash.get("uid")
    if not isinstance(uid, str) or not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,39}", uid):
        bad("uid", f"{uid!r} is not a stable slug uid (a-z, 0-9, -, at most 40)")
    elif base in EXPECTED_UIDS and uid != EXPECTED_UIDS[base]:
        bad("uid", f"{uid!r}, expected {EXPECTED_UIDS[base]!r} (other files link to it)")
    if uid in seen_uids:
        bad("uid", f"{uid!r} also used by {seen_uids[uid]}")
    seen_uids[uid] = path
    if dash.get("id") not in (None,):
        bad("id", "must be null so that imports do not collide")
    for tag in ("stampede", "redis"):
        if tag not in dash.get("tags", []):
            bad("tags", f"missing tag {tag!r}")
    if not any(l.get("type") == "dashboards" and "stampede" in l.get("tags", [])
               for l in dash.get("links", [])):
        bad("links", "no `dashboards` link with tag stampede (links between our dashboards)")
    if not dash.get("refresh"):
        bad("refresh", "no default refresh")

    variables = {v.get("name"): v for v in dash.get("templating", {}).get("list", [])}
    ds = variables.get("datasource")
    if not ds or ds.get("type") != "datasource" or ds.get("query") != "prometheus":
        bad("variable datasource", "missing, or not {type: datasource, query: prometheus}")
    chain = {"job": [], "instance": ["$job"], "class": ["$job", "$instance"]}
    for name, needs in chain.items():
        v = variables.get(name)
        if not v:
            bad(f"variable {name}", "missing")
            continue
        if v.get("type") != "query" or v.get("datasource") != DS_REF:
            bad(f"variable {name}", "must be a query variable on datasource ${datasource}")
        q = v.get("query")
        q = q.get("query", "") if isinstance(q, dict) else (q or "")
        if not q.startswith("label_values("):
            bad(f"variable {name}", f"query {q!r} is not label_values(...)")
        for need in needs:
            if need not in q:
                bad(f"variable {name}", f"query {q!r} does not depend on {need}")
    cls = variables.get("class") or {}
    if not (cls.get("multi") and cls.get("includeAll")):
        bad("variable class", "must be multi-value with include All")

    for anno in dash.get("annotations", {}).get("list", []):
        if anno.get("builtIn"):
            continue
        item = f"annotation {anno.get('name')!r}"
        if anno.get("datasource") != DS_REF:
            bad(item, "datasource is not {type: prometheus, uid: ${datasource}}")
        target = anno.get("target") or {}
        if target.get("datasource", DS_REF) != DS_REF:
            bad(item, "target datasource is not ${datasource}")
        for p in expr_problems(target.get("expr", anno.get("expr", ""))):
            bad(item, p)

    ids = {}
    for panel in walk(dash.get("panels")):
        ptype = panel.get("type")
        item = f"panel {panel.get('id')} {panel.get('title')!r}"
        pid = panel.get("id")
        if not isinstance(pid, int):
            bad(item, "no integer id")
        elif pid in ids:
            bad(item, f"id {pid} also used by {ids[pid]!r}")
        else:
            ids[pid] = panel.get("title")
        g = panel.get("gridPos")
        if not isinstance(g, dict) or not all(isinstance(g.get(k), int) for k in ("h", "w", "x", "y")):
            bad(item, "gridPos missing or incomplete")
        elif g["x"] < 0 or g["w"] < 1 or g["x"] + g["w"] > 24:
            bad(item, f"gridPos x={g['x']} w={g['w']} outside the 24 columns")
        if ptype in LEGACY_TYPES:
            bad(item, f"legacy panel type {ptype!r}")
        if ptype == "row":
            continue
        if not panel.get("description"):
            bad(item, "no description")
        targets = panel.get("targets") or []
        if ptype in NO_TARGETS:
            continue
        if not targets:
            bad(item, "no targets")
        if not (panel.get("fieldConfig", {}).get("defaults", {}).get("unit")):
            bad(item, "no unit in fieldConfig.defaults")
        if panel.get("datasource") != DS_REF:
            bad(item, "panel datasource is not {type: prometheus, uid: ${datasource}}")
        refs = set()
        for t in targets:
            ref = t.get("refId")
            titem = f"{item} target {ref}"
            if not ref or ref in refs:
                bad(titem, "missing or duplicate refId")
            refs.add(ref)
            if t.get("datasource") != DS_REF:
                bad(titem, "datasource is not {type: prometheus, uid: ${datasource}}")
            if not t.get("expr"):
                bad(titem, "no expr")
                continue
            for p in expr_problems(t["expr"]):
                bad(titem, p)
    if not ids:
        bad("panels", "no panels")
    # Panels shown together (top level, and each collapsed row's own) must not overlap.
    groups = [dash.get("panels") or []] + [p.get("panels") or [] for p in walk(dash.get("panels"))
                                             if p.get("type") == "row" and p.get("panels")]
    for group in groups:
        boxes = [(p.get("id"), p.get("gridPos")) for p in group if isinstance(p.get("gridPos"), dict)
                 and all(isinstance(p["gridPos"].get(k), int) for k in ("h", "w", "x", "y"))]
        for i, (id_a, a) in enumerate(boxes):
            for id_b, b in boxes[i + 1:]:
                if a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and \
                        a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"]:
                    bad(f"panel {id_a}", f"gridPos overlaps panel {id_b}")
    return out


def main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 2 if not argv else 0
    seen, problems = {}, []
    for path in argv:
        problems += check(path, seen)
    for p in problems:
        print(p)
    print(f"{len(argv)} dashboards checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
