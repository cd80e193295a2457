// D4 hot-key herd after invalidation: misses piling on one key right after it went away.
#pragma once

#include <array>
#include <vector>

#include "detect/detector.h"
#include "detect/options.h"
#include "window/ewma.h"

namespace stampede::detect {

/// Reads ctx.keys.herd_keys (top missed keys invalidated within the join window). A key is a
/// herd when its misses since the invalidation reach herd_min_misses (herd_min_before_refill
/// while it is not yet refilled) and it takes at least min_share of the class's misses in
/// the window. Cause and key: the largest herd's. Stats: herd_size, herd_share, herd_keys.
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
  double min_misses_, min_before_refill_, min_share_;
};

}  // namespace stampede::detect
