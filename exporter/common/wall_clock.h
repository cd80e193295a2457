// Calendar time, injected like Clock: incidents and logs speak in wall time, windows in steady
// time.
#pragma once

#include <chrono>

namespace stampede {

/// Thread-safe implementations.
class WallClock {
 public:
  using time_point = std::chrono::system_clock::time_point;
  virtual ~WallClock() = default;
  virtual time_point Now() const = 0;
};

class SystemWallClock : public WallClock {
 public:
  time_point Now() const override { return std::chrono::system_clock::now(); }
  static const SystemWallClock& Instance() {
    static const SystemWallClock clock;
    return clock;
  }
};

}  // namespace stampede
