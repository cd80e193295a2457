// The application-counter side ([ingest]): StatsD/DogStatsD, HTTP JSON batches, markers.
#pragma once

#include <memory>
#include <vector>

#include "collectors/collector.h"
#include "common/log.h"
#include "common/status.h"
#include "config/config_file.h"
#include "config/flags.h"
#include "http/listener.h"

namespace stampede::ingest {

/// Owns everything the [ingest] side runs: its listeners and what they count. Start() binds
/// and starts; Stop() (or the destructor) ends. collectors() is valid from construction on.
/// Not thread-safe itself; what it hands out says its own thread-safety.
class IngestModule {
 public:
  /// `requests` counts the ingest listener's requests into stampede_http_requests_total.
  IngestModule(const config::Config& config, const config::FileConfig& file,
               std::shared_ptr<http::RequestCounter> requests, Logger& log);
  ~IngestModule();
  IngestModule(const IngestModule&) = delete;
  IngestModule& operator=(const IngestModule&) = delete;

  Status Start();
  void Stop();

  /// Collectors to expose on /metrics, in order.
  std::vector<std::shared_ptr<const collectors::Collector>> collectors() const;
};

}  // namespace stampede::ingest
