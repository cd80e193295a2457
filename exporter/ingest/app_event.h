// One observation an application reported, from StatsD or JSON: the cache signals of DESIGN §2.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace stampede::ingest {

enum class Signal : std::size_t {
  kHit,        // cache.hit
  kMiss,       // cache.miss
  kLoad,       // cache.load: a miss that went to the origin
  kLoadTime,   // cache.load.time: one origin load's duration
  kCoalesced,  // cache.coalesced: waited on another request's load
  kStale,      // cache.stale: served stale
  kLockWait,   // cache.lock_wait: waited on a lock
  kCount,      // not a signal: the number of signals
};

inline constexpr std::size_t kSignals = static_cast<std::size_t>(Signal::kCount);

/// The default StatsD name of each signal.
constexpr std::string_view SignalStatsdName(Signal s) {
  constexpr std::array<std::string_view, kSignals> kNames = {
      "cache.hit",       "cache.miss",  "cache.load",      "cache.load.time",
      "cache.coalesced", "cache.stale", "cache.lock_wait",
  };
  return kNames[static_cast<std::size_t>(s)];
}

/// Label values used when a report names no class or tier.
inline constexpr std::string_view kDefaultClass = "default";
inline constexpr std::string_view kDefaultTier = "default";
/// Where class and tier values past the bound go.
inline constexpr std::string_view kOverflowValue = "other";
/// Class and tier values longer than this are refused (label_too_long).
inline constexpr std::size_t kMaxLabelValueBytes = 128;

/// One report. For kLoadTime, `seconds` is the duration and `weight` how many loads it stands
/// for (1 / sample rate); for the others `weight` is the count. The views live as long as the
/// packet or body they came from. Thread-compatible.
struct AppEvent {
  Signal signal = Signal::kHit;
  std::string_view class_name = kDefaultClass;
  std::string_view tier = kDefaultTier;
  std::optional<std::uint64_t> key_hash;  // the `key` tag, hashed on arrival
  double weight = 1;
  double seconds = 0;
  bool key_only = false;  // counts in the key table only (JSON key lists; the counts carry it)
};

}  // namespace stampede::ingest
