#include "report.h"

#include <cmath>
#include <cstdio>
#include <sstream>

namespace stampede::sim {

namespace {

std::string Printf(const char* format, double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, value);
  return buf;
}

std::string Percent(const std::optional<double>& ratio) {
  return ratio ? Printf("%.1f", 100 * *ratio) : "-";
}

std::string Join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (const std::string& p : parts) {
    out += (out.empty() ? "" : sep) + p;
  }
  return out;
}

// A value for a `name=value` line: no spaces, `-` when empty.
std::string Token(std::string text) {
  for (char& c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '"') {
      c = '_';
    }
  }
  return text.empty() ? "-" : text;
}

}  // namespace

std::string RowHeader() {
  char buf[160];
  std::snprintf(buf, sizeof buf, "%4s %8s %6s %6s %8s %8s %6s %6s %9s  %-9s  %s", "t", "lookups",
                "hit%", "loads", "p50_ms", "p99_ms", "errors", "stale", "coalesced", "verdict",
                "events");
  return buf;
}

std::string FormatRow(const SecondRow& r) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "%4d %8llu %6s %6llu %8.1f %8.1f %6llu %6llu %9llu  %-9s  ",
                r.second, static_cast<unsigned long long>(r.lookups), Percent(r.hit_ratio).c_str(),
                static_cast<unsigned long long>(r.loads), r.load_p50_ms, r.load_p99_ms,
                static_cast<unsigned long long>(r.errors), static_cast<unsigned long long>(r.stale),
                static_cast<unsigned long long>(r.coalesced),
                r.verdict.empty() ? "-" : r.verdict.c_str());
  return buf + Join(r.notes, "; ");
}

std::string FormatSummary(const RunSummary& s) {
  std::ostringstream out;
  out << "summary: " << s.scenario << " with " << s.strategy
      << (s.time_scale != 1 ? " (time scale " + Printf("%g", s.time_scale) + ")" : "") << ", "
      << Printf("%.0f", s.seconds) << " s" << (s.cancelled ? " (stopped early)" : "") << "\n";
  out << "  lookups            " << s.lookups << " (" << s.hits << " hits, " << s.misses
      << " misses), hit ratio " << Percent(s.hit_ratio) << "%\n";
  out << "  lowest hit ratio   " << Percent(s.lowest_hit_ratio) << "%";
  if (s.lowest_hit_ratio) {
    out << " in second " << s.lowest_hit_ratio_second;
  }
  out << "\n  origin loads       " << s.loads << ", peak " << s.peak_loads_per_second
      << "/s in second " << s.peak_loads_second << ", at most " << s.max_loads_of_one_key
      << " of one key; worst p99 " << Printf("%.1f", s.peak_load_p99_ms) << " ms\n";
  out << "  protection         " << s.coalesced << " coalesced, " << s.stale << " stale served, "
      << s.lock_waits << " lock waits, " << s.refreshes << " early/background refreshes\n";
  out << "  errors             " << s.errors << "\n";
  for (const std::string& e : s.event_errors) {
    out << "  event failed       " << e << "\n";
  }
  if (!s.exporter_checked) {
    return out.str();
  }
  out << "what the exporter said\n";
  if (!s.exporter_error.empty()) {
    out << "  error              " << s.exporter_error << "\n";
  }
  out << "  verdict            " << s.verdict;
  if (!s.incident_id.empty()) {
    out << " (incident " << s.incident_id << ")";
  }
  out << "\n";
  if (!s.cause.empty()) {
    out << "  cause              " << s.cause << (s.cause_key.empty() ? "" : " of " + s.cause_key)
        << "\n";
  }
  if (s.detection_latency_seconds) {
    out << "  detected           " << Printf("%.1f", *s.detection_latency_seconds)
        << " s after the onset\n";
  }
  if (!s.incident_id.empty()) {
    out << "  at its worst       hit ratio " << Percent(s.exporter_lowest_hit_ratio) << "%, "
        << Printf("%.0f", s.exporter_herd_size) << " misses on the herd key, "
        << Printf("%.0f", s.exporter_peak_origin_loads) << " origin loads/s\n";
  }
  for (const IncidentView& i : s.incidents) {
    out << "  incident " << i.id << "         " << i.class_name << " " << i.level << " (" << i.state
        << (i.expected ? ", expected" : "") << "), cause " << (i.cause.empty() ? "-" : i.cause)
        << "\n";
  }
  return out.str();
}

std::string SummaryLines(const RunSummary& s) {
  std::ostringstream out;
  const auto line = [&out](const char* name, const std::string& value) {
    out << name << "=" << Token(value) << "\n";
  };
  const auto number = [](double v) { return Printf("%.3f", v); };
  line("scenario", s.scenario);
  line("strategy", s.strategy);
  line("seconds", number(s.seconds));
  line("lookups", std::to_string(s.lookups));
  line("hit_ratio", s.hit_ratio ? number(*s.hit_ratio) : "");
  line("lowest_hit_ratio", s.lowest_hit_ratio ? number(*s.lowest_hit_ratio) : "");
  line("origin_loads", std::to_string(s.loads));
  line("peak_origin_loads_per_second", std::to_string(s.peak_loads_per_second));
  line("max_loads_of_one_key", std::to_string(s.max_loads_of_one_key));
  line("worst_load_p99_seconds", number(s.peak_load_p99_ms / 1e3));
  line("errors", std::to_string(s.errors));
  line("coalesced", std::to_string(s.coalesced));
  line("stale_served", std::to_string(s.stale));
  line("event_errors", std::to_string(s.event_errors.size()));
  line("exporter_checked", s.exporter_checked ? "true" : "false");
  line("exporter_error", s.exporter_error);
  line("verdict", s.verdict);
  line("incident", s.incident_id);
  line("cause", s.cause);
  line("cause_key", s.cause_key);
  line("onset_unix_seconds", s.onset_unix_seconds ? number(*s.onset_unix_seconds) : "");
  line("detection_latency_seconds",
       s.detection_latency_seconds ? number(*s.detection_latency_seconds) : "");
  line("exporter_lowest_hit_ratio",
       s.exporter_lowest_hit_ratio ? number(*s.exporter_lowest_hit_ratio) : "");
  line("exporter_herd_size", s.incident_id.empty() ? "" : Printf("%.0f", s.exporter_herd_size));
  line("exporter_peak_origin_loads_per_second",
       s.incident_id.empty() ? "" : Printf("%.0f", s.exporter_peak_origin_loads));
  line("incidents", std::to_string(s.incidents.size()));
  return out.str();
}

}  // namespace stampede::sim
