#!/usr/bin/python3
"""Negative self-test of check_rules.py: it must fail, with the right code, on each violation.

Usage: alerts_check_rules_selftest.py CHECK_RULES_PY ALERTS_DIR

Copies ALERTS_DIR (rule files, RUNBOOK.md, tests/) into a temporary directory, checks that
check_rules.py passes on the copy, then breaks the copy one way at a time and checks that
check_rules.py exits 1 naming that kind of violation. Exits 1 if any case goes wrong.
"""
import glob
import os
import shutil
import subprocess
import sys
import tempfile

import yaml

RUNBOOK_BASE = ("https://github.com/stampede-exporter/stampede_exporter/blob/main/"
                "alerts/RUNBOOK.md")


def edit_yaml(path, change):
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    change(doc)
    with open(path, "w", encoding="utf-8") as f:
        yaml.safe_dump(doc, f, sort_keys=False)


def rules_of(d, name):
    return os.path.join(d, name)


def test_files(d):
    return sorted(glob.glob(os.path.join(d, "tests", "*.yml")))


def first_alert(doc):
    return doc["groups"][0]["rules"][0]


def alert_in_group(doc, word):
    return next(g for g in doc["groups"] if word in g["name"])["rules"][0]


def on_alerts(change):
    return lambda d: edit_yaml(rules_of(d, "alerts.yml"), change)


def on_records(change):
    return lambda d: edit_yaml(rules_of(d, "recording-rules.yml"), change)


def on_each_test_file(change):
    def apply(d):
        for path in test_files(d):
            edit_yaml(path, change)
    return apply


def on_first_test_file(change):
    return lambda d: edit_yaml(test_files(d)[0], change)


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def drop_runbook_heading(d, heading):
    path = os.path.join(d, "RUNBOOK.md")
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines(keepends=True)
    write(path, "".join(l for l in lines if l.strip() != heading))


def new_alert(name):
    return {"alert": name, "expr": "vector(1)", "labels": {"severity": "info"},
            "annotations": {"summary": "Well formed.", "description": "On {{ $labels.instance }}.",
                            "runbook_url": f"{RUNBOOK_BASE}#{name.lower()}"}}


def set_key(d, key, value):
    d[key] = value


def del_key(d, key):
    d.pop(key, None)


def drop_silent_cases(doc, name):
    for test in doc.get("tests") or []:
        test["alert_rule_test"] = [c for c in test.get("alert_rule_test") or []
                                   if c["alertname"] != name or c.get("exp_alerts")]


def first_expected_alert(doc):
    for test in doc["tests"]:
        for case in test.get("alert_rule_test") or []:
            if case.get("exp_alerts"):
                return case["exp_alerts"][0]
    raise AssertionError("no expected alert in the first test file")


# (code the checker must print, what is broken, how)
CASES = [
    ("yaml", "alerts.yml is not YAML",
     lambda d: write(rules_of(d, "alerts.yml"), "groups: [\n")),
    ("group-name", "a group name of 41 chars",
     on_alerts(lambda doc: set_key(doc["groups"][0], "name", "g" * 41))),
    ("group-size", "21 rules in a group",
     on_records(lambda doc: doc["groups"][0]["rules"].extend(
         [dict(doc["groups"][0]["rules"][0])] * (21 - len(doc["groups"][0]["rules"]))))),
    ("rule-kind", "an alert in recording-rules.yml",
     on_records(lambda doc: doc["groups"][0]["rules"].append(new_alert("StrayAlert")))),
    ("rule-kind", "a rule with both record and alert",
     on_alerts(lambda doc: set_key(first_alert(doc), "record", "stampede:both:kinds"))),
    ("record-name", "a recording rule not named level:metric:operations",
     on_records(lambda doc: set_key(doc["groups"][0]["rules"][0], "record",
                                    "stampede_verdicts_increase1m"))),
    ("alert-name", "an alert name that is not CamelCase",
     on_alerts(lambda doc: set_key(first_alert(doc), "alert", "stampede_detected"))),
    ("alert-name", "an alert name of 41 chars",
     on_alerts(lambda doc: set_key(first_alert(doc), "alert", "A" + "b" * 40))),
    ("severity", "severity outside warning|critical|info",
     on_alerts(lambda doc: set_key(first_alert(doc)["labels"], "severity", "page"))),
    ("severity", "no severity label",
     on_alerts(lambda doc: del_key(first_alert(doc)["labels"], "severity"))),
    ("fallback-critical", "a critical alert in the fallback group",
     on_alerts(lambda doc: set_key(alert_in_group(doc, "fallback")["labels"], "severity",
                                   "critical"))),
    ("summary", "a templated summary",
     on_alerts(lambda doc: set_key(first_alert(doc)["annotations"], "summary",
                                   "Stampede on {{ $labels.class }}."))),
    ("summary", "a summary without a capital",
     on_alerts(lambda doc: set_key(first_alert(doc)["annotations"], "summary",
                                   "a cache stampede."))),
    ("summary", "a summary without a period",
     on_alerts(lambda doc: set_key(first_alert(doc)["annotations"], "summary",
                                   "A cache stampede"))),
    ("summary", "no summary",
     on_alerts(lambda doc: del_key(first_alert(doc)["annotations"], "summary"))),
    ("description", "no description",
     on_alerts(lambda doc: del_key(first_alert(doc)["annotations"], "description"))),
    ("description", "an untemplated description",
     on_alerts(lambda doc: set_key(first_alert(doc)["annotations"], "description",
                                   "A stampede {{ humanize 3 }}."))),
    ("runbook-url", "a runbook_url elsewhere",
     on_alerts(lambda doc: set_key(first_alert(doc)["annotations"], "runbook_url",
                                   "https://example.com/runbook#stampededetected"))),
    ("runbook-anchor", "RUNBOOK.md without the `## HerdRisk` heading",
     lambda d: drop_runbook_heading(d, "## HerdRisk")),
    ("untested-alert", "an alert no test names",
     lambda d: (on_alerts(lambda doc: doc["groups"][0]["rules"].append(
         new_alert("UntestedAlert")))(d),
         write(os.path.join(d, "RUNBOOK.md"),
               open(os.path.join(d, "RUNBOOK.md"), encoding="utf-8").read()
               + "\n## UntestedAlert\n"))),
    ("untested-record", "a recording rule no test names",
     on_records(lambda doc: doc["groups"][0]["rules"].append(
         {"record": "stampede:untested:sum", "expr": "sum(up)"}))),
    ("alert-cases", "no test expects HerdRisk silent",
     on_each_test_file(lambda doc: drop_silent_cases(doc, "HerdRisk"))),
    ("exp-alert-incomplete", "an expected alert without exp_annotations",
     on_first_test_file(lambda doc: del_key(first_expected_alert(doc), "exp_annotations"))),
    ("exp-alert-incomplete", "an expected alert without its severity",
     on_first_test_file(lambda doc: del_key(first_expected_alert(doc)["exp_labels"],
                                            "severity"))),
    ("test-unknown-alert", "a test of an alert that does not exist",
     on_first_test_file(lambda doc: doc["tests"][0].setdefault("alert_rule_test", []).append(
         {"eval_time": "1m", "alertname": "StampedeDetectd", "exp_alerts": []}))),
    ("test-eval-order", "a test file without group_eval_order",
     on_first_test_file(lambda doc: del_key(doc, "group_eval_order"))),
    ("test-eval-order", "alert groups evaluated before recording groups",
     on_first_test_file(lambda doc: doc["group_eval_order"].reverse())),
    ("test-rule-files", "a test file that does not load recording-rules.yml",
     on_first_test_file(lambda doc: set_key(doc, "rule_files", ["../alerts.yml"]))),
]


def copy_alerts(src, dst):
    os.makedirs(os.path.join(dst, "tests"))
    for name in ("recording-rules.yml", "alerts.yml", "RUNBOOK.md"):
        shutil.copy(os.path.join(src, name), dst)
    for path in glob.glob(os.path.join(src, "tests", "*.yml")):
        shutil.copy(path, os.path.join(dst, "tests"))


def run(checker, d):
    p = subprocess.run([sys.executable, checker, d], capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout + p.stderr


def main(argv):
    if len(argv) != 3:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    checker, src = argv[1], argv[2]
    failures = 0
    with tempfile.TemporaryDirectory(prefix="check_rules_selftest.") as tmp:
        pristine = os.path.join(tmp, "pristine")
        copy_alerts(src, pristine)
        rc, out = run(checker, pristine)
        if rc != 0:
            print(f"FAIL the unbroken copy of {src} does not pass (rc {rc}):\n{out}")
            return 1
        print("ok   the unbroken copy passes")
        for i, (code, what, breakit) in enumerate(CASES):
            d = os.path.join(tmp, f"case{i}")
            copy_alerts(src, d)
            breakit(d)
            rc, out = run(checker, d)
            if rc == 1 and f"[{code}]" in out:
                line = next(l for l in out.splitlines() if f"[{code}]" in l)
                print(f"ok   {what}: {line.split(': ', 1)[-1]}")
            else:
                failures += 1
                print(f"FAIL {what}: expected exit 1 with [{code}], got exit {rc}:\n{out}")
    print(f"{len(CASES) - failures} of {len(CASES)} broken copies caught")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
