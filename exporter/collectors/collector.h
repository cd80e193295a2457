// The unit of metric collection: one aspect of the target, read at scrape time.
#pragma once

#include <prometheus/metric_family.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace stampede::collectors {

using Families = std::vector<prometheus::MetricFamily>;

/// Appends freshly built metric families at each scrape. A non-OK Status marks the collector
/// failed for this scrape (stampede_scrape_collector_success 0) and never fails the scrape.
/// Implementations say their own thread-safety; CollectorSet may call Collect from several
/// scrape threads at once.
class Collector {
 public:
  virtual ~Collector() = default;
  /// A short, stable name: the `collector` label value.
  virtual std::string_view Name() const = 0;
  virtual Status Collect(Families& out) const = 0;
  /// Optional fast path of /metrics (CollectorSet::AppendText): appends this collector's
  /// families in the text format and returns its status, or nothing to have Collect's
  /// families rendered instead. For collectors whose output changes far less often than it is
  /// scraped, which can keep it rendered.
  virtual std::optional<Status> AppendText(std::string& /*out*/) const { return std::nullopt; }
};

}  // namespace stampede::collectors
