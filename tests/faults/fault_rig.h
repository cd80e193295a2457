// What every fault test needs: a real redis-server with keyspace notifications on, the real
// exporter binary watching it (directly or through a TcpProxy), application traffic on Redis
// (and its counters over StatsD) during the fault, and a poller that scrapes /metrics every
// 100 ms for the whole test and records every broken promise.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "faults/tcp_proxy.h"
#include "support/process.h"
#include "support/redis_server.h"

namespace stampede::testing {

using FaultClock = std::chrono::steady_clock;

/// The sum of the samples of family `name` whose labels contain every one of `labels`
/// (`level="stampede"`); nullopt when no sample matches.
std::optional<double> SumSeries(const std::string& exposition, const std::string& name,
                                const std::vector<std::string>& labels = {});

/// What the /metrics poller saw.
struct PollReport {
  int scrapes = 0;
  double max_latency_seconds = 0;
  /// Every broken promise: a scrape that failed or took over 1 s, a counter that decreased or
  /// vanished, a stampede verdict. Capped.
  std::vector<std::string> problems;
  double min_config_readable = 1;
  bool saw_blind = false;       // stampede_indicator{class="all",indicator="blind"} was 1
  bool saw_redis_down = false;  // stampede_redis_up was 0
  bool saw_notifications_down = false;
};

class FaultRig {
 public:
  struct Options {
    /// Point the exporter at a TcpProxy in front of Redis instead of Redis itself.
    bool through_proxy = false;
  };

  explicit FaultRig(Options options);
  FaultRig() : FaultRig(Options{}) {}
  ~FaultRig();
  FaultRig(const FaultRig&) = delete;
  FaultRig& operator=(const FaultRig&) = delete;

  /// Starts Redis, the proxy, the exporter, the traffic and the poller; waits until the
  /// exporter is ready and subscribed. False (with ADD_FAILURE) on failure.
  bool Start();

  RedisServer& redis() { return *redis_; }
  TcpProxy& proxy() { return *proxy_; }
  int web_port() const { return web_port_; }
  /// The port the exporter talks to: the proxy's or Redis's.
  int exporter_redis_port() const;

  /// One scrape from the test thread (1 s timeout); "" on failure.
  std::string Scrape() const { return Get("/metrics"); }
  /// GET `path` on the exporter (1 s timeout); the body, or "" unless 200.
  std::string Get(const std::string& path) const;
  /// Scrapes every 20 ms until `pred(body)` holds or `deadline` passes; the last body in
  /// `last`. Returns when it held (or nullopt), measured from the call.
  std::optional<std::chrono::milliseconds> ScrapeUntil(
      const std::function<bool(const std::string&)>& pred, std::chrono::milliseconds deadline,
      std::string* last = nullptr) const;
  /// Polls PING on a fresh connection to `port` (Redis or the proxy) every 5 ms until it
  /// answers; the moment it did, or nullopt after `deadline`.
  static std::optional<FaultClock::time_point> WaitForPing(int port,
                                                           std::chrono::milliseconds deadline);

  /// True while the exporter process runs.
  bool exporter_running() { return exporter_.running(); }
  /// Stops traffic and poller; SIGTERM to the exporter; its exit status (waitpid form) or -1.
  int StopAll();
  PollReport report() const;
  std::string exporter_log() const;
  /// Traffic: commands answered and failed.
  std::uint64_t ops() const { return ops_.load(); }
  std::uint64_t op_errors() const { return op_errors_.load(); }

 private:
  void Traffic();
  void Poll();
  void Problem(const std::string& p);

  Options options_;
  std::string dir_;
  std::unique_ptr<RedisServer> redis_;
  std::unique_ptr<TcpProxy> proxy_;
  int web_port_ = 0;
  int statsd_port_ = 0;
  ChildProcess exporter_;
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> ops_{0};
  std::atomic<std::uint64_t> op_errors_{0};
  std::thread traffic_;
  std::thread poller_;
  mutable std::mutex mu_;
  PollReport report_;  // guarded by mu_
};

}  // namespace stampede::testing
