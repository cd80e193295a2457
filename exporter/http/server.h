// The one HTTP server: landing page, /metrics, health and readiness.
#pragma once

#include <prometheus/collectable.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/registry.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/log.h"
#include "common/status.h"
#include "http/landing_page.h"

class CivetServer;

namespace stampede::http {

/// Serves, on one CivetWeb listener:
///   /                 landing page (LandingInfo from a callback)
///   <telemetry path>  every registered Collectable, serialized with TextSerializer
///   /-/healthy        200 while the process runs
///   /-/ready          200 once ready() is true, else 503
/// Handlers never let an exception escape into CivetWeb: a failure answers 500 and is counted.
/// Thread-safe: handlers run on CivetWeb's worker threads.
class Server {
 public:
  struct Options {
    std::string listen_address = ":9912";  // [host]:port; port 0 picks a free one
    std::string telemetry_path = "/metrics";
    int threads = 8;
    int request_timeout_ms = 10000;
  };
  struct Hooks {
    std::function<LandingInfo()> landing;
    std::function<bool()> ready;
  };

  /// Binds and starts serving. The error names the address and the reason.
  static Result<std::unique_ptr<Server>> Start(
      Options options, std::vector<std::shared_ptr<prometheus::Collectable>> collectables,
      Hooks hooks, Logger& log);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// The port actually bound (useful with port 0).
  int port() const { return port_; }

  class Handler;  // defined in server.cc

 private:
  Server() = default;

  std::shared_ptr<prometheus::Registry> registry_;  // the server's own metrics
  prometheus::Family<prometheus::Counter>* requests_ = nullptr;
  std::unique_ptr<CivetServer> civet_;
  std::vector<std::unique_ptr<Handler>> handlers_;
  int port_ = 0;
};

/// Converts "[host]:port" into CivetWeb's listening_ports syntax; an empty host means every
/// IPv4 interface. Pure.
Result<std::string> CivetListeningPorts(const std::string& listen_address);

}  // namespace stampede::http
