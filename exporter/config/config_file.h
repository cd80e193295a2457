// The YAML configuration file (--config.file): key classes and StatsD name mappings.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>

#include "classify/class_config.h"
#include "common/status.h"
#include "ingest/mapping_config.h"

namespace stampede::config {

/// Everything the file says. Sections that are absent keep their built-in defaults.
/// A plain value: thread-compatible.
struct FileConfig {
  classify::ClassesConfig classes;  // `classes:`
  ingest::StatsdConfig statsd;      // `statsd:`
  classify::Overrides detectors;    // `detectors:` detector options for every class
};

/// Parses the text of a config file. Errors read `<name>:<line>:<column>: <reason>`.
/// Unknown top-level keys are errors (they are usually typos). Pure.
Result<FileConfig> ParseConfigText(std::string_view text, std::string_view name);

/// Reads and parses `path`; an empty path gives the built-in defaults.
Result<FileConfig> LoadConfigFile(const std::string& path);

/// An error at a node of the file, for section parsers: "<line>:<column>: <reason>" (1-based).
Status ErrorAt(const YAML::Node& node, std::string_view reason);
Status ErrorAt(const YAML::Mark& mark, std::string_view reason);

}  // namespace stampede::config
