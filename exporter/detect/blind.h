// Dq blind: the sidecar cannot see well enough to judge (subscriber down, events shed, lag, counter
// reset).
#pragma once

#include <array>
#include <vector>

#include "detect/detector.h"
#include "detect/options.h"
#include "window/ewma.h"

namespace stampede::detect {

/// `all` only; immediate. Causes in this order: info_down, subscriber_down (when a subscriber
/// is expected), counter_reset, events_shed, lag (> max_lag_seconds). The engine demotes a
/// `stampede` verdict to `herd_risk` while blind is raised. Stats: lag_seconds, events_shed.
class Blind : public Detector {
 public:
  static constexpr std::array<OptionSpec, 1> kOptions = {{
      {"dq.max_lag_seconds", 2, "subscriber lag above this is blind"},
  }};
  explicit Blind(const OptionValues& options);
  void Evaluate(const Context& ctx, std::vector<Reading>& out) override;

 private:
  double max_lag_;
};

}  // namespace stampede::detect
