// The `statsd:` section of the config file: name and tag mappings ([ingest]).
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <string>
#include <vector>

#include "common/status.h"
#include "ingest/app_event.h"

namespace stampede::ingest {

/// At most this many `metrics:` rules and this many aliases per tag.
inline constexpr std::size_t kMaxMetricRules = 256;
inline constexpr std::size_t kMaxTagAliases = 16;

/// One `metrics:` rule: a metric name glob and the signal it reports, optionally with a fixed
/// class and tier (for names that encode them).
struct MetricRule {
  std::string match;  // a glob (classify/glob.h syntax)
  Signal signal = Signal::kHit;
  std::string class_name;  // "" = from the tags
  std::string tier;        // "" = from the tags
};

/// A plain value: thread-compatible. The defaults (cache.hit, ..., tags class, tier, key) always
/// apply; rules are tried, in file order, only for names that are not a default name.
struct StatsdConfig {
  std::vector<MetricRule> metrics;
  std::vector<std::string> class_tags;  // extra tag-name globs for `class`
  std::vector<std::string> tier_tags;   // ... for `tier`
  std::vector<std::string> key_tags;    // ... for `key`
};

/// Parses the `statsd:` node into `out`; errors via config::ErrorAt (line and column).
/// Shape:
///   statsd:
///     metrics:
///       - {match: "myapp.cache.*.hits", name: cache.hit, tier: l1}
///     tags: {class: [cache_name], tier: [layer], key: [cache_key]}
Status ParseStatsdSection(const YAML::Node& node, StatsdConfig& out);

}  // namespace stampede::ingest
