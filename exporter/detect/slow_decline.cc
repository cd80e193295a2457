#include "detect/slow_decline.h"

namespace stampede::detect {

// STUB: being implemented.
SlowDecline::SlowDecline(const OptionValues& o) : k_(o.Get("d2.k")) {}

void SlowDecline::Evaluate(const Context&, std::vector<Reading>& out) {
  Reading r;
  r.indicator = Indicator::kSlowDecline;
  out.push_back(r);
}

}  // namespace stampede::detect
