#include "ingest/ingest_api.h"

#include <chrono>
#include <nlohmann/json.hpp>

#include "common/text.h"
#include "ingest/marker_request.h"

namespace stampede::ingest {

namespace {

using nlohmann::json;

http::Response JsonAnswer(int code, const json& body) {
  return http::Response::Json(code, body.dump(-1, ' ', false, json::error_handler_t::replace));
}

http::Response ErrorAnswer(int code, const BatchError& error) {
  return JsonAnswer(code, json{{"error", error.message}, {"field", error.field}});
}

// 401 when a token is configured and the request does not carry it; counted as a refused
// batch by `count_as`.
std::optional<http::Response> CheckToken(const IngestApiContext& c, const http::Request& r) {
  if (c.token.empty() || BearerMatches(r.header("Authorization"), c.token)) {
    return std::nullopt;
  }
  http::Response answer = JsonAnswer(
      401, json{{"error", "missing or wrong bearer token (Authorization: Bearer <token>)"},
                {"field", ""}});
  answer.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"stampede ingest\"");
  return answer;
}

http::Response PostEvents(const IngestApiContext& c, const http::Request& r) {
  if (auto denied = CheckToken(c, r)) {
    c.stats->BatchRejected(Reject::kUnauthorized);
    return *denied;
  }
  EventBatch batch;
  BatchError error;
  if (!ParseEventBatch(r.body, c.limits, c.key_seed, batch, error)) {
    c.stats->BatchRejected(error.reason);
    return ErrorAnswer(400, error);
  }
  c.store->Apply(batch.events);
  c.stats->EventsAccepted(batch.totals.events);
  const auto& t = batch.totals.counts;
  auto count = [&t](Signal s) { return t[static_cast<std::size_t>(s)]; };
  return JsonAnswer(202, json{{"accepted",
                               {{"events", batch.totals.events},
                                {"hits", count(Signal::kHit)},
                                {"misses", count(Signal::kMiss)},
                                {"loads", count(Signal::kLoad)},
                                {"load_durations", count(Signal::kLoadTime)},
                                {"coalesced", count(Signal::kCoalesced)},
                                {"stale", count(Signal::kStale)},
                                {"lock_waits", count(Signal::kLockWait)},
                                {"keys", batch.totals.keys}}}});
}

json MarkerJson(const Marker& m, Clock::time_point now) {
  using std::chrono::duration;
  return json{{"id", m.id},
              {"kind", MarkerKindName(m.kind)},
              {"class", m.class_name},
              {"remaining_seconds", duration<double>(m.end - now).count()}};
}

http::Response Markers(const IngestApiContext& c, const http::Request& r) {
  if (auto denied = CheckToken(c, r)) {
    return *denied;
  }
  if (r.method == "POST") {
    MarkerRequest request;
    BatchError error;
    if (!ParseMarkerRequest(r.body, request, error)) {
      return ErrorAnswer(400, error);
    }
    Result<Marker> added = c.markers->Add(request.kind, request.class_name, request.duration);
    if (!added.ok()) {
      return ErrorAnswer(429, BatchError{Reject::kBadField, "", added.status().message()});
    }
    return JsonAnswer(201, MarkerJson(*added, added->start));
  }
  const Clock::time_point now = c.markers->clock().Now();
  json list = json::array();
  for (const Marker& m : c.markers->Active()) {
    list.push_back(MarkerJson(m, now));
  }
  return JsonAnswer(200, json{{"markers", list}});
}

}  // namespace

bool BearerMatches(std::string_view header, std::string_view token) {
  constexpr std::string_view kScheme = "Bearer ";
  if (header.size() < kScheme.size() || !EqualsIgnoreCase(header.substr(0, 7), kScheme)) {
    return false;
  }
  const std::string_view given = header.substr(kScheme.size());
  unsigned char diff = given.size() == token.size() ? 0 : 1;
  for (std::size_t i = 0; i < token.size(); ++i) {
    diff |= static_cast<unsigned char>(token[i] ^ (i < given.size() ? given[i] : 0));
  }
  return diff == 0;
}

std::vector<http::Route> IngestRoutes(std::shared_ptr<const IngestApiContext> context) {
  return {
      {"ingest_events", "/api/v1/events", false, true,
       [context](const http::Request& r) { return PostEvents(*context, r); }},
      {"ingest_markers", "/api/v1/markers", true, true,
       [context](const http::Request& r) { return Markers(*context, r); }},
  };
}

}  // namespace stampede::ingest
