// A cache-aside client against Redis, with the protections a real application may use:
// none, in-process single-flight, or a Redis lock (SET lock:<key> NX PX). It reports what it
// does to the sidecar over StatsD, like an instrumented application.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "origin.h"
#include "redis_link.h"
#include "statsd_reporter.h"

namespace stampede::sim {

/// How concurrent misses on one key are handled.
enum class Protection {
  kNone,          // every miss loads from the origin
  kSingleFlight,  // one load per key at a time in this process; the others wait for it
  kLock,          // one load per key across processes: SET lock:<key> NX PX; losers poll GET
};
/// "none", "single_flight", "lock".
std::string_view ProtectionName(Protection p);
std::optional<Protection> ParseProtection(std::string_view text);

/// What one Get() came to.
enum class GetResult { kHit, kLoaded, kCoalesced, kWaitedOnLock, kError };

/// Shared by the worker threads of one simulated application; each thread gets its own
/// Session (its own Redis connection). Thread-safe; Sessions are not.
class CacheClient {
 public:
  struct Options {
    RedisEndpoint redis;
    std::string class_name = "default";  // the `class` tag of every report
    Protection protection = Protection::kNone;
    std::chrono::seconds ttl{300};  // of values written after a load; 0: no expiry
    double ttl_jitter = 0;          // TTL uniform in ttl × [1 - j, 1 + j]; 0: one TTL for all
    std::chrono::milliseconds lock_ttl{2000};       // kLock: PX of lock:<key>
    std::chrono::milliseconds lock_poll{20};        // kLock: losers GET the key this often...
    std::chrono::milliseconds lock_wait_max{2000};  // ...then give up and load themselves
  };
  struct Stats {
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;
    std::uint64_t loads = 0;
    std::uint64_t coalesced = 0;
    std::uint64_t lock_waits = 0;
    std::uint64_t lock_timeouts = 0;  // losers that gave up waiting and loaded
    std::uint64_t errors = 0;         // Redis failures (the request got no value)
  };

  /// One worker's connection and state. Not thread-safe.
  class Session {
   public:
    Session(Session&&) noexcept = default;

    /// Cache-aside read of `key`: GET; on a hit, report a hit; on a miss, report a miss and
    /// fetch the value as the client's protection says (reporting the load, the coalesced
    /// wait or the lock wait, each with the key).
    GetResult Get(std::string_view key);
    /// SET lock:<key> <token> NX PX lock_ttl: true when this session now holds the lock.
    bool TryLock(std::string_view key);
    /// Deletes lock:<key> if it still holds this session's token (compare and delete).
    void Unlock(std::string_view key);
    /// The session's own connection, for commands outside the cache-aside path.
    RedisLink& link() { return link_; }

   private:
    friend class CacheClient;
    Session(CacheClient& client, std::uint64_t id);

    enum class LockAttempt { kAcquired, kHeld, kFailed };

    /// Loads from the origin and writes the value back (kNone, lock winners, lock timeouts).
    void LoadAndStore(std::string_view key);
    LockAttempt AttemptLock(std::string_view key);
    GetResult SingleFlight(std::string_view key);
    GetResult Locked(std::string_view key);
    std::string Token() const;

    CacheClient* client_;
    std::uint64_t id_;
    RedisLink link_;
    std::mt19937_64 rng_;
    std::uint64_t locks_taken_ = 0;
  };

  /// `origin` and `reporter` (which may be null: no reports) must outlive the client.
  CacheClient(Options options, Origin& origin, StatsdReporter* reporter);

  /// A new session with its own connection (opened at its first command).
  Session NewSession();

  Stats stats() const;
  const Options& options() const { return options_; }

 private:
  /// One in-process load that other callers of the same key wait for (kSingleFlight).
  struct Flight {
    std::mutex mu;
    std::condition_variable done_cv;
    bool done = false;
  };

  void Report(Signal signal, std::string_view key);

  const Options options_;
  Origin& origin_;
  StatsdReporter* reporter_;
  std::atomic<std::uint64_t> next_session_{1};

  std::mutex flights_mu_;
  std::map<std::string, std::shared_ptr<Flight>, std::less<>> flights_;  // by key

  std::atomic<std::uint64_t> hits_{0}, misses_{0}, loads_{0}, coalesced_{0}, lock_waits_{0},
      lock_timeouts_{0}, errors_{0};
};

}  // namespace stampede::sim
