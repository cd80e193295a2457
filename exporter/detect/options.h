// Detector options: defaults in code, overridden for every class by the config file's
// `detectors:` section and per class by a class's `overrides:`.
#pragma once

#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace stampede::detect {

/// One option: `key` is "<detector>.<option>" (d1.min_lookups), `fallback` its default.
struct OptionSpec {
  std::string_view key;
  double fallback;
  std::string_view help;
};

using Overrides = std::map<std::string, double, std::less<>>;

/// The options of one class: the defaults with the global and the class overrides applied.
/// A plain value: thread-compatible.
class OptionValues {
 public:
  OptionValues() = default;
  OptionValues(std::span<const OptionSpec> specs, const Overrides& global,
               const Overrides& per_class);

  /// The value of `key`; a key no spec declares is a programming error and returns 0.
  double Get(std::string_view key) const;

 private:
  std::map<std::string, double, std::less<>> values_;
};

/// Checks that every override names a declared option; the error names the option, where it
/// came from (`where`, e.g. "class user_profile") and the options of that detector.
Status CheckOverrides(std::span<const OptionSpec> specs, const Overrides& overrides,
                      std::string_view where);

}  // namespace stampede::detect
