#include "detect/hot_key_herd.h"

namespace stampede::detect {

// STUB: being implemented.
HotKeyHerd::HotKeyHerd(const OptionValues& o) : min_misses_(o.Get("d4.herd_min_misses")) {}

void HotKeyHerd::Evaluate(const Context&, std::vector<Reading>& out) {
  Reading r;
  r.indicator = Indicator::kHotKeyHerd;
  out.push_back(r);
}

}  // namespace stampede::detect
