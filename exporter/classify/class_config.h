// The `classes:` section of the config file: key classes and their expectations ([events]).
#pragma once

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace stampede::classify {

/// How the application refills a key of the class (the cache metadata table's
/// refresh_strategy); detectors use it to tell a herd from a protected refill.
enum class RefreshStrategy {
  kUnknown,               // not said
  kCacheAside,            // read, miss, load, write: no protection
  kLock,                  // one loader holds a lock (SET NX); the others wait or poll
  kSingleFlight,          // the app coalesces concurrent loads in process
  kStaleWhileRevalidate,  // stale values served while one refresh runs
  kEarlyRefresh,          // probabilistic early refresh (XFetch)
  kWriteThrough,          // the writer refreshes the cache; misses are unexpected
};
std::string_view RefreshStrategyName(RefreshStrategy s);

/// Detector options by `<detector>.<option>`.
using Overrides = std::map<std::string, double, std::less<>>;

/// One class of keys. A plain value.
struct KeyClass {
  std::string name;                   // a label value: [a-z_][a-z0-9_]*, at most 64 bytes
  std::vector<std::string> patterns;  // Redis-style globs; first match (over all classes) wins
  std::optional<double> expected_hit_ratio;      // in [0, 1]
  std::optional<std::chrono::milliseconds> ttl;  // the TTL the app sets
  RefreshStrategy refresh = RefreshStrategy::kUnknown;
  /// Per-class detector options, `<detector>.<option>` → number (detector d1..d7 or dq),
  /// checked for shape here and interpreted by the detectors.
  Overrides overrides;
};

/// The class table, in file order. Keys no pattern matches go to the default class, whose
/// expectations a class named `default` (without patterns) may set. A plain value:
/// thread-compatible.
struct ClassesConfig {
  std::vector<KeyClass> classes;  // without `default`
  KeyClass default_class = [] {
    KeyClass c;
    c.name = "default";
    return c;
  }();
};

/// Bounds of the section.
inline constexpr std::size_t kMaxClassEntries = 1024;  // more is a config error
inline constexpr std::size_t kMaxPatternsPerClass = 256;
inline constexpr std::size_t kMaxPatternBytes = 512;
inline constexpr std::size_t kMaxOverrides = 64;
inline constexpr std::size_t kMaxClassNameBytes = 64;

/// The label values no configured class may take.
inline constexpr std::string_view kDefaultClassName = "default";
inline constexpr std::string_view kOtherClassName = "other";
inline constexpr std::string_view kAllClassName = "all";  // node-wide detections

/// Parses the `classes:` node (a sequence of mappings, or null) into `out`; errors via
/// config::ErrorAt (line and column). Never throws.
Status ParseClassesSection(const YAML::Node& node, ClassesConfig& out);

/// Parses a mapping of `<detector>.<option>: number` (a class's `overrides:` or the file's
/// `detectors:`), checked for shape only. Never throws.
Status ParseOverrides(const YAML::Node& node, Overrides& out);

}  // namespace stampede::classify
