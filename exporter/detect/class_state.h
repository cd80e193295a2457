// Everything the engine keeps for one class: its window, detectors, indicators and verdict.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "detect/detector.h"
#include "detect/incident.h"
#include "detect/indicator_state.h"
#include "detect/options.h"
#include "window/second_ring.h"

namespace stampede::detect {

/// Something that happened to keys, remembered for cause attribution.
struct CauseEvent {
  Clock::time_point at;
  Cause cause = Cause::kUnknown;
  std::optional<std::uint64_t> key_hash;
  std::string key;
  std::string detail;
};

/// Thread-compatible: the engine locks around it.
struct ClassState {
  ClassState(std::string class_name, bool is_all, OptionValues values,
             std::optional<double> expected_ratio);

  const std::string name;
  const bool all;
  const OptionValues options;
  const std::optional<double> expected_hit_ratio;

  window::SecondRing<ClassSecond> seconds{600};
  std::vector<std::unique_ptr<Detector>> detectors;
  std::array<std::optional<IndicatorState>, kIndicators> indicators;  // empty: not served
  std::array<Reading, kIndicators> last;
  std::array<std::optional<Clock::time_point>, kIndicators> raised_at;
  std::array<std::string, kIndicators> raised_detail;  // the reading that raised it
  std::array<std::optional<WallTime>, kIndicators> last_detection;
  std::map<std::tuple<Indicator, Cause, bool>, std::uint64_t> detections;
  std::optional<Clock::time_point> amplification_seen;  // D5 last raised (or still raised)
  std::deque<CauseEvent> causes;                        // the last cause_lookback
  KeyEvidence keys;                                     // this tick's

  Level level = Level::kNone;
  /// The current episode (verdict not none) began while the sidecar was blind: a cold cache
  /// after a restart misses everywhere and reloads concurrently, which is no stampede to page
  /// for, so the episode stays a herd_risk until it ends.
  bool episode_blind = false;
  std::optional<std::uint64_t> incident;
  std::map<Level, std::uint64_t> incidents_opened;
  /// (level, expected) → times the verdict rose to the level: an incident opening at it, or
  /// herd_risk escalating to stampede.
  std::map<std::pair<Level, bool>, std::uint64_t> verdict_rises;
  std::uint32_t last_herd_size = 0;  // of the incident's cause key, for misses/s
  bool herd_refilled = false;

  bool raised(Indicator i) const {
    const auto& s = indicators[static_cast<std::size_t>(i)];
    return s && s->raised();
  }
  bool any_raised() const;
  /// Hit ratio over the newest n seconds from the class's source; nullopt without lookups.
  std::optional<double> HitRatio(std::size_t n) const;
  /// "app", "redis" or "" (no lookups seen in the last minute).
  std::string_view Source() const;
};

}  // namespace stampede::detect
