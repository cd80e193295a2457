// A keyed workload: worker threads issuing operations at a target total rate over a key set
// (uniform or Zipf-skewed), plus the one-shot actions a scenario script injects (DEL a key,
// DEL many keys, SET many keys with one TTL).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "cache_client.h"
#include "redis_link.h"

namespace stampede::sim {

enum class Distribution { kUniform, kZipf };

/// "<prefix><first>" .. "<prefix><first + count - 1>".
std::vector<std::string> KeyRange(std::string_view prefix, std::size_t first, std::size_t count);

/// Picks indexes 0..n-1: uniformly, or with P(i) ∝ 1 / (i + 1)^s (index 0 the hottest).
/// Immutable after construction: thread-safe; each caller brings its own generator.
class KeyChooser {
 public:
  KeyChooser(std::size_t n, Distribution distribution, double zipf_s = 1.0);
  std::size_t Pick(std::mt19937_64& rng) const;
  std::size_t size() const { return n_; }

 private:
  std::size_t n_;
  std::vector<double> cdf_;  // Zipf only
};

/// What each operation of a workload does with its key.
enum class Operation {
  kGet,        // the cache client's cache-aside read
  kPollLock,   // EXISTS lock:<key>, as a waiter polling a lock
  kLockCycle,  // take lock:<key> (SET NX PX) and release it at once: locks come and go
};

/// N worker threads, each with its own session of `client`, issuing operations at
/// rate / workers per second each (paced, without bursts after a stall: a worker that fell
/// behind by more than kMaxLag skips ahead). Start() and Stop() from one thread; SetRate() and
/// the counters from any.
class Workload {
 public:
  static constexpr std::chrono::milliseconds kMaxLag{100};

  struct Options {
    std::vector<std::string> keys;  // in popularity order for kZipf
    Distribution distribution = Distribution::kUniform;
    double zipf_s = 1.0;
    double rate = 100;  // operations per second, all workers together
    std::size_t workers = 4;
    Operation operation = Operation::kGet;
    /// kGet: the share of operations that read a key never read before,
    /// "<cold_prefix><n>" (one-hit wonders): a miss rate that scales with the traffic.
    double cold_fraction = 0;
    std::string cold_prefix = "cold:";
    std::uint64_t seed = 1;
  };

  /// `client` must outlive the workload.
  Workload(Options options, CacheClient& client);
  ~Workload();  // Stop()
  Workload(const Workload&) = delete;
  Workload& operator=(const Workload&) = delete;

  void Start();
  /// Stops issuing and joins the workers (each finishes the operation it is in).
  void Stop();
  /// The new total rate applies from the workers' next operation.
  void SetRate(double per_second);
  double rate() const { return rate_.load(); }

  /// Operations completed, and those among them that failed (a Redis error).
  std::uint64_t operations() const { return operations_.load(); }
  std::uint64_t failures() const { return failures_.load(); }

 private:
  void Work(std::size_t index);
  bool Do(CacheClient::Session& session, std::mt19937_64& rng);

  const Options options_;
  CacheClient& client_;
  const KeyChooser chooser_;
  std::atomic<double> rate_;
  std::atomic<std::uint64_t> cold_next_{0};
  std::atomic<std::uint64_t> operations_{0};
  std::atomic<std::uint64_t> failures_{0};

  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;               // guarded by mu_
  std::uint64_t rate_changes_ = 0;  // guarded by mu_: wakes pacing workers on SetRate
  std::vector<std::thread> threads_;
};

/// The result of a one-shot action.
struct ActionResult {
  bool ok = false;
  long long count = 0;  // keys deleted, or keys written
  std::string error;
};

/// The result of a pipeline of writes: ok when every reply is, `count` the replies that are,
/// `error` the first failure ("<what>: <reply>").
ActionResult TallyReplies(const std::vector<RedisReply>& replies, std::string_view what);

/// DEL key.
ActionResult DelKey(RedisLink& link, std::string_view key);
/// One DEL with every key (one command: the keys vanish together).
ActionResult DelKeys(RedisLink& link, const std::vector<std::string>& keys);
/// SET every key (value "seed:<key>") in one pipeline, with EX ttl (0: no expiry). With
/// `jitter` > 0 each key's TTL is uniform in ttl × [1 - jitter, 1 + jitter]; with 0 every key
/// gets the same TTL, which is what a synchronized-expiry cliff is made of.
ActionResult SetKeys(RedisLink& link, const std::vector<std::string>& keys,
                     std::chrono::seconds ttl, double jitter = 0, std::uint64_t seed = 1);

}  // namespace stampede::sim
