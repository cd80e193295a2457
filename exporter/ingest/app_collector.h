// /metrics for the application counters and the ingest self-metrics, built fresh per scrape.
#pragma once

#include <memory>
#include <string_view>

#include "collectors/collector.h"
#include "ingest/app_counters.h"
#include "ingest/ingest_stats.h"

namespace stampede::ingest {

/// Reads the store and the stats at each scrape. Thread-safe (both are).
class AppCollector : public collectors::Collector {
 public:
  AppCollector(std::shared_ptr<const AppCounterStore> store,
               std::shared_ptr<const IngestStats> stats);
  std::string_view Name() const override { return "ingest"; }
  Status Collect(collectors::Families& out) const override;

 private:
  std::shared_ptr<const AppCounterStore> store_;
  std::shared_ptr<const IngestStats> stats_;
};

}  // namespace stampede::ingest
