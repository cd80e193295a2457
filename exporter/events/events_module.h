// The keyspace-notification side ([events]): subscribers, key classes, key tracking.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "classify/classifier.h"
#include "collectors/collector.h"
#include "common/clock.h"
#include "common/log.h"
#include "common/status.h"
#include "config/config_file.h"
#include "config/flags.h"
#include "events/events_collector.h"
#include "events/key_tracker.h"
#include "events/node_events.h"
#include "redis/address.h"
#include "redis/info_sampler.h"

namespace stampede::events {

/// Owns everything the [events] side runs. Start() starts its threads; Stop() (or the
/// destructor) ends them. collectors(), info_sink() and tracker() are valid from construction
/// on. Standalone mode has one node, the --redis.addr target; cluster mode starts with none and
/// the cluster module adds and removes masters (AddNode/RemoveNode) as the topology changes.
/// Start, Stop, AddNode and RemoveNode are called by one thread at a time; collectors() and
/// what it returns are safe from any thread.
class EventsModule {
 public:
  enum class Mode { kStandalone, kCluster };

  EventsModule(const config::Config& config, const config::FileConfig& file, std::string password,
               Logger& log, Mode mode = Mode::kStandalone,
               const Clock& clock = SteadyClock::Instance());
  ~EventsModule();
  EventsModule(const EventsModule&) = delete;
  EventsModule& operator=(const EventsModule&) = delete;

  Status Start();
  void Stop();

  /// Cluster mode: subscribes to one more node (`address` with the configured credentials),
  /// whose series carry node=`label`; started at once when the module runs. Its `flushes` is
  /// the InfoSink for that node's INFO samples.
  std::shared_ptr<NodeEvents> AddNode(const redis::Address& address, const std::string& label);
  /// Cluster mode: stops and forgets the node with that label (no-op if unknown).
  void RemoveNode(const std::string& label);
  /// The current nodes.
  NodeEventsList nodes() const;

  /// Collectors to expose on /metrics, in order.
  std::vector<std::shared_ptr<const collectors::Collector>> collectors() const;
  /// Standalone mode: receives every INFO sample (FLUSHDB/FLUSHALL are seen only there).
  /// Cluster mode: null (each node's `flushes` is fed by that node's sampler).
  redis::InfoSink* info_sink();
  /// The per-key state, for the detectors.
  const KeyTracker& tracker() const { return *tracker_; }
  const classify::Classifier& classifier() const { return *classifier_; }

 private:
  std::shared_ptr<NodeEvents> MakeNode(const redis::Address& address, std::string label);

  Logger& log_;
  const Clock& clock_;
  const std::uint64_t key_seed_;  // --detect.key-hash-seed (App sets one when unset)
  Subscriber::Options base_;      // connection settings shared by every node
  std::unique_ptr<classify::Classifier> classifier_;
  std::unique_ptr<KeyTracker> tracker_;
  std::shared_ptr<EventsCollector> collector_;
  std::shared_ptr<NodeEvents> standalone_;  // standalone mode only

  mutable std::mutex mu_;  // guards nodes_ and started_
  std::vector<std::shared_ptr<NodeEvents>> nodes_;
  bool started_ = false;
};

}  // namespace stampede::events
