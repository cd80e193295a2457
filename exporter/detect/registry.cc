#include "detect/registry.h"

#include <array>
#include <deque>
#include <string>

#include "detect/blind.h"
#include "detect/eviction_pressure.h"
#include "detect/hit_ratio_cliff.h"
#include "detect/hot_key_herd.h"
#include "detect/invalidation_burst.h"
#include "detect/origin_amplification.h"
#include "detect/slow_decline.h"
#include "detect/synchronized_expiry.h"

namespace stampede::detect {

namespace {

template <typename T>
std::unique_ptr<Detector> Make(const OptionValues& options) {
  return std::make_unique<T>(options);
}

const std::array<DetectorInfo, 8> kDetectors = {{
    {"d1", "hit-ratio cliff", true, true, HitRatioCliff::kOptions, 2, 3, 10, &Make<HitRatioCliff>},
    {"d2", "slow decline", true, true, SlowDecline::kOptions, 1, 1, 120, &Make<SlowDecline>},
    {"d3", "invalidation burst", true, true, InvalidationBurst::kOptions, 1, 1, 10,
     &Make<InvalidationBurst>},
    {"d4", "hot-key herd after invalidation", false, true, HotKeyHerd::kOptions, 1, 1, 10,
     &Make<HotKeyHerd>},
    {"d5", "origin amplification", false, true, OriginAmplification::kOptions, 2, 3, 10,
     &Make<OriginAmplification>},
    {"d6", "synchronized expiry", true, true, SynchronizedExpiry::kOptions, 1, 1, 10,
     &Make<SynchronizedExpiry>},
    {"d7", "eviction pressure", true, true, EvictionPressure::kOptions, 2, 3, 30,
     &Make<EvictionPressure>},
    {"dq", "sidecar blind", true, false, Blind::kOptions, 1, 1, 10, &Make<Blind>},
}};

}  // namespace

std::span<const DetectorInfo> Detectors() { return kDetectors; }

const std::vector<OptionSpec>& AllOptionSpecs() {
  static const std::vector<OptionSpec> specs = [] {
    // The persistence option names must outlive the specs that view them.
    static std::deque<std::string> names;
    std::vector<OptionSpec> out;
    for (const DetectorInfo& d : kDetectors) {
      out.insert(out.end(), d.options.begin(), d.options.end());
      const auto add = [&](std::string_view suffix, int value, std::string_view help) {
        names.push_back(std::string(d.id) + "." + std::string(suffix));
        out.push_back({names.back(), static_cast<double>(value), help});
      };
      add("persist_need", d.persist_need, "ticks at or past the trigger needed to raise");
      add("persist_window", d.persist_window, "out of this many recent ticks");
      add("clear_seconds", d.clear_seconds, "quiet ticks (below half the trigger) to clear");
    }
    return out;
  }();
  return specs;
}

}  // namespace stampede::detect
