// A Clock that moves only when a test says so.
#pragma once

#include <atomic>
#include <chrono>

#include "common/clock.h"

namespace stampede::testing {

/// Starts at an arbitrary fixed point; Advance() moves it. Thread-safe.
class FakeClock : public Clock {
 public:
  time_point Now() const override { return time_point(duration(now_.load())); }
  void Advance(duration d) { now_.fetch_add(d.count()); }

 private:
  std::atomic<duration::rep> now_{
      std::chrono::duration_cast<duration>(std::chrono::hours(1000)).count()};
};

}  // namespace stampede::testing
