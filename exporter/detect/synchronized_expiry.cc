#include "detect/synchronized_expiry.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>

namespace stampede::detect {

namespace {

constexpr std::size_t kMeanSeconds = 60;  // the reactive baseline: the minute before
constexpr std::size_t kMinHistory = 10;   // seconds of history before a mean means anything
// Floor of the mean: one expiry a minute. A quiet class then needs min_per_second to trigger.
constexpr double kMinMean = 1.0 / 60;
// The predictive horizon is at least this long, so a round whose keys all expire within a few
// seconds of each other does not make that span its own "uniform" expectation.
constexpr double kMinHorizonSeconds = 60;

// A threshold of 0 or less (an operator switching a condition off) is always met.
double Ratio(double value, double threshold) { return threshold > 0 ? value / threshold : 1.0; }

// "1,234": the timeline reads like the design's examples.
std::string Grouped(double value) {
  const std::string digits = std::to_string(std::llround(std::clamp(value, 0.0, 1e15)));
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) {
      out += ',';
    }
    out += digits[i];
  }
  return out;
}

// A rate for the timeline: "0.4" below 10 (baselines are often fractional), "1,234" above.
std::string Rate(double value) {
  if (value >= 10) {
    return Grouped(value);
  }
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%.1f", std::max(value, 0.0));
  return buf;
}

double Expired(const ClassSecond& s, bool all) { return all ? s.info_expired : s.expired; }

// The densest two adjacent one-second bins of a round's expiry times. Two bins, not one: keys
// written within the same second straddle a bin edge as often as not.
struct Cliff {
  std::size_t keys = 0;
  Clock::time_point at;  // the first expiry in the two bins: when the cliff starts
};

Cliff DensestPair(std::vector<Clock::time_point> expiries) {
  std::sort(expiries.begin(), expiries.end());
  // Bins start at the earliest expiry; any cluster narrower than one second fits in two.
  const auto bin = [&](std::size_t k) {
    return (expiries[k] - expiries.front()) / std::chrono::seconds(1);
  };
  Cliff best;
  std::size_t end = 0;  // one past the last expiry in bins bin(i) and bin(i) + 1
  for (std::size_t i = 0; i < expiries.size(); ++i) {
    if (i > 0 && bin(i) == bin(i - 1)) {
      continue;  // not the first expiry of its bin
    }
    end = std::max(end, i);
    while (end < expiries.size() && bin(end) <= bin(i) + 1) {
      ++end;
    }
    if (end - i > best.keys) {
      best = {end - i, expiries[i]};
    }
  }
  return best;
}

std::string CliffDetail(const Cliff& cliff, std::size_t with_ttl, double eta) {
  const double share = static_cast<double>(cliff.keys) / static_cast<double>(with_ttl);
  const std::string when = eta >= 0 ? "in " + Grouped(eta) + " s" : Grouped(-eta) + " s ago";
  return Grouped(static_cast<double>(cliff.keys)) + " of " +
         Grouped(static_cast<double>(with_ttl)) + " sampled keys with a TTL (" +
         std::to_string(std::llround(share * 100)) + "%) expire within two seconds, " + when;
}

}  // namespace

SynchronizedExpiry::SynchronizedExpiry(const OptionValues& o)
    : burst_factor_(o.Get("d6.burst_factor")),
      min_per_second_(o.Get("d6.min_per_second")),
      min_share_(o.Get("d6.min_share")),
      uniform_factor_(o.Get("d6.uniform_factor")),
      min_keys_(o.Get("d6.min_keys")),
      max_eta_(o.Get("d6.max_eta_seconds")) {}

void SynchronizedExpiry::Evaluate(const Context& ctx, std::vector<Reading>& out) {
  out.push_back(Reactive(ctx));
  out.push_back(Predictive(ctx));
}

// The mean is a plain window, not a learnt baseline, so ctx.frozen does not apply: a burst
// lifts it for a minute at most, and the reading only has to hold while the burst lasts.
Reading SynchronizedExpiry::Reactive(const Context& ctx) const {
  Reading r;
  r.indicator = Indicator::kSynchronizedExpiry;
  r.cause = Cause::kExpired;
  if (ctx.seconds.size() == 0 || (ctx.all && ctx.health.subscriber_expected)) {
    return r;  // with a subscriber the named classes count every expiry; INFO would double it
  }
  const auto expired = [&](const ClassSecond& s) { return Expired(s, ctx.all); };
  const double x = expired(ctx.seconds.Ago(0));
  const std::size_t history = std::min(ctx.seconds.size() - 1, kMeanSeconds);
  const double before = ctx.seconds.Sum(history + 1, expired) - x;
  const double mean = std::max(history > 0 ? before / static_cast<double>(history) : 0.0, kMinMean);
  const double burst = x / mean;
  // On `all`, a second without an INFO sample has no delta: 0 expiries is not a reading.
  r.eligible = history >= kMinHistory && (!ctx.all || ctx.seconds.Ago(0).info_ok);
  r.progress = std::min(Ratio(burst, burst_factor_), Ratio(x, min_per_second_));
  r.detail = Grouped(x) + " keys expired in one second (60 s mean " + Rate(mean) + "/s)";
  r.stats = {{"burst_factor", burst}, {"expired_per_second", x}};
  return r;
}

Reading SynchronizedExpiry::Predictive(const Context& ctx) const {
  Reading r;
  r.indicator = Indicator::kExpiryCliffPredicted;
  r.cause = Cause::kExpiryCliff;
  const std::size_t with_ttl = ctx.ttl != nullptr ? ctx.ttl->expiries.size() : 0;
  if (with_ttl == 0) {
    r.stats = {{"cliff_share", 0}};
    return r;
  }
  const auto& expiries = ctx.ttl->expiries;
  const Cliff cliff = DensestPair(expiries);
  const auto [first, last] = std::minmax_element(expiries.begin(), expiries.end());
  const double span = std::chrono::duration<double>(*last - *first).count();
  const double n = static_cast<double>(with_ttl);
  const double uniform = n * 2 / std::max(kMinHorizonSeconds, span);  // keys in two bins
  const double need = std::max({min_share_ * n, uniform_factor_ * uniform, min_keys_});
  const double eta = std::chrono::duration<double>(cliff.at - ctx.now).count();
  // A cliff that has passed, or lies beyond the horizon, is no warning: progress 0 lets the
  // indicator clear.
  const bool ahead = eta >= 0 && eta <= max_eta_;
  r.eligible = n >= min_keys_;
  r.progress = ahead ? Ratio(static_cast<double>(cliff.keys), need) : 0;
  r.immediate = r.triggered();  // minutes of warning: persistence would only eat into them
  r.detail = CliffDetail(cliff, with_ttl, eta);
  r.stats = {{"cliff_share", static_cast<double>(cliff.keys) / n}};
  if (r.eligible) {
    r.stats.push_back({"cliff_eta_seconds", eta});
  }
  return r;
}

}  // namespace stampede::detect
