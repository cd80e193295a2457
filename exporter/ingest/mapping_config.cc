#include "ingest/mapping_config.h"

#include "config/config_file.h"

namespace stampede::ingest {

Status ParseStatsdSection(const YAML::Node& node, StatsdConfig& /*out*/) {
  if (!node.IsNull()) {
    return config::ErrorAt(node, "statsd: not supported yet");
  }
  return Status::Ok();
}

}  // namespace stampede::ingest
