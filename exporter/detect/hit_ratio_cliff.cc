#include "detect/hit_ratio_cliff.h"

namespace stampede::detect {

// STUB: being implemented.
HitRatioCliff::HitRatioCliff(const OptionValues& o) : min_lookups_(o.Get("d1.min_lookups")) {}

void HitRatioCliff::Evaluate(const Context&, std::vector<Reading>& out) {
  Reading r;
  r.indicator = Indicator::kHitRatioCliff;
  out.push_back(r);
}

}  // namespace stampede::detect
