// One subscribed RESP2 connection read without blocking: poll() on the socket, then hiredis's
// reader. (hiredis 0.14's blocking mode treats a read timeout as a fatal I/O error.)
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "redis/connection.h"

struct redisContext;
struct redisReply;

namespace stampede::events {

/// Owns a redisContext that only subscribes: AUTH at Open, then SUBSCRIBE and PING (ordinary
/// commands such as CONFIG go over a redis::Connection). Not thread-safe: one owner thread.
/// Errors never contain the password.
class PubSubClient {
 public:
  /// Connects and authenticates with the timeouts of `options`.
  static Result<std::unique_ptr<PubSubClient>> Open(const redis::Connection::Options& options);
  ~PubSubClient();
  PubSubClient(const PubSubClient&) = delete;
  PubSubClient& operator=(const PubSubClient&) = delete;

  /// Sends SUBSCRIBE for `channels` (the confirmations arrive through Read).
  Status Subscribe(const std::vector<std::string>& channels);
  /// Sends PING; in subscribed mode the answer is the array ["pong", ""].
  Status Ping();

  /// What Read hands out per message: the array's elements as views valid during the call.
  /// `kind` is "message", "subscribe", "pong", ...; `a`/`b` the next two elements (or empty).
  /// An error reply arrives as kind "error" with its text in `a`.
  using Handler =
      std::function<void(std::string_view kind, std::string_view a, std::string_view b)>;

  /// Waits up to `timeout` for data on the socket or on `wake_fd` (ignored when < 0), then
  /// reads what has arrived and hands each complete message to `handler`. With
  /// `data_waiting` (PendingBytes() said so) it reads at once without polling: under load
  /// that saves a system call per read. Returns the number of messages, or an error when the
  /// connection is broken or closed.
  Result<std::size_t> Read(std::chrono::milliseconds timeout, int wake_fd, bool data_waiting,
                           const Handler& handler);

  /// Bytes received by the kernel and not yet read: how far behind the reader is.
  std::size_t PendingBytes() const;

 private:
  explicit PubSubClient(redisContext* ctx) : ctx_(ctx) {}
  Status Flush();
  redisContext* ctx_;
};

}  // namespace stampede::events
