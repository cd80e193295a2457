// The exporter's own identity and process health: build info, start time, CPU, memory, fds.
#pragma once

#include <optional>
#include <string_view>

#include "collectors/collector.h"

namespace stampede::collectors {

/// What the process_* metrics need of /proc/self/stat.
struct ProcStat {
  double cpu_seconds = 0;  // utime + stime
  double rss_bytes = 0;
  double vsize_bytes = 0;
};

/// Parses /proc/PID/stat text: fields 14-15 (utime, stime, in clock ticks), 23 (vsize, bytes)
/// and 24 (rss, pages). The command name (field 2) may hold spaces and parentheses, so fields
/// are counted after its last ')'. Nothing when a field is missing or not a number.
std::optional<ProcStat> ParseProcStat(std::string_view text, double ticks_per_second,
                                      double page_bytes);

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
