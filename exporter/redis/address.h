// Where the Redis target is: redis://host:port or unix:///path. Pure parsing.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace stampede::redis {

/// A parsed --redis.addr. A plain value: thread-compatible.
struct Address {
  enum class Kind { kTcp, kUnix };
  Kind kind = Kind::kTcp;
  std::string host = "127.0.0.1";  // kTcp
  int port = 6379;                 // kTcp
  std::string path;                // kUnix
  std::string user;                // from redis://user:pass@..., if given
  std::string password;            // from the URL, if given; never printed

  /// The address without credentials, for logs, the landing page and labels:
  /// "redis://host:port" or "unix:///path".
  std::string Redacted() const;
};

/// Accepts `redis://[user[:password]@]host[:port]`, `host:port`, `host`, and `unix:///path`.
/// IPv6 literals go in brackets (`redis://[::1]:6379`). The port must be 1..65535.
Result<Address> ParseAddress(std::string_view text);

}  // namespace stampede::redis
