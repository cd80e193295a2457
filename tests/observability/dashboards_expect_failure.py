#!/usr/bin/python3
"""Negative self-test runner: a checker must refuse a broken input, for the right reasons.

Usage: dashboards_expect_failure.py EXIT_CODE [--expect REGEX]... -- COMMAND [ARG]...

Runs COMMAND and passes only when it exits with EXIT_CODE and its output (stdout and stderr
together) matches every REGEX (Python re, MULTILINE). Prints the command's output and what
was missing otherwise. Exit status 0 on pass, 1 on fail, 2 on bad usage.
"""
import re
import subprocess
import sys


def main(argv):
    if "--" not in argv or not argv or not argv[0].lstrip("-").isdigit():
        print(__doc__, file=sys.stderr)
        return 2
    split = argv.index("--")
    head, command = argv[:split], argv[split + 1:]
    want_rc, patterns = int(head[0]), []
    rest = head[1:]
    while rest:
        if rest[0] != "--expect" or len(rest) < 2:
            print(__doc__, file=sys.stderr)
            return 2
        patterns.append(rest[1])
        rest = rest[2:]
    if not command:
        print(__doc__, file=sys.stderr)
        return 2
    run = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = run.stdout
    problems = []
    if run.returncode != want_rc:
        problems.append(f"exit status {run.returncode}, expected {want_rc}")
    for p in patterns:
        if not re.search(p, output, re.MULTILINE):
            problems.append(f"output does not match: {p}")
    print(output, end="")
    if problems:
        print("--- expected failure not seen:")
        for p in problems:
            print(f"  {p}")
        return 1
    print(f"--- refused as expected (exit {run.returncode}, {len(patterns)} messages matched)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
