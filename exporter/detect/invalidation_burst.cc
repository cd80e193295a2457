#include "detect/invalidation_burst.h"

namespace stampede::detect {

// STUB: being implemented.
InvalidationBurst::InvalidationBurst(const OptionValues& o) : factor_(o.Get("d3.factor")) {}

void InvalidationBurst::Evaluate(const Context&, std::vector<Reading>& out) {
  Reading r;
  r.indicator = Indicator::kInvalidationBurst;
  out.push_back(r);
}

}  // namespace stampede::detect
