// One Redis node's share of the [events] side: its subscriber, the tally it counts into and
// the flush detector its INFO samples feed. Standalone mode has one, cluster mode one per
// master.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "classify/classifier.h"
#include "common/clock.h"
#include "common/log.h"
#include "events/event_tally.h"
#include "events/flush_detector.h"
#include "events/key_tracker.h"
#include "events/subscriber.h"

namespace stampede::events {

/// Owned by EventsModule and shared read-only with scrapes. The tally has one writer (this
/// node's subscriber thread), so the per-event path stays lock-free with many nodes; the
/// KeyTracker they all feed locks itself. Thread-safety: that of the members.
struct NodeEvents {
  NodeEvents(std::string node_label, Subscriber::Options options,
             const classify::Classifier& classifier, KeyTracker* tracker, std::uint64_t key_seed,
             const Clock& clock, Logger& log)
      : node(std::move(node_label)),
        tally(classifier, tracker, key_seed),
        flushes(tracker, clock, log),
        subscriber(std::move(options), tally, clock, log) {}

  /// The `node` label value (the master's host:port); empty in standalone mode: no label.
  const std::string node;
  EventTally tally;
  FlushDetector flushes;
  Subscriber subscriber;
};

using NodeEventsList = std::vector<std::shared_ptr<const NodeEvents>>;

}  // namespace stampede::events
