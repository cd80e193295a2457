#include "detect/synchronized_expiry.h"

namespace stampede::detect {

// STUB: being implemented.
SynchronizedExpiry::SynchronizedExpiry(const OptionValues& o)
    : burst_factor_(o.Get("d6.burst_factor")) {}

void SynchronizedExpiry::Evaluate(const Context&, std::vector<Reading>& out) {
  Reading r;
  r.indicator = Indicator::kSynchronizedExpiry;
  out.push_back(r);
}

}  // namespace stampede::detect
