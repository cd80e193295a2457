#!/usr/bin/env python3
"""Writes the Redis protocol for the side-by-side benchmark's dataset to stdout, for
`redis-cli --pipe`: KEYS keys round-robin over DBS databases, the mix of the research's anchor
benchmark (../shared/research/anchor-bench.md): 30% user:<i> hashes of 4 fields (every 2nd with
a TTL of a day), 40% session:<hex> strings of 64 bytes (2-3 h TTL), 5% template:<i> strings of
1 KiB (no TTL), 25% cache:page:<i> strings of 256 bytes (2-4 h TTL).

    fill_keys.py KEYS DBS | redis-cli -p PORT --pipe
"""
import random
import sys


def command(*args):
    parts = [b"*%d\r\n" % len(args)]
    for a in args:
        b = a if isinstance(a, bytes) else str(a).encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(b), b))
    return b"".join(parts)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: fill_keys.py KEYS DBS")
    keys, dbs = int(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(1)
    out = sys.stdout.buffer
    batch = []
    template = b"t" * 1024
    page = b"p" * 256
    for db in range(dbs):
        batch.append(command("SELECT", db))
        for i in range(db, keys, dbs):
            kind = i % 20  # 6 user, 8 session, 1 template, 5 page: 30/40/5/25 %
            if kind < 6:
                key = "user:%d" % i
                batch.append(command("HSET", key, "name", "n%d" % i, "email", "u%d@example.com" % i,
                                     "plan", "free", "seen", i))
                if i % 2 == 0:
                    batch.append(command("EXPIRE", key, 86400 + rng.randrange(3600)))
            elif kind < 14:
                batch.append(command("SET", "session:%032x" % rng.getrandbits(128),
                                     "%064x" % i, "EX", 7200 + rng.randrange(3600)))
            elif kind < 15:
                batch.append(command("SET", "template:%d" % i, template))
            else:
                batch.append(command("SET", "cache:page:%d" % i, page, "EX",
                                     7200 + rng.randrange(7200)))
            if len(batch) >= 10000:
                out.write(b"".join(batch))
                batch.clear()
    out.write(b"".join(batch))


if __name__ == "__main__":
    main()
