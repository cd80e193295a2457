// A synchronous hiredis connection: connect with timeouts, AUTH, commands as values.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "redis/address.h"

struct redisContext;

namespace stampede::redis {

/// A Redis reply converted out of hiredis. A plain value.
struct Reply {
  enum class Type { kString, kStatus, kError, kInteger, kNil, kArray };
  Type type = Type::kNil;
  std::string str;  // kString, kStatus, kError
  long long integer = 0;
  std::vector<Reply> elements;  // kArray
};

/// One blocking connection to one Redis node. Not thread-safe: one owner thread.
/// Error messages never contain the password.
class Connection {
 public:
  struct Options {
    Address address;
    std::string user;      // ACL user; empty for the default user (AUTH even without password)
    std::string password;  // empty (and no user): no AUTH
    std::chrono::milliseconds connect_timeout{2000};
    std::chrono::milliseconds command_timeout{2000};
  };

  /// Connects and authenticates. The error says what failed ("connect 127.0.0.1:6379:
  /// Connection refused", "auth: WRONGPASS ..."). A server hanging up before its first reply
  /// (a TLS port, a failed stunnel) gets a hint pointing at README "TLS to Redis".
  static Result<std::unique_ptr<Connection>> Open(const Options& options);

  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// Sends one command and waits for its reply. A Redis error reply is a Reply of kError,
  /// not a failed Result; a failed Result means the connection is broken (I/O error, timeout,
  /// protocol error) and must be dropped.
  Result<Reply> Command(const std::vector<std::string>& argv);

 private:
  Connection(redisContext* ctx, bool answered) : ctx_(ctx), answered_(answered) {}
  redisContext* ctx_;
  bool answered_;  // a reply was read: a hang-up is no longer a hint of a TLS port
};

/// The text of a hiredis context's last error ("connection lost" when it has none).
std::string ContextError(const redisContext* ctx);

/// Whether a hiredis error on a connection's first command looks like a server that hung up on
/// plain text: a TLS port or a TLS proxy (stunnel) whose own handshake failed. `hiredis_err` is
/// the context's err (REDIS_ERR_*), `errstr` its errstr. EOF, a reset, a broken pipe (the reset
/// came before the command was written) and a TLS record read as a reply type all count.
bool LooksLikeTlsRefusal(int hiredis_err, std::string_view errstr);

/// A hiredis context that frees itself.
using ContextPtr = std::unique_ptr<redisContext, void (*)(redisContext*)>;

/// Connects and authenticates a raw hiredis context (blocking, with the command timeout set),
/// for callers that drive the socket themselves, like the pub/sub client. Errors read as
/// Connection::Open's and never contain the password.
Result<ContextPtr> OpenContext(const Connection::Options& options);

}  // namespace stampede::redis
