#include "detect/indicator.h"

#include <array>

namespace stampede::detect {

namespace {

constexpr std::array<std::string_view, kIndicators> kIndicatorNames = {
    "hit_ratio_cliff",        "slow_decline",         "invalidation_burst",
    "hot_key_herd",           "origin_amplification", "synchronized_expiry",
    "expiry_cliff_predicted", "eviction_pressure",    "blind",
};
constexpr std::array<std::string_view, kIndicators> kDetectorIds = {
    "d1", "d2", "d3", "d4", "d5", "d6", "d6", "d7", "dq",
};
constexpr std::array<std::string_view, kCauses> kCauseNames = {
    "unknown",         "del",         "expired", "evicted",       "flush",     "expiry_cliff",
    "subscriber_down", "events_shed", "lag",     "counter_reset", "info_down",
};

}  // namespace

std::string_view IndicatorName(Indicator i) { return kIndicatorNames[static_cast<std::size_t>(i)]; }

std::optional<Indicator> ParseIndicator(std::string_view name) {
  for (std::size_t i = 0; i < kIndicators; ++i) {
    if (kIndicatorNames[i] == name) {
      return static_cast<Indicator>(i);
    }
  }
  return std::nullopt;
}

std::string_view DetectorId(Indicator i) { return kDetectorIds[static_cast<std::size_t>(i)]; }

std::string_view CauseName(Cause c) { return kCauseNames[static_cast<std::size_t>(c)]; }

bool IsKeyCause(Cause c) {
  switch (c) {
    case Cause::kDel:
    case Cause::kExpired:
    case Cause::kEvicted:
    case Cause::kFlush:
    case Cause::kExpiryCliff:
      return true;
    default:
      return false;
  }
}

std::string_view LevelName(Level l) {
  switch (l) {
    case Level::kNone:
      return "none";
    case Level::kHerdRisk:
      return "herd_risk";
    case Level::kStampede:
      return "stampede";
  }
  return "none";
}

}  // namespace stampede::detect
