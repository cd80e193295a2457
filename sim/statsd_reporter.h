// Reports cache signals to the sidecar over DogStatsD/UDP, as an application's StatsD client
// would: one counter line per event, several lines per datagram.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace stampede::sim {

/// The cache signals the exporter understands (README: StatsD and DogStatsD).
enum class Signal { kHit, kMiss, kLoad, kCoalesced, kLockWait, kStale };

/// "cache.hit", "cache.miss", "cache.load", "cache.coalesced", "cache.lock_wait", "cache.stale".
std::string_view SignalName(Signal s);

/// Lines such as `cache.miss:1|c|#class:user_profile,key:user:42` to host:port over UDP.
/// Lines are batched into datagrams of fewer than kMaxDatagramBytes (newline separated); a
/// batch is sent when the next line would not fit, and a background thread sends whatever
/// waits at least every flush_interval. Thread-safe.
class StatsdReporter {
 public:
  static constexpr std::size_t kMaxDatagramBytes = 1400;  // datagrams stay below this

  struct Options {
    std::string host = "127.0.0.1";  // an IPv4 address
    int port = 8125;
    std::string tier;  // a `tier:` tag on every line when not empty
    std::chrono::milliseconds flush_interval{50};
  };
  struct Stats {
    std::uint64_t lines = 0;
    std::uint64_t datagrams = 0;
    std::uint64_t send_errors = 0;  // datagrams the kernel refused
  };

  /// Opens the socket and starts the flush thread; null with `error` set when it cannot.
  static std::unique_ptr<StatsdReporter> Open(Options options, std::string* error);
  /// Sends what is left, then stops the flush thread.
  ~StatsdReporter();
  StatsdReporter(const StatsdReporter&) = delete;
  StatsdReporter& operator=(const StatsdReporter&) = delete;

  /// Counts `n` of `signal` for `class_name`, with a `key:` tag when `key` is not empty.
  void Count(Signal signal, std::string_view class_name, std::string_view key, std::uint64_t n = 1);
  /// One origin load's duration (`cache.load.time`, a timer in milliseconds).
  void LoadTime(std::string_view class_name, std::chrono::microseconds duration);
  /// Sends the current batch now.
  void Flush();

  Stats stats() const;

 private:
  StatsdReporter(Options options, int fd);
  void Add(std::string line);
  void Send(const std::string& datagram);  // without mu_
  void Run();

  const Options options_;
  const int fd_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::string batch_;  // guarded by mu_
  bool stop_ = false;  // guarded by mu_
  Stats stats_;        // guarded by mu_
  std::thread flusher_;
};

}  // namespace stampede::sim
