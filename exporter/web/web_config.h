// The web configuration file (--web.config.file): TLS, basic auth and extra response headers
// of the public web server, in the format of Prometheus exporter-toolkit. The parser is pure;
// web_config_file.h reads the file.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace stampede::web {

/// tls_server_config.client_auth_type (the two exporter-toolkit policies we support).
enum class ClientAuth { kNoClientCert, kRequireAndVerifyClientCert };

/// tls_server_config.min_version.
enum class TlsVersion { kTls12, kTls13 };

/// `tls_server_config:`. Paths are as written until ResolvePaths.
struct TlsConfig {
  std::string cert_file;       // PEM: the server certificate, then any intermediates
  std::string key_file;        // PEM: its private key (unencrypted)
  std::string client_ca_file;  // PEM: CAs that sign client certificates (mTLS)
  ClientAuth client_auth = ClientAuth::kNoClientCert;
  TlsVersion min_version = TlsVersion::kTls12;
};

/// Everything the file says. A plain value: thread-compatible.
struct WebConfig {
  std::optional<TlsConfig> tls;                              // absent: plain HTTP
  std::map<std::string, std::string> basic_auth_users;       // user -> bcrypt hash; empty: no auth
  std::vector<std::pair<std::string, std::string>> headers;  // http_server_config.headers
};

/// Parses the text of a web config file. Errors read `<name>:<line>:<column>: <reason>` and
/// name the key; they never quote a password hash. Unknown keys, bad enum values, a
/// tls_server_config without cert_file or key_file, and a hash that is not bcrypt are errors.
/// An empty file is a valid, empty configuration. Pure.
Result<WebConfig> ParseWebConfigText(std::string_view text, std::string_view name);

/// Makes the relative file paths of `config` relative to `base_dir` (the config file's
/// directory), as exporter-toolkit does. Absolute paths and an empty base_dir are left alone.
/// Pure.
WebConfig ResolvePaths(WebConfig config, std::string_view base_dir);

/// The response headers http_server_config.headers may set (exporter-toolkit's list).
const std::vector<std::string_view>& AllowedHeaders();

std::string_view ClientAuthName(ClientAuth auth);
std::string_view TlsVersionName(TlsVersion version);

}  // namespace stampede::web
