// Per-key state for the detectors: recent invalidations, top missed keys per class, distinct
// missed keys per window. Bounded; raw keys only inside the top-K.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "sketch/hyperloglog.h"
#include "sketch/invalidation_table.h"
#include "sketch/space_saving.h"

namespace stampede::events {

/// Sizes of the tracker; the memory bound they give is TrackerOptions::MaxBytes().
struct TrackerOptions {
  std::size_t invalidation_capacity = 65536;  // slots of the recent-invalidation table
  std::chrono::milliseconds invalidation_ttl{120000};
  std::size_t top_k = 128;                  // Space-Saving counters per class and window
  std::chrono::milliseconds window{10000};  // top-K and HyperLogLog window
  int hll_precision = 11;                   // 2 KiB registers, 2.3% standard error
  std::size_t hll_windows = 6;              // distinct misses over the last 6 windows (60 s)

  /// An upper bound of the tracker's heap use with `classes` classes.
  std::size_t MaxBytes(std::size_t classes) const;
};

/// A flush seen in INFO (FLUSHDB/FLUSHALL send no keyspace event).
struct FlushRecord {
  Clock::time_point at;
  int db = -1;  // -1: every database (FLUSHALL)
};

/// Written by the subscriber threads (On*), read by the detectors (everything else); every
/// call takes `now`, the receipt time the caller stamped from its injected Clock. Thread-safe:
/// one mutex, held O(1) per event.
class KeyTracker {
 public:
  KeyTracker(TrackerOptions options, std::size_t classes);

  // ---- Writers (the event path).
  void OnInvalidation(std::uint64_t hash, sketch::Cause cause, std::uint16_t class_id,
                      Clock::time_point now);
  void OnMiss(std::uint64_t hash, std::string_view key, std::uint16_t class_id,
              Clock::time_point now);
  void OnRefill(std::uint64_t hash, Clock::time_point now);
  void OnFlush(int db, Clock::time_point now);

  // ---- Readers (the detectors).
  /// Why the key with this hash (KeyHash(key, db)) went away within invalidation_ttl: its own
  /// invalidation, else a flush of its database.
  std::optional<sketch::Invalidation> RecentInvalidation(std::uint64_t hash, int db,
                                                         Clock::time_point now) const;
  /// The most missed keys of a class in the current window (previous = false) or the last
  /// complete one (previous = true), largest first.
  std::vector<sketch::SpaceSaving::Entry> TopMissed(std::uint16_t class_id, std::size_t n,
                                                    bool previous, Clock::time_point now) const;
  /// Distinct missed keys of a class over the last `windows` windows (the current included;
  /// at most hll_windows).
  double DistinctMissed(std::uint16_t class_id, std::size_t windows, Clock::time_point now) const;
  /// Misses, since the tracker started, on keys of a class that had been invalidated by
  /// `cause` within invalidation_ttl (evicted-then-missed is D7's evidence).
  std::uint64_t MissesAfter(std::uint16_t class_id, sketch::Cause cause) const;
  /// Flushes within invalidation_ttl, oldest first (at most kMaxFlushes).
  std::vector<FlushRecord> RecentFlushes(Clock::time_point now) const;

  /// The top-K and HyperLogLog window (windows are aligned to multiples of it).
  std::chrono::milliseconds window() const { return options_.window; }

  struct Stats {
    std::uint64_t invalidation_overflow = 0;  // live entries replaced for lack of room
    std::size_t bytes = 0;                    // heap in use by the sketches
  };
  Stats stats() const;

  static constexpr std::size_t kMaxFlushes = 16;

 private:
  struct ClassState {
    explicit ClassState(const TrackerOptions& o);
    std::int64_t epoch = -1;  // window index of `current`
    sketch::SpaceSaving current;
    sketch::SpaceSaving previous;
    std::vector<sketch::HyperLogLog> hll;  // ring by window index
    std::vector<std::int64_t> hll_epoch;
  };
  std::int64_t Epoch(Clock::time_point now) const;
  ClassState& State(std::uint16_t class_id, std::int64_t epoch);  // mu_ held
  const ClassState* Find(std::uint16_t class_id) const;           // mu_ held

  const TrackerOptions options_;
  mutable std::mutex mu_;  // guards everything below
  sketch::InvalidationTable invalidations_;
  std::vector<std::unique_ptr<ClassState>> classes_;        // allocated on a class's first miss
  std::vector<std::array<std::uint64_t, 4>> misses_after_;  // by class id, then sketch::Cause
  std::vector<FlushRecord> flushes_;                        // ring of kMaxFlushes
};

}  // namespace stampede::events
