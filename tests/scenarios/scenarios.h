// The detection scenarios of research/stampede-detection.md §4.2, short forms: each drives
// real traffic (sim/) against a real Redis watched by an in-process exporter, injects one
// event at a known time, and returns what the sidecar said. The scenario tests assert on the
// outcome; scenario_quality runs each many times with randomized timing and scores it.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "exporter_probe.h"

namespace stampede::scenarios {

using WallTime = std::chrono::system_clock::time_point;
using Seconds = std::chrono::duration<double>;

/// One incident as /api/v1/incidents/<id> showed it at the end of the run.
using IncidentSummary = sim::IncidentView;

/// One `stampede_detections_total` sample.
struct Detection {
  std::map<std::string, std::string> labels;  // indicator, class, cause, expected
  double value = 0;
};

/// What one scenario run saw. Plain value.
struct Outcome {
  std::string scenario;
  bool positive = false;  // the scenario injects a stampede (or its precursor) to be detected
  /// The driver or the harness failed; nothing else is meaningful then.
  std::string error;
  WallTime injected{};  // the injected onset: spike start, purge, restart, expiry cliff

  /// The scenario's own detection, measured from `injected` (positives).
  std::optional<double> latency_seconds;
  /// Expiry: how long before the cliff the cliff was predicted.
  std::optional<double> lead_seconds;
  /// Restart: when `blind` cleared after it was raised by the restart, from `injected`.
  std::optional<double> cleared_seconds;

  // From polling /api/v1/status and /metrics every 250 ms during the run.
  std::set<std::string> verdicts_seen;              // "class/level", level != none
  std::set<std::string> raised_seen;                // "class/indicator"
  std::set<std::string> cleared_after_raise;        // "class/indicator" raised, then not
  std::map<std::string, WallTime> first_detection;  // "class/indicator": earliest raise
  std::set<std::string> indicator_series_raised;    // `stampede_indicator{...}` seen at 1
  int polls = 0;
  // At the end of the run.
  std::vector<IncidentSummary> incidents;  // newest first
  std::vector<Detection> detections;
  std::string status_json;  // the last /api/v1/status
  std::string sidecar_log;  // the exporter's lines about indicators, verdicts and incidents
  std::string driver;       // what the simulated application did
  std::map<std::string, double> driver_counts;  // the same, as numbers ("polls", "loads", ...)

  /// A stampede verdict in any poll, or a stampede incident, on any class.
  bool StampedeSeen() const;
  /// Sum of stampede_detections_total over the samples matching every non-empty argument.
  double Detections(std::string_view indicator, std::string_view class_name,
                    std::string_view cause = "", std::string_view expected = "") const;
  /// The newest incident of `class_name` that reached `level`, or null.
  const IncidentSummary* FindIncident(std::string_view class_name, std::string_view level) const;
  /// Everything above as text, for a failing assertion's message.
  std::string Describe() const;
};

/// 1. Celebrity: warm traffic on user:0..199 (without user:42), DEL user:42, then a spike of
/// unprotected concurrent readers on user:42 with a slow origin. Positive: a stampede on
/// user_profile caused by the DEL of user:42.
struct CelebrityParams {
  double background_rate = 300;
  Seconds warm{3};
  Seconds spike_delay{1};  // from the DEL to the spike
  std::size_t spike_readers = 100;
  double spike_rate = 2000;
  std::chrono::milliseconds origin_latency{300};
  Seconds spike_duration{4};
  Seconds give_up{10};  // after the spike starts, stop waiting for the stampede
  std::uint64_t seed = 1;
  static CelebrityParams Random(std::uint64_t seed);
};
Outcome RunCelebrity(const CelebrityParams& p = {});

/// 2. Planned purge: a purge marker for user_profile, one DEL of 3000 keys, single-flight
/// readers reload them. Negative: an invalidation burst labelled expected, no stampede.
struct PurgeParams {
  std::size_t keys = 3000;
  double rate = 600;
  std::size_t workers = 32;
  Seconds warm{8};
  std::chrono::milliseconds origin_latency{50};
  Seconds observe{12};
  std::uint64_t seed = 1;
  static PurgeParams Random(std::uint64_t seed);
};
Outcome RunPurge(const PurgeParams& p = {});

/// 3. Lock polling: waiters poll EXISTS lock:user:<k> at a high rate while the locks are
/// taken and released (so deleted) over and over; the app's own reads are lock-protected
/// hits. Negative: no stampede.
struct LockPollingParams {
  double background_rate = 300;
  double poll_rate = 2000;
  double lock_rate = 40;
  std::size_t lock_keys = 10;
  Seconds duration{15};
  std::uint64_t seed = 1;
  static LockPollingParams Random(std::uint64_t seed);
};
Outcome RunLockPolling(const LockPollingParams& p = {});

/// 4. Traffic surge ×10 with a steady hit ratio (5% of reads are one-hit wonders at any
/// rate). Negative: no indicator at all, on any class, during and after the surge.
struct SurgeParams {
  double base_rate = 300;
  double factor = 10;
  double cold_fraction = 0.05;
  std::chrono::seconds cold_ttl{60};  // the app's TTL for the values it loads; 0: none
  double cold_ttl_jitter = 0;         // the app writes one fixed TTL, as most apps do
  std::size_t workers = 16;
  std::chrono::milliseconds origin_latency{20};
  Seconds before{8};
  Seconds surge{8};
  Seconds after{6};
  std::uint64_t seed = 1;
  static SurgeParams Random(std::uint64_t seed);
};
Outcome RunSurge(const SurgeParams& p = {});

/// 5. Redis restart under traffic (AOF on, so the keys survive). Negative: no stampede;
/// `blind` raised on class all, then cleared.
struct RestartParams {
  double rate = 300;
  Seconds warm{5};
  Seconds downtime{0};  // between the kill and the start
  Seconds give_up{25};  // after the restart, stop waiting for blind to clear
  std::uint64_t seed = 1;
  static RestartParams Random(std::uint64_t seed);
};
Outcome RunRestart(const RestartParams& p = {});

/// 6. Synchronized expiry: 2000 keys written with one TTL, then read. Positive:
/// expiry_cliff_predicted before the cliff, synchronized_expiry at it.
struct ExpiryParams {
  std::size_t keys = 2000;
  std::chrono::seconds ttl{15};
  double read_rate = 400;
  std::chrono::milliseconds origin_latency{20};
  Seconds pre_delay{0};  // before the write (shifts the cliff against the tick phase)
  Seconds after{8};      // observed after the cliff
  std::uint64_t seed = 1;
  static ExpiryParams Random(std::uint64_t seed);
};
Outcome RunExpiry(const ExpiryParams& p = {});

/// "<16 hex digits>" of the exporter's hash of `key` (db 0) under kKeyHashSeed.
std::string ExpectedKeyHash(std::string_view key);

}  // namespace stampede::scenarios
