// Everything the engine is fed at one tick: one second of every class, plus node health.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/clock.h"
#include "detect/sample.h"

namespace stampede::detect {

/// A plain value built by a source (LiveSource in production, tests by hand).
struct TickInput {
  Clock::time_point now;
  /// The second just ended, by class name; `all` (kAllClass) carries the node-wide signals.
  /// A class known from earlier ticks and absent here had a quiet second.
  std::map<std::string, ClassSecond, std::less<>> classes;
  std::map<std::string, KeyEvidence, std::less<>> keys;  // by class name
  Health health;
  std::vector<FlushSeen> flushes;                     // seen in this second
  std::map<std::string, TtlSample, std::less<>> ttl;  // latest sample round by class
};

}  // namespace stampede::detect
