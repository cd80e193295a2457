#include "detect/origin_amplification.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "detect/format.h"

namespace stampede::detect {

namespace {

// A threshold of 0 or less (an operator switching a condition off) is always met.
double Ratio(double value, double threshold) { return threshold > 0 ? value / threshold : 1.0; }

// Whole seconds covering `seconds`, or `fallback` when it is not positive (or NaN). Capped so a
// wild option cannot overflow the conversion; the ring holds far fewer seconds anyway.
std::size_t WholeSeconds(double seconds, std::size_t fallback) {
  return seconds > 0 ? static_cast<std::size_t>(std::ceil(std::min(seconds, 1e6))) : fallback;
}

double AppLoads(const ClassSecond& s) { return s.app_loads; }

}  // namespace

OriginAmplification::OriginAmplification(const OptionValues& o)
    : min_loads_(o.Get("d5.min_loads")),
      min_amplification_(o.Get("d5.min_amplification")),
      baseline_factor_(o.Get("d5.baseline_factor")),
      min_loads_per_key_(o.Get("d5.min_loads_per_key")),
      window_(WholeSeconds(o.Get("d5.window_seconds"), 1)),
      baseline_(std::max(1.0, o.Get("d5.half_life_seconds"))) {
  // One load per missed key is what a class without herds does. Seeded rather than set by the
  // first sample, so one odd second (a window still filling) does not become the baseline.
  baseline_.Seed(1.0);
}

std::optional<double> OriginAmplification::EstimatedAmplification(const Context& ctx) const {
  if (!(ctx.keys.distinct_missed > 0)) {
    return std::nullopt;  // no keyspace events (INFO-only mode): loads would count as one key
  }
  // Loads over the span the distinct count covers, so numerator and denominator match.
  const double loads = ctx.seconds.Sum(WholeSeconds(ctx.keys.window_seconds, window_), AppLoads);
  return loads / std::max(1.0, ctx.keys.distinct_missed);
}

double OriginAmplification::EstimatedProgress(double amplification) const {
  const double baseline = baseline_.mean();
  const double trigger = std::max(min_amplification_, baseline_factor_ * baseline);
  if (trigger <= baseline) {  // options that put the trigger at or below the baseline
    return Ratio(amplification, trigger);
  }
  return std::max(0.0, (amplification - baseline) / (trigger - baseline));
}

void OriginAmplification::Evaluate(const Context& ctx, std::vector<Reading>& out) {
  Reading r;
  r.indicator = Indicator::kOriginAmplification;
  if (ctx.all) {  // app loads are reported per class
    out.push_back(std::move(r));
    return;
  }
  const KeyEvidence& keys = ctx.keys;
  const double loads = ctx.seconds.Sum(window_, AppLoads);
  const std::optional<double> estimated = EstimatedAmplification(ctx);
  const double estimated_progress = estimated ? EstimatedProgress(*estimated) : 0;
  const double exact_progress =
      keys.app_keys ? Ratio(keys.max_loads_per_key, min_loads_per_key_) : 0;
  const double baseline = baseline_.mean();

  r.eligible = loads >= min_loads_;
  r.progress = std::max(estimated_progress, exact_progress);
  if (keys.app_keys && keys.max_loads_per_key > 0) {
    r.key_hash = keys.max_loads_key_hash;
  }

  const double seconds =
      static_cast<double>(std::clamp<std::size_t>(ctx.seconds.size(), 1, window_));
  const std::string rate = "origin loads " + FormatCount(loads / seconds) + "/s";
  if (keys.app_keys) {  // per-key counts are the better evidence when apps send them
    r.detail = rate + "; " + FormatCount(keys.max_loads_per_key) + " loads of key " +
               HashHex(keys.max_loads_key_hash) + " in " + std::to_string(window_) + " s";
  } else if (estimated) {
    r.detail = rate + " for " + FormatCount(keys.distinct_missed) +
               " distinct missed keys: " + FormatCount(*estimated) + " loads per key (baseline " +
               FormatCount(baseline) + ")";
  } else {
    r.detail = rate + "; no keymiss events to count the distinct keys";
  }

  // A baseline that learnt from an amplification would raise the bar for the next one.
  if (estimated && r.eligible && !ctx.frozen && r.progress < 1) {
    baseline_.Update(*estimated);
  }
  r.stats = {
      {"amplification", keys.app_keys ? keys.max_loads_per_key : estimated.value_or(0)},
      {"exact", keys.app_keys ? 1.0 : 0.0},
      {"amplification_baseline", baseline},
      {"loads", loads},
      {"distinct_keys", keys.app_keys ? keys.distinct_loaded_keys : keys.distinct_missed},
      {"max_loads_per_key", keys.max_loads_per_key},
  };
  out.push_back(std::move(r));
}

}  // namespace stampede::detect
