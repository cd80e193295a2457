// Feeds arbitrary bytes to the web config parser (--web.config.file: TLS and basic auth).
// Besides "never crash", it traps when a property fails:
//  - an error is one line and starts with the file name;
//  - a parsed config has a certificate and a key whenever it has TLS, a client CA when it
//    requires client certificates, only bcrypt-shaped hashes, and only allowed headers;
//  - ResolvePaths leaves absolute paths alone and makes relative ones absolute.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "web/web_config.h"

namespace {

void Check(bool ok) {
  if (!ok) {
    __builtin_trap();
  }
}

bool IsOneLine(std::string_view text) { return text.find_first_of("\r\n") == text.npos; }

bool Allowed(const std::string& header) {
  for (const std::string_view h : stampede::web::AllowedHeaders()) {
    if (h == header) {
      return true;
    }
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): bytes as chars
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const stampede::Result<stampede::web::WebConfig> config =
      stampede::web::ParseWebConfigText(input, "web.yml");
  if (!config.ok()) {
    const std::string& message = config.status().message();
    Check(IsOneLine(message));
    Check(message.rfind("web.yml:", 0) == 0);
    return 0;
  }
  if (config->tls) {
    Check(!config->tls->cert_file.empty() && !config->tls->key_file.empty());
    if (config->tls->client_auth == stampede::web::ClientAuth::kRequireAndVerifyClientCert) {
      Check(!config->tls->client_ca_file.empty());
    }
  }
  for (const auto& [user, hash] : config->basic_auth_users) {
    Check(!user.empty() && user.find(':') == std::string::npos);
    Check(hash.size() == 60 && hash.rfind("$2", 0) == 0);
  }
  for (const auto& [name, value] : config->headers) {
    Check(Allowed(name) && !value.empty() && IsOneLine(value));
  }
  const stampede::web::WebConfig resolved = stampede::web::ResolvePaths(*config, "/etc/stampede");
  if (resolved.tls) {
    Check(resolved.tls->cert_file.front() == '/' && resolved.tls->key_file.front() == '/');
    if (config->tls->cert_file.front() == '/') {
      Check(resolved.tls->cert_file == config->tls->cert_file);
    }
  }
  return 0;
}
