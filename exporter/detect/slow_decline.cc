#include "detect/slow_decline.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "detect/format.h"
#include "detect/hit_ratio_cliff.h"

namespace stampede::detect {

namespace {

constexpr int kSecondsPerMinute = 60;

}  // namespace

SlowDecline::SlowDecline(const OptionValues& o)
    : k_(o.Get("d2.k")),
      h_(o.Get("d2.h")),
      min_lookups_(o.Get("d2.min_lookups_per_minute")),
      sigma_floor_(o.Get("d2.sigma_floor")),
      warmup_(o.Get("d2.warmup_minutes")),
      baseline_(std::max(1.0, o.Get("d2.half_life_minutes"))) {
  last_.indicator = Indicator::kSlowDecline;
  last_.stats.push_back({"cusum", 0});
  last_.detail = "first minute not over yet";
}

void SlowDecline::Evaluate(const Context& ctx, std::vector<Reading>& out) {
  const Lookups s = LookupsOf(ctx.seconds.Ago(0), ctx.all);
  minute_misses_ += s.misses;
  minute_lookups_ += s.total;
  minute_frozen_ = minute_frozen_ || ctx.frozen;
  if (++seconds_in_minute_ >= kSecondsPerMinute) {
    CloseMinute();
  }
  out.push_back(last_);
}

double SlowDecline::Sigma() const {
  // A floor: a very steady ratio must not make a 0.1 pp wobble look like many sigmas.
  return std::max({1.25 * baseline_.spread(), sigma_floor_, 1e-9});
}

void SlowDecline::CloseMinute() {
  const bool counted = minute_lookups_ > 0 && minute_lookups_ >= min_lookups_;
  const double x = minute_lookups_ > 0 ? minute_misses_ / minute_lookups_ : 0;
  if (counted && Warm()) {
    const double step = (x - baseline_.mean()) / Sigma() - k_;
    cusum_ = std::max(0.0, std::min(h_, cusum_ + step));
  }
  last_ = Read(counted, x);
  // A frozen second means an indicator was raised: that minute's ratio is not the normal one.
  if (counted && !minute_frozen_) {
    Learn(x);
  }
  minute_misses_ = minute_lookups_ = 0;
  seconds_in_minute_ = 0;
  minute_frozen_ = false;
}

Reading SlowDecline::Read(bool counted, double x) const {
  Reading r;
  r.indicator = Indicator::kSlowDecline;
  r.stats.push_back({"cusum", cusum_});
  if (minute_lookups_ > 0) {
    r.stats.push_back({"minute_miss_ratio", x});
  }
  if (!Warm()) {
    r.detail = "learning the baseline (" + FormatCount(static_cast<double>(warmup_ratios_.size())) +
               " of " + FormatCount(warmup_) + " minutes)";
    return r;
  }
  r.stats.push_back({"baseline_miss_ratio", baseline_.mean()});
  r.stats.push_back({"sigma", Sigma()});
  r.eligible = counted;
  r.progress = h_ > 0 ? cusum_ / h_ : 0;
  r.detail = counted ? "miss ratio " + FormatRatio(x) + " over the last minute vs baseline " +
                           FormatRatio(baseline_.mean()) + " (CUSUM " + FormatCount(cusum_) +
                           " of " + FormatCount(h_) + " sigmas)"
                     : "too few lookups last minute (" + FormatCount(minute_lookups_) + " of " +
                           FormatCount(min_lookups_) + ")";
  return r;
}

void SlowDecline::Learn(double x) {
  if (Warm()) {
    baseline_.Update(x);
    return;
  }
  warmup_ratios_.push_back(x);
  if (static_cast<double>(warmup_ratios_.size()) < warmup_) {
    return;
  }
  // Start from the plain mean of the warmup, then replay it so the spread is learnt as well.
  const double sum = std::accumulate(warmup_ratios_.begin(), warmup_ratios_.end(), 0.0);
  baseline_.Seed(sum / static_cast<double>(warmup_ratios_.size()));
  for (const double ratio : warmup_ratios_) {
    baseline_.Update(ratio);
  }
  warmup_ratios_ = {};
}

}  // namespace stampede::detect
