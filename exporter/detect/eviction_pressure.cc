#include "detect/eviction_pressure.h"

namespace stampede::detect {

// STUB: being implemented.
EvictionPressure::EvictionPressure(const OptionValues& o)
    : memory_ratio_(o.Get("d7.memory_ratio")) {}

void EvictionPressure::Evaluate(const Context&, std::vector<Reading>& out) {
  Reading r;
  r.indicator = Indicator::kEvictionPressure;
  out.push_back(r);
}

}  // namespace stampede::detect
