// D4 hot-key herd after invalidation: misses piling on one key right after it went away.
#pragma once

#include <array>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "detect/detector.h"
#include "detect/options.h"

namespace stampede::detect {

/// Reads ctx.keys.herd_keys (top missed keys invalidated within the join window). A key is a
/// herd when its misses since the invalidation reach herd_min_misses (herd_min_before_refill
/// while it is not yet refilled) and it takes at least min_share of the class's misses in
/// the window; its progress is the smaller of the two ratios, the reading's the largest
/// key's. Named classes only: `all` gets a reading that is never eligible. Cause and key: the
/// best key's. Stats: herd_size, herd_share, herd_keys (keys at or past the trigger).
class HotKeyHerd : public Detector {
 public:
  static constexpr std::array<OptionSpec, 3> kOptions = {{
      {"d4.herd_min_misses", 50, "misses since the invalidation that make a herd"},
      {"d4.herd_min_before_refill", 20, "the same while the key is still missing"},
      {"d4.min_share", 0.10, "share of the class's misses in the window the key must take"},
  }};
  explicit HotKeyHerd(const OptionValues& options);
  void Evaluate(const Context& ctx, std::vector<Reading>& out) override;

 private:
  /// 0 .. >= 1: how close `key`, taking `share` of the window's misses, is to a herd.
  double KeyProgress(const HerdKey& key, double share) const;

  double min_misses_, min_before_refill_, min_share_;
  /// Refilled herds already judged once (key hash → its invalidation time): a finished herd is
  /// evidence for one tick, so the indicator clears once the key is back instead of holding
  /// while the key stays in the tracker's window. Pruned after a minute; at most a few keys
  /// a tick enter.
  std::unordered_map<std::uint64_t, Clock::time_point> finished_;
};

}  // namespace stampede::detect
