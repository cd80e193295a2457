#include "origin.h"

#include <algorithm>
#include <thread>

namespace stampede::sim {

Origin::Origin(Options options)
    : options_(options), latency_(options.latency), rng_(options.seed) {}

std::chrono::microseconds Origin::ServiceTime() {
  if (options_.jitter <= 0) {
    return latency_;
  }
  const double j = std::min(options_.jitter, 1.0);
  std::uniform_real_distribution<double> factor(1 - j, 1 + j);
  return std::chrono::microseconds(
      static_cast<std::int64_t>(static_cast<double>(latency_.count()) * factor(rng_)));
}

std::string Origin::Load(std::string_view key) {
  std::chrono::microseconds service;
  std::uint64_t sequence = 0;
  {
    std::unique_lock<std::mutex> lock(mu_);
    if (options_.max_concurrency > 0) {
      slot_free_.wait(lock, [this] { return in_flight_ < options_.max_concurrency; });
    }
    ++in_flight_;
    stats_.peak_in_flight = std::max(stats_.peak_in_flight, in_flight_);
    sequence = ++stats_.loads;
    std::uint64_t& n = per_key_[std::string(key)];
    ++n;
    stats_.max_loads_of_one_key = std::max(stats_.max_loads_of_one_key, n);
    service = ServiceTime();
  }
  // The modelled service time of the database: the one sleep that is the point of this class.
  std::this_thread::sleep_for(service);
  {
    std::lock_guard<std::mutex> lock(mu_);
    --in_flight_;
  }
  slot_free_.notify_one();
  return "origin:" + std::string(key) + ":" + std::to_string(sequence);
}

void Origin::set_latency(std::chrono::microseconds latency) {
  std::lock_guard<std::mutex> lock(mu_);
  latency_ = latency;
}

std::chrono::microseconds Origin::latency() const {
  std::lock_guard<std::mutex> lock(mu_);
  return latency_;
}

Origin::Stats Origin::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  Stats s = stats_;
  s.distinct_keys = per_key_.size();
  return s;
}

std::uint64_t Origin::LoadsOf(std::string_view key) const {
  std::lock_guard<std::mutex> lock(mu_);
  const auto it = per_key_.find(std::string(key));
  return it == per_key_.end() ? 0 : it->second;
}

}  // namespace stampede::sim
