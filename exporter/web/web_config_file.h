// Reads --web.config.file: the I/O around the pure parser of web_config.h.
#pragma once

#include <string>

#include "common/status.h"
#include "web/web_config.h"

namespace stampede::web {

/// Reads and parses `path`, resolves the certificate paths against the file's directory and
/// checks that each of those files can be read. An empty path gives an empty WebConfig (plain
/// HTTP, no auth). Errors start with the path and never quote a secret.
Result<WebConfig> LoadWebConfigFile(const std::string& path);

}  // namespace stampede::web
