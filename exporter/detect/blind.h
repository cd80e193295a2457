// Dq blind: the sidecar cannot see well enough to judge (subscriber down, events shed, lag, counter
// reset).
#pragma once

#include <array>
#include <optional>
#include <vector>

#include "detect/detector.h"
#include "detect/options.h"

namespace stampede::detect {

/// `all` only (named classes get a reading that is never eligible); immediate. Causes in this
/// order, the first that holds wins: info_down, subscriber_down (when a subscriber is
/// expected), counter_reset, events_shed (any in the second), lag (> max_lag_seconds). When
/// none holds: eligible, progress 0. The engine demotes a `stampede` verdict to `herd_risk`
/// while blind is raised. Stats: lag_seconds, events_shed.
class Blind : public Detector {
 public:
  static constexpr std::array<OptionSpec, 1> kOptions = {{
      {"dq.max_lag_seconds", 2, "subscriber lag above this is blind"},
  }};
  explicit Blind(const OptionValues& options);
  void Evaluate(const Context& ctx, std::vector<Reading>& out) override;

 private:
  /// The first reason the sidecar is blind in this second, if any.
  std::optional<Cause> BlindCause(const Health& health) const;

  double max_lag_;
};

}  // namespace stampede::detect
