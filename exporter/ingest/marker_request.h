// POST /api/v1/markers bodies: {"kind": "deploy", "class": "user_profile", "duration": "10m"}.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "ingest/event_batch.h"
#include "ingest/markers.h"

namespace stampede::ingest {

struct MarkerRequest {
  MarkerKind kind = MarkerKind::kDeploy;
  std::string class_name = std::string(kAllClasses);  // absent: every class
  std::chrono::milliseconds duration{0};
};

/// Parses and validates a marker request (duration in (0, 24h], written like "90s" or "10m").
/// On failure fills `error` (reason, field, message). Never throws. Pure.
bool ParseMarkerRequest(std::string_view body, MarkerRequest& out, BatchError& error);

}  // namespace stampede::ingest
