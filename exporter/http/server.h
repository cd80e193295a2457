// The public web server: landing page, /metrics, health and readiness. Never accepts writes.
#pragma once

#include <prometheus/collectable.h>
#include <prometheus/registry.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/log.h"
#include "common/status.h"
#include "http/landing_page.h"
#include "http/listener.h"

namespace stampede::http {

/// Serves, on one Listener:
///   /                 landing page (LandingInfo from a callback)
///   <telemetry path>  every Collectable, serialized with TextSerializer
///   /-/healthy        200 while the process runs
///   /-/ready          200 once ready() is true, else 503
///   Hooks::routes     whatever else the app adds (GET only)
/// Thread-safe: handlers run on CivetWeb's worker threads.
class Server {
 public:
  struct Options {
    std::string listen_address = ":9912";  // [host]:port; port 0 picks a free one
    std::string telemetry_path = "/metrics";
  };
  struct Hooks {
    std::function<LandingInfo()> landing;
    std::function<bool()> ready;
    std::vector<Route> routes;  // more read-only routes (the incidents API)
  };

  /// Binds and starts serving. `counter` counts every request (it may be shared with other
  /// listeners); its registry must be among `collectables` to be exported.
  static Result<std::unique_ptr<Server>> Start(
      const Options& options, std::vector<std::shared_ptr<prometheus::Collectable>> collectables,
      std::shared_ptr<RequestCounter> counter, Hooks hooks, Logger& log);

  int port() const { return listener_->port(); }

 private:
  std::unique_ptr<Listener> listener_;
};

}  // namespace stampede::http
