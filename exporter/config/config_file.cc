#include "config/config_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "common/text.h"

namespace stampede::config {

namespace {

constexpr std::size_t kMaxFileBytes = 1 << 20;

}  // namespace

Status ErrorAt(const YAML::Mark& mark, std::string_view reason) {
  if (mark.is_null()) {
    return Status::Error(std::string(reason));
  }
  return Status::Error(std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1) +
                       ": " + std::string(reason));
}

Status ErrorAt(const YAML::Node& node, std::string_view reason) {
  return ErrorAt(node.Mark(), reason);
}

Result<FileConfig> ParseConfigText(std::string_view text, std::string_view name) {
  const std::string prefix = std::string(name) + ":";
  FileConfig out;
  try {
    const YAML::Node root = YAML::Load(std::string(text));
    if (root.IsNull()) {
      return out;  // an empty file: defaults
    }
    if (!root.IsMap()) {
      return Status::Error(prefix + ErrorAt(root,
                                            "the file must be a mapping with the keys "
                                            "classes, statsd and detectors")
                                        .message());
    }
    for (const auto& entry : root) {
      const std::string key = entry.first.as<std::string>();
      Status status;
      if (key == "classes") {
        status = classify::ParseClassesSection(entry.second, out.classes);
      } else if (key == "statsd") {
        status = ingest::ParseStatsdSection(entry.second, out.statsd);
      } else if (key == "detectors") {
        status = classify::ParseOverrides(entry.second, out.detectors);
      } else {
        // The key is the file's text: quoted and escaped, so the message stays one line.
        status = ErrorAt(entry.first, "unknown key " + QuoteForMessage(key) +
                                          " (want classes, statsd or detectors)");
      }
      if (!status.ok()) {
        return Status::Error(prefix + status.message());
      }
    }
  } catch (const YAML::Exception& e) {
    // yaml-cpp may quote the offending input, control bytes, invalid UTF-8 and all: escaped,
    // so the error stays one line of text.
    return Status::Error(prefix + ErrorAt(e.mark, EscapeControl(e.msg)).message());
  }
  return out;
}

Result<FileConfig> LoadConfigFile(const std::string& path) {
  if (path.empty()) {
    return FileConfig{};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::Error(path + ": cannot read: " + std::strerror(errno));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (text.str().size() > kMaxFileBytes) {
    return Status::Error(path + ": larger than 1 MiB");
  }
  return ParseConfigText(text.str(), path);
}

}  // namespace stampede::config
