// Reading scenario files (scenarios/*.scn) into a Scenario (scenario.h). Pure parsing; only
// LoadScenario and ListScenarios touch the file system. Errors are values.
//
// THE FORMAT
//
// A scenario file is UTF-8 text, one directive per line. `#` starts a comment that runs to the
// end of the line (anywhere on the line, so `#` cannot appear in a name, key or description).
// Blank lines are ignored; tokens are separated by spaces and tabs; a trailing '\r' is dropped
// and a leading UTF-8 byte-order mark is skipped. Other control characters are refused.
// Limits: a line ≤ 4096 bytes, a file ≤ 1 MiB, ≤ 1000 events.
//
// Values:
//   <d>     a duration: an integer with a unit ms, s, m or h (250ms, 30s, 2m, 1h), or a
//           decimal number of seconds with up to 3 decimals (1.5s); a bare 0 is zero. ≤ 24h.
//   <size>  an integer with an optional unit b, kb, mb, gb (1024-based): 512, 64kb, 4mb.
//   <r>     a rate, per second: a decimal number (300, 12.5), no sign or exponent; ≤ 1e6.
//   <f>     a fraction: a decimal number in [0, 1].
//   <n>     an integer.
//
// Header directives, each at most once, in any order (before, among or after the events):
//   scenario <name>             required; [a-z0-9-]+, ≤ 64 bytes; by convention the file name
//   describe <text>             the rest of the line
//   duration <d>                required; > 0: how long the scenario runs
//   class <name>                the `class` tag the application reports; [A-Za-z0-9_:.-]+,
//                               ≤ 64 bytes (default "default")
//   strategy <name>             the default protection, as ParseProtection (cache_client.h)
//                               knows it (default none); stored by its canonical name
//   keys <prefix> <count>       required; the keys <prefix>0 .. <prefix><count-1>; count in
//                               [1, 1000000]
//   reads <r> [uniform | zipf <s>] [workers <n>] [cold <f>] [exclude <key>...]
//                               the steady reads: zipf s in (0, 5] (default zipf 1.0), workers
//                               in [1, 1024] (default 8), cold the share of reads of
//                               never-seen keys; exclude takes the rest of the line (so it
//                               comes last) and names keys the steady readers never read
//   origin <d> [jitter <f>] [concurrency <n>] [queue-timeout <d>]
//                               the database's latency (default 20ms); concurrency in
//                               [0, 1000000], 0 unlimited (the default); queue-timeout 0 waits
//                               for ever (the default)
//   ttl <d> [jitter <f>]        the TTL of values the application loads (default 300s;
//                               0: no expiry)
//   onset <d>                   when the trouble starts; ≤ duration
//
// Events, `at <time> <action> ...`, time ≤ duration:
//   warm [ttl <d>] [jitter <f>]           SET every key. Without ttl: the `ttl` directive's TTL,
//                                         and its jitter unless jitter is given. With ttl:
//                                         jitter defaults to 0 (one expiry time for every key)
//   del <key>                             DEL one key
//   del-all                               DEL every key of the key space
//   flush                                 FLUSHDB
//   spike <key> rate <r> workers <n> for <d>
//                                         extra readers of one key: rate in (0, 1e6], workers
//                                         in [1, 1024], for > 0; all three required
//   rate <r> [for <d>]                    the steady readers' rate (for 0 or absent: until the
//                                         end)
//   maxmemory <size> [policy <name>]      size ≤ 1024gb (0: no limit); policy one of
//                                         noeviction allkeys-lru allkeys-lfu allkeys-random
//                                         volatile-lru volatile-lfu volatile-random volatile-ttl
//   fill <count> size <size> [ttl <d>]    write <count> filler keys ([1, 1000000]) of <size>
//                                         bytes each ([1b, 512mb]); ttl 0 or absent: no expiry
//   restart                               SHUTDOWN NOSAVE, then wait for Redis
//   marker <kind> [for <d>]               kind one of deploy warmup purge maintenance
//                                         (for 0 or absent: until the end)
// Option words (those in brackets, and rate/workers/for of spike) come in any order, each at
// most once. Events are sorted by time; events at the same time keep their file order.
//
// Example:
//   scenario celebrity
//   duration 60s
//   keys user: 200
//   reads 300 zipf 1.0 workers 8 exclude user:42
//   at 0s warm
//   at 35s spike user:42 rate 2000 workers 100 for 15s
//
// ERRORS
//
// Parsing stops at the first error. An error names the file, the 1-based line and a reason
// that starts with the directive or action concerned, e.g.
//   scenarios/x.scn:7: spike: missing "workers"
//   scenarios/x.scn:3: reads: workers "0" out of range [1, 1024]
// Errors about the file as a whole (too large, unreadable, a required directive missing) have
// line 0 and print as `file: reason`.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "scenario/scenario.h"

namespace stampede::sim {

inline constexpr std::size_t kMaxScenarioBytes = std::size_t{1} << 20;
inline constexpr std::size_t kMaxScenarioLineBytes = 4096;
inline constexpr std::size_t kMaxScenarioEvents = 1000;

/// Why a scenario file was refused.
struct ScenarioError {
  std::string file;
  int line = 0;  // 1-based; 0: the file as a whole
  std::string reason;

  /// "file:line: reason", or "file: reason" for line 0 ("<scenario>" when file is empty).
  std::string ToString() const;
};

/// A scenario or the error that refused it. Thread-compatible.
class ScenarioResult {
 public:
  ScenarioResult(Scenario scenario) : v_(std::move(scenario)) {}  // NOLINT(google-explicit-*)
  ScenarioResult(ScenarioError error) : v_(std::move(error)) {}   // NOLINT(google-explicit-*)

  bool ok() const { return std::holds_alternative<Scenario>(v_); }
  explicit operator bool() const { return ok(); }
  const Scenario& value() const& { return std::get<Scenario>(v_); }
  Scenario& value() & { return std::get<Scenario>(v_); }
  Scenario&& value() && { return std::get<Scenario>(std::move(v_)); }
  /// The same as value().
  const Scenario& scenario() const& { return value(); }
  const Scenario& operator*() const& { return value(); }
  const Scenario* operator->() const { return &value(); }
  /// Only when !ok().
  const ScenarioError& error() const { return std::get<ScenarioError>(v_); }

 private:
  std::variant<Scenario, ScenarioError> v_;
};

/// Parses the text of a scenario file; `file` is only used in messages and Scenario::file.
/// Pure.
ScenarioResult ParseScenario(std::string_view text, std::string_view file);

/// Reads `path` (refusing files over kMaxScenarioBytes) and parses it.
ScenarioResult LoadScenario(std::string_view path);

/// The file a scenario argument names: `arg` itself when it contains '/' or ends in ".scn",
/// else "<scenarios_dir>/<arg>.scn". Pure.
std::string ResolveScenarioPath(std::string_view arg, std::string_view scenarios_dir);

/// The names (file names without ".scn") of the scenario files in `dir`, sorted; empty when
/// `dir` cannot be read.
std::vector<std::string> ListScenarios(std::string_view dir);

/// "warm", "del", "del-all", ...: the action word of an event kind.
std::string_view EventKindName(EventKind kind);

}  // namespace stampede::sim
