#include "classify/class_config.h"

#include "config/config_file.h"

namespace stampede::classify {

Status ParseClassesSection(const YAML::Node& node, ClassesConfig& /*out*/) {
  if (!node.IsNull()) {
    return config::ErrorAt(node, "classes: not supported yet");
  }
  return Status::Ok();
}

}  // namespace stampede::classify
