// The O(1) work done for every keyspace event: classify, count, and (unless shedding) track.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string_view>

#include "classify/classifier.h"
#include "common/clock.h"
#include "events/key_tracker.h"
#include "events/keyspace_event.h"

namespace stampede::events {

/// Per class and event counters plus the tracker feed. OnEvent is called by one thread at a
/// time (its node's subscriber: a node gets its own tally), the getters by scrapes from any
/// thread. The counters are single-writer relaxed atomics (a load and a store, no locked
/// read-modify-write on the event path); the tracker locks itself.
class EventTally {
 public:
  /// `classifier` and `tracker` must outlive this; `tracker` may be null (count only).
  /// `key_seed` seeds the key hashes (sketch::KeyHash).
  EventTally(const classify::Classifier& classifier, KeyTracker* tracker,
             std::uint64_t key_seed = 0);

  /// One event, stamped `now` on receipt. With `shed`, only the counters move.
  void OnEvent(int db, EventKind kind, std::string_view key, Clock::time_point now, bool shed);

  std::uint64_t count(classify::ClassId id, EventKind kind) const {
    return counts_[id][static_cast<std::size_t>(kind)].load(std::memory_order_relaxed);
  }
  /// Events whose per-key tracking was dropped under overload.
  std::uint64_t shed() const { return shed_.load(std::memory_order_relaxed); }
  /// Events of keys whose class is over the class limit (counted as `other`).
  std::uint64_t class_overflow() const { return class_overflow_.load(std::memory_order_relaxed); }
  const classify::Classifier& classifier() const { return classifier_; }

 private:
  using Row = std::array<std::atomic<std::uint64_t>, kEventKinds>;
  const classify::Classifier& classifier_;
  KeyTracker* tracker_;
  const std::uint64_t key_seed_;
  std::unique_ptr<Row[]> counts_;  // by class id
  std::atomic<std::uint64_t> shed_{0};
  std::atomic<std::uint64_t> class_overflow_{0};
};

}  // namespace stampede::events
