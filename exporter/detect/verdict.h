// The verdict rule: a miss signal with origin amplification is a stampede; without it, a risk.
#pragma once

#include "detect/indicator.h"

namespace stampede::detect {

struct VerdictInputs {
  bool miss_signal = false;    // D1 hit-ratio cliff or D4 hot-key herd raised
  bool amplification = false;  // D5 raised now or within the join window
  bool blind = false;          // Dq raised: the data cannot carry a stampede verdict
};

/// stampede = a miss signal with amplification (and the sidecar not blind); herd_risk = a miss
/// signal without amplification evidence (lock and lease waiters look the same from Redis);
/// none otherwise. Pure.
constexpr Level Decide(const VerdictInputs& in) {
  if (!in.miss_signal) {
    return Level::kNone;
  }
  return in.amplification && !in.blind ? Level::kStampede : Level::kHerdRisk;
}

}  // namespace stampede::detect
