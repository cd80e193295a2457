#include "redis/address.h"

#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>

#include "common/text.h"

namespace stampede::redis {

namespace {

constexpr int kDefaultPort = 6379;
constexpr int kMaxPort = 65535;
// sizeof(sockaddr_un::sun_path) on Linux, minus the terminating NUL.
constexpr std::size_t kMaxUnixPathBytes = 107;
// Inputs echoed in error messages are cut after this many bytes.
constexpr std::size_t kMaxEcho = 96;
constexpr std::string_view kTlsHint =
    "TLS (rediss://) is not supported: run a local stunnel in client mode "
    "(examples/stunnel-redis.conf) and point --redis.addr at its plain port, e.g. "
    "redis://127.0.0.1:6380; see README \"TLS to Redis\"";
constexpr std::string_view kExamples =
    "want e.g. redis://127.0.0.1:6379, host:port or unix:///path/to/redis.sock";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsHexDigit(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// RFC 3986: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
bool IsSchemeToken(std::string_view s) {
  if (s.empty() || !IsAlpha(s.front())) {
    return false;
  }
  for (const char c : s) {
    if (!IsAlpha(c) && !IsDigit(c) && c != '+' && c != '-' && c != '.') {
      return false;
    }
  }
  return true;
}

// The authority's port part is a password in disguise when it is not a number: someone who
// forgot the host wrote redis://user:password or redis://:password.
bool LooksLikePort(std::string_view s) {
  for (const char c : s) {
    if (!IsDigit(c)) {
      return false;
    }
  }
  return true;
}

// The input as it may appear in an error message. Everything up to the last '@' (where a user
// and password would be) is replaced by "***", keeping a well-formed scheme. Without an '@',
// whatever follows the first ':' of host:port is replaced by "***" unless it is a number, since
// redis://user:password (the host forgotten) would otherwise be echoed whole. Reasons given by
// ParseAddress only ever quote text after the last '@', a well-formed scheme token, a host, or
// a numeric port, so no error message can carry a password.
std::string Masked(std::string_view text) {
  std::size_t keep = 0;
  const std::size_t sep = text.find("://");
  const std::size_t at = text.rfind('@');
  if (sep != std::string_view::npos && (at == std::string_view::npos || sep < at) &&
      IsSchemeToken(text.substr(0, sep))) {
    keep = sep + 3;
  }
  if (at != std::string_view::npos) {
    return std::string(text.substr(0, keep)) + "***" + std::string(text.substr(at));
  }
  if (keep != 0 && EqualsIgnoreCase(text.substr(0, sep), "unix")) {
    return std::string(text);  // a socket path, where ':' is just a character
  }
  const std::string_view authority = text.substr(keep);
  std::size_t colon = std::string_view::npos;
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close != std::string_view::npos && close + 1 < authority.size() &&
        authority[close + 1] == ':') {
      colon = close + 1;
    }
  } else {
    colon = authority.find(':');
  }
  if (colon == std::string_view::npos) {
    return std::string(text);
  }
  const std::string_view after = authority.substr(colon + 1);
  if (LooksLikePort(after.substr(0, after.find_first_of("/?#")))) {
    return std::string(text);
  }
  return std::string(text.substr(0, keep + colon + 1)) + "***";
}

Status Invalid(std::string_view text, std::string_view reason) {
  return Status::Error("invalid Redis address " + QuoteForMessage(Masked(text), kMaxEcho) + ": " +
                       std::string(reason));
}

Result<Address> ParseUnix(std::string_view text, std::string_view path) {
  if (path.empty() || path == "/") {
    return Invalid(text, "empty unix socket path (want unix:///path/to/redis.sock)");
  }
  if (path.front() != '/') {
    return Invalid(text, "the unix socket path must be absolute (want unix:///path/to/redis.sock)");
  }
  for (const char c : path) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      return Invalid(text, "the unix socket path contains a control character");
    }
    if (c == '?' || c == '#') {
      return Invalid(text, "query parameters in the URL are not supported");
    }
  }
  if (path.size() > kMaxUnixPathBytes) {
    return Invalid(text, "the unix socket path is longer than " +
                             std::to_string(kMaxUnixPathBytes) + " bytes");
  }
  Address address;
  address.kind = Address::Kind::kUnix;
  address.host.clear();
  address.port = 0;
  address.path = std::string(path);
  return address;
}

// A host name or IPv4 literal: letters, digits, '-', '_' and '.'.
bool IsValidHostName(std::string_view host) {
  if (host.empty()) {
    return false;
  }
  for (const char c : host) {
    if (!IsAlpha(c) && !IsDigit(c) && c != '-' && c != '_' && c != '.') {
      return false;
    }
  }
  return true;
}

// What goes between the brackets: hex digits, ':' and '.' (for ::ffff:1.2.3.4), and a ':'.
bool IsValidIpv6(std::string_view host) {
  if (host.find(':') == std::string_view::npos) {
    return false;
  }
  for (const char c : host) {
    if (!IsHexDigit(c) && c != ':' && c != '.') {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string Address::Redacted() const {
  if (kind == Kind::kUnix) {
    return "unix://" + path;
  }
  const bool ipv6 = host.find(':') != std::string::npos;
  return "redis://" + (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Result<Address> ParseAddress(std::string_view text) {
  if (text.empty()) {
    return Invalid(text, "it is empty; " + std::string(kExamples));
  }

  std::string_view rest = text;
  bool url = false;
  if (const std::size_t sep = text.find("://"); sep != std::string_view::npos) {
    const std::string_view scheme = text.substr(0, sep);
    if (EqualsIgnoreCase(scheme, "unix")) {
      return ParseUnix(text, text.substr(sep + 3));
    }
    if (EqualsIgnoreCase(scheme, "rediss")) {
      return Invalid(text, std::string(kTlsHint));
    }
    if (!EqualsIgnoreCase(scheme, "redis")) {
      // Only a well-formed scheme is echoed: anything else may be part of a password.
      return Invalid(text,
                     (IsSchemeToken(scheme) ? "unknown scheme " + QuoteForMessage(scheme, kMaxEcho)
                                            : std::string("unknown scheme")) +
                         " (want redis:// or unix://)");
    }
    rest = text.substr(sep + 3);
    url = true;
  }

  Address address;
  // The last '@' ends the credentials, so that a password may itself contain '@' or ':'.
  if (const std::size_t at = rest.rfind('@'); at != std::string_view::npos) {
    if (!url) {
      return Invalid(text,
                     "unexpected '@' (credentials need the URL form "
                     "redis://user:password@host:port)");
    }
    const std::string_view userinfo = rest.substr(0, at);
    if (userinfo.empty()) {
      return Invalid(text, "stray '@' with no user or password before it");
    }
    const std::size_t colon = userinfo.find(':');
    address.user = std::string(userinfo.substr(0, colon));
    if (colon != std::string_view::npos) {
      address.password = std::string(userinfo.substr(colon + 1));
    }
    rest = rest.substr(at + 1);
  }

  // Nothing may follow host:port but a lone '/'.
  if (const std::size_t end = rest.find_first_of("/?#"); end != std::string_view::npos) {
    const std::string_view tail = rest.substr(end);
    if (tail.front() != '/') {
      return Invalid(text, "query parameters in the URL are not supported");
    }
    const std::string_view path = tail.substr(1);
    bool all_digits = !path.empty();
    for (const char c : path) {
      all_digits = all_digits && IsDigit(c);
    }
    if (all_digits) {
      return Invalid(text,
                     "database selection in the URL is not supported (INFO covers every database)");
    }
    if (!path.empty()) {
      return Invalid(text, "a path after host:port is not supported");
    }
    rest = rest.substr(0, end);
  }

  std::string_view host;
  std::string_view port_text;
  bool has_port = false;
  if (!rest.empty() && rest.front() == '[') {
    const std::size_t close = rest.find(']');
    if (close == std::string_view::npos) {
      return Invalid(text, "missing ']' after the IPv6 address");
    }
    host = rest.substr(1, close - 1);
    const std::string_view after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        return Invalid(text, "unexpected " + QuoteForMessage(after, kMaxEcho) +
                                 " after ']' (want [ipv6]:port)");
      }
      port_text = after.substr(1);
      has_port = true;
    }
    if (host.empty()) {
      return Invalid(text, "empty host");
    }
    if (!IsValidIpv6(host)) {
      return Invalid(text, QuoteForMessage(host, kMaxEcho) + " in brackets is not an IPv6 address");
    }
  } else {
    const std::size_t colon = rest.find(':');
    if (colon != std::string_view::npos && rest.find(':', colon + 1) != std::string_view::npos) {
      return Invalid(text, "IPv6 addresses need brackets, e.g. redis://[::1]:6379");
    }
    host = rest.substr(0, colon);
    if (colon != std::string_view::npos) {
      port_text = rest.substr(colon + 1);
      has_port = true;
    }
    if (host.empty()) {
      return Invalid(text, "empty host; " + std::string(kExamples));
    }
    if (!IsValidHostName(host)) {
      return Invalid(text, "invalid host " + QuoteForMessage(host, kMaxEcho));
    }
  }

  int port = kDefaultPort;
  if (has_port) {
    if (port_text.empty()) {
      return Invalid(text, "missing port after ':'");
    }
    int value = 0;  // stops growing past kMaxPort: cannot overflow
    for (const char c : port_text) {
      if (!IsDigit(c)) {
        // Not echoed: it may be a password whose host was forgotten (redis://user:password).
        return Invalid(text,
                       "the port after ':' is not a number (credentials go before an '@': "
                       "redis://user:password@host:port)");
      }
      if (value <= kMaxPort) {
        value = value * 10 + (c - '0');
      }
    }
    if (value < 1 || value > kMaxPort) {
      return Invalid(text,
                     "port " + QuoteForMessage(port_text, kMaxEcho) + " is out of range 1..65535");
    }
    port = value;
  }

  address.kind = Address::Kind::kTcp;
  address.host = std::string(host);
  address.port = port;
  return address;
}

}  // namespace stampede::redis
