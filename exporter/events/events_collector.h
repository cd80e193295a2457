// /metrics for the [events] side: keyspace events per class, subscriber health, flushes,
// tracking bounds.
#pragma once

#include <functional>

#include "collectors/collector.h"
#include "events/key_tracker.h"
#include "events/node_events.h"

namespace stampede::events {

/// Reads the nodes (their tallies, subscribers and flush detectors) and the tracker at scrape
/// time. `nodes` returns the current nodes; a node with a non-empty label adds a `node` label
/// to its series. The classifier and tracker must outlive this. Thread-safe (everything it
/// reads is).
class EventsCollector : public collectors::Collector {
 public:
  EventsCollector(std::function<NodeEventsList()> nodes, const classify::Classifier& classes,
                  const KeyTracker& tracker);

  std::string_view Name() const override { return "events"; }
  Status Collect(collectors::Families& out) const override;

 private:
  const std::function<NodeEventsList()> nodes_;
  const classify::Classifier& classes_;
  const KeyTracker& tracker_;
};

}  // namespace stampede::events
