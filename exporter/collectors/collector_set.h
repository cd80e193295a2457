// Runs the explicit list of collectors at each scrape and reports each one's health.
#pragma once

#include <prometheus/collectable.h>

#include <memory>
#include <string>
#include <vector>

#include "collectors/collector.h"

namespace stampede::collectors {

/// A prometheus::Collectable over an explicit, ordered list of collectors. Each scrape runs
/// every collector, times it, and appends stampede_scrape_collector_success{collector} and
/// stampede_scrape_collector_duration_seconds{collector}. Thread-safe if the collectors are.
class CollectorSet : public prometheus::Collectable {
 public:
  explicit CollectorSet(std::vector<std::shared_ptr<const Collector>> collectors);

  std::vector<prometheus::MetricFamily> Collect() const override;

  /// The same families in the text format, appended to `out`: what /metrics serves. Takes
  /// each collector's AppendText fast path where it offers one.
  void AppendText(std::string& out) const;

 private:
  // Runs `run(collector)` for each collector, timed and with exceptions contained, and returns
  // the success and duration families. `undo` drops what a throwing collector half-built.
  template <typename Run, typename Undo>
  Families Each(const Run& run, const Undo& undo) const;

  const std::vector<std::shared_ptr<const Collector>> collectors_;
};

}  // namespace stampede::collectors
