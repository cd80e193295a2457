// D7 eviction pressure: memory at its limit, keys evicted, and evicted keys missed.
#pragma once

#include <array>
#include <cstddef>
#include <vector>

#include "detect/detector.h"
#include "detect/options.h"

namespace stampede::detect {

/// `all`: used/max memory >= memory_ratio (the latest INFO sample in the window; maxmemory 0,
/// no limit, never triggers), INFO evictions over window_seconds >= min_evictions, and misses
/// on evicted keys >= min_share of the keymiss events (and >= min_evicted_misses) over the
/// window. Named classes: the last condition alone on the class's events. Progress is the
/// smallest value/threshold, so every condition must hold: memory full without misses on
/// evicted keys does not trigger. Cause evicted. Stats: memory_ratio, evictions_per_second,
/// evicted_miss_share.
class EvictionPressure : public Detector {
 public:
  static constexpr std::array<OptionSpec, 5> kOptions = {{
      {"d7.memory_ratio", 0.95, "used_memory / maxmemory at or above this"},
      {"d7.window_seconds", 60, "evictions and misses are summed over this many seconds"},
      {"d7.min_evictions", 1, "evictions in the window"},
      {"d7.min_share", 0.10, "misses on evicted keys / all misses in the window"},
      {"d7.min_evicted_misses", 10, "misses on evicted keys in the window"},
  }};
  explicit EvictionPressure(const OptionValues& options);
  void Evaluate(const Context& ctx, std::vector<Reading>& out) override;

 private:
  double memory_ratio_, min_evictions_, min_share_, min_evicted_misses_;
  std::size_t window_;
};

}  // namespace stampede::detect
