// What one StatsD datagram does: split, parse, map, count. No sockets (udp_listener.h).
#pragma once

#include <string_view>
#include <vector>

#include "ingest/app_counters.h"
#include "ingest/ingest_stats.h"
#include "ingest/statsd_mapper.h"
#include "ingest/statsd_parser.h"

namespace stampede::ingest {

/// Feeds datagrams into the store. Not thread-safe (it reuses buffers): one per receiving
/// thread; the mapper, store and stats it points to are shared and thread-safe.
class StatsdSink {
 public:
  StatsdSink(const StatsdMapper& mapper, AppCounterStore& store, IngestStats& stats)
      : mapper_(mapper), store_(store), stats_(stats) {}

  /// Counts the packet, each line by outcome, and applies the accepted events at once.
  void HandlePacket(std::string_view packet, Transport transport);

 private:
  const StatsdMapper& mapper_;
  AppCounterStore& store_;
  IngestStats& stats_;
  StatsdLine line_;
  std::vector<AppEvent> events_;
};

}  // namespace stampede::ingest
