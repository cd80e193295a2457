// The `classes:` section of the config file: key classes and their expectations ([events]).
#pragma once

#include <yaml-cpp/yaml.h>

#include "common/status.h"

namespace stampede::classify {

/// A plain value: thread-compatible.
struct ClassesConfig {};

/// Parses the `classes:` node into `out`; errors via config::ErrorAt (line and column).
Status ParseClassesSection(const YAML::Node& node, ClassesConfig& out);

}  // namespace stampede::classify
