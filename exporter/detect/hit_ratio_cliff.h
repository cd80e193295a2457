// D1 hit-ratio cliff: the miss ratio of the last seconds against a frozen EWMA baseline.
#pragma once

#include <array>
#include <optional>
#include <vector>

#include "detect/detector.h"
#include "detect/options.h"
#include "window/ewma.h"

namespace stampede::detect {

/// One second's lookups as D1 and D2 judge them.
struct Lookups {
  double misses = 0;
  double total = 0;  // hits + misses
};
/// The app's hits and misses on a named class, INFO keyspace hits and misses on `all`.
Lookups LookupsOf(const ClassSecond& s, bool all);

/// Source: LookupsOf. Triggers when lookups >= min_lookups over window_seconds, the miss ratio
/// m >= T = min(1, max(ratio_factor * m0, m0 + min_increase)) and the binomial
/// z = (m - m0) / sqrt(max(m0 (1 - m0), 1e-6) / n) >= min_z; progress is the smaller of the two
/// distances. The baseline m0 = EWMA(misses) / EWMA(lookups) over seconds with lookups. It is
/// seeded from the class's expected_hit_ratio (judging at once), else from the plain ratio of
/// the first warmup_seconds seconds with traffic (not judging before). It learns each second
/// after judging it, unless frozen or that second alone is past the trigger (a cliff the
/// persistence has not raised yet). Stats: hit_ratio (omitted without lookups),
/// baseline_hit_ratio (omitted before any traffic), z, lookups (over the window).
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
  struct Score {
    double z = 0;
    double progress = 0;
  };

  bool Warm() const { return lookups_.count() > 0; }
  std::optional<double> Baseline() const;
  Score Judge(double misses, double lookups, double m0) const;
  Reading Read(double misses, double lookups, double seconds) const;
  void SeedExpected(double hit_ratio, double lookups_per_second);
  void Learn(const Context& ctx);

  double min_lookups_, window_, ratio_factor_, min_increase_, min_z_, warmup_;
  window::Ewma misses_;   // per-second misses
  window::Ewma lookups_;  // per-second lookups
  // Until the EWMAs are seeded: the totals of the seconds learnt so far.
  double warm_misses_ = 0, warm_lookups_ = 0, learnt_seconds_ = 0;
};

}  // namespace stampede::detect
