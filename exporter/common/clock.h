// The time source of every time-window component, injected so tests can drive time by hand.
#pragma once

#include <chrono>

namespace stampede {

/// A monotonic clock. Implementations are thread-safe.
class Clock {
 public:
  using time_point = std::chrono::steady_clock::time_point;
  using duration = std::chrono::steady_clock::duration;

  virtual ~Clock() = default;
  virtual time_point Now() const = 0;
};

/// The real monotonic clock. Thread-safe.
class SteadyClock : public Clock {
 public:
  time_point Now() const override { return std::chrono::steady_clock::now(); }
  /// A process-wide instance for production wiring.
  static const SteadyClock& Instance() {
    static const SteadyClock clock;
    return clock;
  }
};

}  // namespace stampede
