// The last N one-second buckets of something: the detectors' sliding windows.
#pragma once

#include <cstddef>
#include <vector>

namespace stampede::window {

/// A ring of `capacity` values, one per tick, newest last. Ago(0) is the newest. Sum(n, f)
/// adds f(value) over the newest n (fewer while filling). Thread-compatible.
template <typename T>
class SecondRing {
 public:
  explicit SecondRing(std::size_t capacity = 600) : slots_(capacity == 0 ? 1 : capacity) {}

  void Push(const T& value) {
    head_ = (head_ + 1) % slots_.size();
    slots_[head_] = value;
    if (size_ < slots_.size()) {
      ++size_;
    }
  }
  /// Requires k < size().
  const T& Ago(std::size_t k) const {
    return slots_[(head_ + slots_.size() - (k % slots_.size())) % slots_.size()];
  }
  T& Newest() { return slots_[head_]; }

  template <typename F>
  double Sum(std::size_t n, F f) const {
    double total = 0;
    for (std::size_t k = 0; k < n && k < size_; ++k) {
      total += f(Ago(k));
    }
    return total;
  }
  template <typename F>
  double Max(std::size_t n, F f) const {
    double best = 0;
    for (std::size_t k = 0; k < n && k < size_; ++k) {
      const double v = f(Ago(k));
      best = k == 0 || v > best ? v : best;
    }
    return best;
  }

  std::size_t size() const { return size_; }
  std::size_t capacity() const { return slots_.size(); }

 private:
  std::vector<T> slots_;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

}  // namespace stampede::window
