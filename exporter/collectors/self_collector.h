// The exporter's own identity and process health: build info, start time, CPU, memory, fds.
#pragma once

#include "collectors/collector.h"

namespace stampede::collectors {

/// Process metrics in the standard process_* names (as every Prometheus client library
/// exports them) plus stampede_build_info. Reads /proc/self at scrape time. Thread-safe.
class SelfCollector : public Collector {
 public:
  SelfCollector();
  std::string_view Name() const override { return "exporter"; }
  Status Collect(Families& out) const override;

 private:
  double start_time_seconds_;
};

}  // namespace stampede::collectors
