#include "web/web_config.h"

#include <yaml-cpp/yaml.h>

#include <set>
#include <string>

#include "common/text.h"
#include "config/config_file.h"

namespace stampede::web {

namespace {

using config::ErrorAt;

// exporter-toolkit keys we know but do not implement: a clear "not supported" beats "unknown".
bool NotSupportedTlsKey(std::string_view key) {
  return key == "cipher_suites" || key == "curve_preferences" ||
         key == "prefer_server_cipher_suites" || key == "max_version" ||
         key == "client_allowed_sans" || key == "cert" || key == "key";
}

bool IsBcryptChar(char c) {
  return IsAsciiDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' ||
         c == '/';
}

// $2a$, $2b$ or $2y$, a cost of 04..31, '$', 22 characters of salt and 31 of hash.
bool IsBcryptHash(std::string_view h) {
  if (h.size() != 60 || h[0] != '$' || h[1] != '2' || (h[2] != 'a' && h[2] != 'b' && h[2] != 'y') ||
      h[3] != '$' || !IsAsciiDigit(h[4]) || !IsAsciiDigit(h[5]) || h[6] != '$') {
    return false;
  }
  const int cost = (h[4] - '0') * 10 + (h[5] - '0');
  if (cost < 4 || cost > 31) {
    return false;
  }
  for (const char c : h.substr(7)) {
    if (!IsBcryptChar(c)) {
      return false;
    }
  }
  return true;
}

// Header names compare case-insensitively; the file's spelling is replaced by the canonical one.
std::optional<std::string_view> CanonicalHeader(std::string_view name) {
  for (const std::string_view allowed : AllowedHeaders()) {
    if (EqualsIgnoreCase(allowed, name)) {
      return allowed;
    }
  }
  return std::nullopt;
}

std::string AllowedHeaderList() {
  std::string out;
  for (const std::string_view h : AllowedHeaders()) {
    out += out.empty() ? "" : ", ";
    out += h;
  }
  return out;
}

// A mapping's entries with scalar, unique keys; `where` names the section in errors.
Status CheckMapping(const YAML::Node& node, std::string_view where) {
  if (!node.IsMap()) {
    return ErrorAt(node, std::string(where) + " must be a mapping");
  }
  std::set<std::string> seen;
  for (const auto& entry : node) {
    if (!entry.first.IsScalar()) {
      return ErrorAt(entry.first, std::string(where) + ": keys must be plain strings");
    }
    const std::string key = entry.first.Scalar();
    if (!seen.insert(key).second) {
      return ErrorAt(entry.first, std::string(where) + ": duplicate key " + QuoteForMessage(key));
    }
  }
  return Status::Ok();
}

Result<std::string> ScalarValue(const YAML::Node& value, const std::string& key) {
  if (!value.IsScalar()) {
    return ErrorAt(value, key + " must be a string");
  }
  return value.Scalar();
}

Status ParseTls(const YAML::Node& node, TlsConfig& out) {
  if (node.IsNull()) {
    return ErrorAt(node, "tls_server_config is empty: want at least cert_file and key_file");
  }
  if (Status s = CheckMapping(node, "tls_server_config"); !s.ok()) {
    return s;
  }
  bool has_auth_type = false;
  for (const auto& entry : node) {
    const std::string key = entry.first.Scalar();
    const std::string where = "tls_server_config." + key;
    if (NotSupportedTlsKey(key)) {
      return ErrorAt(entry.first, where + " is not supported by stampede_exporter");
    }
    if (key != "cert_file" && key != "key_file" && key != "client_ca_file" &&
        key != "client_auth_type" && key != "min_version") {
      return ErrorAt(entry.first, "unknown key " + QuoteForMessage(where) +
                                      " (want cert_file, key_file, client_ca_file, "
                                      "client_auth_type or min_version)");
    }
    Result<std::string> value = ScalarValue(entry.second, where);
    if (!value.ok()) {
      return value.status();
    }
    const std::string& v = *value;
    if (key == "cert_file") {
      out.cert_file = v;
    } else if (key == "key_file") {
      out.key_file = v;
    } else if (key == "client_ca_file") {
      out.client_ca_file = v;
    } else if (key == "client_auth_type") {
      has_auth_type = true;
      if (v == "NoClientCert") {
        out.client_auth = ClientAuth::kNoClientCert;
      } else if (v == "RequireAndVerifyClientCert") {
        out.client_auth = ClientAuth::kRequireAndVerifyClientCert;
      } else if (v == "RequestClientCert" || v == "RequireAnyClientCert" ||
                 v == "VerifyClientCertIfGiven") {
        return ErrorAt(entry.second, where + ": " + QuoteForMessage(v) +
                                         " is not supported (want NoClientCert or "
                                         "RequireAndVerifyClientCert)");
      } else {
        return ErrorAt(entry.second, where + ": invalid value " + QuoteForMessage(v) +
                                         " (want NoClientCert or RequireAndVerifyClientCert)");
      }
    } else {  // min_version
      if (v == "TLS12") {
        out.min_version = TlsVersion::kTls12;
      } else if (v == "TLS13") {
        out.min_version = TlsVersion::kTls13;
      } else if (v == "TLS10" || v == "TLS11") {
        return ErrorAt(entry.second, where + ": " + QuoteForMessage(v) +
                                         " is not supported (want TLS12 or TLS13)");
      } else {
        return ErrorAt(entry.second,
                       where + ": invalid value " + QuoteForMessage(v) + " (want TLS12 or TLS13)");
      }
    }
    if (key != "client_auth_type" && key != "min_version" && v.empty()) {
      return ErrorAt(entry.second, where + " is empty");
    }
  }
  if (out.cert_file.empty()) {
    return ErrorAt(node, "tls_server_config: missing cert_file");
  }
  if (out.key_file.empty()) {
    return ErrorAt(node, "tls_server_config: missing key_file");
  }
  if (out.client_auth == ClientAuth::kRequireAndVerifyClientCert && out.client_ca_file.empty()) {
    return ErrorAt(node,
                   "tls_server_config: client_auth_type RequireAndVerifyClientCert needs "
                   "client_ca_file");
  }
  if (!out.client_ca_file.empty() && out.client_auth == ClientAuth::kNoClientCert) {
    return ErrorAt(node,
                   std::string("tls_server_config: client_ca_file is set but client_auth_type ") +
                       (has_auth_type ? "is" : "defaults to") +
                       " NoClientCert; set client_auth_type: RequireAndVerifyClientCert");
  }
  return Status::Ok();
}

Status ParseUsers(const YAML::Node& node, std::map<std::string, std::string>& out) {
  if (node.IsNull()) {
    return Status::Ok();
  }
  if (Status s = CheckMapping(node, "basic_auth_users"); !s.ok()) {
    return s;
  }
  for (const auto& entry : node) {
    const std::string user = entry.first.Scalar();
    const std::string where = "basic_auth_users." + EscapeControl(user);
    if (user.empty()) {
      return ErrorAt(entry.first, "basic_auth_users: empty user name");
    }
    for (const char c : user) {
      if (c == ':' || IsAsciiControl(c)) {
        return ErrorAt(entry.first, "basic_auth_users: user name " + QuoteForMessage(user) +
                                        " may not contain ':' or control characters");
      }
    }
    // The hash is never quoted back: it is a secret too.
    if (!entry.second.IsScalar() || !IsBcryptHash(entry.second.Scalar())) {
      return ErrorAt(entry.second, where +
                                       ": not a bcrypt hash (want $2y$, $2b$ or $2a$, a cost of "
                                       "04..31 and 53 characters, e.g. from htpasswd -nBC 10)");
    }
    out.emplace(user, entry.second.Scalar());
  }
  return Status::Ok();
}

Status ParseHttpServer(const YAML::Node& node,
                       std::vector<std::pair<std::string, std::string>>& headers) {
  if (node.IsNull()) {
    return Status::Ok();
  }
  if (Status s = CheckMapping(node, "http_server_config"); !s.ok()) {
    return s;
  }
  for (const auto& entry : node) {
    const std::string key = entry.first.Scalar();
    if (key == "http2") {
      return ErrorAt(entry.first, "http_server_config.http2 is not supported by stampede_exporter");
    }
    if (key != "headers") {
      return ErrorAt(entry.first, "unknown key " + QuoteForMessage("http_server_config." + key) +
                                      " (want headers)");
    }
    if (entry.second.IsNull()) {
      continue;
    }
    if (Status s = CheckMapping(entry.second, "http_server_config.headers"); !s.ok()) {
      return s;
    }
    for (const auto& header : entry.second) {
      const std::string name = header.first.Scalar();
      const std::optional<std::string_view> canonical = CanonicalHeader(name);
      if (!canonical) {
        return ErrorAt(header.first, "http_server_config.headers: " + QuoteForMessage(name) +
                                         " may not be set (want one of " + AllowedHeaderList() +
                                         ")");
      }
      const std::string where = "http_server_config.headers." + std::string(*canonical);
      Result<std::string> value = ScalarValue(header.second, where);
      if (!value.ok()) {
        return value.status();
      }
      if (value->empty()) {
        return ErrorAt(header.second, where + " is empty");
      }
      for (const char c : *value) {
        if (IsAsciiControl(c)) {
          return ErrorAt(header.second, where + " may not contain control characters");
        }
      }
      headers.emplace_back(std::string(*canonical), *value);
    }
  }
  return Status::Ok();
}

std::string OneLine(std::string_view text) {
  std::string out;
  for (const char c : text) {
    out += IsAsciiControl(c) ? ' ' : c;
  }
  return out;
}

}  // namespace

const std::vector<std::string_view>& AllowedHeaders() {
  static const std::vector<std::string_view> headers = {
      "Strict-Transport-Security", "X-Content-Type-Options", "X-Frame-Options", "X-XSS-Protection",
      "Content-Security-Policy"};
  return headers;
}

std::string_view ClientAuthName(ClientAuth auth) {
  return auth == ClientAuth::kRequireAndVerifyClientCert ? "RequireAndVerifyClientCert"
                                                         : "NoClientCert";
}

std::string_view TlsVersionName(TlsVersion version) {
  return version == TlsVersion::kTls13 ? "TLS13" : "TLS12";
}

Result<WebConfig> ParseWebConfigText(std::string_view text, std::string_view name) {
  const std::string prefix = std::string(name) + ":";
  WebConfig out;
  try {
    const YAML::Node root = YAML::Load(std::string(text));
    if (root.IsNull()) {
      return out;
    }
    if (Status s = CheckMapping(root, "the file"); !s.ok()) {
      return Status::Error(prefix + s.message());
    }
    for (const auto& entry : root) {
      const std::string key = entry.first.Scalar();
      Status status;
      if (key == "tls_server_config") {
        TlsConfig tls;
        status = ParseTls(entry.second, tls);
        out.tls = std::move(tls);
      } else if (key == "basic_auth_users") {
        status = ParseUsers(entry.second, out.basic_auth_users);
      } else if (key == "http_server_config") {
        status = ParseHttpServer(entry.second, out.headers);
      } else {
        status = ErrorAt(entry.first, "unknown key " + QuoteForMessage(key) +
                                          " (want tls_server_config, basic_auth_users or "
                                          "http_server_config)");
      }
      if (!status.ok()) {
        return Status::Error(prefix + status.message());
      }
    }
  } catch (const YAML::Exception& e) {
    return Status::Error(prefix + ErrorAt(e.mark, OneLine(e.msg)).message());
  }
  return out;
}

WebConfig ResolvePaths(WebConfig config, std::string_view base_dir) {
  if (!config.tls || base_dir.empty()) {
    return config;
  }
  const auto resolve = [base_dir](std::string& path) {
    if (path.empty() || path.front() == '/') {
      return;
    }
    std::string joined(base_dir);
    if (joined.back() != '/') {
      joined += '/';
    }
    path = joined + path;
  };
  resolve(config.tls->cert_file);
  resolve(config.tls->key_file);
  resolve(config.tls->client_ca_file);
  return config;
}

}  // namespace stampede::web
