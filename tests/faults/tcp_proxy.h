// A TCP proxy for fault tests: forwards 127.0.0.1:<port> to an upstream, and on request stops
// forwarding while keeping every socket open (a stalled network path) or cuts every
// connection (a reset path).
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace stampede::testing {

/// Listens on 127.0.0.1 on a free port chosen at run time; each accepted connection gets its
/// own upstream connection and two pump threads. Thread-safe; the destructor cuts everything
/// and joins every thread.
class TcpProxy {
 public:
  /// Starts listening and forwarding to 127.0.0.1:`upstream_port`; throws on failure.
  explicit TcpProxy(int upstream_port);
  ~TcpProxy();
  TcpProxy(const TcpProxy&) = delete;
  TcpProxy& operator=(const TcpProxy&) = delete;

  int port() const { return port_; }

  /// Stops forwarding in both directions; sockets stay open, new connections are accepted
  /// (and connected upstream) but nothing passes: bytes pile up in the kernel's buffers.
  void Stall();
  /// Forwards again, what piled up included.
  void Resume();
  /// Closes every current connection, both sides. Forwarding state is unchanged.
  void Cut();

  /// Connections accepted so far.
  std::size_t accepted() const { return accepted_.load(); }
  /// Connections open right now.
  std::size_t open_connections() const;

 private:
  struct Link;
  void AcceptLoop();
  void Pump(Link& link, int from, int to);
  void ReapFinished();

  int upstream_port_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<bool> stalled_{false};
  std::atomic<std::size_t> accepted_{0};
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<Link>> links_;  // guarded by mu_
  std::thread acceptor_;
};

}  // namespace stampede::testing
