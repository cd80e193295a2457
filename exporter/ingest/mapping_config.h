// The `statsd:` section of the config file: name and tag mappings ([ingest]).
#pragma once

#include <yaml-cpp/yaml.h>

#include "common/status.h"

namespace stampede::ingest {

/// A plain value: thread-compatible.
struct StatsdConfig {};

/// Parses the `statsd:` node into `out`; errors via config::ErrorAt (line and column).
Status ParseStatsdSection(const YAML::Node& node, StatsdConfig& out);

}  // namespace stampede::ingest
