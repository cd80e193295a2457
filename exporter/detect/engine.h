// The detection engine: one tick a second, every class through its detectors, indicators
// with persistence, verdicts with their cause, and the incident log.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/log.h"
#include "common/status.h"
#include "common/wall_clock.h"
#include "detect/class_state.h"
#include "detect/incident_log.h"
#include "detect/options.h"
#include "detect/tick_input.h"

namespace stampede::detect {

/// One class's configuration as the engine needs it.
struct ClassSettings {
  Overrides overrides;
  std::optional<double> expected_hit_ratio;
};

/// A copy of one class's state for /metrics and /api/v1/status.
struct ClassView {
  std::string name;
  Level level = Level::kNone;
  std::optional<std::uint64_t> incident;
  std::array<bool, kIndicators> served{};  // the class runs the detector behind it
  std::array<bool, kIndicators> raised{};
  std::array<Reading, kIndicators> last;  // the latest reading
  std::array<std::optional<WallTime>, kIndicators> last_detection;
  /// (indicator, cause, expected) → detections since start.
  std::map<std::tuple<Indicator, Cause, bool>, std::uint64_t> detections;
  std::map<Level, std::uint64_t> incidents;  // opened, by level reached at opening
  /// (level, expected) → times the verdict rose to the level (opening or escalation).
  std::map<std::pair<Level, bool>, std::uint64_t> verdict_rises;
  std::optional<double> hit_ratio_short;  // over d1.window_seconds
  std::optional<double> hit_ratio_minute;
  std::optional<double> baseline_hit_ratio;
  std::string source;             // "app" or "redis" ("" when neither)
  int short_window_seconds = 3;   // of hit_ratio_short (d1.window_seconds)
  std::vector<HerdKey> top_herd;  // largest herds first, at most kTopHerd
  static constexpr std::size_t kTopHerd = 5;
};

struct EngineStats {
  std::uint64_t ticks = 0;
  double last_tick_seconds = 0;
  std::uint64_t class_overflow = 0;  // classes refused past max_classes
  std::uint64_t incidents_opened = 0;
  std::uint64_t incidents_evicted = 0;
};

/// Tick() runs on one thread; the readers (views, incidents) from any: one mutex.
class Engine {
 public:
  struct Options {
    Overrides global;                                           // the file's `detectors:`
    std::map<std::string, ClassSettings, std::less<>> classes;  // by class name
    bool show_keys = false;
    std::size_t max_incidents = 100;
    std::size_t max_classes = 256;
    std::chrono::seconds cause_lookback{30};      // a cause this long before onset is blamed
    std::chrono::seconds amplification_join{10};  // D5 within this of a miss signal counts
  };
  /// `expected(class)`: a marker covers the class now.
  using ExpectedFn = std::function<bool(std::string_view class_name)>;

  /// Checks every override against the detectors' options; the error names the option.
  static Status Check(const Options& options);

  Engine(Options options, ExpectedFn expected, const WallClock& wall, Logger& log);

  void Tick(const TickInput& input);

  std::vector<ClassView> Classes() const;
  std::vector<Incident> Incidents(std::size_t limit) const;
  std::optional<Incident> FindIncident(std::uint64_t id) const;
  EngineStats stats() const;
  bool show_keys() const { return options_.show_keys; }

 private:
  ClassState* StateFor(std::string_view name);  // mu_ held; null past max_classes
  void Evaluate(ClassState& cls, const TickInput& in, bool blind);
  void OnIndicatorRaised(ClassState& cls, const Reading& r, WallTime at);
  void OnIndicatorCleared(ClassState& cls, Indicator i, WallTime at);
  void Decide(ClassState& cls, const TickInput& in, bool blind, bool any_named_verdict);
  void OpenIncident(ClassState& cls, Level level, const TickInput& in);
  void UpdateIncident(ClassState& cls, const TickInput& in);
  void CloseIncident(ClassState& cls);
  WallTime ToWall(Clock::time_point t) const;
  std::string KeyText(std::uint64_t hash, std::string_view raw) const;

  const Options options_;
  ExpectedFn expected_;
  const WallClock& wall_;
  Logger& log_;

  mutable std::mutex mu_;  // guards everything below
  std::map<std::string, std::unique_ptr<ClassState>, std::less<>> classes_;
  IncidentLog incidents_;
  EngineStats stats_;
  Clock::time_point now_{};  // the tick being run
  WallTime wall_now_{};
};

}  // namespace stampede::detect
