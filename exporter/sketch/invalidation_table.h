// "Was this key just invalidated?": key hash → when, why, and what happened since.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "common/clock.h"

namespace stampede::sketch {

/// Why a key went away.
enum class Cause : std::uint8_t { kDel, kExpired, kEvicted, kFlush };
std::string_view CauseName(Cause cause);

/// What the table knows about one recently invalidated key. A plain value.
struct Invalidation {
  Clock::time_point at;
  Cause cause = Cause::kDel;
  std::uint16_t class_id = 0;
  std::uint32_t misses_since = 0;  // keymiss events on the key since `at`
  bool refilled = false;           // a `new` event for the key since `at`
};

/// An open-addressing table of fixed capacity (a power of two, 24 bytes a slot plus a 1-byte
/// tag); entries live for `ttl`. A key is looked for in a window of kProbe slots from its home
/// slot; when all of them hold live entries of other keys, the oldest is replaced and
/// overflow() counts it. Every operation is O(kProbe). Thread-compatible.
///
/// The tags (8 bits of each slot's hash, 0 for a slot never used) sit in their own array, a
/// 64th of the slots' size: a lookup reads one cache line of tags and touches a slot only when
/// its tag matches. Most keymiss events are of keys never invalidated, and the slots (1.5 MiB
/// at the default capacity) do not stay in cache: their lookup was a memory access per event,
/// a fifth of the exporter's CPU per notification (BENCHMARKS.md, "Side by side").
class InvalidationTable {
 public:
  static constexpr std::size_t kProbe = 8;

  /// `capacity` is rounded up to a power of two, at least kProbe.
  InvalidationTable(std::size_t capacity, Clock::duration ttl);

  /// Records (or re-records) an invalidation of `hash` at `now`.
  void Record(std::uint64_t hash, Cause cause, std::uint16_t class_id, Clock::time_point now);
  /// The live invalidation of `hash`, if any.
  std::optional<Invalidation> Find(std::uint64_t hash, Clock::time_point now) const;
  /// A keymiss on `hash`: counted against its live invalidation, which is returned.
  std::optional<Invalidation> OnMiss(std::uint64_t hash, Clock::time_point now);
  /// A `new` event (the key was written again): marks its live invalidation refilled.
  void OnRefill(std::uint64_t hash, Clock::time_point now);

  /// Live entries at `now` (a scan: for tests and status, not the event path).
  std::size_t Live(Clock::time_point now) const;
  std::uint64_t overflow() const { return overflow_; }
  std::size_t capacity() const { return slots_.size(); }
  std::size_t bytes() const { return slots_.size() * (sizeof(Slot) + sizeof(std::uint8_t)); }
  /// What a table of `capacity` slots holds: bytes() before it is built.
  static std::size_t BytesFor(std::size_t capacity);
  Clock::duration ttl() const { return ttl_; }

 private:
  struct Slot {
    std::uint64_t hash = 0;  // 0: empty (a real hash of 0 is stored as 1)
    Clock::duration::rep at = 0;
    std::uint32_t misses_since = 0;
    std::uint16_t class_id = 0;
    Cause cause = Cause::kDel;
    bool refilled = false;
  };
  bool Live(const Slot& s, Clock::time_point now) const;
  Slot* Locate(std::uint64_t hash, Clock::time_point now);
  static Invalidation ToValue(const Slot& s);

  static std::uint8_t Tag(std::uint64_t stored) {
    return static_cast<std::uint8_t>((stored >> 56) | 1);  // never 0
  }

  std::vector<Slot> slots_;
  std::vector<std::uint8_t> tags_;  // per slot: Tag of its hash, 0 when never used
  std::size_t mask_;
  Clock::duration ttl_;
  std::uint64_t overflow_ = 0;
};

}  // namespace stampede::sketch
