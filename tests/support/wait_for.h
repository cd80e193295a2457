// Waiting in tests for something another thread or process does: poll a predicate.
#pragma once

#include <chrono>
#include <functional>
#include <thread>

namespace stampede::testing {

/// Polls `pred` every `period` until it holds (true) or `deadline` passes (false).
inline bool WaitFor(const std::function<bool()>& pred,
                    std::chrono::milliseconds deadline = std::chrono::milliseconds(5000),
                    std::chrono::milliseconds period = std::chrono::milliseconds(10)) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (!pred()) {
    if (std::chrono::steady_clock::now() >= until) {
      return false;
    }
    std::this_thread::sleep_for(period);
  }
  return true;
}

}  // namespace stampede::testing
