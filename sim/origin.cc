#include "origin.h"

#include <algorithm>
#include <cmath>
#include <thread>
#include <utility>

namespace stampede::sim {

namespace {

// The nearest-rank percentile `p` (0..1] of `sample`, which it reorders; 0 when empty.
std::int64_t Percentile(std::vector<std::int64_t>& sample, double p) {
  if (sample.empty()) {
    return 0;
  }
  const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sample.size())));
  const auto nth = sample.begin() + static_cast<std::ptrdiff_t>(std::max<std::size_t>(rank, 1) - 1);
  std::nth_element(sample.begin(), nth, sample.end());
  return *nth;
}

}  // namespace

Origin::Origin(Options options)
    : options_(options),
      latency_(options.latency),
      rng_(options.seed),
      sample_rng_(options.seed ^ 0x5851f42d4c957f2dULL) {}

std::chrono::microseconds Origin::ServiceTime() {
  if (options_.jitter <= 0) {
    return latency_;
  }
  const double j = std::min(options_.jitter, 1.0);
  std::uniform_real_distribution<double> factor(1 - j, 1 + j);
  return std::chrono::microseconds(
      static_cast<std::int64_t>(static_cast<double>(latency_.count()) * factor(rng_)));
}

bool Origin::AwaitSlot(std::unique_lock<std::mutex>& lock, Clock::time_point started) {
  if (options_.max_concurrency == 0) {
    return true;
  }
  const auto free = [this] { return in_flight_ < options_.max_concurrency; };
  ++queued_;
  bool got = true;
  if (options_.queue_timeout.count() <= 0) {
    slot_free_.wait(lock, free);
  } else {
    got = slot_free_.wait_until(lock, started + options_.queue_timeout, free);
  }
  --queued_;
  return got;
}

std::uint64_t Origin::Admit(const std::string& key) {
  ++in_flight_;
  stats_.peak_in_flight = std::max(stats_.peak_in_flight, in_flight_);
  KeyLoads& k = per_key_[key];
  ++k.total;
  ++k.in_flight;
  stats_.max_loads_of_one_key = std::max(stats_.max_loads_of_one_key, k.total);
  stats_.max_overlap_of_one_key = std::max(stats_.max_overlap_of_one_key, k.in_flight);
  return ++stats_.loads;
}

void Origin::Release(const std::string& key) {
  --in_flight_;
  --per_key_[key].in_flight;
}

void Origin::Record(Clock::time_point started, bool failed) {
  ++window_.loads;
  window_.errors += failed ? 1 : 0;
  const std::int64_t micros =
      std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started).count();
  if (window_sample_.size() < kWindowSampleCap) {
    window_sample_.push_back(micros);
    return;
  }
  // Reservoir sampling: each of the window's loads is kept with the same probability.
  const std::uint64_t slot =
      std::uniform_int_distribution<std::uint64_t>(0, window_.loads - 1)(sample_rng_);
  if (slot < kWindowSampleCap) {
    window_sample_[slot] = micros;
  }
}

std::optional<std::string> Origin::Load(std::string_view key) {
  const Clock::time_point started = Clock::now();
  const std::string name(key);
  std::unique_lock<std::mutex> lock(mu_);
  if (!AwaitSlot(lock, started)) {
    ++stats_.errors;
    Record(started, /*failed=*/true);
    return std::nullopt;
  }
  const std::uint64_t sequence = Admit(name);
  const std::chrono::microseconds service = ServiceTime();
  lock.unlock();
  // The modelled service time of the database: the one sleep that is the point of this class.
  std::this_thread::sleep_for(service);
  lock.lock();
  Release(name);
  Record(started, /*failed=*/false);
  lock.unlock();
  slot_free_.notify_one();
  return "origin:" + name + ":" + std::to_string(sequence);
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
  return it == per_key_.end() ? 0 : it->second.total;
}

Origin::Window Origin::TakeWindow() {
  std::vector<std::int64_t> sample;
  Window w;
  {
    std::lock_guard<std::mutex> lock(mu_);
    w = std::exchange(window_, Window{});
    sample.swap(window_sample_);
    w.in_flight = in_flight_;
    w.queued = queued_;
  }
  w.p50 = std::chrono::microseconds(Percentile(sample, 0.50));
  w.p99 = std::chrono::microseconds(Percentile(sample, 0.99));
  return w;
}

}  // namespace stampede::sim
