// Exponentially weighted mean and mean absolute deviation, updated once per sample.
#pragma once

#include <cmath>
#include <cstdint>

namespace stampede::window {

/// An EWMA with a half-life in samples, plus an EW mean absolute deviation (a robust spread
/// that bursty counts need: the Poisson sqrt(mean) is far too small for them). The first
/// sample sets the mean. Freeze() stops updates (a baseline frozen while an indicator is
/// raised). Thread-compatible; a plain value.
class Ewma {
 public:
  /// `half_life` in samples, > 0.
  explicit Ewma(double half_life = 300) : alpha_(1.0 - std::exp2(-1.0 / half_life)) {}

  void Update(double x) {
    if (count_ == 0) {
      mean_ = x;
    } else {
      mad_ += alpha_ * (std::fabs(x - mean_) - mad_);
      mean_ += alpha_ * (x - mean_);
    }
    ++count_;
  }
  /// Sets the mean as if it had been learnt (a configured expectation).
  void Seed(double mean) {
    mean_ = mean;
    if (count_ == 0) {
      count_ = 1;
    }
  }

  double mean() const { return mean_; }
  double mad() const { return mad_; }
  /// The mean absolute deviation corrected for its start at 0: the seed taught no deviation,
  /// so dividing by the weight the later updates gathered keeps the first minutes from
  /// looking far too calm.
  double spread() const {
    const double updates = static_cast<double>(count_) - 1;
    return updates < 1 ? 0 : mad_ / (1 - std::pow(1 - alpha_, updates));
  }
  std::uint64_t count() const { return count_; }
  double alpha() const { return alpha_; }

 private:
  double alpha_;
  double mean_ = 0;
  double mad_ = 0;
  std::uint64_t count_ = 0;
};

}  // namespace stampede::window
