// The application counters: per class and tier, with bounded label values, and a bounded
// per-key-hash table of misses and loads for the detectors.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ingest/app_event.h"

namespace stampede::ingest {

/// Upper bounds (seconds) of the origin load duration histogram.
inline constexpr std::array<double, 14> kLoadSecondsBuckets = {
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

/// Everything counted for one (class, tier).
struct SeriesCounts {
  std::array<double, kSignals> counts{};  // by Signal; kLoadTime: observations
  std::array<double, kLoadSecondsBuckets.size()> load_buckets{};  // not cumulative
  double load_seconds_sum = 0;
};

/// Misses and loads of one key hash.
struct KeyCounts {
  std::uint64_t key_hash = 0;
  std::uint16_t class_index = 0;  // ClassNames()[class_index]: the class of its first report
  double misses = 0;
  double loads = 0;
};

/// Thread-safe (one mutex; Apply takes it once per batch).
class AppCounterStore {
 public:
  struct Options {
    std::size_t max_classes = 64;  // distinct class values, `other` included
    std::size_t max_tiers = 8;     // distinct tier values, `other` included
    std::size_t max_key_hashes = 65536;
  };
  struct Snapshot {
    std::map<std::pair<std::string, std::string>, SeriesCounts> series;  // (class, tier)
    std::uint64_t class_overflows = 0;  // events whose class went to `other`
    std::uint64_t tier_overflows = 0;
    std::uint64_t key_overflows = 0;  // key hashes not tracked because the table was full
    std::size_t key_hashes = 0;       // entries in the key table now
  };

  explicit AppCounterStore(Options options);

  /// Counts every event. Values past the class or tier bound are counted under `other`.
  void Apply(std::span<const AppEvent> events);

  Snapshot Read() const;

  /// The key table: a copy of its entries, or its entries with the table emptied (for a
  /// detector that looks at one window at a time). Unordered.
  std::vector<KeyCounts> KeyTable() const;
  std::vector<KeyCounts> DrainKeyTable();
  /// The class values seen, by index (KeyCounts::class_index); only grows.
  std::vector<std::string> ClassNames() const;

 private:
  // Adds a miss or load with a key hash to the key table. mu_ held.
  void CountKey(const AppEvent& e, std::size_t class_index);
  // The index of `value` among the interned values, or of `other` past the bound.
  std::size_t Intern(std::vector<std::string>& values, std::string_view value, std::size_t max,
                     std::uint64_t& overflows);

  const Options options_;
  mutable std::mutex mu_;
  std::vector<std::string> classes_;                                    // guarded by mu_
  std::vector<std::string> tiers_;                                      // guarded by mu_
  std::map<std::pair<std::size_t, std::size_t>, SeriesCounts> series_;  // guarded by mu_
  std::unordered_map<std::uint64_t, KeyCounts> keys_;                   // guarded by mu_
  std::uint64_t class_overflows_ = 0;                                   // guarded by mu_
  std::uint64_t tier_overflows_ = 0;                                    // guarded by mu_
  std::uint64_t key_overflows_ = 0;                                     // guarded by mu_
};

}  // namespace stampede::ingest
