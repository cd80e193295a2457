#include "detect/indicator_state.h"

#include <algorithm>
#include <bit>

namespace stampede::detect {

IndicatorState::IndicatorState(int persist_need, int persist_window, int clear_after)
    : need_(std::clamp(persist_need, 1, 32)),
      window_(std::clamp(persist_window, need_, 32)),
      clear_after_(std::max(clear_after, 1)) {}

IndicatorState::Change IndicatorState::Step(bool triggered, bool holding, bool immediate) {
  history_ = (history_ << 1) | (triggered || immediate ? 1u : 0u);
  const std::uint32_t mask = window_ >= 32 ? ~0u : ((1u << window_) - 1);
  if (!raised_) {
    if (immediate || std::popcount(history_ & mask) >= need_) {
      raised_ = true;
      quiet_ = 0;
      return Change::kRaised;
    }
    return Change::kNone;
  }
  if (triggered || holding || immediate) {
    quiet_ = 0;
    return Change::kNone;
  }
  if (++quiet_ >= clear_after_) {
    raised_ = false;
    history_ = 0;
    quiet_ = 0;
    return Change::kCleared;
  }
  return Change::kNone;
}

}  // namespace stampede::detect
