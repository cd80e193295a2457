#include "detect/hot_key_herd.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>

#include "detect/format.h"

namespace stampede::detect {

namespace {

// A threshold of 0 or less (an operator switching a condition off) is always met.
double Ratio(double value, double threshold) { return threshold > 0 ? value / threshold : 1.0; }

std::string_view SinceWhat(Cause cause) {
  switch (cause) {
    case Cause::kDel:
      return "since its DEL";
    case Cause::kExpired:
      return "since it expired";
    case Cause::kEvicted:
      return "since its eviction";
    case Cause::kFlush:
      return "since the flush";
    default:
      return "since it went away";
  }
}

// The raw key stays out: the engine decides whether to show it (Reading::key).
std::string Detail(const HerdKey& key, double share, Clock::time_point now) {
  const auto age = std::chrono::duration_cast<std::chrono::seconds>(now - key.invalidated_at);
  return FormatCount(key.herd_size) + " misses on key " + HashHex(key.hash) + " " +
         std::string(SinceWhat(key.cause)) + " " +
         std::to_string(std::max<long long>(0, age.count())) + " s earlier (" +
         std::to_string(std::llround(std::clamp(share, 0.0, 1.0) * 100)) +
         "% of the class's misses); " + (key.refilled ? "refilled since" : "not refilled yet");
}

}  // namespace

HotKeyHerd::HotKeyHerd(const OptionValues& o)
    : min_misses_(o.Get("d4.herd_min_misses")),
      min_before_refill_(o.Get("d4.herd_min_before_refill")),
      min_share_(o.Get("d4.min_share")) {}

double HotKeyHerd::KeyProgress(const HerdKey& key, double share) const {
  // Before the refill every miss is a caller that may go to the origin, so fewer make a herd.
  const double need = key.refilled ? min_misses_ : min_before_refill_;
  return std::min(Ratio(key.herd_size, need), Ratio(share, min_share_));
}

void HotKeyHerd::Evaluate(const Context& ctx, std::vector<Reading>& out) {
  Reading r;
  r.indicator = Indicator::kHotKeyHerd;
  if (ctx.all) {  // keys are tracked per class: `all` has no herd keys of its own
    out.push_back(std::move(r));
    return;
  }
  std::erase_if(finished_,
                [&](const auto& e) { return ctx.now - e.second > std::chrono::minutes(1); });
  const double window_misses = std::max(1.0, ctx.keys.window_misses);
  const HerdKey* best = nullptr;
  double best_share = 0;
  int herds = 0;
  for (const HerdKey& key : ctx.keys.herd_keys) {
    if (key.refilled) {
      const auto [it, fresh] = finished_.try_emplace(key.hash, key.invalidated_at);
      if (!fresh && it->second == key.invalidated_at) {
        continue;  // this herd was judged at an earlier tick
      }
      it->second = key.invalidated_at;
    }
    const double share = key.misses / window_misses;
    const double progress = KeyProgress(key, share);
    herds += progress >= 1 ? 1 : 0;
    if (best == nullptr || progress > r.progress) {
      best = &key;
      best_share = share;
      r.progress = progress;
    }
  }
  r.eligible = best != nullptr;
  if (best != nullptr) {
    r.cause = best->cause;
    r.key_hash = best->hash;
    r.key = best->key;
    r.detail = Detail(*best, best_share, ctx.now);
  }
  r.stats = {{"herd_size", best != nullptr ? static_cast<double>(best->herd_size) : 0},
             {"herd_share", best_share},
             {"herd_keys", static_cast<double>(herds)}};
  out.push_back(std::move(r));
}

}  // namespace stampede::detect
