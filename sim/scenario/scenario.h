// A stampede scenario as written in a scenario file (scenarios/*.scn): the cache's key space,
// the application's steady traffic and origin, and a script of timed events. Plain data: the
// parser (scenario_parser.h) fills it, the runner (runner.h) plays it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace stampede::sim {

using Millis = std::chrono::milliseconds;

/// `keys <prefix> <count>`: the keys "<prefix>0" .. "<prefix><count - 1>".
struct KeySpaceSpec {
  std::string prefix;
  std::size_t count = 0;
};

/// `reads <rate> [uniform | zipf <s>] [workers <n>] [cold <fraction>] [exclude <key>...]`:
/// the application's steady cache-aside reads over the key space.
struct ReadsSpec {
  double rate = 0;                   // reads per second, all workers together
  bool zipf = true;                  // false: uniform
  double zipf_s = 1.0;               // skew of the Zipf distribution (key 0 the hottest)
  std::size_t workers = 8;           // concurrent readers
  double cold_fraction = 0;          // share of reads of never-seen keys (one-hit wonders)
  std::vector<std::string> exclude;  // keys the steady readers never read
};

/// `origin <latency> [jitter <f>] [concurrency <n>] [queue-timeout <duration>]`: the database
/// behind the cache.
struct OriginSpec {
  Millis latency{20};
  double jitter = 0;            // service time uniform in latency × [1 - j, 1 + j]
  std::size_t concurrency = 0;  // loads served at once; 0: unlimited
  Millis queue_timeout{0};      // a load queued longer than this fails; 0: waits for ever
};

/// `ttl <duration> [jitter <f>]`: the TTL the application gives values it loads.
struct TtlSpec {
  Millis ttl{300000};  // 0: no expiry
  double jitter = 0;
};

enum class EventKind {
  kWarm,       // at T warm [ttl <d>] [jitter <f>]      SET every key of the key space
  kDel,        // at T del <key>                         DEL one key
  kDelAll,     // at T del-all                           one DEL of every key of the key space
  kFlush,      // at T flush                             FLUSHDB
  kSpike,      // at T spike <key> rate <r> workers <n> for <d>
  kRate,       // at T rate <r> [for <d>]                the steady readers' rate
  kMaxmemory,  // at T maxmemory <size> [policy <name>]  CONFIG SET maxmemory (+ policy)
  kFill,       // at T fill <count> size <size> [ttl <d>]  write filler keys
  kRestart,    // at T restart                           SHUTDOWN NOSAVE, then wait for Redis
  kMarker,     // at T marker <kind> [for <d>]           POST a marker to the exporter
};

struct Event {
  Millis at{0};
  int line = 0;  // in the scenario file
  EventKind kind = EventKind::kWarm;
  std::string key;          // kDel, kSpike
  double rate = 0;          // kSpike, kRate
  std::size_t workers = 0;  // kSpike
  Millis duration{0};       // kSpike (required), kRate and kMarker (0: until the end)
  Millis ttl{0};            // kWarm, kFill: 0 = no expiry
  double jitter = 0;        // kWarm
  std::uint64_t bytes = 0;  // kMaxmemory: the limit; kFill: the size of each value
  std::size_t count = 0;    // kFill
  std::string name;         // kMaxmemory: the policy (empty: unchanged); kMarker: the kind
};

struct Scenario {
  std::string file;                    // where it was read from (for messages)
  std::string name;                    // `scenario <name>`
  std::string description;             // `describe <text>`
  Millis duration{0};                  // `duration <d>`
  std::optional<Millis> onset;         // `onset <d>`: when the trouble starts (detection latency)
  std::string class_name = "default";  // `class <name>`: the `class` tag the app reports
  std::string strategy = "none";       // `strategy <name>`: the default protection
  KeySpaceSpec keys;
  ReadsSpec reads;
  OriginSpec origin;
  TtlSpec ttl;
  std::vector<Event> events;  // in time order (file order among equal times)
};

}  // namespace stampede::sim
