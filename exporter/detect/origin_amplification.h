// D5 origin amplification: origin loads per distinct missed key (exact per key when apps send
// keys).
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <vector>

#include "detect/detector.h"
#include "detect/options.h"
#include "window/ewma.h"

namespace stampede::detect {

/// Named classes with app loads (`all` gets a reading that is never eligible). Exact (apps send
/// key hashes): the most loads of one key in the window (ctx.keys.max_loads_per_key) against
/// min_loads_per_key. Estimated: A = loads over the span of ctx.keys / max(1, distinct missed
/// keys there) against T = max(min_amplification, baseline_factor * A0), progress
/// (A - A0) / (T - A0); A0 an EWMA of A (seeded at 1.0) that learns only on eligible, calm,
/// unfrozen ticks. The estimate needs keymiss evidence (distinct missed keys > 0): without
/// keyspace events the denominator is unknown, not 1. Eligible: loads over window_seconds >=
/// min_loads. Progress: the larger of the two. Stats: amplification (exact max loads per key
/// when `exact` is 1, else A), exact, amplification_baseline, loads, distinct_keys,
/// max_loads_per_key.
class OriginAmplification : public Detector {
 public:
  static constexpr std::array<OptionSpec, 6> kOptions = {{
      {"d5.min_loads", 50, "origin loads over the window needed to judge"},
      {"d5.window_seconds", 10, "origin loads are summed over this many seconds"},
      {"d5.min_amplification", 2.0, "loads per distinct missed key that trigger..."},
      {"d5.baseline_factor", 2.0, "...and this many times the baseline"},
      {"d5.min_loads_per_key", 10, "exact: loads of one key in the window that trigger"},
      {"d5.half_life_seconds", 3600, "half-life of the baseline"},
  }};
  explicit OriginAmplification(const OptionValues& options);
  void Evaluate(const Context& ctx, std::vector<Reading>& out) override;

 private:
  /// Loads per distinct missed key over the span of ctx.keys; nullopt without keymiss evidence.
  std::optional<double> EstimatedAmplification(const Context& ctx) const;
  /// 0 at the baseline, 1 at the trigger.
  double EstimatedProgress(double amplification) const;

  double min_loads_, min_amplification_, baseline_factor_, min_loads_per_key_;
  std::size_t window_;
  window::Ewma baseline_;
};

}  // namespace stampede::detect
