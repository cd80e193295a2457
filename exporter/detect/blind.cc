#include "detect/blind.h"

namespace stampede::detect {

// STUB: being implemented.
Blind::Blind(const OptionValues& o) : max_lag_(o.Get("dq.max_lag_seconds")) {}

void Blind::Evaluate(const Context&, std::vector<Reading>& out) {
  Reading r;
  r.indicator = Indicator::kBlind;
  out.push_back(r);
}

}  // namespace stampede::detect
