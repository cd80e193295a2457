#include "ingest/markers.h"

#include <algorithm>
#include <array>
#include <set>
#include <utility>

#include "collectors/metric_builder.h"

namespace stampede::ingest {

namespace {

constexpr std::array<std::pair<MarkerKind, std::string_view>, 4> kKinds = {{
    {MarkerKind::kDeploy, "deploy"},
    {MarkerKind::kWarmup, "warmup"},
    {MarkerKind::kPurge, "purge"},
    {MarkerKind::kMaintenance, "maintenance"},
}};

}  // namespace

std::string_view MarkerKindName(MarkerKind kind) {
  for (const auto& [k, name] : kKinds) {
    if (k == kind) {
      return name;
    }
  }
  return "unknown";
}

std::optional<MarkerKind> ParseMarkerKind(std::string_view text) {
  for (const auto& [k, name] : kKinds) {
    if (name == text) {
      return k;
    }
  }
  return std::nullopt;
}

void MarkerTable::Expire(Clock::time_point now) const {
  std::erase_if(markers_, [now](const Marker& m) { return m.end <= now; });
}

Result<Marker> MarkerTable::Add(MarkerKind kind, std::string class_name,
                                std::chrono::milliseconds duration) {
  const Clock::time_point now = clock_.Now();
  std::lock_guard<std::mutex> lock(mu_);
  Expire(now);
  if (markers_.size() >= kMaxActiveMarkers) {
    return Status::Error("too many active markers (at most " + std::to_string(kMaxActiveMarkers) +
                         ")");
  }
  Marker m{next_id_++, kind, std::move(class_name), now, now + duration};
  markers_.push_back(m);
  return m;
}

std::vector<Marker> MarkerTable::Active() const {
  const Clock::time_point now = clock_.Now();
  std::lock_guard<std::mutex> lock(mu_);
  Expire(now);
  return markers_;
}

bool MarkerTable::Covers(std::string_view class_name) const {
  for (const Marker& m : Active()) {
    if (m.class_name == kAllClasses || m.class_name == class_name) {
      return true;
    }
  }
  return false;
}

Status MarkerCollector::Collect(collectors::Families& out) const {
  std::set<std::pair<std::string, std::string>> active;
  for (const Marker& m : table_->Active()) {
    active.emplace(std::string(MarkerKindName(m.kind)), m.class_name);
  }
  collectors::FamilyBuilder f("stampede_marker_active",
                              "1 while a marker (an announced deploy, warm-up, purge or "
                              "maintenance window) covers the class; class=\"all\" covers all.",
                              prometheus::MetricType::Gauge);
  for (const auto& [kind, class_name] : active) {
    f.Add({{"kind", kind}, {"class", class_name}}, 1);
  }
  out.push_back(f.Build());
  return Status::Ok();
}

}  // namespace stampede::ingest
