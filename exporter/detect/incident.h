// One incident: a class's verdict from onset to recovery, with its cause and timeline.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "detect/indicator.h"

namespace stampede::detect {

using WallTime = std::chrono::system_clock::time_point;

struct TimelineEntry {
  WallTime at;
  std::string text;
};

/// A plain value. Keys appear as hashes; `cause_key` holds the raw key only when
/// --incidents.show-keys is on.
struct Incident {
  static constexpr std::size_t kMaxTimeline = 64;

  std::uint64_t id = 0;
  std::string class_name;
  Level level = Level::kHerdRisk;  // the highest level reached
  bool expected = false;           // inside a marker (deploy, purge, ...)
  bool open = true;
  Cause cause = Cause::kUnknown;
  std::optional<std::uint64_t> cause_key_hash;
  std::string cause_key;
  std::optional<WallTime> cause_at;
  WallTime onset;     // the first miss indicator raised
  WallTime detected;  // the verdict
  std::optional<WallTime> resolved;
  // Peaks while open.
  std::optional<double> baseline_hit_ratio;  // at onset
  std::optional<double> lowest_hit_ratio;
  double peak_key_misses_per_second = 0;  // on the cause key
  double peak_origin_loads_per_second = 0;
  double peak_loads_per_key = 0;
  double peak_herd_size = 0;
  std::vector<TimelineEntry> timeline;  // at most kMaxTimeline; later entries are dropped
  std::size_t timeline_dropped = 0;

  /// Adds an entry in time order (the cause may be seconds older than what is already there).
  void Add(WallTime at, std::string text) {
    if (timeline.size() < kMaxTimeline - 1 || (!open && timeline.size() < kMaxTimeline)) {
      const auto later =
          std::upper_bound(timeline.begin(), timeline.end(), at,
                           [](const WallTime& t, const TimelineEntry& e) { return t < e.at; });
      timeline.insert(later, {at, std::move(text)});
    } else {
      ++timeline_dropped;
    }
  }
};

}  // namespace stampede::detect
