// D2 slow decline: a one-sided CUSUM of the per-minute miss ratio against an hour-long baseline.
#pragma once

#include <array>
#include <vector>

#include "detect/detector.h"
#include "detect/options.h"
#include "window/ewma.h"

namespace stampede::detect {

/// Source as D1 (LookupsOf). Once a minute (every 60 ticks): x = the minute's miss ratio
/// (skipped below min_lookups_per_minute), m0 = EWMA (half_life_minutes), sigma = max(1.25 *
/// EW mean absolute residual, sigma_floor); S = min(h, max(0, S + (x - m0) / sigma - k)).
/// progress = S / h; eligible after warmup_minutes and when the minute was not skipped. S is
/// capped at h: past the trigger more evidence adds nothing, and an uncapped sum after hours of
/// decline would take hours to drain once the ratio recovers. The baseline starts from the
/// plain mean of the warmup minutes and does not learn a minute in which any second was frozen.
/// Between minutes the last reading repeats. Stats: cusum, minute_miss_ratio (omitted without
/// lookups), baseline_miss_ratio and sigma (omitted while warming up).
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
  bool Warm() const { return baseline_.count() > 0; }
  double Sigma() const;
  void CloseMinute();
  Reading Read(bool counted, double x) const;
  void Learn(double x);

  double k_, h_, min_lookups_, sigma_floor_, warmup_;
  window::Ewma baseline_;  // per-minute miss ratio; empty until the warmup is over
  std::vector<double> warmup_ratios_;
  double cusum_ = 0;
  double minute_misses_ = 0, minute_lookups_ = 0;
  int seconds_in_minute_ = 0;
  bool minute_frozen_ = false;
  Reading last_;
};

}  // namespace stampede::detect
