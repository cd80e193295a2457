// Redis Cluster topology: which masters serve which slots (CLUSTER SLOTS), and whether a node
// runs in cluster mode at all (INFO cluster). Pure parsing plus two one-shot queries.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "redis/connection.h"

namespace stampede::cluster {

/// One master and the slot ranges it serves. A plain value.
struct Master {
  std::string host;
  int port = 0;
  std::vector<std::pair<int, int>> slots;  // inclusive ranges

  /// host:port ([host]:port for IPv6): the `node` label value.
  std::string Label() const;
  bool Serves(int slot) const;
};

/// The masters in a CLUSTER SLOTS reply, sorted by label, each once. An empty host (a node
/// that does not know its own address) becomes `fallback_host`, the host that was asked.
Result<std::vector<Master>> ParseClusterSlots(const redis::Reply& reply,
                                              const std::string& fallback_host);

/// Asks one node for the masters (CLUSTER SLOTS).
Result<std::vector<Master>> FetchMasters(const redis::Connection::Options& options);

/// True when INFO cluster says cluster_enabled:1.
Result<bool> ClusterEnabled(const redis::Connection::Options& options);

}  // namespace stampede::cluster
