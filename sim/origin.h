// The origin behind the cache (a database): every load takes a latency, optionally behind a
// concurrency limit (callers queue for a slot, and give up after a queue timeout), and every
// load is counted per key, which is the ground truth for origin amplification. Overload shows
// as it does in a real database: rising latency, then errors.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace stampede::sim {

/// Thread-safe.
class Origin {
 public:
  /// Loads' total times kept per window for the percentiles; past this, a uniform sample.
  static constexpr std::size_t kWindowSampleCap = 100000;

  struct Options {
    std::chrono::microseconds latency{50000};  // one load's service time
    double jitter = 0;                         // service time uniform in latency × [1-j, 1+j]
    std::size_t max_concurrency = 0;           // loads served at once; 0: no limit
    /// A load that waits longer than this for a slot fails; 0: it waits for ever.
    std::chrono::milliseconds queue_timeout{0};
    std::uint64_t seed = 1;  // of the jitter
  };
  struct Stats {
    std::uint64_t loads = 0;   // loads served (they got a slot)
    std::uint64_t errors = 0;  // loads that failed (queue timeout): never served
    std::size_t distinct_keys = 0;
    std::uint64_t max_loads_of_one_key = 0;
    std::uint64_t max_overlap_of_one_key = 0;  // most loads of one key in service at once
    std::size_t peak_in_flight = 0;            // loads in service at once (queued ones excluded)
  };
  /// The loads that finished (served or failed) since the previous TakeWindow().
  struct Window {
    std::uint64_t loads = 0;   // finished, served or failed
    std::uint64_t errors = 0;  // among them, failed
    /// Percentiles of their total time (queue wait + service); 0 when there were none.
    std::chrono::microseconds p50{0};
    std::chrono::microseconds p99{0};
    std::size_t in_flight = 0;  // loads in service now
    std::size_t queued = 0;     // loads waiting for a slot now
  };

  explicit Origin(Options options);

  /// Loads `key`: waits for a slot when limited, then takes the service time. The value names
  /// the key and the load's sequence number; nullopt when the load failed (it waited for a
  /// slot longer than queue_timeout).
  std::optional<std::string> Load(std::string_view key);

  /// Changes the service time of loads that start from now on.
  void set_latency(std::chrono::microseconds latency);
  std::chrono::microseconds latency() const;

  Stats stats() const;
  /// Loads of `key` served so far.
  std::uint64_t LoadsOf(std::string_view key) const;
  /// The window since the previous call (or since construction), and starts a new one.
  Window TakeWindow();

 private:
  using Clock = std::chrono::steady_clock;
  struct KeyLoads {
    std::uint64_t total = 0;
    std::uint64_t in_flight = 0;
  };

  /// Waits for a free slot (mu_ held through `lock`): false when the queue timeout passed.
  bool AwaitSlot(std::unique_lock<std::mutex>& lock, Clock::time_point started);
  /// Takes a slot for `key`; returns the load's sequence number. mu_ held.
  std::uint64_t Admit(const std::string& key);
  /// Gives the slot of `key` back. mu_ held.
  void Release(const std::string& key);
  /// Counts one finished load in the current window. mu_ held.
  void Record(Clock::time_point started, bool failed);
  std::chrono::microseconds ServiceTime();  // mu_ held

  const Options options_;
  mutable std::mutex mu_;
  std::condition_variable slot_free_;
  std::chrono::microseconds latency_;                  // guarded by mu_
  std::mt19937_64 rng_;                                // guarded by mu_: the jitter
  std::mt19937_64 sample_rng_;                         // guarded by mu_: the window's sample
  std::size_t in_flight_ = 0;                          // guarded by mu_
  std::size_t queued_ = 0;                             // guarded by mu_
  std::unordered_map<std::string, KeyLoads> per_key_;  // guarded by mu_
  Stats stats_;                                        // guarded by mu_
  Window window_;                                      // guarded by mu_: counts only
  std::vector<std::int64_t> window_sample_;            // guarded by mu_: total times, µs
};

}  // namespace stampede::sim
