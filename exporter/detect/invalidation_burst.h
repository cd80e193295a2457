// D3 invalidation burst: del and expired rates against their EWMA baselines; any FLUSH.
#pragma once

#include <array>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "detect/detector.h"
#include "detect/options.h"
#include "window/ewma.h"

namespace stampede::detect {

/// Named classes: the del and expired keyspace events of the class, separately. `all`: any
/// FLUSHDB/FLUSHALL (immediate, cause flush), and the INFO expired_keys rate when no
/// subscriber is expected. A rate x triggers when x >= max(factor * mu, mu + mad_factor * mad,
/// min_per_second) over one second, or its window_seconds sum >= max(window_factor *
/// window_seconds * mu, min_per_window); progress is the further of the two tests. Cause: del
/// or expired, whichever is further past its trigger. Each baseline starts from the plain mean
/// of the first warmup_seconds seconds (not judging before) and then learns each second after
/// judging it, unless frozen, that second alone is past its one-second trigger, or (on `all`)
/// no INFO sample arrived in it. The mad is the EW one divided by the weight its updates have
/// gathered since the seed. Stats: del_per_second, expired_per_second, del_baseline,
/// expired_baseline (on `all` only the expired pair, and only when it is judged).
class InvalidationBurst : public Detector {
 public:
  static constexpr std::array<OptionSpec, 8> kOptions = {{
      {"d3.factor", 10, "one-second rate: this many times the baseline..."},
      {"d3.mad_factor", 6, "...and this many mean absolute deviations above it..."},
      {"d3.min_per_second", 500, "...and at least this many per second"},
      {"d3.window_seconds", 10, "window for the sustained test"},
      {"d3.window_factor", 5, "window sum: this many times the baseline over the window..."},
      {"d3.min_per_window", 2000, "...and at least this many"},
      {"d3.half_life_seconds", 600, "half-life of the baselines"},
      {"d3.warmup_seconds", 30, "seconds learnt before judging"},
  }};
  explicit InvalidationBurst(const OptionValues& options);
  void Evaluate(const Context& ctx, std::vector<Reading>& out) override;

 private:
  /// One invalidation rate's baseline.
  struct Rate {
    window::Ewma baseline;
    double warm_sum = 0;  // until the baseline is seeded: the sum of the seconds learnt
  };
  /// Where one rate is read from and how it is shown.
  struct Stream {
    Rate& rate;
    double ClassSecond::*field;
    Cause cause;
    std::string_view label;  // in the detail: "DEL", "expired"
    std::string_view per_second_stat;
    std::string_view baseline_stat;
  };
  /// Where one second of a rate stands against its triggers.
  struct Judged {
    double now = 0;         // this second's count
    double window_sum = 0;  // the window's count
    double second = 0;      // progress of the one-second test
    double window = 0;      // progress of the window test
    double progress() const;
  };

  bool Warm() const { return learnt_seconds_ >= warmup_; }
  double Mean(const Rate& rate) const;
  Judged Judge(const Context& ctx, const Stream& stream) const;
  void JudgeStreams(const Context& ctx, std::span<const Stream> streams, Reading& r);
  void Learn(const Stream& stream, const Judged& judged);
  std::string Describe(const Stream& stream, const Judged& judged) const;

  double factor_, mad_factor_, min_per_second_, window_, window_factor_, min_per_window_, warmup_;
  Rate del_, expired_;  // on `all`, expired_ is INFO's expired_keys
  double learnt_seconds_ = 0;
};

}  // namespace stampede::detect
