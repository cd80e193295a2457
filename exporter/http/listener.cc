#include "http/listener.h"

#include <CivetServer.h>
#include <civetweb.h>

#include <exception>
#include <string>

namespace stampede::http {

namespace {

void Send(mg_connection* conn, const Response& r, bool with_body) {
  mg_response_header_start(conn, r.code);
  mg_response_header_add(conn, "Content-Type", r.content_type.c_str(), -1);
  const std::string length = std::to_string(r.body.size());
  mg_response_header_add(conn, "Content-Length", length.c_str(), -1);
  mg_response_header_add(conn, "Cache-Control", "no-store", -1);
  for (const auto& [name, value] : r.headers) {
    mg_response_header_add(conn, name.c_str(), value.c_str(), -1);
  }
  mg_response_header_send(conn);
  if (with_body && !r.body.empty()) {
    mg_write(conn, r.body.data(), r.body.size());
  }
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

/// Adapts one route to CivetWeb, exceptions contained.
class Listener::Handler : public CivetHandler {
 public:
  Handler(Route route, std::size_t max_body, std::shared_ptr<RequestCounter> counter, Logger& log)
      : route_(std::move(route)), max_body_(max_body), counter_(std::move(counter)), log_(log) {}

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
    if (method == "POST" && !ReadBody(conn, req, max_body_, request.body)) {
      return Response::Json(
          413, "{\"error\":\"request body larger than " + std::to_string(max_body_) + " bytes\"}");
    }
    return route_.handle(request);
  }

  bool Serve(mg_connection* conn, const std::string& method) {
    Response r;
    try {
      r = Dispatch(conn, method);
    } catch (const std::exception& e) {
      r = Response::Text(500, "internal error\n");
      log_.Error("http handler failed", {{"handler", route_.name}, {"err", e.what()}});
    } catch (...) {
      r = Response::Text(500, "internal error\n");
      log_.Error("http handler failed", {{"handler", route_.name}});
    }
    try {
      counter_->Count(route_.name, r.code);
      Send(conn, r, method != "HEAD");
    } catch (...) {
      // Nothing may unwind through CivetWeb's C frames.
    }
    return true;
  }

  const Route route_;
  const std::size_t max_body_;
  std::shared_ptr<RequestCounter> counter_;
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
  const std::vector<std::string> civet_options = {
      "listening_ports",
      *ports,
      "num_threads",
      std::to_string(options.threads),
      "request_timeout_ms",
      std::to_string(options.request_timeout_ms),
      "enable_keep_alive",
      "yes",
      "keep_alive_timeout_ms",
      "5000",
      // Headers and body go out in two writes: without this, a keep-alive client's delayed
      // ACK stalls the second one (~40 ms per request).
      "tcp_nodelay",
      "1",
  };
  try {
    l->civet_ = std::make_unique<CivetServer>(civet_options);
  } catch (const std::exception& e) {
    return Status::Error("cannot listen on " + options.listen_address + ": " + e.what());
  }
  const auto listening = l->civet_->getListeningPorts();
  l->port_ = listening.empty() ? 0 : listening.front();
  for (Route& route : routes) {
    const std::string path = route.path;
    l->handlers_.push_back(
        std::make_unique<Handler>(std::move(route), options.max_body_bytes, counter, log));
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
