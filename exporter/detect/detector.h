// The detector interface: one small class per detector, evaluated once a second per class.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "detect/indicator.h"
#include "detect/sample.h"
#include "window/second_ring.h"

namespace stampede::detect {

/// Everything a detector sees at one tick for one class. The references live for the call.
struct Context {
  Clock::time_point now;
  std::string_view class_name;
  bool all = false;                                // the `all` pseudo-class (node-wide signals)
  const window::SecondRing<ClassSecond>& seconds;  // Ago(0) is the second just ended
  const KeyEvidence& keys;
  const Health& health;
  const std::vector<FlushSeen>& flushes;  // flushes seen in this second
  const TtlSample* ttl = nullptr;         // the latest TTL sample round of the class, if any
  /// Baselines must not learn now: an indicator on the class (or `blind`) is raised.
  bool frozen = false;
  std::optional<double> expected_hit_ratio;  // from the class's config
};

/// A named number shown for debugging (stampede_detector_statistic{statistic}).
struct Stat {
  std::string_view name;
  double value = 0;
};

/// What one detector says about one indicator at one tick. The engine turns readings into
/// raised/cleared indicators (persistence and hysteresis live there, not in detectors).
struct Reading {
  Indicator indicator = Indicator::kHitRatioCliff;
  /// The volume floor is met: enough traffic to judge at all.
  bool eligible = false;
  /// Distance from baseline to trigger: 0 at the baseline, >= 1 at or past the trigger.
  /// The indicator raises after `persist_need` of `persist_window` ticks at >= 1 (eligible),
  /// and clears after `clear_seconds` ticks below 0.5 (half the trigger distance).
  double progress = 0;
  /// Raise at once, without persistence (a flush, the subscriber gone).
  bool immediate = false;
  Cause cause = Cause::kUnknown;
  std::optional<std::uint64_t> key_hash;  // the key behind it, when one key is
  std::string key;                        // its raw name, if known (shown only on request)
  /// One line for the incident timeline, in plain words with numbers.
  std::string detail;
  std::vector<Stat> stats;

  bool triggered() const { return eligible && progress >= 1; }
  /// The statistic `name`, if this reading has it.
  std::optional<double> StatValue(std::string_view name) const {
    for (const Stat& s : stats) {
      if (s.name == name) {
        return s.value;
      }
    }
    return std::nullopt;
  }
};

/// How far x has come from `base` toward `trigger`: 0 at the base, 1 at the trigger. A trigger
/// not above the base (a baseline already at 100% misses, an option set to 0) counts as reached
/// once x is past the base, so no option value can divide by zero.
inline double Toward(double x, double base, double trigger) {
  if (trigger <= base) {
    return x > base ? 1 : 0;
  }
  return (x - base) / (trigger - base);
}

/// One detector's state for one class. Evaluate() appends one Reading per indicator it
/// serves (D6 serves two) and updates its baselines unless ctx.frozen. Thread-compatible:
/// the engine calls it from its tick thread only.
class Detector {
 public:
  virtual ~Detector() = default;
  virtual void Evaluate(const Context& ctx, std::vector<Reading>& out) = 0;
};

}  // namespace stampede::detect
