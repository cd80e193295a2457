#include "web/web_config_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "common/text.h"

namespace stampede::web {

namespace {

constexpr std::size_t kMaxFileBytes = 1 << 20;

std::string DirectoryOf(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) {
    return ".";
  }
  return slash == 0 ? "/" : path.substr(0, slash);
}

Status CheckReadable(const std::string& config_path, std::string_view key,
                     const std::string& file) {
  if (file.empty()) {
    return Status::Ok();
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return Status::Error(config_path + ": tls_server_config." + std::string(key) +
                         ": cannot read " + EscapeControl(file) + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

}  // namespace

Result<WebConfig> LoadWebConfigFile(const std::string& path) {
  if (path.empty()) {
    return WebConfig{};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::Error(EscapeControl(path) + ": cannot read: " + std::strerror(errno));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (text.str().size() > kMaxFileBytes) {
    return Status::Error(EscapeControl(path) + ": larger than 1 MiB");
  }
  Result<WebConfig> parsed = ParseWebConfigText(text.str(), EscapeControl(path));
  if (!parsed.ok()) {
    return parsed;
  }
  WebConfig config = ResolvePaths(std::move(parsed).value(), DirectoryOf(path));
  if (config.tls) {
    for (const auto& [key, file] :
         {std::pair<std::string_view, const std::string&>{"cert_file", config.tls->cert_file},
          {"key_file", config.tls->key_file},
          {"client_ca_file", config.tls->client_ca_file}}) {
      if (Status s = CheckReadable(EscapeControl(path), key, file); !s.ok()) {
        return s;
      }
    }
  }
  return config;
}

}  // namespace stampede::web
