#include "exporter_probe.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>
#include <thread>

namespace stampede::sim {

namespace {

using nlohmann::json;

// Typed reads that never throw: a member of the wrong type (or a non-object) reads as absent.
const json& Member(const json& o, const char* name) {
  static const json kNull;
  if (!o.is_object()) {
    return kNull;
  }
  const auto it = o.find(name);
  return it == o.end() ? kNull : *it;
}
std::string Str(const json& o, const char* name, const char* fallback = "") {
  const json& v = Member(o, name);
  return v.is_string() ? v.get<std::string>() : fallback;
}
double Num(const json& o, const char* name) {
  const json& v = Member(o, name);
  return v.is_number() ? v.get<double>() : 0;
}
bool Bool(const json& o, const char* name, bool fallback) {
  const json& v = Member(o, name);
  return v.is_boolean() ? v.get<bool>() : fallback;
}

json GetJson(const HttpTarget& target, const std::string& path, std::string& error) {
  const HttpResponse r = HttpRequest(target, "GET", path);
  if (r.status != 200) {
    error = "GET " + path + ": " + (r.status == 0 ? r.error : "HTTP " + std::to_string(r.status));
    return json();
  }
  json parsed = json::parse(r.body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    error = "GET " + path + ": not JSON";
  }
  return parsed;
}

std::optional<WallTime> TimeField(const json& object, const char* name) {
  const auto it = object.find(name);
  if (it == object.end() || !it->is_string()) {
    return std::nullopt;
  }
  return ParseRfc3339Millis(it->get_ref<const std::string&>());
}

// The verdict became stampede at this timeline entry: "verdict stampede" when the incident
// opened as one, "verdict herd_risk → stampede" when it was raised later.
bool BecameStampede(std::string_view text) {
  return text.rfind("verdict stampede", 0) == 0 ||
         (text.rfind("verdict ", 0) == 0 && text.find("→ stampede") != std::string_view::npos);
}

IncidentView FromJson(const json& i) {
  IncidentView v;
  v.id = Str(i, "id");
  v.class_name = Str(i, "class");
  v.level = Str(i, "level");
  v.state = Str(i, "state");
  v.expected = Bool(i, "expected", false);
  const json& cause = Member(i, "cause");
  if (cause.is_object()) {
    v.cause = Str(cause, "kind");
    v.cause_key = Str(cause, "key");
    v.cause_key_hash = Str(cause, "key_hash");
  }
  if (const json& peak = Member(i, "peak"); peak.is_object()) {
    if (const auto it = peak.find("lowest_hit_ratio"); it != peak.end() && it->is_number()) {
      v.lowest_hit_ratio = it->get<double>();
    }
    v.herd_size = Num(peak, "herd_size");
    v.origin_loads_per_second = Num(peak, "origin_loads_per_second");
    v.loads_per_key = Num(peak, "loads_per_key");
  }
  v.onset = TimeField(i, "onset");
  v.detected = TimeField(i, "detected");
  const json& timeline = Member(i, "timeline");
  for (const json& e : timeline.is_array() ? timeline : json::array()) {
    if (!e.is_object()) {
      continue;
    }
    const std::string text = Str(e, "text");
    v.timeline.push_back(Str(e, "at") + " " + text);
    if (!v.stampede_at && BecameStampede(text)) {
      v.stampede_at = TimeField(e, "at");
    }
  }
  return v;
}

}  // namespace

std::optional<WallTime> ParseRfc3339Millis(std::string_view text) {
  std::tm tm{};
  int ms = 0;
  char z = 0;
  const std::string s(text.substr(0, 64));
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3d%c", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms, &z) != 8 ||
      z != 'Z') {
    return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return std::chrono::system_clock::from_time_t(timegm(&tm)) + std::chrono::milliseconds(ms);
}

IncidentView ParseIncident(std::string_view json_text) {
  const json i = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  return i.is_object() ? FromJson(i) : IncidentView{};
}

int LevelRank(std::string_view level) {
  if (level == "stampede") {
    return 2;
  }
  return level == "herd_risk" ? 1 : 0;
}

bool ExporterProbe::WaitReady(std::chrono::milliseconds limit, std::string& why) const {
  const auto until = std::chrono::steady_clock::now() + limit;
  for (;;) {
    std::string error;
    const json status = GetJson(web_, "/api/v1/status", error);
    why = error.empty() ? "the detection engine has not judged a second yet" : error;
    if (status.is_object() && status.contains("classes") && status["classes"].is_array()) {
      for (const json& c : status["classes"]) {
        if (Str(c, "class") != "all") {
          continue;
        }
        const json& blind = Member(Member(c, "indicators"), "blind");
        if (Bool(blind, "eligible", false) && !Bool(blind, "raised", true)) {
          why.clear();
          return true;
        }
        why = "the exporter is blind: " + Str(blind, "detail", "no detail");
      }
    }
    if (std::chrono::steady_clock::now() >= until) {
      return false;
    }
    // Polling a remote process's state: nothing to wait on but time.
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

std::map<std::string, std::string> ExporterProbe::Verdicts(std::string& error) const {
  std::map<std::string, std::string> out;
  const json status = GetJson(web_, "/api/v1/status", error);
  if (!status.is_object() || !status.contains("classes") || !status["classes"].is_array()) {
    return out;
  }
  for (const json& c : status["classes"]) {
    out[Str(c, "class")] = Str(c, "verdict", "none");
  }
  return out;
}

std::vector<IncidentView> ExporterProbe::IncidentsSince(WallTime since, std::string& error) const {
  std::vector<IncidentView> out;
  const json answer = GetJson(web_, "/api/v1/incidents?limit=1000", error);
  if (!answer.is_object() || !answer.contains("incidents") || !answer["incidents"].is_array()) {
    if (error.empty()) {
      error = "GET /api/v1/incidents: no \"incidents\" list";
    }
    return out;
  }
  const json& list = answer["incidents"];
  for (const json& brief : list) {
    if (!brief.is_object()) {
      continue;
    }
    IncidentView v = FromJson(brief);
    if (!v.detected || *v.detected < since) {
      continue;
    }
    std::string one_error;
    const json full = GetJson(web_, "/api/v1/incidents/" + v.id, one_error);
    if (full.is_object()) {
      v = FromJson(full);
    }
    out.push_back(std::move(v));
  }
  std::reverse(out.begin(), out.end());  // the API lists newest first
  return out;
}

bool PostMarker(const HttpTarget& ingest, std::string_view kind, std::string_view class_name,
                std::chrono::milliseconds duration, std::string_view token, std::string& error) {
  const long long seconds =
      std::max<long long>(1, std::chrono::duration_cast<std::chrono::seconds>(duration).count());
  const json body = {{"kind", kind},
                     {"class", class_name.empty() ? "all" : class_name},
                     {"duration", std::to_string(seconds) + "s"}};
  std::vector<std::string> headers = {"Content-Type: application/json"};
  if (!token.empty()) {
    headers.push_back("Authorization: Bearer " + std::string(token));
  }
  const HttpResponse r = HttpRequest(ingest, "POST", "/api/v1/markers", body.dump(), headers);
  if (r.status == 201) {
    return true;
  }
  error = "POST /api/v1/markers: " +
          (r.status == 0 ? r.error : "HTTP " + std::to_string(r.status) + " " + r.body);
  return false;
}

}  // namespace stampede::sim
