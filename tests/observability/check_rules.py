#!/usr/bin/python3
"""Checks alerts/ against the monitoring-mixin conventions this project promises.

Usage: check_rules.py ALERTS_DIR

ALERTS_DIR holds recording-rules.yml, alerts.yml, RUNBOOK.md and tests/*.yml. Prints one line
per violation, "FILE: WHERE: [code] message", and exits 1 if there is any (2 on bad usage).
Syntax and PromQL are promtool's job (`promtool check rules`); this checks what promtool does
not:
  rules    group names <= 40 chars, <= 20 rules a group; recording-rules.yml only records,
           alerts.yml only alerts; records named level:metric:operations; alert names CamelCase
           and <= 40 chars; labels.severity in warning|critical|info, and never critical in a
           "fallback" group; summary untemplated, capitalised, ending with a period; description
           templated with $labels or $value; runbook_url = RUNBOOK_BASE#<alert name lowercased>,
           an anchor that is a heading of RUNBOOK.md
  tests    every test file loads both rule files and sets group_eval_order (recording groups
           first); every alert is named by an alert_rule_test that expects it firing and by
           one that expects it silent; every expected alert asserts labels.severity and the
           three annotations; no test names an alert that does not exist; every recording rule
           is named in a promql_expr_test expression
Needs PyYAML (Debian python3-yaml, a dependency of yamllint).
"""
import glob
import os
import re
import sys

try:
    import yaml
except ImportError:
    print("check_rules.py: needs PyYAML (Debian package python3-yaml)", file=sys.stderr)
    sys.exit(2)

RUNBOOK_BASE = ("https://github.com/stampede-exporter/stampede_exporter/blob/main/"
                "alerts/RUNBOOK.md")
SEVERITIES = ("warning", "critical", "info")
MAX_NAME = 40
MAX_RULES = 20
RECORD_NAME = re.compile(r"^[a-z_][a-z0-9_]*:[a-z0-9_]+:[a-z0-9_]+$")
CAMEL_CASE = re.compile(r"^[A-Z][a-zA-Z0-9]*$")
TEMPLATED = re.compile(r"\{\{[^}]*\$(labels|value)\b")
METRIC_TOKEN = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
RULE_FILES = ("recording-rules.yml", "alerts.yml")


class Report:
    def __init__(self):
        self.count = 0

    def __call__(self, path, where, code, message):
        self.count += 1
        print(f"{path}: {where}: [{code}] {message}" if where else f"{path}: [{code}] {message}")


def load_yaml(path, report):
    try:
        with open(path, encoding="utf-8") as f:
            return yaml.safe_load(f)
    except OSError as e:
        report(path, "", "yaml", f"cannot read: {e.strerror}")
    except yaml.YAMLError as e:
        report(path, "", "yaml", f"not valid YAML: {str(e).splitlines()[0]}")
    return None


def github_anchors(markdown):
    """The anchors GitHub gives the headings of a Markdown text (outside code fences)."""
    anchors, seen, fenced = set(), {}, False
    for line in markdown.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        m = None if fenced else re.match(r"^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$", line)
        if not m:
            continue
        text = re.sub(r"[`*_]{1,2}([^`*_]+)[`*_]{1,2}", r"\1", m.group(1))  # inline markup
        slug = re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        anchors.add(slug if n == 0 else f"{slug}-{n}")
    return anchors


def check_rule_file(path, kind, report, anchors):
    """Checks one rule file; returns ({alert: group}, [records], [group names])."""
    alerts, records, groups = {}, [], []
    doc = load_yaml(path, report)
    if doc is None:
        return alerts, records, groups
    if not isinstance(doc, dict) or not isinstance(doc.get("groups"), list):
        report(path, "", "yaml", "expected a mapping with a list `groups`")
        return alerts, records, groups
    for gi, group in enumerate(doc["groups"]):
        gname = group.get("name") if isinstance(group, dict) else None
        where = f"group {gname!r}" if gname else f"group #{gi + 1}"
        if not isinstance(gname, str) or not gname:
            report(path, where, "group-name", "group has no name")
            continue
        groups.append(gname)
        if len(gname) > MAX_NAME:
            report(path, where, "group-name", f"group name is {len(gname)} chars, at most {MAX_NAME}")
        rules = group.get("rules") or []
        if len(rules) > MAX_RULES:
            report(path, where, "group-size", f"{len(rules)} rules, at most {MAX_RULES} a group")
        for ri, rule in enumerate(rules):
            if not isinstance(rule, dict) or ("alert" in rule) == ("record" in rule):
                report(path, f"{where} rule #{ri + 1}", "rule-kind",
                       "a rule needs exactly one of `record` and `alert`")
                continue
            if "record" in rule:
                name = str(rule["record"])
                rwhere = f"{where} record {name}"
                if kind != "record":
                    report(path, rwhere, "rule-kind", "recording rules belong in recording-rules.yml")
                if not RECORD_NAME.match(name):
                    report(path, rwhere, "record-name",
                           "recording rule name is not level:metric:operations "
                           "(three lower-case parts joined by colons)")
                records.append(name)
                continue
            name = str(rule["alert"])
            alerts[name] = gname
            check_alert(path, f"{where} alert {name}", name, gname, rule, kind, report, anchors)
    return alerts, records, groups


def check_alert(path, where, name, gname, rule, kind, report, anchors):
    if kind != "alert":
        report(path, where, "rule-kind", "alerting rules belong in alerts.yml")
    if not CAMEL_CASE.match(name) or not re.search(r"[a-z]", name):
        report(path, where, "alert-name", "alert name is not CamelCase")
    if len(name) > MAX_NAME:
        report(path, where, "alert-name", f"alert name is {len(name)} chars, at most {MAX_NAME}")
    severity = (rule.get("labels") or {}).get("severity")
    if severity not in SEVERITIES:
        report(path, where, "severity",
               f"labels.severity is {severity!r}, must be one of {', '.join(SEVERITIES)}")
    elif severity == "critical" and "fallback" in gname:
        report(path, where, "fallback-critical",
               "the fallback layer must not page: severity critical in a fallback group")
    ann = rule.get("annotations") or {}
    summary = ann.get("summary")
    if not isinstance(summary, str) or not summary.strip():
        report(path, where, "summary", "annotations.summary is missing")
    else:
        if "{{" in summary:
            report(path, where, "summary", f"summary must not be templated: {summary!r}")
        if not summary[0].isupper():
            report(path, where, "summary", f"summary must start with a capital letter: {summary!r}")
        if not summary.rstrip().endswith("."):
            report(path, where, "summary", f"summary must end with a period: {summary!r}")
    description = ann.get("description")
    if not isinstance(description, str) or not description.strip():
        report(path, where, "description", "annotations.description is missing")
    elif not TEMPLATED.search(description):
        report(path, where, "description",
               "description must be templated with {{ $labels.* }} or {{ $value }}")
    expected = f"{RUNBOOK_BASE}#{name.lower()}"
    url = ann.get("runbook_url")
    if url != expected:
        report(path, where, "runbook-url", f"runbook_url is {url!r}, expected {expected!r}")
    if name.lower() not in anchors:
        report(path, where, "runbook-anchor",
               f"RUNBOOK.md has no heading with anchor #{name.lower()} (a `## {name}` section)")


def check_tests(alerts_dir, alerts, records, groups, recording_groups, report):
    files = sorted(glob.glob(os.path.join(alerts_dir, "tests", "*.yml")))
    if not files:
        report(os.path.join(alerts_dir, "tests"), "", "untested-alert", "no test files (*.yml)")
    firing, silent, exprs = {}, {}, []
    wanted_rule_files = {os.path.realpath(os.path.join(alerts_dir, f)) for f in RULE_FILES}
    for path in files:
        doc = load_yaml(path, report)
        if not isinstance(doc, dict):
            if doc is not None:
                report(path, "", "yaml", "expected a mapping")
            continue
        loaded = {os.path.realpath(os.path.join(os.path.dirname(path), str(f)))
                  for f in doc.get("rule_files") or []}
        if not wanted_rule_files <= loaded:
            report(path, "", "test-rule-files",
                   f"rule_files must load both {' and '.join(RULE_FILES)} of {alerts_dir}")
        order = doc.get("group_eval_order") or []
        if set(order) != set(groups):
            report(path, "", "test-eval-order",
                   "group_eval_order must list every rule group (evaluation order is random "
                   "otherwise); missing: " + (", ".join(sorted(set(groups) - set(order))) or "-")
                   + "; unknown: " + (", ".join(sorted(set(order) - set(groups))) or "-"))
        elif any(g in recording_groups for g in order[len(recording_groups):]):
            report(path, "", "test-eval-order", "group_eval_order must list the recording groups first")
        for ti, test in enumerate(doc.get("tests") or []):
            tname = f"test #{ti + 1}" + (f" ({test['name']})" if test.get("name") else "")
            for case in test.get("alert_rule_test") or []:
                name = case.get("alertname")
                where = f"{tname} alertname {name} at {case.get('eval_time')}"
                if name not in alerts:
                    report(path, where, "test-unknown-alert",
                           "no such alert in alerts.yml (an empty exp_alerts would pass anyway)")
                    continue
                exp = case.get("exp_alerts") or []
                (firing if exp else silent).setdefault(name, []).append(path)
                for exp_alert in exp:
                    labels = exp_alert.get("exp_labels") or {}
                    ann = exp_alert.get("exp_annotations") or {}
                    missing = ([] if "severity" in labels else ["exp_labels.severity"]) + [
                        f"exp_annotations.{k}" for k in ("summary", "description", "runbook_url")
                        if k not in ann]
                    if missing:
                        report(path, where, "exp-alert-incomplete",
                               "an expected alert must assert " + ", ".join(missing))
            for case in test.get("promql_expr_test") or []:
                exprs.append(str(case.get("expr", "")))
    tests_dir = os.path.join(alerts_dir, "tests")
    for name in alerts:
        if name not in firing and name not in silent:
            report(tests_dir, f"alert {name}", "untested-alert", "no alert_rule_test names this alert")
            continue
        if name not in firing:
            report(tests_dir, f"alert {name}", "alert-cases", "no test expects this alert to fire")
        if name not in silent:
            report(tests_dir, f"alert {name}", "alert-cases",
                   "no test expects this alert silent (before the for: boundary, or resolved)")
    named = {tok for e in exprs for tok in METRIC_TOKEN.findall(e)}
    for name in records:
        if name not in named:
            report(tests_dir, f"record {name}", "untested-record",
                   "no promql_expr_test expression names this recording rule")


def main(argv):
    if len(argv) != 2 or not os.path.isdir(argv[1]):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    alerts_dir = argv[1]
    report = Report()
    runbook = os.path.join(alerts_dir, "RUNBOOK.md")
    try:
        with open(runbook, encoding="utf-8") as f:
            anchors = github_anchors(f.read())
    except OSError as e:
        report(runbook, "", "runbook-anchor", f"cannot read: {e.strerror}")
        anchors = set()
    rec_path, alert_path = (os.path.join(alerts_dir, f) for f in RULE_FILES)
    a1, records, rec_groups = check_rule_file(rec_path, "record", report, anchors)
    alerts, r2, alert_groups = check_rule_file(alert_path, "alert", report, anchors)
    alerts = {**a1, **alerts}
    records += r2
    check_tests(alerts_dir, alerts, records, rec_groups + alert_groups, rec_groups, report)
    if report.count:
        print(f"check_rules: {report.count} violation(s) in {alerts_dir}")
        return 1
    print(f"check_rules: OK: {len(alerts)} alerts, {len(records)} recording rules, "
          f"{len(rec_groups) + len(alert_groups)} groups in {alerts_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
