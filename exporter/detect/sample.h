// What one second looked like for one class: the deltas the engine gathers and the detectors
// read from their windows. Plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "detect/indicator.h"

namespace stampede::detect {

/// The pseudo-class of node-wide signals (INFO, memory, the subscriber's health).
inline constexpr std::string_view kAllClass = "all";

/// One class, one second: counts are deltas over that second.
struct ClassSecond {
  // The application's reports (summed over tiers). app_reported: the class had any report.
  bool app_reported = false;
  double app_hits = 0;
  double app_misses = 0;
  double app_loads = 0;
  double app_coalesced = 0;
  double app_lock_waits = 0;
  double app_stale = 0;
  // Keyspace events of the class's keys.
  double keymiss = 0;
  double del = 0;
  double expired = 0;
  double evicted = 0;
  double refills = 0;               // `new` events
  double misses_after_evicted = 0;  // keymiss on keys evicted within the join window
  // Class `all` only: INFO deltas and gauges.
  bool info_ok = false;  // an INFO sample arrived in this second
  double info_hits = 0;
  double info_misses = 0;
  double info_expired = 0;
  double info_evicted = 0;
  double used_memory_bytes = 0;
  double maxmemory_bytes = 0;  // 0: no limit
};

/// One key that takes misses right after it went away (D4's candidates). `key` is the raw key
/// as Redis sent it, truncated; it leaves the process only with --incidents.show-keys.
struct HerdKey {
  std::uint64_t hash = 0;
  std::string key;
  double misses = 0;            // keymiss in the tracker's window (current + previous)
  std::uint32_t herd_size = 0;  // keymiss since the invalidation
  bool refilled = false;        // a `new` event since the invalidation
  Cause cause = Cause::kUnknown;
  Clock::time_point invalidated_at;
};

/// Per-key evidence for one class at one tick (D4, D5).
struct KeyEvidence {
  /// Top missed keys that were invalidated within the join window, largest herd first.
  std::vector<HerdKey> herd_keys;
  double window_misses = 0;    // keymiss in the same window
  double window_seconds = 0;   // the span that window covers
  double distinct_missed = 0;  // distinct missed keys in that span (HyperLogLog)
  // Exact origin loads per key, from app reports that carried a key (over the D5 window).
  bool app_keys = false;
  double keyed_loads = 0;
  double distinct_loaded_keys = 0;
  double max_loads_per_key = 0;
  std::uint64_t max_loads_key_hash = 0;
};

/// The node-wide health the blind detector reads, for one second.
struct Health {
  bool subscriber_expected = false;  // keyspace notifications are configured to be read
  bool subscriber_up = true;
  double events_shed = 0;  // delta
  double lag_seconds = 0;
  bool info_up = true;
  bool counter_reset = false;  // a restart or RESETSTAT seen in this second
};

/// A flush seen in this second (FLUSHDB/FLUSHALL): every class lost keys.
struct FlushSeen {
  Clock::time_point at;
  int db = -1;
};

/// A TTL sample round (D6 predictive): absolute expiry times of sampled keys of a class.
struct TtlSample {
  Clock::time_point taken;
  std::size_t sampled = 0;                  // keys looked at (with or without TTL)
  std::vector<Clock::time_point> expiries;  // keys with a TTL
};

}  // namespace stampede::detect
