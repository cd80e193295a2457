// What the simulator asks the exporter: is it ready to judge, what verdict does it show now,
// and which incidents did it open (with cause, key and timeline). Also posts markers to its
// ingest API. Reads the exporter's public JSON API only (/api/v1/status, /api/v1/incidents).
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http_client.h"

namespace stampede::sim {

using WallTime = std::chrono::system_clock::time_point;

/// "2026-11-23T09:00:00.104Z" (the exporter's timestamps: UTC, milliseconds).
std::optional<WallTime> ParseRfc3339Millis(std::string_view text);

/// One incident as the exporter reports it.
struct IncidentView {
  std::string id;
  std::string class_name;
  std::string level;  // the highest reached: "stampede" or "herd_risk"
  std::string state;  // "open" or "resolved"
  bool expected = false;
  std::string cause;           // "del", "expired", "flush", ...
  std::string cause_key;       // with --incidents.show-keys
  std::string cause_key_hash;  // always
  std::optional<WallTime> onset;
  std::optional<WallTime> detected;     // when it opened (its first verdict)
  std::optional<WallTime> stampede_at;  // when its verdict became stampede, if it did
  std::vector<std::string> timeline;    // "<at> <text>"
  // Its `peak`: the worst the exporter measured during the incident.
  std::optional<double> lowest_hit_ratio;
  double herd_size = 0;  // misses on the herd key since its invalidation
  double origin_loads_per_second = 0;
  double loads_per_key = 0;
};

/// An incident from the JSON of /api/v1/incidents[/<id>] (text, so that tests can feed it).
IncidentView ParseIncident(std::string_view json_text);

/// "stampede" > "herd_risk" > anything else.
int LevelRank(std::string_view level);

class ExporterProbe {
 public:
  explicit ExporterProbe(HttpTarget web) : web_(std::move(web)) {}

  /// Polls /api/v1/status until the exporter's engine ticks and is not blind (its `all`
  /// class's `blind` indicator is eligible and not raised), or `limit` passes.
  bool WaitReady(std::chrono::milliseconds limit, std::string& why) const;
  /// The verdict of each class now (class → "none", "herd_risk" or "stampede").
  std::map<std::string, std::string> Verdicts(std::string& error) const;
  /// The incidents the exporter opened at or after `since`, oldest first, with timelines.
  std::vector<IncidentView> IncidentsSince(WallTime since, std::string& error) const;

  const HttpTarget& target() const { return web_; }

 private:
  HttpTarget web_;
};

/// POST /api/v1/markers on the exporter's ingest listener: a `kind` marker for `class_name`
/// lasting `duration` (whole seconds, at least 1). `token`: the bearer token, if one is set.
bool PostMarker(const HttpTarget& ingest, std::string_view kind, std::string_view class_name,
                std::chrono::milliseconds duration, std::string_view token, std::string& error);

}  // namespace stampede::sim
