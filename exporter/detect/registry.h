// The explicit list of detectors: their ids, options and factories. Adding a detector means
// adding a line here.
#pragma once

#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "detect/detector.h"
#include "detect/options.h"

namespace stampede::detect {

struct DetectorInfo {
  std::string_view id;                  // the config prefix: d1 .. d7, dq
  std::string_view what;                // a few words for logs and docs
  bool for_all;                         // runs on the `all` pseudo-class
  bool for_classes;                     // runs on named classes
  std::span<const OptionSpec> options;  // without the persistence options below
  // Persistence defaults: <id>.persist_need of <id>.persist_window ticks, <id>.clear_seconds.
  int persist_need;
  int persist_window;
  int clear_seconds;
  std::unique_ptr<Detector> (*make)(const OptionValues& options);
};

/// Every detector, in evaluation order.
std::span<const DetectorInfo> Detectors();

/// Every option of every detector, the persistence options included.
const std::vector<OptionSpec>& AllOptionSpecs();

}  // namespace stampede::detect
