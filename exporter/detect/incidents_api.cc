#include "detect/incidents_api.h"

#include <charconv>
#include <nlohmann/json.hpp>

#include "common/log.h"
#include "detect/format.h"

namespace stampede::detect {

namespace {

using nlohmann::json;

json Time(WallTime t) { return FormatRfc3339(t); }

json IncidentObject(const Incident& i, bool timeline) {
  json o = {
      {"id", std::to_string(i.id)},   {"class", i.class_name},
      {"level", LevelName(i.level)},  {"state", i.open ? "open" : "resolved"},
      {"expected", i.expected},       {"onset", Time(i.onset)},
      {"detected", Time(i.detected)}, {"resolved", i.resolved ? Time(*i.resolved) : json(nullptr)}};
  json cause = {{"kind", CauseName(i.cause)}};
  if (i.cause_key_hash) {
    cause["key_hash"] = HashHex(*i.cause_key_hash);
  }
  if (!i.cause_key.empty()) {
    cause["key"] = i.cause_key;
  }
  if (i.cause_at) {
    cause["at"] = Time(*i.cause_at);
  }
  o["cause"] = cause;
  json peak = json::object();
  if (i.baseline_hit_ratio) {
    peak["baseline_hit_ratio"] = *i.baseline_hit_ratio;
  }
  if (i.lowest_hit_ratio) {
    peak["lowest_hit_ratio"] = *i.lowest_hit_ratio;
  }
  peak["key_misses_per_second"] = i.peak_key_misses_per_second;
  peak["herd_size"] = i.peak_herd_size;
  peak["origin_loads_per_second"] = i.peak_origin_loads_per_second;
  peak["loads_per_key"] = i.peak_loads_per_key;
  o["peak"] = peak;
  if (timeline) {
    json entries = json::array();
    for (const TimelineEntry& e : i.timeline) {
      entries.push_back({{"at", Time(e.at)}, {"text", e.text}});
    }
    o["timeline"] = entries;
    o["timeline_dropped"] = i.timeline_dropped;
  }
  return o;
}

// `limit=N` from a query string; `fallback` when absent; nullopt when malformed.
std::optional<std::size_t> Limit(std::string_view query, std::size_t fallback) {
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (!pair.starts_with("limit=")) {
      continue;
    }
    const std::string_view v = pair.substr(6);
    std::size_t n = 0;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || end != v.data() + v.size() || n == 0 || n > kMaxIncidentsListed) {
      return std::nullopt;
    }
    return n;
  }
  return fallback;
}

http::Response Error(int code, std::string_view message) {
  return http::Response::Json(code, json({{"error", message}}).dump() + "\n");
}

http::Response List(const Engine& engine, const http::Request& req) {
  const std::optional<std::size_t> limit = Limit(req.query, 20);
  if (!limit) {
    return Error(400,
                 "limit must be a whole number from 1 to " + std::to_string(kMaxIncidentsListed));
  }
  json list = json::array();
  for (const Incident& i : engine.Incidents(*limit)) {
    list.push_back(IncidentObject(i, false));
  }
  return http::Response::Json(200, json({{"incidents", list}}).dump() + "\n");
}

// `path` is /api/v1/incidents/<id>.
http::Response One(const Engine& engine, std::string_view path) {
  const std::string_view id = path.substr(std::string_view("/api/v1/incidents/").size());
  std::uint64_t n = 0;
  const auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), n);
  if (ec != std::errc() || end != id.data() + id.size()) {
    return Error(404, "no such incident");
  }
  const std::optional<Incident> i = engine.FindIncident(n);
  if (!i) {
    return Error(404, "no such incident (the log keeps the last --incidents.max)");
  }
  return http::Response::Json(200, IncidentJson(*i, true) + "\n");
}

}  // namespace

std::string IncidentJson(const Incident& incident, bool timeline) {
  return IncidentObject(incident, timeline).dump();
}

std::string StatusJson(const std::vector<ClassView>& classes) {
  json list = json::array();
  for (const ClassView& v : classes) {
    json indicators = json::object();
    for (std::size_t i = 0; i < kIndicators; ++i) {
      if (!v.served[i]) {
        continue;
      }
      const Reading& r = v.last[i];
      json stats = json::object();
      for (const Stat& s : r.stats) {
        stats[std::string(s.name)] = s.value;
      }
      json entry = {{"raised", v.raised[i]},  {"eligible", r.eligible},
                    {"progress", r.progress}, {"cause", CauseName(r.cause)},
                    {"detail", r.detail},     {"statistics", stats}};
      if (v.last_detection[i]) {
        entry["last_detection"] = Time(*v.last_detection[i]);
      }
      indicators[std::string(IndicatorName(static_cast<Indicator>(i)))] = entry;
    }
    json c = {{"class", v.name},
              {"verdict", LevelName(v.level)},
              {"incident", v.incident ? json(std::to_string(*v.incident)) : json(nullptr)},
              {"source", v.source},
              {"indicators", indicators}};
    if (v.hit_ratio_short) {
      c["hit_ratio"] = *v.hit_ratio_short;
    }
    if (v.baseline_hit_ratio) {
      c["baseline_hit_ratio"] = *v.baseline_hit_ratio;
    }
    list.push_back(c);
  }
  return json({{"classes", list}}).dump();
}

std::vector<http::Route> IncidentRoutes(const Engine& engine) {
  std::vector<http::Route> routes;
  routes.push_back({"incidents", "/api/v1/incidents", true, false,
                    [&engine](const http::Request& req) {
                      return req.path == "/api/v1/incidents" ? List(engine, req)
                                                             : One(engine, req.path);
                    },
                    true});
  routes.push_back({"status", "/api/v1/status", true, false, [&engine](const http::Request&) {
                      return http::Response::Json(200, StatusJson(engine.Classes()) + "\n");
                    }});
  return routes;
}

}  // namespace stampede::detect
