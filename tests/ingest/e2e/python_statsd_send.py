"""Sends known counts with Debian's python3-statsd (no tags: names mapped in the config)."""
import sys

import statsd

port = int(sys.argv[1])
client = statsd.StatsClient("127.0.0.1", port, maxudpsize=512)
for _ in range(50):
    client.incr("py.users.hits")  # one line per datagram
client.incr("py.users.misses", 7)
client.incr("cache.hit", 3)  # a default name: class and tier "default"
with client.pipeline() as pipe:  # several lines per datagram
    for _ in range(20):
        pipe.incr("py.users.hits", 2)
        pipe.timing("py.users.load_ms", 40)
        pipe.incr("py.users.loads")
client.gauge("py.unrelated.gauge", 5)  # not a cache signal: ignored
