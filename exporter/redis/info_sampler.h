// Samples INFO on a fixed interval over one long-lived connection and hands each result to
// its sinks. Owns the only thread that talks to Redis for INFO.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/log.h"
#include "redis/connection.h"
#include "redis/info_parser.h"

namespace stampede::redis {

/// Why a sample failed; a bounded label value.
enum class SampleError { kConnect, kIo, kCommand };
std::string_view SampleErrorName(SampleError e);

/// Receives every INFO sample. Called on the sampler thread, one call at a time; an
/// implementation shares what it keeps with scrapes under its own lock.
class InfoSink {
 public:
  virtual ~InfoSink() = default;
  virtual void OnInfo(const InfoSnapshot& info, std::chrono::duration<double> took) = 0;
  virtual void OnInfoError(SampleError error, std::chrono::duration<double> took) = 0;
};

/// INFO sampling loop. Start() spawns the thread; Stop() (or the destructor) ends it within
/// about one command timeout. ready() and connected() are safe from any thread.
class InfoSampler {
 public:
  struct Options {
    Connection::Options connection;
    std::chrono::milliseconds interval{1000};
    /// Reconnect backoff starts here and doubles up to max_backoff (and never beyond the
    /// interval). max_backoff bounds how long a returning Redis waits to be seen: half a second,
    /// so that INFO is up again within 1 s of Redis answering.
    std::chrono::milliseconds min_backoff{50};
    std::chrono::milliseconds max_backoff{500};
  };

  /// The INFO sections asked for (Redis >= 7.0 takes several); older servers get `INFO all`.
  static const std::vector<std::string>& Sections();

  InfoSampler(Options options, std::vector<InfoSink*> sinks, Logger& log);
  ~InfoSampler();
  InfoSampler(const InfoSampler&) = delete;
  InfoSampler& operator=(const InfoSampler&) = delete;

  void Start();
  void Stop();

  /// True once one sample has succeeded (for /-/ready).
  bool ready() const { return ready_.load(std::memory_order_acquire); }
  /// True while the last sample succeeded.
  bool connected() const { return connected_.load(std::memory_order_acquire); }

 private:
  void Run();
  void SampleOnce(std::unique_ptr<Connection>& conn, bool& legacy_info);
  void Fail(SampleError error, const std::string& message, std::chrono::duration<double> took);
  /// Waits until `deadline` or Stop(); false when stopping.
  bool WaitUntil(std::chrono::steady_clock::time_point deadline);

  const Options options_;
  const std::vector<InfoSink*> sinks_;
  Logger& log_;

  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // guarded by mu_

  std::atomic<bool> ready_{false};
  std::atomic<bool> connected_{false};
  // Sampler thread only: for logging once per state change.
  enum class LinkState { kUnknown, kUp, kDown };
  LinkState link_state_ = LinkState::kUnknown;
  std::string last_error_;
};

}  // namespace stampede::redis
