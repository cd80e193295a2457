// One scenario's world: a real redis-server with keyspace notifications on, and an in-process
// exporter (App) watching it, with StatsD and the ingest API on free loopback ports, a fixed
// key-hash seed, raw keys shown in incidents, and the scenario class file.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app.h"
#include "common/log.h"
#include "redis_link.h"
#include "support/redis_server.h"
#include "support/sync_stream.h"

namespace stampede::scenarios {

/// The key-hash seed the exporter runs with (--detect.key-hash-seed).
inline constexpr std::uint64_t kKeyHashSeed = 42;

/// The config file the scenarios run with (classes and the few detector overrides the short
/// scenarios need; each override says why).
extern const char kScenarioConfig[];

/// Starts everything in the constructor; error() says what failed, if anything. Not
/// thread-safe, except the HTTP calls (Scrape, StatusJson, IncidentsJson, IncidentJson,
/// PostMarker, WaitSubscribed), which take turns: one request at a time. (Debian's CivetWeb
/// formats its Date header with gmtime(), which TSan reports as a race between two requests
/// served at once; the scenarios' monitor and waits would otherwise overlap.)
class ScenarioHarness {
 public:
  struct Options {
    /// Added to redis-server's command line (after --notify-keyspace-events Egxemn).
    std::vector<std::string> redis_args;
    /// --detect.ttl-sample-interval: short, so an expiry cliff is sampled within seconds.
    std::chrono::milliseconds ttl_sample_interval{1000};
  };

  explicit ScenarioHarness(Options options);
  ScenarioHarness() : ScenarioHarness(Options{}) {}
  ~ScenarioHarness();
  ScenarioHarness(const ScenarioHarness&) = delete;
  ScenarioHarness& operator=(const ScenarioHarness&) = delete;

  /// Empty when Redis and the exporter run and every port is known.
  const std::string& error() const { return error_; }

  testing::RedisServer& redis() { return *redis_; }
  sim::RedisEndpoint endpoint() const;
  int web_port() const { return app_ ? app_->port() : 0; }
  int statsd_port() const { return statsd_port_; }
  int ingest_port() const { return ingest_port_; }
  std::string log() const { return log_stream_.str(); }

  /// GET /metrics; "" on failure.
  std::string Scrape() const;
  /// GET /api/v1/status; null on failure.
  nlohmann::json StatusJson() const;
  /// GET /api/v1/incidents?limit=100: the `incidents` array (newest first); null on failure.
  nlohmann::json IncidentsJson() const;
  /// GET /api/v1/incidents/<id> (with its timeline); null on failure.
  nlohmann::json IncidentJson(const std::string& id) const;
  /// POST /api/v1/markers on the ingest port; the status code (0: no answer) and the body.
  int PostMarker(const std::string& kind, const std::string& class_name,
                 const std::string& duration, std::string* body = nullptr) const;
  /// Polls /metrics until the keyspace subscriber is connected; false after `deadline`.
  bool WaitSubscribed(std::chrono::milliseconds deadline) const;

 private:
  /// One HTTP request at a time: 200 OK, or nullopt.
  std::optional<std::string> Get(int port, const std::string& path) const;

  std::string error_;
  mutable std::mutex http_mu_;
  testing::SyncStringStream log_stream_;
  std::unique_ptr<Logger> log_;
  std::unique_ptr<testing::RedisServer> redis_;
  std::unique_ptr<App> app_;
  int statsd_port_ = 0;
  int ingest_port_ = 0;
};

}  // namespace stampede::scenarios
