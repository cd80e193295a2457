// Samples random keys' absolute expiry times on a slow interval, per key class, for D6's
// predictive half (expiry_cliff_predicted). Owns the only thread that talks to Redis for it.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "classify/classifier.h"
#include "common/clock.h"
#include "common/log.h"
#include "detect/sample.h"
#include "redis/connection.h"

namespace stampede::redis {

/// Every `interval` (the first round right after Start()), on one connection named
/// `stampede-ttl-sampler`: `keys` x RANDOMKEY, PEXPIRETIME for each distinct key, and TIME to
/// map Redis's clock onto `clock`. Each key's class comes from the classifier. Cost per round:
/// at most 2 x `keys` + 1 one-at-a-time commands (about 400 loopback round trips at the
/// defaults), all O(1) in Redis. Note that RANDOMKEY on a master may lazily delete a logically
/// expired key it lands on: a self-induced `expired` event, rare and harmless.
/// Errors are counted and logged once per state change; on a server without PEXPIRETIME
/// (Redis < 7.0) the sampler logs that once and stops sampling for good.
/// Start() spawns the thread; Stop() (or the destructor) ends it within about one command
/// timeout plus the rest of a round. Latest(), rounds(), errors() and supported() are safe from
/// any thread.
class TtlSampler {
 public:
  struct Options {
    Connection::Options connection;
    std::chrono::milliseconds interval{30000};
    std::size_t keys = 200;  // RANDOMKEY calls per round
  };
  /// Class name → the class's sample of one round.
  using Samples = std::map<std::string, detect::TtlSample>;

  /// `classifier`, `clock` and `log` must outlive the sampler.
  TtlSampler(Options options, const classify::Classifier& classifier, const Clock& clock,
             Logger& log);
  ~TtlSampler();
  TtlSampler(const TtlSampler&) = delete;
  TtlSampler& operator=(const TtlSampler&) = delete;

  void Start();
  void Stop();

  /// The samples of the last successful round (empty before it, and for an empty database).
  /// A class none of whose keys were drawn is absent.
  Samples Latest() const;
  /// Successful rounds.
  std::uint64_t rounds() const { return rounds_.load(std::memory_order_relaxed); }
  /// Failed rounds: no connection, a broken one, or an error reply.
  std::uint64_t errors() const { return errors_.load(std::memory_order_relaxed); }
  /// False once the server turned out to lack PEXPIRETIME: no more rounds.
  bool supported() const { return supported_.load(std::memory_order_acquire); }

 private:
  void Run();
  /// One round on `conn`: the classes' samples, or what failed.
  Result<Samples> SampleRound(Connection& conn) const;
  void Publish(Samples samples);
  void Fail(const std::string& message);
  /// Waits until `deadline` or Stop(); false when stopping.
  bool WaitUntil(std::chrono::steady_clock::time_point deadline);

  const Options options_;
  const classify::Classifier& classifier_;
  const Clock& clock_;
  Logger& log_;

  std::thread thread_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // guarded by mu_
  Samples latest_;     // guarded by mu_

  std::atomic<std::uint64_t> rounds_{0};
  std::atomic<std::uint64_t> errors_{0};
  std::atomic<bool> supported_{true};
  // Sampler thread only: for logging once per state change.
  enum class LinkState { kUnknown, kUp, kDown };
  LinkState link_state_ = LinkState::kUnknown;
  std::string last_error_;
};

}  // namespace stampede::redis
