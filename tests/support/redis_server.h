// A real redis-server for tests, on a loopback port chosen at run time, in a temp directory.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "redis/address.h"
#include "redis/connection.h"
#include "support/process.h"

namespace stampede::testing {

/// Starts `redis-server` (from PATH) with no persistence, bound to 127.0.0.1 on a free port.
/// Stop()/Kill() and Start() again reuse the same port, so an exporter pointed at it sees a
/// restart. The destructor kills it and removes its directory. Not thread-safe.
class RedisServer {
 public:
  explicit RedisServer(std::vector<std::string> extra_args = {});
  ~RedisServer();
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  /// Starts the server and waits until it answers PING; ADD_FAILURE on timeout.
  bool Start();
  /// SIGKILL, as a crash would.
  void Kill();
  /// SIGSTOP / SIGCONT.
  void Pause();
  void Resume();

  int port() const { return port_; }
  redis::Address address() const;
  std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_); }

  /// Runs one command on a fresh connection; the reply, or an error Reply on failure.
  redis::Reply Command(const std::vector<std::string>& argv);

 private:
  std::vector<std::string> extra_args_;
  std::string dir_;
  int port_;
  ChildProcess process_;
  std::unique_ptr<redis::Connection> conn_;
};

}  // namespace stampede::testing
