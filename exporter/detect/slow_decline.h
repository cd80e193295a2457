// D2 slow decline: a one-sided CUSUM of the per-minute miss ratio against an hour-long baseline.
#pragma once

#include <array>
#include <vector>

#include "detect/detector.h"
#include "detect/options.h"
#include "window/ewma.h"

namespace stampede::detect {

/// Source as D1. Once a minute: x = the minute's miss ratio (skipped below
/// min_lookups_per_minute), m0 = EWMA (half_life_minutes), sigma = max(1.25 * EW mean absolute
/// residual, sigma_floor); S = max(0, S + (x - m0) / sigma - k). Triggers when S >= h after
/// warmup_minutes. Between minutes the last reading repeats. Stats: cusum, minute_miss_ratio,
/// baseline_miss_ratio, sigma.
class SlowDecline : public Detector {
 public:
  static constexpr std::array<OptionSpec, 6> kOptions = {{
      {"d2.k", 0.5, "CUSUM allowance in sigmas"},
      {"d2.h", 8, "CUSUM decision interval in sigmas"},
      {"d2.min_lookups_per_minute", 600, "minutes with fewer lookups are skipped"},
      {"d2.half_life_minutes", 60, "half-life of the baseline"},
      {"d2.sigma_floor", 0.01, "smallest sigma used (absolute miss ratio)"},
      {"d2.warmup_minutes", 10, "minutes learnt before judging"},
  }};
  explicit SlowDecline(const OptionValues& options);
  void Evaluate(const Context& ctx, std::vector<Reading>& out) override;

 private:
  double k_, h_, min_lookups_, sigma_floor_, warmup_;
  window::Ewma baseline_;  // per-minute miss ratio
  double cusum_ = 0;
  double minute_misses_ = 0, minute_lookups_ = 0;
  int seconds_in_minute_ = 0;
  double minutes_learnt_ = 0;
  Reading last_;
};

}  // namespace stampede::detect
