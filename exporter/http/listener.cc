#include "http/listener.h"

#include <CivetServer.h>
#include <civetweb.h>

#include <ctime>
#include <exception>
#include <string>

#include "common/openssl.h"
#include "http/response_head.h"
#include "http/tls.h"

namespace stampede::http {

struct Listener::Shared {
  std::size_t max_body = 0;
  std::shared_ptr<RequestCounter> counter;
  std::shared_ptr<web::BasicAuth> auth;
  std::shared_ptr<AuthFailureCounter> auth_failures;
  std::vector<std::pair<std::string, std::string>> headers;
};

namespace {

// The TLS settings of the listener being started, for CivetWeb's init_ssl callback, which runs
// on the thread that calls mg_start (inside the CivetServer constructor).
struct TlsStart {
  const web::TlsConfig* tls = nullptr;
  bool called = false;
  Status status;
};
thread_local TlsStart* tls_start = nullptr;

int InitSsl(void* ssl_ctx, void* /*user_data*/) {
  if (tls_start == nullptr || tls_start->tls == nullptr) {
    return -1;
  }
  tls_start->called = true;
  try {
    tls_start->status = ConfigureTls(ssl_ctx, *tls_start->tls);
  } catch (...) {
    tls_start->status = Status::Error("TLS set-up failed");
  }
  return tls_start->status.ok() ? 1 : -1;  // 1: the certificate is set up, CivetWeb skips it
}

// The whole response in one write (see response_head.h): head and body in one buffer.
void Send(mg_connection* conn, const Response& r, bool with_body,
          const std::vector<std::pair<std::string, std::string>>& extra) {
  const mg_request_info* req = mg_get_request_info(conn);
  const char* reason = mg_get_response_code_text(conn, r.code);
  ResponseHead head;
  head.code = r.code;
  head.reason = reason != nullptr ? reason : "";
  head.content_type = r.content_type;
  head.content_length = r.body.size();
  head.keep_alive =
      KeepAlive(req != nullptr && req->http_version != nullptr ? req->http_version : "",
                mg_get_header(conn, "Connection"));
  head.now = std::time(nullptr);
  std::string out;
  out.reserve(512 + (with_body ? r.body.size() : 0));
  AppendResponseHead(out, head, r.headers, extra);
  if (with_body) {
    out.append(r.body);
  }
  mg_write(conn, out.data(), out.size());
}

/// Reads the request body into `out`; false when it is longer than `limit`.
bool ReadBody(mg_connection* conn, const mg_request_info* req, std::size_t limit,
              std::string& out) {
  if (req->content_length > static_cast<long long>(limit)) {
    return false;
  }
  char buf[16384];
  while (true) {
    const int n = mg_read(conn, buf, sizeof(buf));
    if (n <= 0) {
      return true;
    }
    if (out.size() + static_cast<std::size_t>(n) > limit) {
      return false;  // chunked or lying Content-Length
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
}

}  // namespace

RequestCounter::RequestCounter(prometheus::Registry& registry)
    : family_(&prometheus::BuildCounter()
                   .Name("stampede_http_requests_total")
                   .Help("HTTP requests served, by handler and status code.")
                   .Register(registry)) {}

void RequestCounter::Count(const std::string& handler, int code) {
  family_->Add({{"handler", handler}, {"code", std::to_string(code)}}).Increment();
}

AuthFailureCounter::AuthFailureCounter(prometheus::Registry& registry) {
  auto& family = prometheus::BuildCounter()
                     .Name("stampede_http_auth_failures_total")
                     .Help(
                         "HTTP requests refused by basic auth, by reason: missing, malformed "
                         "or bad_credentials.")
                     .Register(registry);
  missing_ = &family.Add({{"reason", "missing"}});
  malformed_ = &family.Add({{"reason", "malformed"}});
  bad_credentials_ = &family.Add({{"reason", "bad_credentials"}});
}

void AuthFailureCounter::Count(web::AuthFailure failure) {
  switch (failure) {
    case web::AuthFailure::kMissing:
      missing_->Increment();
      return;
    case web::AuthFailure::kMalformed:
      malformed_->Increment();
      return;
    case web::AuthFailure::kBadCredentials:
      bad_credentials_->Increment();
      return;
  }
}

/// Adapts one route to CivetWeb, exceptions contained.
class Listener::Handler : public CivetHandler {
 public:
  Handler(Route route, std::shared_ptr<const Shared> shared, Logger& log)
      : route_(std::move(route)), shared_(std::move(shared)), log_(log) {}

  bool handleGet(CivetServer* /*server*/, mg_connection* conn) override {
    return Serve(conn, "GET");
  }
  bool handleHead(CivetServer* /*server*/, mg_connection* conn) override {
    return Serve(conn, "HEAD");
  }
  bool handlePost(CivetServer* /*server*/, mg_connection* conn) override {
    return Serve(conn, "POST");
  }
  bool handlePut(CivetServer* /*server*/, mg_connection* conn) override {
    return Serve(conn, "PUT");
  }
  bool handleDelete(CivetServer* /*server*/, mg_connection* conn) override {
    return Serve(conn, "DELETE");
  }

 private:
  bool Matches(std::string_view uri) const {
    return uri == route_.path || (route_.prefix && uri.size() > route_.path.size() + 1 &&
                                  uri.starts_with(route_.path) && uri[route_.path.size()] == '/');
  }

  Response Dispatch(mg_connection* conn, const std::string& method) {
    const mg_request_info* req = mg_get_request_info(conn);
    if (req == nullptr || req->local_uri == nullptr || !Matches(req->local_uri)) {
      // CivetWeb routes by prefix; a path under this one that is not a route lands here.
      return Response::Text(404, "404 page not found\n");
    }
    const bool allowed =
        ((method == "GET" || method == "HEAD") && route_.get) || (method == "POST" && route_.post);
    if (!allowed) {
      Response r = Response::Text(405, "405 method not allowed\n");
      r.headers.emplace_back("Allow",
                             route_.post ? (route_.get ? "GET, HEAD, POST" : "POST") : "GET, HEAD");
      return r;
    }
    Request request;
    request.method = method;
    request.path = req->local_uri;
    request.query = req->query_string != nullptr ? req->query_string : "";
    request.header = [conn](std::string_view name) {
      const char* v = mg_get_header(conn, std::string(name).c_str());
      return std::string(v != nullptr ? v : "");
    };
    if (method == "POST" && !ReadBody(conn, req, shared_->max_body, request.body)) {
      return Response::Json(413, "{\"error\":\"request body larger than " +
                                     std::to_string(shared_->max_body) + " bytes\"}");
    }
    return route_.handle(request);
  }

  /// The 401 to send when basic auth is on, this route is not open, and the request's
  /// credentials are missing or wrong; nullopt to go on. Logs no header, user or password.
  std::optional<Response> Authenticate(mg_connection* conn) {
    if (!shared_->auth || route_.open) {
      return std::nullopt;
    }
    const char* header = mg_get_header(conn, "Authorization");
    const std::optional<web::AuthFailure> failure =
        shared_->auth->Check(header != nullptr ? header : "");
    if (!failure) {
      return std::nullopt;
    }
    if (shared_->auth_failures) {
      shared_->auth_failures->Count(*failure);
    }
    if (log_.Enabled(LogLevel::kDebug)) {
      const mg_request_info* req = mg_get_request_info(conn);
      log_.Debug("http auth refused", {{"handler", route_.name},
                                       {"reason", std::string(web::AuthFailureName(*failure))},
                                       {"remote", req != nullptr ? req->remote_addr : ""}});
    }
    Response r = Response::Text(401, "401 unauthorized\n");
    r.headers.emplace_back("WWW-Authenticate", "Basic realm=\"stampede_exporter\"");
    return r;
  }

  bool Serve(mg_connection* conn, const std::string& method) {
    Response r;
    try {
      if (std::optional<Response> refused = Authenticate(conn)) {
        r = std::move(*refused);
      } else {
        r = Dispatch(conn, method);
      }
    } catch (const std::exception& e) {
      r = Response::Text(500, "internal error\n");
      log_.Error("http handler failed", {{"handler", route_.name}, {"err", e.what()}});
    } catch (...) {
      r = Response::Text(500, "internal error\n");
      log_.Error("http handler failed", {{"handler", route_.name}});
    }
    try {
      shared_->counter->Count(route_.name, r.code);
      Send(conn, r, method != "HEAD", shared_->headers);
    } catch (...) {
      // Nothing may unwind through CivetWeb's C frames.
    }
    return true;
  }

  const Route route_;
  const std::shared_ptr<const Shared> shared_;
  Logger& log_;
};

Result<std::string> CivetListeningPorts(const std::string& listen_address) {
  const auto colon = listen_address.rfind(':');
  if (colon == std::string::npos) {
    return Status::Error("listen address \"" + listen_address + "\" has no port");
  }
  const std::string host = listen_address.substr(0, colon);
  const std::string port = listen_address.substr(colon + 1);
  if (port.empty() || port.find_first_not_of("0123456789") != std::string::npos) {
    return Status::Error("listen address \"" + listen_address + "\" has a bad port");
  }
  if (host.empty()) {
    return port;  // CivetWeb: a bare port binds every IPv4 interface
  }
  if (host == "localhost") {
    return "127.0.0.1:" + port;
  }
  return host + ":" + port;
}

Result<std::unique_ptr<Listener>> Listener::Start(const Options& options, std::vector<Route> routes,
                                                  std::shared_ptr<RequestCounter> counter,
                                                  Logger& log) {
  auto ports = CivetListeningPorts(options.listen_address);
  if (!ports.ok()) {
    return ports.status();
  }
  std::unique_ptr<Listener> l(new Listener());
  std::vector<std::string> civet_options = {
      "listening_ports",
      *ports + (options.tls ? "s" : ""),
      "num_threads",
      std::to_string(options.threads),
      "request_timeout_ms",
      std::to_string(options.request_timeout_ms),
      "max_request_size",
      std::to_string(options.max_header_bytes),
      "enable_keep_alive",
      "yes",
      "keep_alive_timeout_ms",
      "5000",
      // Without it Nagle holds back the last, partial segment of a response until the
      // client's delayed ACK of the one before (~40 ms per keep-alive request).
      "tcp_nodelay",
      "1",
  };
  CivetCallbacks callbacks;
  TlsStart tls;
  if (options.tls) {
    // Before CivetWeb's own dlopen("libssl.so"): it then finds the shim loaded.
    if (const auto& ssl = openssl::Load(); !ssl.ok()) {
      return Status::Error("cannot listen on " + options.listen_address + ": " +
                           ssl.status().message());
    }
    // InitSsl loads certificate and key itself (they may be two files; CivetWeb wants one).
    civet_options.insert(civet_options.end(), {"ssl_certificate", options.tls->cert_file});
    callbacks.init_ssl = InitSsl;
    tls.tls = &*options.tls;
  }
  try {
    tls_start = &tls;
    l->civet_ = std::make_unique<CivetServer>(civet_options, &callbacks);
    tls_start = nullptr;
  } catch (const std::exception& e) {
    tls_start = nullptr;
    std::string reason = e.what();
    if (!tls.status.ok()) {
      reason = tls.status.message();
    } else if (options.tls) {
      reason += " (TLS: is libssl3 installed?)";
    }
    return Status::Error("cannot listen on " + options.listen_address + ": " + reason);
  }
  if (options.tls && !tls.called) {
    // CivetWeb could not load OpenSSL (without the libssl.so shim it fails on OpenSSL 3's
    // missing SSL_get_peer_certificate) and would reset every connection.
    return Status::Error("cannot listen on " + options.listen_address +
                         ": CivetWeb could not initialise OpenSSL (is libssl3 installed, and "
                         "lib/stampede_exporter/libssl.so beside the binary's bin/?)");
  }
  const auto listening = l->civet_->getListeningPorts();
  l->port_ = listening.empty() ? 0 : listening.front();
  auto shared = std::make_shared<Shared>();
  shared->max_body = options.max_body_bytes;
  shared->counter = std::move(counter);
  shared->auth = options.auth;
  shared->auth_failures = options.auth_failures;
  shared->headers = options.headers;
  l->shared_ = shared;
  for (Route& route : routes) {
    const std::string path = route.path;
    l->handlers_.push_back(std::make_unique<Handler>(std::move(route), l->shared_, log));
    l->civet_->addHandler(path, l->handlers_.back().get());
  }
  return l;
}

Listener::~Listener() {
  if (civet_) {
    civet_->close();  // joins the workers before the handlers go away
  }
}

}  // namespace stampede::http
