// The application-counter side ([ingest]): StatsD/DogStatsD, HTTP JSON batches, markers.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "collectors/collector.h"
#include "common/clock.h"
#include "common/log.h"
#include "common/status.h"
#include "config/config_file.h"
#include "config/flags.h"
#include "http/listener.h"
#include "ingest/app_counters.h"
#include "ingest/datagram_listener.h"
#include "ingest/ingest_api.h"
#include "ingest/ingest_stats.h"
#include "ingest/markers.h"
#include "ingest/statsd_mapper.h"

namespace stampede::ingest {

/// Owns everything the [ingest] side runs: its listeners and what they count. Start() binds
/// and starts; Stop() (or the destructor) ends. collectors() is valid from construction on.
/// Not thread-safe itself; what it hands out says its own thread-safety.
class IngestModule {
 public:
  /// `requests` counts the ingest listener's requests into stampede_http_requests_total.
  IngestModule(const config::Config& config, const config::FileConfig& file,
               std::shared_ptr<http::RequestCounter> requests, Logger& log,
               const Clock& clock = SteadyClock::Instance());
  ~IngestModule();
  IngestModule(const IngestModule&) = delete;
  IngestModule& operator=(const IngestModule&) = delete;

  /// Reads the token file, binds the StatsD sockets and the ingest listener; the error names
  /// the address or file and the reason.
  Status Start();
  void Stop();

  /// Collectors to expose on /metrics, in order.
  std::vector<std::shared_ptr<const collectors::Collector>> collectors() const;

  /// Bound ports, 0 when off or not started (port 0 flags pick free ones).
  int statsd_udp_port() const { return udp_ ? udp_->port() : 0; }
  int ingest_port() const { return http_ ? http_->port() : 0; }

  /// For the detectors: the app counters (key-hash table included) and the markers.
  std::shared_ptr<AppCounterStore> store() const { return store_; }
  std::shared_ptr<const MarkerTable> markers() const { return markers_; }

 private:
  config::IngestConfig config_;
  std::shared_ptr<http::RequestCounter> requests_;
  Logger& log_;
  std::shared_ptr<AppCounterStore> store_;
  std::shared_ptr<IngestStats> stats_;
  std::shared_ptr<MarkerTable> markers_;
  std::unique_ptr<StatsdMapper> mapper_;
  std::uint64_t key_seed_;
  std::unique_ptr<DatagramListener> udp_;
  std::unique_ptr<DatagramListener> unixgram_;
  std::unique_ptr<http::Listener> http_;
};

/// Reads a bearer token file: trailing newlines dropped; empty or larger than 4 KiB is an
/// error naming the file (never its content).
Result<std::string> ReadTokenFile(const std::string& path);

}  // namespace stampede::ingest
