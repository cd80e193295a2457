// A cache-aside client against Redis, with the protections a real application may use against
// stampedes: none, in-process single-flight, a Redis lock (SET lock:<key> NX PX),
// stale-while-revalidate with background refreshers, probabilistic early recomputation
// (XFetch), or jittered TTLs. It reports what it does to the sidecar over StatsD, like an
// instrumented application.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "origin.h"
#include "redis_link.h"
#include "statsd_reporter.h"

namespace stampede::sim {

/// How concurrent misses on one key (and values about to expire) are handled.
enum class Protection {
  kNone,          // every miss loads from the origin
  kSingleFlight,  // one load per key at a time in this process; the others wait for it
  kLock,          // one load per key across processes: SET lock:<key> NX PX; losers poll GET
  kSwr,           // stale-while-revalidate: past a soft expiry the stale value is served and one
                  // background refresh per key reloads it; a miss loads with single-flight
  kXfetch,        // probabilistic early recomputation (XFetch): a hit may reload before expiry
  kJitter,        // like kNone, with TTLs spread by ttl_jitter (or kDefaultJitter)
};
/// "none", "single-flight", "lock", "swr", "xfetch", "jitter".
std::string_view ProtectionName(Protection p);
/// A ProtectionName, or "single_flight" (the older spelling).
std::optional<Protection> ParseProtection(std::string_view text);
/// Every protection, in declaration order (for a command line's list).
std::span<const Protection> AllProtections();

/// What one Get() came to. Every result but kError gave the caller a value.
enum class GetResult {
  kHit,           // a fresh value from Redis
  kStale,         // kSwr: a value past its soft expiry, served while a refresh reloads it
  kRefreshed,     // kXfetch: a hit whose caller recomputed the value before it expired
  kLoaded,        // a miss this caller loaded from the origin
  kCoalesced,     // a miss that waited for this process's load of the key
  kWaitedOnLock,  // a miss that waited for another holder of lock:<key> (kLock)
  kError,         // no value: Redis failed, or the origin load failed
};

/// The value format of kSwr and kXfetch: "<expiry_ms>|<delta_ms>|<payload>". The expiry is a
/// unix time in milliseconds (kSwr: the soft expiry; kXfetch: the expiry; 0: none) and delta
/// how long the load that produced the payload took, in milliseconds.
struct Envelope {
  std::int64_t expiry_ms = 0;
  std::int64_t delta_ms = 0;
  std::string payload;
};
std::string EncodeEnvelope(const Envelope& envelope);
/// nullopt when `value` is not an envelope (a value another writer stored).
std::optional<Envelope> DecodeEnvelope(std::string_view value);

/// Shared by the worker threads of one simulated application; each thread gets its own
/// Session (its own Redis connection). Thread-safe; Sessions are not. With kSwr the client
/// owns a few refresher threads (each with its own connection), stopped by the destructor.
class CacheClient {
 public:
  /// kJitter's spread when Options::ttl_jitter is 0: TTLs in ttl × [0.8, 1.2].
  static constexpr double kDefaultJitter = 0.2;

  struct Options {
    RedisEndpoint redis;
    std::string class_name = "default";  // the `class` tag of every report
    bool report_keys = true;             // a `key` tag on every report (the exact amplification)
    Protection protection = Protection::kNone;
    /// Of values written after a load (kSwr: until they are stale); 0: no expiry.
    std::chrono::milliseconds ttl{std::chrono::minutes(5)};
    double ttl_jitter = 0;  // TTL uniform in ttl × [1 - j, 1 + j]; 0: one TTL for all
    std::chrono::milliseconds lock_ttl{2000};       // kLock: PX of lock:<key>
    std::chrono::milliseconds lock_poll{20};        // kLock: losers GET the key this often...
    std::chrono::milliseconds lock_wait_max{2000};  // ...then give up and load themselves
    /// kSwr: how long past its soft expiry a value is still served (stale) before Redis
    /// drops it; unset: ttl.
    std::optional<std::chrono::milliseconds> stale_window;
    double xfetch_beta = 1.0;          // kXfetch: > 1 recomputes earlier, 0 never early
    std::size_t refreshers = 2;        // kSwr: background refresher threads
    std::size_t refresh_queue = 1024;  // kSwr: refreshes waiting at most; more are skipped
  };
  struct Stats {
    std::uint64_t hits = 0;  // values served from Redis, stale ones included
    std::uint64_t misses = 0;
    std::uint64_t loads = 0;  // origin loads started (miss loads and refreshes)
    std::uint64_t coalesced = 0;
    std::uint64_t lock_waits = 0;
    std::uint64_t lock_timeouts = 0;    // losers that gave up waiting and loaded
    std::uint64_t stale_served = 0;     // kSwr: hits past the soft expiry
    std::uint64_t refreshes = 0;        // kSwr background refreshes, kXfetch early loads
    std::uint64_t refresh_skipped = 0;  // kSwr: refreshes dropped, their queue full
    std::uint64_t errors = 0;           // Redis failures and failed origin loads
  };

 private:
  /// What a load-and-store needs of its caller: a connection and a random generator. Each
  /// session and each refresher has its own.
  struct Io {
    RedisLink link;
    std::mt19937_64 rng;
  };

 public:
  /// One worker's connection and state. Not thread-safe.
  class Session {
   public:
    Session(Session&&) noexcept = default;

    /// Cache-aside read of `key`: GET; on a hit, report a hit (and act on a stale or
    /// nearly expired value as the protection says); on a miss, report a miss and fetch the
    /// value as the protection says (reporting the load, the coalesced wait or the lock wait,
    /// each with the key).
    GetResult Get(std::string_view key);
    /// SET lock:<key> <token> NX PX lock_ttl: true when this session now holds the lock.
    bool TryLock(std::string_view key);
    /// Deletes lock:<key> if it still holds this session's token (compare and delete).
    void Unlock(std::string_view key);
    /// The session's own connection, for commands outside the cache-aside path.
    RedisLink& link() { return io_.link; }

   private:
    friend class CacheClient;
    Session(CacheClient& client, std::uint64_t id);

    enum class LockAttempt { kAcquired, kHeld, kFailed };

    GetResult OnMiss(std::string_view key);
    LockAttempt AttemptLock(std::string_view key);
    GetResult Locked(std::string_view key);
    std::string Token() const;

    CacheClient* client_;
    std::uint64_t id_;
    Io io_;
    std::uint64_t locks_taken_ = 0;
  };

  /// `origin` and `reporter` (which may be null: no reports) must outlive the client.
  CacheClient(Options options, Origin& origin, StatsdReporter* reporter);
  /// Stops the refreshers (a refresh under way finishes first); queued ones are dropped.
  ~CacheClient();
  CacheClient(const CacheClient&) = delete;
  CacheClient& operator=(const CacheClient&) = delete;

  /// A new session with its own connection (opened at its first command).
  Session NewSession();

  Stats stats() const;
  const Options& options() const { return options_; }

 private:
  /// One in-process load of a key that other callers wait for (kSingleFlight and kSwr misses,
  /// kSwr background refreshes).
  struct Flight {
    std::mutex mu;
    std::condition_variable done_cv;
    bool done = false;
    bool ok = false;  // the load produced a value
  };

  void Report(Signal signal, std::string_view key);
  GetResult OnHit(Io& io, std::string_view key, std::string_view value);
  GetResult StaleWhileRevalidate(std::string_view key, std::string_view value);
  GetResult EarlyRecompute(Io& io, std::string_view key, std::string_view value);
  /// kXfetch's draw: true when this reader should reload now, before `envelope` expires.
  bool ShouldRecomputeEarly(const Envelope& envelope, std::mt19937_64& rng) const;

  /// Loads `key` from the origin (reporting the load and its time), then stores it: true
  /// when the caller has a value (a failed store is counted but the value was loaded).
  bool LoadAndStore(Io& io, std::string_view key);
  /// SET key with the protection's format and TTL.
  void Store(Io& io, std::string_view key, const std::string& payload,
             std::chrono::milliseconds delta);
  /// The TTL of a value written now (jittered as the options say); 0: no expiry.
  std::chrono::milliseconds FreshTtl(std::mt19937_64& rng) const;
  double JitterFraction() const;
  std::chrono::milliseconds StaleWindow() const;

  /// Single-flight over the flight map: the leader loads, the others wait for it.
  GetResult SingleFlight(Io& io, std::string_view key);
  /// The flight of `key`, and whether the caller just started it (and must land it).
  std::pair<std::shared_ptr<Flight>, bool> JoinFlight(std::string_view key);
  /// Removes the flight of `key` and wakes its waiters.
  void LandFlight(std::string_view key, bool ok);
  /// Waits for `flight` to land: whether it produced a value.
  static bool AwaitFlight(Flight& flight);

  /// kSwr: queues a background refresh of `key` unless a load of it is in flight already.
  void ScheduleRefresh(std::string_view key);
  void RunRefresher(std::size_t index);
  void StopRefreshers();

  const Options options_;
  Origin& origin_;
  StatsdReporter* reporter_;
  std::atomic<std::uint64_t> next_session_{1};

  std::mutex flights_mu_;  // before refresh_mu_ when both are held
  std::map<std::string, std::shared_ptr<Flight>, std::less<>> flights_;  // by key

  std::mutex refresh_mu_;
  std::condition_variable refresh_cv_;
  std::deque<std::string> refresh_queue_;  // guarded by refresh_mu_
  bool stopping_ = false;                  // guarded by refresh_mu_
  std::vector<std::thread> refreshers_;

  std::atomic<std::uint64_t> hits_{0}, misses_{0}, loads_{0}, coalesced_{0}, lock_waits_{0},
      lock_timeouts_{0}, stale_served_{0}, refreshes_{0}, refresh_skipped_{0}, errors_{0};
};

}  // namespace stampede::sim
