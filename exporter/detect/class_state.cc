#include "detect/class_state.h"

#include <string>

#include "detect/registry.h"

namespace stampede::detect {

namespace {

// Indicators each detector serves (D6 serves two).
std::vector<Indicator> Served(std::string_view id) {
  if (id == "d1") return {Indicator::kHitRatioCliff};
  if (id == "d2") return {Indicator::kSlowDecline};
  if (id == "d3") return {Indicator::kInvalidationBurst};
  if (id == "d4") return {Indicator::kHotKeyHerd};
  if (id == "d5") return {Indicator::kOriginAmplification};
  if (id == "d6") return {Indicator::kSynchronizedExpiry, Indicator::kExpiryCliffPredicted};
  if (id == "d7") return {Indicator::kEvictionPressure};
  return {Indicator::kBlind};
}

double Lookups(const ClassSecond& s, bool all) {
  return all ? s.info_hits + s.info_misses : s.app_hits + s.app_misses;
}

}  // namespace

ClassState::ClassState(std::string class_name, bool is_all, OptionValues values,
                       std::optional<double> expected_ratio)
    : name(std::move(class_name)),
      all(is_all),
      options(std::move(values)),
      expected_hit_ratio(expected_ratio) {
  for (std::size_t i = 0; i < kIndicators; ++i) {
    last[i].indicator = static_cast<Indicator>(i);
  }
  for (const DetectorInfo& d : Detectors()) {
    if (all ? !d.for_all : !d.for_classes) {
      continue;
    }
    detectors.push_back(d.make(options));
    const std::string id(d.id);
    for (const Indicator i : Served(d.id)) {
      indicators[static_cast<std::size_t>(i)].emplace(
          static_cast<int>(options.Get(id + ".persist_need")),
          static_cast<int>(options.Get(id + ".persist_window")),
          static_cast<int>(options.Get(id + ".clear_seconds")));
    }
  }
}

bool ClassState::any_raised() const {
  for (const auto& s : indicators) {
    if (s && s->raised()) {
      return true;
    }
  }
  return false;
}

std::optional<double> ClassState::HitRatio(std::size_t n) const {
  double lookups = 0;
  double hits = 0;
  for (std::size_t k = 0; k < n && k < seconds.size(); ++k) {
    const ClassSecond& s = seconds.Ago(k);
    lookups += Lookups(s, all);
    hits += all ? s.info_hits : s.app_hits;
  }
  if (lookups <= 0) {
    return std::nullopt;
  }
  return hits / lookups;
}

std::string_view ClassState::Source() const {
  for (std::size_t k = 0; k < 60 && k < seconds.size(); ++k) {
    if (Lookups(seconds.Ago(k), all) > 0) {
      return all ? "redis" : "app";
    }
  }
  return "";
}

}  // namespace stampede::detect
