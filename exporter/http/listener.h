// One CivetWeb listener with explicit routes: the building block of the public web server and
// of the ingest server. Handlers get a plain Request and return a plain Response.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/registry.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/log.h"
#include "common/status.h"
#include "web/basic_auth.h"
#include "web/web_config.h"

class CivetServer;

namespace stampede::http {

/// What a handler sees. `header` looks a request header up (case-insensitive), "" if absent.
struct Request {
  std::string method;
  std::string path;
  std::string query;
  std::string body;  // POST only, at most Listener::Options::max_body_bytes
  std::function<std::string(std::string_view name)> header;
};

/// What a handler returns.
struct Response {
  int code = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers

  static Response Text(int code, std::string body) {
    return Response{code, "text/plain; charset=utf-8", std::move(body), {}};
  }
  static Response Json(int code, std::string body) {
    return Response{code, "application/json", std::move(body), {}};
  }
};

/// One path. GET also answers HEAD. A method the route does not allow answers 405.
struct Route {
  std::string name;  // the `handler` label of stampede_http_requests_total
  std::string path;  // exact match, and with `prefix` the paths below it (path + "/...")
  bool get = true;
  bool post = false;
  std::function<Response(const Request&)> handle;
  bool prefix = false;
  bool open = false;  // served without basic auth even when the listener has it (probes)
};

/// stampede_http_requests_total{handler,code}, shared by every listener. Thread-safe.
class RequestCounter {
 public:
  explicit RequestCounter(prometheus::Registry& registry);
  void Count(const std::string& handler, int code);

 private:
  prometheus::Family<prometheus::Counter>* family_;
};

/// stampede_http_auth_failures_total{reason}: requests refused by basic auth, reason one of
/// missing, malformed, bad_credentials (all three exported from the start). Thread-safe.
class AuthFailureCounter {
 public:
  explicit AuthFailureCounter(prometheus::Registry& registry);
  void Count(web::AuthFailure failure);

 private:
  prometheus::Counter* missing_;
  prometheus::Counter* malformed_;
  prometheus::Counter* bad_credentials_;
};

/// Serves routes on one address. Paths that match no route answer 404. Bodies larger than
/// max_body_bytes answer 413 without being read; a request line and headers larger than
/// max_header_bytes, or not complete within request_timeout_ms, are refused by CivetWeb. With
/// `auth`, every route but the `open` ones answers 401 without valid credentials. With `tls`,
/// the listener speaks HTTPS only. No exception escapes into CivetWeb: a
/// handler that throws answers 500 and is logged. Thread-safe: handlers run on CivetWeb's
/// worker threads and must be thread-safe themselves.
class Listener {
 public:
  struct Options {
    std::string listen_address;  // [host]:port; port 0 picks a free one
    int threads = 8;
    int request_timeout_ms = 10000;  // to read a request's line, headers and body
    std::size_t max_body_bytes = 1 << 20;
    std::size_t max_header_bytes = 16384;  // request line and headers (CivetWeb max_request_size)
    std::optional<web::TlsConfig> tls;     // HTTPS; paths already resolved
    std::shared_ptr<web::BasicAuth> auth;  // null: no authentication
    std::shared_ptr<AuthFailureCounter> auth_failures;         // with auth
    std::vector<std::pair<std::string, std::string>> headers;  // on every response
  };

  /// Binds and starts serving; the error names the address and the reason.
  static Result<std::unique_ptr<Listener>> Start(const Options& options, std::vector<Route> routes,
                                                 std::shared_ptr<RequestCounter> counter,
                                                 Logger& log);
  ~Listener();
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  /// The port actually bound (useful with port 0).
  int port() const { return port_; }

  class Handler;  // listener.cc
  struct Shared;  // listener.cc: what every handler of this listener uses

 private:
  Listener() = default;
  std::shared_ptr<const Shared> shared_;
  std::unique_ptr<CivetServer> civet_;
  std::vector<std::unique_ptr<Handler>> handlers_;
  int port_ = 0;
};

/// Converts "[host]:port" into CivetWeb's listening_ports syntax; an empty host means every
/// IPv4 interface. Pure.
Result<std::string> CivetListeningPorts(const std::string& listen_address);

}  // namespace stampede::http
