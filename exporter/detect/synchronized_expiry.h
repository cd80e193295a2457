// D6 synchronized expiry: an expiry burst now (reactive) or an expiry cliff ahead (predictive).
#pragma once

#include <array>
#include <vector>

#include "detect/detector.h"
#include "detect/options.h"

namespace stampede::detect {

/// Two readings per tick. synchronized_expiry (reactive): the expired rate of the second
/// against its mean over the last minute: burst factor >= burst_factor and >= min_per_second.
/// Named classes read their `expired` events; `all` reads INFO expired_keys, and only when no
/// subscriber is expected (otherwise the classes see every expiry). Eligible after 10 s of
/// history. Cause expired.
/// expiry_cliff_predicted: the latest TTL sample round (ctx.ttl): the densest two adjacent
/// one-second bins of absolute expiry times hold >= min_share of the sampled keys with a TTL,
/// >= uniform_factor times what a uniform spread over the sampled horizon (at least 60 s) would
/// put there, and >= min_keys; raised (immediate) while the cliff is 0..max_eta_seconds ahead.
/// Eligible when the round holds >= min_keys keys with a TTL. Cause expiry_cliff.
/// Stats: burst_factor, expired_per_second, cliff_eta_seconds (eligible only), cliff_share.
class SynchronizedExpiry : public Detector {
 public:
  static constexpr std::array<OptionSpec, 6> kOptions = {{
      {"d6.burst_factor", 10, "expired this second / mean of the last minute"},
      {"d6.min_per_second", 1000, "expired keys per second that can be a burst"},
      {"d6.min_share", 0.05, "predictive: share of sampled TTL keys in the densest bins"},
      {"d6.uniform_factor", 20, "predictive: times a uniform spread"},
      {"d6.min_keys", 10, "predictive: sampled keys in the densest bins"},
      {"d6.max_eta_seconds", 3600, "predictive: how far ahead a cliff is announced"},
  }};
  explicit SynchronizedExpiry(const OptionValues& options);
  void Evaluate(const Context& ctx, std::vector<Reading>& out) override;

 private:
  Reading Reactive(const Context& ctx) const;
  Reading Predictive(const Context& ctx) const;

  double burst_factor_, min_per_second_, min_share_, uniform_factor_, min_keys_, max_eta_;
};

}  // namespace stampede::detect
