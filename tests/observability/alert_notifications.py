#!/usr/bin/python3
"""Reads the webhook receiver's log and answers one question about the notifications in it.

Usage: alert_notifications.py LOG first   ALERT STATUS INSTANCE [AFTER]
         the receive time of the first notification holding ALERT with STATUS (firing|resolved)
         for INSTANCE, received after unix time AFTER (default 0); exit 1 when there is none
       alert_notifications.py LOG show    ALERT STATUS INSTANCE
         that alert as the receiver got it (labels, annotations), as JSON
       alert_notifications.py LOG severity SEVERITY INSTANCE
         every alert name with that severity for INSTANCE, one per line (exit 0 either way)
"""
import json
import sys


def alerts(log):
    with open(log, encoding="utf-8") as f:
        for line in f:
            entry = json.loads(line)
            for alert in entry.get("payload", {}).get("alerts", []):
                yield entry["received"], alert


def main():
    log, verb = sys.argv[1], sys.argv[2]
    if verb in ("first", "show"):
        name, status, instance = sys.argv[3:6]
        after = float(sys.argv[6]) if len(sys.argv) > 6 else 0.0
        for received, a in alerts(log):
            labels = a.get("labels", {})
            if (labels.get("alertname") == name and a.get("status") == status
                    and labels.get("instance") == instance and received > after):
                print(f"{received:.3f}" if verb == "first" else json.dumps(a, indent=1))
                return 0
        return 1
    if verb == "severity":
        severity, instance = sys.argv[3:5]
        names = sorted({a["labels"].get("alertname", "") for _, a in alerts(log)
                        if a.get("labels", {}).get("severity") == severity
                        and a["labels"].get("instance") == instance})
        print("\n".join(names))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
