#include "sketch/hyperloglog.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace stampede::sketch {

HyperLogLog::HyperLogLog(int precision)
    : precision_(std::clamp(precision, kMinPrecision, kMaxPrecision)),
      registers_(std::size_t{1} << precision_, 0) {}

void HyperLogLog::Add(std::uint64_t hash) {
  const std::uint64_t index = hash >> (64 - precision_);
  // The rank of the first 1 bit in the remaining bits; a guard bit bounds it at 64 - p + 1.
  const std::uint64_t rest = (hash << precision_) | (std::uint64_t{1} << (precision_ - 1));
  const auto rank = static_cast<std::uint8_t>(std::countl_zero(rest) + 1);
  std::uint8_t& reg = registers_[index];
  if (rank > reg) {
    reg = rank;
  }
  empty_ = false;
}

double HyperLogLog::Estimate() const {
  if (empty_) {
    return 0;
  }
  const auto m = static_cast<double>(registers_.size());
  double sum = 0;
  std::size_t zeros = 0;
  for (const std::uint8_t reg : registers_) {
    sum += std::ldexp(1.0, -reg);
    zeros += reg == 0 ? 1 : 0;
  }
  const double alpha = 0.7213 / (1 + 1.079 / m);
  const double raw = alpha * m * m / sum;
  if (raw <= 2.5 * m && zeros > 0) {
    return m * std::log(m / static_cast<double>(zeros));  // linear counting
  }
  return raw;  // 64-bit hashes: no large-range correction needed
}

void HyperLogLog::Merge(const HyperLogLog& other) {
  if (other.precision_ != precision_) {
    return;
  }
  for (std::size_t i = 0; i < registers_.size(); ++i) {
    registers_[i] = std::max(registers_[i], other.registers_[i]);
  }
  empty_ = empty_ && other.empty_;
}

void HyperLogLog::Clear() {
  std::fill(registers_.begin(), registers_.end(), std::uint8_t{0});
  empty_ = true;
}

}  // namespace stampede::sketch
