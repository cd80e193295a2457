// The keyspace-notification side ([events]): subscribers, key classes, key tracking.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "classify/classifier.h"
#include "collectors/collector.h"
#include "common/clock.h"
#include "common/log.h"
#include "common/status.h"
#include "config/config_file.h"
#include "config/flags.h"
#include "events/event_tally.h"
#include "events/events_collector.h"
#include "events/flush_detector.h"
#include "events/key_tracker.h"
#include "events/subscriber.h"
#include "redis/info_sampler.h"

namespace stampede::events {

/// Owns everything the [events] side runs. Start() starts its threads; Stop() (or the
/// destructor) ends them. collectors(), info_sink() and tracker() are valid from construction
/// on. Not thread-safe itself; what it hands out says its own thread-safety.
class EventsModule {
 public:
  EventsModule(const config::Config& config, const config::FileConfig& file, std::string password,
               Logger& log, const Clock& clock = SteadyClock::Instance());
  ~EventsModule();
  EventsModule(const EventsModule&) = delete;
  EventsModule& operator=(const EventsModule&) = delete;

  Status Start();
  void Stop();

  /// Collectors to expose on /metrics, in order.
  std::vector<std::shared_ptr<const collectors::Collector>> collectors() const;
  /// Receives every INFO sample (FLUSHDB/FLUSHALL are seen only there); may be null.
  redis::InfoSink* info_sink();
  /// The per-key state, for the detectors.
  const KeyTracker& tracker() const { return *tracker_; }
  const classify::Classifier& classifier() const { return *classifier_; }

 private:
  Logger& log_;
  std::unique_ptr<classify::Classifier> classifier_;
  std::unique_ptr<KeyTracker> tracker_;
  std::unique_ptr<EventTally> tally_;
  std::unique_ptr<FlushDetector> flushes_;
  std::unique_ptr<Subscriber> subscriber_;
  std::shared_ptr<EventsCollector> collector_;
};

}  // namespace stampede::events
