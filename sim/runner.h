// Plays a scenario against a real Redis: the application's steady readers and spikes (a
// cache-aside client with the chosen protection, reporting over StatsD), its origin, and the
// script's timed events. One row of numbers per second, a summary at the end, and, when an
// exporter is given, what the exporter said about the run.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cache_client.h"
#include "exporter_probe.h"
#include "redis_link.h"
#include "scenario/scenario.h"
#include "statsd_reporter.h"

namespace stampede::sim {

struct RunOptions {
  RedisEndpoint redis;
  std::optional<StatsdReporter::Options> statsd;  // none: no reports
  bool report_keys = true;                        // a `key` tag on the reports
  std::optional<Protection> strategy;             // none: the scenario's `strategy`
  double time_scale = 1.0;  // every time and duration of the script (not the origin's latency)
  std::uint64_t seed = 1;
  std::optional<HttpTarget> exporter;  // its public listener: readiness, verdicts, incidents
  std::optional<HttpTarget> ingest;    // its ingest listener: markers
  std::string ingest_token;
  std::string restart_command;  // for `restart` (empty: a supervisor restarts Redis)
  std::chrono::milliseconds ready_timeout{60000};  // waiting for the exporter to be ready
  std::chrono::milliseconds settle{2000};     // after the last second, before reading incidents
  const std::atomic<bool>* cancel = nullptr;  // set: stop at the next second (Ctrl-C)
};

/// One second of the run, from the application's point of view.
struct SecondRow {
  int second = 0;  // 1-based: the second that just ended
  std::uint64_t lookups = 0, hits = 0, misses = 0, loads = 0, errors = 0, stale = 0, coalesced = 0,
                lock_waits = 0;
  std::optional<double> hit_ratio;          // hits / lookups, when there were lookups
  double load_p50_ms = 0, load_p99_ms = 0;  // origin loads finished this second (queue + service)
  std::size_t loads_in_flight = 0;          // at the end of the second
  std::string verdict;                      // the exporter's for the scenario's class ("" if none)
  std::vector<std::string> notes;           // the script's events that ran this second
};

struct RunSummary {
  std::string scenario;
  std::string strategy;
  double time_scale = 1;
  double seconds = 0;
  std::uint64_t lookups = 0, hits = 0, misses = 0, loads = 0, errors = 0, stale = 0, coalesced = 0,
                lock_waits = 0, refreshes = 0;
  std::optional<double> hit_ratio;
  std::optional<double> lowest_hit_ratio;  // over seconds with at least kMinLookups lookups
  int lowest_hit_ratio_second = 0;
  std::uint64_t peak_loads_per_second = 0;
  int peak_loads_second = 0;
  std::uint64_t max_loads_of_one_key = 0;
  double peak_load_p99_ms = 0;
  std::vector<std::string> event_errors;  // script events that failed ("<line>: <why>")
  bool cancelled = false;                 // stopped early (RunOptions::cancel)

  // What the exporter said (when one was given).
  bool exporter_checked = false;
  std::string exporter_error;
  std::string verdict = "none";  // the highest level of an incident on the scenario's class
  std::string incident_id;
  std::string cause;                         // the incident's cause kind
  std::string cause_key;                     // the key, or its hash when the exporter hides keys
  std::optional<double> onset_unix_seconds;  // when `onset` fell, wall clock
  std::optional<double> detection_latency_seconds;  // from `onset` to the verdict
  std::optional<double> exporter_lowest_hit_ratio;  // the incident's peak, as the exporter saw it
  double exporter_herd_size = 0;
  double exporter_peak_origin_loads = 0;  // per second
  std::vector<IncidentView> incidents;    // every incident opened during the run

  static constexpr std::uint64_t kMinLookups = 20;
};

struct RunResult {
  bool ok = false;
  std::string error;  // why the run could not start (a bad option, Redis away, ...)
  RunSummary summary;
};

/// Runs `scenario`; calls `on_second` after each second (from the calling thread).
RunResult RunScenario(const Scenario& scenario, const RunOptions& options,
                      const std::function<void(const SecondRow&)>& on_second);

}  // namespace stampede::sim
