// D5 origin amplification: origin loads per distinct missed key (exact per key when apps send
// keys).
#pragma once

#include <array>
#include <vector>

#include "detect/detector.h"
#include "detect/options.h"
#include "window/ewma.h"

namespace stampede::detect {

/// Named classes with app loads. Exact (apps send key hashes): the most loads of one key in the
/// window (ctx.keys.max_loads_per_key) against min_loads_per_key. Estimated: A = loads over the
/// span of ctx.keys / max(1, distinct missed keys there) against max(min_amplification,
/// baseline_factor * A0), A0 an EWMA. Either needs loads >= min_loads. Stats: amplification,
/// amplification_baseline, loads, distinct_keys, max_loads_per_key.
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
  double min_loads_, window_, min_amplification_, baseline_factor_, min_loads_per_key_;
  window::Ewma baseline_;
};

}  // namespace stampede::detect
