// Settings of the keyspace-notification side ([events]), set by flags (events_flags.cc).
#pragma once

#include <chrono>
#include <cstddef>
#include <vector>

namespace stampede::config {

/// --redis.cluster: kAuto uses cluster mode when INFO cluster says cluster_enabled:1.
enum class ClusterMode { kAuto, kOn, kOff };

/// A plain value: thread-compatible.
struct EventsConfig {
  std::vector<int> dbs = {0};                          // --redis.db
  bool configure_notifications = false;                // --redis.configure-notifications
  std::size_t tracked_keys = 65536;                    // --events.tracked-keys
  std::size_t top_k = 128;                             // --events.top-k
  std::chrono::milliseconds invalidation_ttl{120000};  // --events.invalidation-ttl
  ClusterMode cluster = ClusterMode::kAuto;            // --redis.cluster
  std::chrono::milliseconds cluster_refresh{10000};    // --redis.cluster-refresh
};

}  // namespace stampede::config
