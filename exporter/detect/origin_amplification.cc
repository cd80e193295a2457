#include "detect/origin_amplification.h"

namespace stampede::detect {

// STUB: being implemented.
OriginAmplification::OriginAmplification(const OptionValues& o)
    : min_loads_(o.Get("d5.min_loads")) {}

void OriginAmplification::Evaluate(const Context&, std::vector<Reading>& out) {
  Reading r;
  r.indicator = Indicator::kOriginAmplification;
  out.push_back(r);
}

}  // namespace stampede::detect
