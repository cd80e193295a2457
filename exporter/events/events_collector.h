// /metrics for the [events] side: keyspace events per class, subscriber health, flushes,
// tracking bounds.
#pragma once

#include <memory>
#include <vector>

#include "collectors/collector.h"
#include "events/event_tally.h"
#include "events/flush_detector.h"
#include "events/key_tracker.h"
#include "events/subscriber.h"

namespace stampede::events {

/// Reads the tally, the subscribers, the flush detector and the tracker at scrape time; all
/// must outlive it. Thread-safe (everything it reads is).
class EventsCollector : public collectors::Collector {
 public:
  EventsCollector(const EventTally& tally, std::vector<const Subscriber*> subscribers,
                  const FlushDetector& flushes, const KeyTracker& tracker);

  std::string_view Name() const override { return "events"; }
  Status Collect(collectors::Families& out) const override;

 private:
  const EventTally& tally_;
  const std::vector<const Subscriber*> subscribers_;
  const FlushDetector& flushes_;
  const KeyTracker& tracker_;
};

}  // namespace stampede::events
