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
#include "web/web_config.h"

namespace stampede::http {

/// Serves, on one Listener:
///   /                 landing page (LandingInfo from a callback)
///   <telemetry path>  every Collectable, serialized with TextSerializer
///   /-/healthy        200 while the process runs
///   /-/ready          200 once ready() is true, else 503
///   Hooks::routes     whatever else the app adds (GET only)
/// With basic_auth_users in the web config, every route but /-/healthy and /-/ready (the
/// probes, which reveal nothing) needs credentials; with tls_server_config it is HTTPS only.
/// Thread-safe: handlers run on CivetWeb's worker threads.
class Server {
 public:
  struct Options {
    std::string listen_address = ":9912";  // [host]:port; port 0 picks a free one
    std::string telemetry_path = "/metrics";
    std::size_t max_header_bytes = 16384;               // --web.max-header-bytes
    int read_timeout_ms = 10000;                        // --web.read-timeout
    web::WebConfig web;                                 // --web.config.file, paths resolved
    std::shared_ptr<AuthFailureCounter> auth_failures;  // counts 401s when web has users
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
