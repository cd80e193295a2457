// The keyspace-notification side ([events]): subscribers, key classes, key tracking.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "collectors/collector.h"
#include "common/log.h"
#include "common/status.h"
#include "config/config_file.h"
#include "config/flags.h"
#include "redis/info_sampler.h"

namespace stampede::events {

/// Owns everything the [events] side runs. Start() starts its threads; Stop() (or the
/// destructor) ends them. collectors() and info_sink() are valid from construction on.
/// Not thread-safe itself; what it hands out says its own thread-safety.
class EventsModule {
 public:
  EventsModule(const config::Config& config, const config::FileConfig& file, std::string password,
               Logger& log);
  ~EventsModule();
  EventsModule(const EventsModule&) = delete;
  EventsModule& operator=(const EventsModule&) = delete;

  Status Start();
  void Stop();

  /// Collectors to expose on /metrics, in order.
  std::vector<std::shared_ptr<const collectors::Collector>> collectors() const;
  /// Receives every INFO sample (FLUSHDB/FLUSHALL are seen only there); may be null.
  redis::InfoSink* info_sink();
};

}  // namespace stampede::events
