// The origin behind the cache (a database): every load takes a latency, optionally behind a
// concurrency limit (callers queue for a slot), and every load is counted per key, which is
// the ground truth for origin amplification.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>

namespace stampede::sim {

/// Thread-safe.
class Origin {
 public:
  struct Options {
    std::chrono::microseconds latency{50000};  // one load's service time
    double jitter = 0;                         // service time uniform in latency × [1-j, 1+j]
    std::size_t max_concurrency = 0;           // loads served at once; 0: no limit
    std::uint64_t seed = 1;                    // of the jitter
  };
  struct Stats {
    std::uint64_t loads = 0;
    std::size_t distinct_keys = 0;
    std::uint64_t max_loads_of_one_key = 0;
    std::size_t peak_in_flight = 0;  // loads in service at once (queued ones excluded)
  };

  explicit Origin(Options options);

  /// Loads `key`: waits for a slot when limited, then takes the service time. The value names
  /// the key and the load's sequence number.
  std::string Load(std::string_view key);

  /// Changes the service time of loads that start from now on.
  void set_latency(std::chrono::microseconds latency);
  std::chrono::microseconds latency() const;

  Stats stats() const;
  /// Loads of `key` so far.
  std::uint64_t LoadsOf(std::string_view key) const;

 private:
  std::chrono::microseconds ServiceTime();  // mu_ held

  const Options options_;
  mutable std::mutex mu_;
  std::condition_variable slot_free_;
  std::chrono::microseconds latency_;                       // guarded by mu_
  std::mt19937_64 rng_;                                     // guarded by mu_
  std::size_t in_flight_ = 0;                               // guarded by mu_
  std::unordered_map<std::string, std::uint64_t> per_key_;  // guarded by mu_
  Stats stats_;                                             // guarded by mu_
};

}  // namespace stampede::sim
