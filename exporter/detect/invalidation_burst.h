// D3 invalidation burst: del and expired rates against their EWMA baselines; any FLUSH.
#pragma once

#include <array>
#include <vector>

#include "detect/detector.h"
#include "detect/options.h"
#include "window/ewma.h"

namespace stampede::detect {

/// Named classes: the del and expired keyspace events of the class, separately. `all`: any
/// FLUSHDB/FLUSHALL (immediate, cause flush), and the INFO expired_keys rate when no
/// subscriber is expected. A rate x triggers when x >= max(factor * mu, mu + mad_factor * mad,
/// min_per_second) over one second, or its window_seconds sum >= max(window_factor *
/// window_seconds * mu, min_per_window). Cause: del or expired, whichever is further past its
/// trigger. Stats: del_per_second, expired_per_second, del_baseline, expired_baseline.
class InvalidationBurst : public Detector {
 public:
  static constexpr std::array<OptionSpec, 7> kOptions = {{
      {"d3.factor", 10, "one-second rate: this many times the baseline..."},
      {"d3.mad_factor", 6, "...and this many mean absolute deviations above it..."},
      {"d3.min_per_second", 500, "...and at least this many per second"},
      {"d3.window_seconds", 10, "window for the sustained test"},
      {"d3.window_factor", 5, "window sum: this many times the baseline over the window..."},
      {"d3.min_per_window", 2000, "...and at least this many"},
      {"d3.half_life_seconds", 600, "half-life of the baselines"},
  }};
  explicit InvalidationBurst(const OptionValues& options);
  void Evaluate(const Context& ctx, std::vector<Reading>& out) override;

 private:
  double factor_, mad_factor_, min_per_second_, window_, window_factor_, min_per_window_;
  window::Ewma del_, expired_;
};

}  // namespace stampede::detect
