#include "collectors/collector_set.h"

#include <chrono>
#include <exception>
#include <iterator>
#include <optional>
#include <string>

#include "collectors/metric_builder.h"
#include "collectors/text_exposition.h"

namespace stampede::collectors {

CollectorSet::CollectorSet(std::vector<std::shared_ptr<const Collector>> collectors)
    : collectors_(std::move(collectors)) {}

template <typename Run, typename Undo>
Families CollectorSet::Each(const Run& run, const Undo& undo) const {
  FamilyBuilder success("stampede_scrape_collector_success",
                        "1 if the collector's last run at this scrape succeeded, else 0.",
                        prometheus::MetricType::Gauge);
  FamilyBuilder duration("stampede_scrape_collector_duration_seconds",
                         "Time the collector took at this scrape.", prometheus::MetricType::Gauge);
  for (const auto& collector : collectors_) {
    const auto started = std::chrono::steady_clock::now();
    Status status;
    try {
      status = run(*collector);
    } catch (const std::exception& e) {
      // A collector bug must not take the scrape down; drop what it half-built.
      undo();
      status = Status::Error(std::string("exception: ") + e.what());
    }
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    const std::string name(collector->Name());
    success.Add({{"collector", name}}, status.ok() ? 1 : 0);
    duration.Add({{"collector", name}}, took.count());
  }
  Families health;
  health.push_back(std::move(success).Build());
  health.push_back(std::move(duration).Build());
  return health;
}

std::vector<prometheus::MetricFamily> CollectorSet::Collect() const {
  Families out;
  std::size_t mark = 0;
  Families health = Each(
      [&](const Collector& c) {
        mark = out.size();
        return c.Collect(out);
      },
      [&] { out.resize(mark); });
  out.insert(out.end(), std::make_move_iterator(health.begin()),
             std::make_move_iterator(health.end()));
  return out;
}

void CollectorSet::AppendText(std::string& out) const {
  Families families;
  std::size_t mark = 0;
  const Families health = Each(
      [&](const Collector& c) {
        mark = out.size();
        if (std::optional<Status> status = c.AppendText(out)) {
          return *status;
        }
        families.clear();
        Status status = c.Collect(families);
        AppendTextExposition(families, out);
        return status;
      },
      [&] { out.resize(mark); });
  AppendTextExposition(health, out);
}

}  // namespace stampede::collectors
