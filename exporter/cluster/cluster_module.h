// Redis Cluster mode: finds the masters (CLUSTER SLOTS), keeps that list current, and runs an
// INFO sampler and a notification subscriber per master, their series labelled node=host:port.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cluster/topology.h"
#include "collectors/collector.h"
#include "collectors/info_collector.h"
#include "common/log.h"
#include "events/events_module.h"
#include "redis/connection.h"
#include "redis/info_sampler.h"

namespace stampede::cluster {

/// A topology thread reads CLUSTER SLOTS from the seed (or, failing that, from any known
/// master) at start, every refresh_interval, and at most once per error_refresh while a
/// master's INFO or subscription is down, so a failover is followed within about the cluster's
/// node timeout plus error_refresh. New masters get an InfoSampler + InfoCollector and (through
/// `events`) a subscriber; masters that left are stopped and dropped. At most max_nodes masters
/// (by label order) are watched; the rest are counted. Start/Stop from the owner; the rest is
/// thread-safe.
class ClusterModule {
 public:
  struct Options {
    redis::Connection::Options seed;  // --redis.addr and the credentials every node uses
    std::chrono::milliseconds info_interval{1000};
    std::chrono::milliseconds refresh_interval{10000};
    std::chrono::milliseconds error_refresh{1000};
    std::size_t max_nodes = 64;
  };

  /// `events` (in cluster mode) must outlive this.
  ClusterModule(Options options, events::EventsModule& events, Logger& log);
  ~ClusterModule();
  ClusterModule(const ClusterModule&) = delete;
  ClusterModule& operator=(const ClusterModule&) = delete;

  void Start();
  void Stop();

  /// "cluster" (topology health) and "info" (every master's INFO metrics with a node label;
  /// it fails a scrape unless every master answered its last INFO).
  std::vector<std::shared_ptr<const collectors::Collector>> collectors() const;
  /// The topology is known and every master answered INFO once (for /-/ready).
  bool ready() const;
  /// The topology is known and every master answered its last INFO.
  bool connected() const;

 private:
  struct Node {
    std::string label;
    redis::Address address;
    std::shared_ptr<collectors::InfoCollector> info;
    std::shared_ptr<events::NodeEvents> events;
    std::unique_ptr<redis::InfoSampler> sampler;  // last: stopped and destroyed first
  };
  class InfoMerger;
  class TopologyCollector;

  void Run();
  void Refresh();
  void Reconcile(std::vector<Master> masters);
  bool NodeDown() const;
  std::vector<std::shared_ptr<const Node>> Snapshot() const;

  const Options options_;
  events::EventsModule& events_;
  Logger& log_;
  std::shared_ptr<const collectors::Collector> info_collector_;
  std::shared_ptr<const collectors::Collector> topology_collector_;

  std::thread thread_;
  std::mutex wait_mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // guarded by wait_mu_

  mutable std::mutex mu_;  // guards nodes_
  std::vector<std::shared_ptr<Node>> nodes_;

  std::atomic<bool> known_{false};  // one refresh succeeded
  std::atomic<std::uint64_t> refreshes_{0};
  std::atomic<std::uint64_t> refresh_errors_{0};
  std::atomic<std::uint64_t> changes_{0};
  std::atomic<std::uint64_t> over_limit_{0};  // masters beyond max_nodes at the last refresh
  // Topology thread only.
  bool logged_error_ = false;
};

}  // namespace stampede::cluster
