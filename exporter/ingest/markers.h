// Markers: deploy tooling announces an expected mass invalidation or warm-up window.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/collector.h"
#include "common/clock.h"
#include "common/status.h"

namespace stampede::ingest {

enum class MarkerKind { kDeploy, kWarmup, kPurge, kMaintenance };

/// "deploy", "warmup", "purge", "maintenance".
std::string_view MarkerKindName(MarkerKind kind);
std::optional<MarkerKind> ParseMarkerKind(std::string_view text);

/// The `class` of a marker that covers every class.
inline constexpr std::string_view kAllClasses = "all";
/// At most this many markers are active at once.
inline constexpr std::size_t kMaxActiveMarkers = 256;
/// The longest marker.
inline constexpr std::chrono::hours kMaxMarkerDuration{24};

struct Marker {
  std::uint64_t id = 0;
  MarkerKind kind = MarkerKind::kDeploy;
  std::string class_name;  // or kAllClasses
  Clock::time_point start;
  Clock::time_point end;
};

/// Active markers; expired ones vanish at the next call. Thread-safe.
class MarkerTable {
 public:
  explicit MarkerTable(const Clock& clock) : clock_(clock) {}

  /// Adds a marker from now for `duration`; an error when kMaxActiveMarkers are active.
  Result<Marker> Add(MarkerKind kind, std::string class_name, std::chrono::milliseconds duration);
  /// The active markers, oldest first.
  std::vector<Marker> Active() const;
  /// Whether a marker covers `class_name` now (a marker for `all` covers every class): for the
  /// detectors' expected="true".
  bool Covers(std::string_view class_name) const;

  const Clock& clock() const { return clock_; }

 private:
  void Expire(Clock::time_point now) const;  // mu_ held

  const Clock& clock_;
  mutable std::mutex mu_;
  mutable std::vector<Marker> markers_;  // guarded by mu_
  std::uint64_t next_id_ = 1;            // guarded by mu_
};

/// stampede_marker_active{kind,class} 1 for each active (kind, class). Thread-safe.
class MarkerCollector : public collectors::Collector {
 public:
  explicit MarkerCollector(std::shared_ptr<const MarkerTable> table) : table_(std::move(table)) {}
  std::string_view Name() const override { return "markers"; }
  Status Collect(collectors::Families& out) const override;

 private:
  std::shared_ptr<const MarkerTable> table_;
};

}  // namespace stampede::ingest
