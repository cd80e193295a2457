#include "detect/hit_ratio_cliff.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "detect/format.h"

namespace stampede::detect {

namespace {}  // namespace

Lookups LookupsOf(const ClassSecond& s, bool all) {
  // A class's own lookups only the app can tell apart; INFO counts every client of the node.
  return all ? Lookups{s.info_misses, s.info_hits + s.info_misses}
             : Lookups{s.app_misses, s.app_hits + s.app_misses};
}

HitRatioCliff::HitRatioCliff(const OptionValues& o)
    : min_lookups_(o.Get("d1.min_lookups")),
      window_(std::max(1.0, std::floor(o.Get("d1.window_seconds")))),
      ratio_factor_(o.Get("d1.ratio_factor")),
      min_increase_(o.Get("d1.min_increase")),
      min_z_(o.Get("d1.min_z")),
      warmup_(o.Get("d1.warmup_seconds")),
      misses_(std::max(1.0, o.Get("d1.half_life_seconds"))),
      lookups_(std::max(1.0, o.Get("d1.half_life_seconds"))) {}

void HitRatioCliff::Evaluate(const Context& ctx, std::vector<Reading>& out) {
  const auto span = static_cast<std::size_t>(window_);
  const double misses =
      ctx.seconds.Sum(span, [&](const ClassSecond& s) { return LookupsOf(s, ctx.all).misses; });
  const double lookups =
      ctx.seconds.Sum(span, [&](const ClassSecond& s) { return LookupsOf(s, ctx.all).total; });
  const double seconds = std::min(window_, static_cast<double>(ctx.seconds.size()));
  if (ctx.expected_hit_ratio && !Warm() && lookups > 0) {
    SeedExpected(*ctx.expected_hit_ratio, lookups / seconds);
  }
  out.push_back(Read(misses, lookups, seconds));
  Learn(ctx);
}

std::optional<double> HitRatioCliff::Baseline() const {
  if (Warm()) {
    return misses_.mean() / lookups_.mean();  // both seeded and updated from seconds with lookups
  }
  if (warm_lookups_ > 0) {
    return warm_misses_ / warm_lookups_;  // shown while warming up, not judged on
  }
  return std::nullopt;
}

HitRatioCliff::Score HitRatioCliff::Judge(double misses, double lookups, double m0) const {
  const double m = misses / lookups;
  const double trigger = std::min(1.0, std::max(ratio_factor_ * m0, m0 + min_increase_));
  // Floored so that a perfect baseline (m0 = 0) gives a large z, not an infinite one.
  const double z = (m - m0) / std::sqrt(std::max(m0 * (1 - m0), 1e-6) / lookups);
  const double progress = std::min(Toward(m, m0, trigger), Toward(z, 0, min_z_));
  return {z, std::max(0.0, progress)};
}

Reading HitRatioCliff::Read(double misses, double lookups, double seconds) const {
  Reading r;
  r.indicator = Indicator::kHitRatioCliff;
  r.stats.push_back({"lookups", lookups});
  const std::optional<double> m0 = Baseline();
  if (m0) {
    r.stats.push_back({"baseline_hit_ratio", 1 - *m0});
  }
  if (lookups <= 0) {
    r.stats.push_back({"z", 0});
    r.detail = "no lookups";
    return r;
  }
  const double m = misses / lookups;
  r.stats.push_back({"hit_ratio", 1 - m});
  const Score score = m0 ? Judge(misses, lookups, *m0) : Score{};
  r.stats.push_back({"z", score.z});
  r.eligible = Warm() && lookups >= min_lookups_;
  r.progress = score.progress;
  r.detail = "hit ratio " + (m0 ? FormatRatio(1 - *m0) + " → " : std::string()) +
             FormatRatio(1 - m) + " over " + FormatCount(seconds) + " s (" +
             FormatCount(lookups / seconds) + " lookups/s)";
  return r;
}

void HitRatioCliff::SeedExpected(double hit_ratio, double lookups_per_second) {
  // The EWMAs need a traffic level as well as a ratio: the current one weighs the seed like a
  // learnt second of today's traffic.
  lookups_.Seed(lookups_per_second);
  misses_.Seed((1 - std::clamp(hit_ratio, 0.0, 1.0)) * lookups_per_second);
}

void HitRatioCliff::Learn(const Context& ctx) {
  const Lookups s = LookupsOf(ctx.seconds.Ago(0), ctx.all);
  if (ctx.frozen || s.total <= 0) {
    return;
  }
  if (Warm()) {
    // A cliff second the persistence has not raised yet must not drag the baseline toward it.
    if (Judge(s.misses, s.total, *Baseline()).progress < 1) {
      misses_.Update(s.misses);
      lookups_.Update(s.total);
    }
    return;
  }
  // Warming up: the plain ratio of the first seconds, so no single second dominates the start.
  warm_misses_ += s.misses;
  warm_lookups_ += s.total;
  ++learnt_seconds_;
  if (learnt_seconds_ >= warmup_) {
    misses_.Seed(warm_misses_ / learnt_seconds_);
    lookups_.Seed(warm_lookups_ / learnt_seconds_);
  }
}

}  // namespace stampede::detect
