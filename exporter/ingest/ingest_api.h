// The HTTP ingest API's routes: POST /api/v1/events, POST and GET /api/v1/markers.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "http/listener.h"
#include "ingest/app_counters.h"
#include "ingest/event_batch.h"
#include "ingest/ingest_stats.h"
#include "ingest/markers.h"

namespace stampede::ingest {

/// What the routes use. The shared objects are thread-safe; the rest is read-only.
struct IngestApiContext {
  std::shared_ptr<AppCounterStore> store;
  std::shared_ptr<IngestStats> stats;
  std::shared_ptr<MarkerTable> markers;
  BatchLimits limits;
  std::uint64_t key_seed = 0;
  std::string token;  // "" = no token required
};

/// The routes; handlers never throw (errors answer JSON {"error", "field"}).
std::vector<http::Route> IngestRoutes(std::shared_ptr<const IngestApiContext> context);

/// Whether an Authorization header value carries `token` as a bearer token (constant time in
/// the token's length). Pure.
bool BearerMatches(std::string_view header, std::string_view token);

}  // namespace stampede::ingest
