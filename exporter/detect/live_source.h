// Builds each tick's input from the running modules: keyspace-event tallies and the key
// tracker, the INFO feed, the app counters and key table, the TTL sampler.
#pragma once

#include <array>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/clock.h"
#include "detect/info_feed.h"
#include "detect/tick_input.h"
#include "events/events_module.h"
#include "ingest/app_counters.h"
#include "redis/ttl_sampler.h"

namespace stampede::detect {

/// Turns the modules' cumulative counters into per-second deltas. Gather() is called by the
/// engine's tick thread only; what it reads is thread-safe. Every source may be null (that
/// side is off).
class LiveSource {
 public:
  struct Sources {
    const events::EventsModule* events = nullptr;
    std::shared_ptr<ingest::AppCounterStore> app;
    const InfoFeed* info = nullptr;
    const redis::TtlSampler* ttl = nullptr;
    int db = 0;  // the database reported keys belong to (apps do not say)
  };
  /// Bounds: key-hash entries kept per second of the D5 window.
  static constexpr std::size_t kMaxKeyedPerSecond = 16384;
  static constexpr std::size_t kKeyWindowSeconds = 10;
  static constexpr std::size_t kHerdCandidates = 8;

  explicit LiveSource(Sources sources) : s_(std::move(sources)) {}

  TickInput Gather(Clock::time_point now);

  /// Keyed reports dropped past kMaxKeyedPerSecond.
  std::uint64_t keyed_overflow() const { return keyed_overflow_; }

 private:
  struct EventTotals {
    std::array<double, events::kEventKinds> kinds{};
    double misses_after_evicted = 0;
  };
  struct AppTotals {
    double hits = 0, misses = 0, loads = 0, coalesced = 0, lock_waits = 0, stale = 0;
  };
  using KeyLoads = std::unordered_map<std::uint64_t, double>;

  void GatherEvents(Clock::time_point now, TickInput& in);
  void GatherKeys(Clock::time_point now, std::uint16_t id, const std::string& name, TickInput& in);
  void GatherInfo(TickInput& in);
  void GatherApp(TickInput& in);
  void GatherKeyedLoads(TickInput& in);

  Sources s_;
  std::map<std::string, EventTotals> events_prev_;
  std::map<std::string, std::deque<double>> keymiss_recent_;  // last 20 s, newest last
  double shed_prev_ = 0;
  std::optional<Clock::time_point> last_flush_;
  InfoReading info_prev_;
  bool info_have_prev_ = false;
  std::map<std::string, AppTotals> app_prev_;
  std::deque<std::map<std::string, KeyLoads>> keyed_;  // per second, newest last
  std::uint64_t keyed_overflow_ = 0;
};

}  // namespace stampede::detect
