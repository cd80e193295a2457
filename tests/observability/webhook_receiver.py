#!/usr/bin/python3
"""An Alertmanager webhook receiver for the on-call end-to-end test (stdlib only).

Usage: webhook_receiver.py PORT_FILE LOG_FILE
Listens on 127.0.0.1 on a port the kernel chooses, writes that port to PORT_FILE, and appends
every POST body to LOG_FILE as one JSON line: {"received": <unix seconds>, "payload": <body>}.
A body that is not JSON is logged as {"received": ..., "error": "..."} and answered 400.
"""
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, HTTPServer


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's naming)
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(min(length, 1 << 20))
        try:
            entry = {"received": time.time(), "payload": json.loads(body)}
            status = 200
        except ValueError as e:
            entry = {"received": time.time(), "error": str(e)}
            status = 400
        with open(self.server.log_file, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry) + "\n")
        self.send_response(status)
        self.end_headers()

    def log_message(self, *args):  # quiet: the test reads LOG_FILE
        pass


def main():
    port_file, log_file = sys.argv[1], sys.argv[2]
    server = HTTPServer(("127.0.0.1", 0), Handler)
    server.log_file = log_file
    open(log_file, "a", encoding="utf-8").close()
    with open(port_file + ".tmp", "w", encoding="utf-8") as f:
        f.write(str(server.server_address[1]))
    os.replace(port_file + ".tmp", port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
