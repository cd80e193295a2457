// Drives one detector second by second with a fake clock, as the engine would.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "detect/detector.h"
#include "detect/options.h"
#include "detect/registry.h"
#include "support/fake_clock.h"

namespace stampede::detect::testing {

/// One second of app lookups on a class.
inline ClassSecond AppSecond(double hits, double misses) {
  ClassSecond s;
  s.app_reported = true;
  s.app_hits = hits;
  s.app_misses = misses;
  return s;
}

/// One second of INFO on `all`: lookups, or expired keys.
inline ClassSecond InfoSecond(double hits, double misses) {
  ClassSecond s;
  s.info_ok = true;
  s.info_hits = hits;
  s.info_misses = misses;
  return s;
}
inline ClassSecond InfoExpiredSecond(double n) {
  ClassSecond s;
  s.info_ok = true;
  s.info_expired = n;
  return s;
}

/// Owns what a Context points at. Set keys/health/flushes/ttl/frozen before Step().
class DetectorHarness {
 public:
  explicit DetectorHarness(std::string class_name = "user_profile", bool all = false)
      : class_name_(std::move(class_name)), all_(all) {}

  /// The options of every detector with `overrides` applied (as one class's overrides).
  OptionValues Options() const { return OptionValues(AllOptionSpecs(), {}, overrides); }

  /// Advances the clock one second, pushes `second` and evaluates `d`.
  std::vector<Reading> Step(Detector& d, const ClassSecond& second) {
    clock.Advance(std::chrono::seconds(1));
    ring.Push(second);
    Context ctx{
        clock.Now(), class_name_,       all_, ring, keys, health, flushes, ttl ? &*ttl : nullptr,
        frozen,      expected_hit_ratio};
    std::vector<Reading> out;
    d.Evaluate(ctx, out);
    flushes.clear();  // a flush is seen in one second only
    return out;
  }

  /// Steps `n` times with the same second; returns the readings of the last step.
  std::vector<Reading> Run(Detector& d, const ClassSecond& second, int n) {
    std::vector<Reading> last;
    for (int i = 0; i < n; ++i) {
      last = Step(d, second);
    }
    return last;
  }

  /// The reading for `indicator` (a default Reading if the detector gave none).
  static Reading Find(const std::vector<Reading>& readings, Indicator indicator) {
    for (const Reading& r : readings) {
      if (r.indicator == indicator) {
        return r;
      }
    }
    Reading none;
    none.indicator = indicator;
    return none;
  }
  static double StatOf(const Reading& r, std::string_view name) {
    for (const Stat& s : r.stats) {
      if (s.name == name) {
        return s.value;
      }
    }
    return -1;
  }

  Overrides overrides;
  stampede::testing::FakeClock clock;
  window::SecondRing<ClassSecond> ring;
  KeyEvidence keys;
  Health health;
  std::vector<FlushSeen> flushes;
  std::optional<TtlSample> ttl;
  bool frozen = false;
  std::optional<double> expected_hit_ratio;

 private:
  std::string class_name_;
  bool all_;
};

}  // namespace stampede::detect::testing
