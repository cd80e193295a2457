// One blocking hiredis connection for the simulator's clients: connects on demand, reconnects
// after a failure (with a short back-off), replies as plain values.
#pragma once

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

struct redisContext;

namespace stampede::sim {

/// Where the cache lives.
struct RedisEndpoint {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::chrono::milliseconds timeout{1000};  // connect and command timeout
};

/// One reply, converted out of hiredis. kIoError: no reply at all (refused, broken, timed out).
struct RedisReply {
  enum class Type { kNil, kString, kStatus, kInteger, kArray, kError, kIoError };
  Type type = Type::kNil;
  std::string str;  // kString, kStatus, kError, kIoError (the message)
  long long integer = 0;
  std::size_t elements = 0;        // kArray: the element count
  std::vector<std::string> items;  // kArray: string elements (others as "")

  bool failed() const { return type == Type::kError || type == Type::kIoError; }
  bool nil() const { return type == Type::kNil; }
};

/// Not thread-safe: one owner thread (each simulated worker has its own link).
class RedisLink {
 public:
  /// After a failed connect, further calls fail fast for this long before trying again.
  static constexpr std::chrono::milliseconds kReconnectBackoff{50};

  explicit RedisLink(RedisEndpoint endpoint);
  ~RedisLink();
  RedisLink(const RedisLink&) = delete;
  RedisLink& operator=(const RedisLink&) = delete;
  RedisLink(RedisLink&& other) noexcept;
  RedisLink& operator=(RedisLink&& other) noexcept;

  /// Runs one command, connecting first when needed. On kIoError the connection is dropped;
  /// the next call reconnects (at most once per kReconnectBackoff).
  RedisReply Command(std::initializer_list<std::string_view> argv);
  RedisReply Command(const std::vector<std::string>& argv);
  /// Sends every command, then reads every reply (one round trip for the lot). On an I/O
  /// error the replies from there on are kIoError.
  std::vector<RedisReply> Pipeline(const std::vector<std::vector<std::string>>& commands);

  const RedisEndpoint& endpoint() const { return endpoint_; }
  /// Successful connects after the first.
  std::uint64_t reconnects() const { return reconnects_; }

 private:
  RedisReply Run(std::vector<const char*>& argv, const std::vector<std::size_t>& lens);
  /// A live context, or null (the failure is in `error`).
  redisContext* Context(std::string& error);
  RedisReply Broken(std::string message);
  void Drop();

  RedisEndpoint endpoint_;
  redisContext* ctx_ = nullptr;
  std::chrono::steady_clock::time_point retry_at_{};
  std::uint64_t connects_ = 0;
  std::uint64_t reconnects_ = 0;
};

}  // namespace stampede::sim
