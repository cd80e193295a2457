// D1 hit-ratio cliff: the miss ratio of the last seconds against a frozen EWMA baseline.
#pragma once

#include <array>
#include <vector>

#include "detect/detector.h"
#include "detect/options.h"
#include "window/ewma.h"

namespace stampede::detect {

/// Source: the app's hits and misses on a named class, INFO keyspace hits and misses on
/// `all`. Triggers when lookups >= min_lookups over window_seconds, the miss ratio m >=
/// max(ratio_factor * m0, m0 + min_increase) and the binomial z = (m - m0) / sqrt(m0 (1 - m0) / n)
/// >= min_z. The baseline m0 is seeded from the class's expected_hit_ratio, else learnt for
/// warmup_seconds first. Stats: hit_ratio, baseline_hit_ratio, z, lookups.
class HitRatioCliff : public Detector {
 public:
  static constexpr std::array<OptionSpec, 7> kOptions = {{
      {"d1.min_lookups", 100, "lookups over the window needed to judge"},
      {"d1.window_seconds", 3, "the miss ratio is taken over this many seconds"},
      {"d1.ratio_factor", 3, "trigger at this many times the baseline miss ratio..."},
      {"d1.min_increase", 0.20, "...and at least this much above it (absolute)"},
      {"d1.min_z", 5, "and at least this many binomial standard deviations above it"},
      {"d1.half_life_seconds", 300, "half-life of the baseline"},
      {"d1.warmup_seconds", 30, "seconds of traffic learnt before judging (no expected ratio)"},
  }};
  explicit HitRatioCliff(const OptionValues& options);
  void Evaluate(const Context& ctx, std::vector<Reading>& out) override;

 private:
  double min_lookups_, window_, ratio_factor_, min_increase_, min_z_, warmup_;
  window::Ewma misses_;   // per-second misses
  window::Ewma lookups_;  // per-second lookups
  double learnt_seconds_ = 0;
  bool seeded_ = false;
};

}  // namespace stampede::detect
