// Persistence and hysteresis for one indicator of one class: readings in, raise/clear out.
#pragma once

#include <cstdint>

namespace stampede::detect {

/// N-of-M persistence to raise, `clear_after` quiet ticks to clear. A plain value.
class IndicatorState {
 public:
  enum class Change { kNone, kRaised, kCleared };

  IndicatorState(int persist_need = 2, int persist_window = 3, int clear_after = 10);

  /// One tick: `triggered` (at or past the trigger), `holding` (still above half the trigger
  /// distance), `immediate` (raise now).
  Change Step(bool triggered, bool holding, bool immediate);

  bool raised() const { return raised_; }

 private:
  int need_;
  int window_;
  int clear_after_;
  std::uint32_t history_ = 0;  // bit i: triggered i ticks ago
  int quiet_ = 0;              // consecutive ticks not holding while raised
  bool raised_ = false;
};

}  // namespace stampede::detect
