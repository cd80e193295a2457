// From a parsed StatsD line to an AppEvent: default names, the `statsd:` mappings, key hashing.
#pragma once

#include <cstdint>
#include <string_view>

#include "ingest/app_event.h"
#include "ingest/mapping_config.h"
#include "ingest/reject_reason.h"
#include "ingest/statsd_parser.h"

namespace stampede::ingest {

/// The hash of a raw key under the process's key seed, as sketch::KeyHash of db 0: raw keys are
/// never stored, and a reported key joins the same key's keyspace events. Pure.
std::uint64_t HashKey(std::string_view key, std::uint64_t seed);

/// Maps lines onto the cache signals. Thread-safe after construction (const).
class StatsdMapper {
 public:
  enum class Outcome { kAccepted, kIgnored, kRejected };

  /// `seed` keys the key hash (HashKey); pick it at random per process.
  StatsdMapper(StatsdConfig config, std::uint64_t seed);

  /// kAccepted: `out` holds the event (its views point into `line`'s views). kIgnored: not a
  /// cache signal (other metrics an app sends are fine). kRejected: `reason` says why (a gauge
  /// for a counter, a negative count, a class or tier value too long).
  Outcome Map(const StatsdLine& line, AppEvent& out, Reject& reason) const;

 private:
  bool FindSignal(std::string_view name, Signal& signal, const MetricRule*& rule) const;

  StatsdConfig config_;
  std::uint64_t seed_;
};

}  // namespace stampede::ingest
