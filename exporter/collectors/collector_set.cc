#include "collectors/collector_set.h"

#include <chrono>
#include <exception>
#include <string>

#include "collectors/metric_builder.h"

namespace stampede::collectors {

CollectorSet::CollectorSet(std::vector<std::shared_ptr<const Collector>> collectors)
    : collectors_(std::move(collectors)) {}

std::vector<prometheus::MetricFamily> CollectorSet::Collect() const {
  Families out;
  FamilyBuilder success("stampede_scrape_collector_success",
                        "1 if the collector's last run at this scrape succeeded, else 0.",
                        prometheus::MetricType::Gauge);
  FamilyBuilder duration("stampede_scrape_collector_duration_seconds",
                         "Time the collector took at this scrape.", prometheus::MetricType::Gauge);
  for (const auto& collector : collectors_) {
    const auto started = std::chrono::steady_clock::now();
    Status status;
    const std::size_t before = out.size();
    try {
      status = collector->Collect(out);
    } catch (const std::exception& e) {
      // A collector bug must not take the scrape down; drop what it half-built.
      out.resize(before);
      status = Status::Error(std::string("exception: ") + e.what());
    }
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    const std::string name(collector->Name());
    success.Add({{"collector", name}}, status.ok() ? 1 : 0);
    duration.Add({{"collector", name}}, took.count());
  }
  out.push_back(std::move(success).Build());
  out.push_back(std::move(duration).Build());
  return out;
}

}  // namespace stampede::collectors
