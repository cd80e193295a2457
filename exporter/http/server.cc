#include "http/server.h"

#include <CivetServer.h>
#include <civetweb.h>
#include <prometheus/text_serializer.h>

#include <exception>
#include <sstream>
#include <string>
#include <utility>

namespace stampede::http {

namespace {

struct Response {
  int code = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};

void Send(mg_connection* conn, const Response& r, bool with_body) {
  mg_response_header_start(conn, r.code);
  mg_response_header_add(conn, "Content-Type", r.content_type.c_str(), -1);
  const std::string length = std::to_string(r.body.size());
  mg_response_header_add(conn, "Content-Length", length.c_str(), -1);
  mg_response_header_add(conn, "Cache-Control", "no-store", -1);
  mg_response_header_send(conn);
  if (with_body && !r.body.empty()) {
    mg_write(conn, r.body.data(), r.body.size());
  }
}

}  // namespace

/// Adapts one route to CivetWeb: GET and HEAD, exact path only, exceptions contained.
class Server::Handler : public CivetHandler {
 public:
  Handler(std::string name, std::string path, std::function<Response()> fn,
          prometheus::Family<prometheus::Counter>* requests, Logger& log)
      : name_(std::move(name)),
        path_(std::move(path)),
        fn_(std::move(fn)),
        requests_(requests),
        log_(log) {}

  bool handleGet(CivetServer* /*server*/, mg_connection* conn) override {
    return Serve(conn, true);
  }
  bool handleHead(CivetServer* /*server*/, mg_connection* conn) override {
    return Serve(conn, false);
  }

 private:
  bool Serve(mg_connection* conn, bool with_body) {
    Response r;
    try {
      const mg_request_info* req = mg_get_request_info(conn);
      if (req == nullptr || req->local_uri == nullptr || path_ != req->local_uri) {
        // CivetWeb routes by prefix; everything under "/" that is not a route lands here.
        r.code = 404;
        r.body = "404 page not found\n";
      } else {
        r = fn_();
      }
    } catch (const std::exception& e) {
      r = Response{500, "text/plain; charset=utf-8", "internal error\n"};
      log_.Error("http handler failed", {{"handler", name_}, {"err", e.what()}});
    } catch (...) {
      r = Response{500, "text/plain; charset=utf-8", "internal error\n"};
      log_.Error("http handler failed", {{"handler", name_}});
    }
    try {
      requests_->Add({{"handler", name_}, {"code", std::to_string(r.code)}}).Increment();
      Send(conn, r, with_body);
    } catch (...) {
      // Nothing may unwind through CivetWeb's C frames.
    }
    return true;
  }

  const std::string name_;
  const std::string path_;
  const std::function<Response()> fn_;
  prometheus::Family<prometheus::Counter>* requests_;
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

Result<std::unique_ptr<Server>> Server::Start(
    Options options, std::vector<std::shared_ptr<prometheus::Collectable>> collectables,
    Hooks hooks, Logger& log) {
  auto ports = CivetListeningPorts(options.listen_address);
  if (!ports.ok()) {
    return ports.status();
  }
  std::unique_ptr<Server> s(new Server());
  s->registry_ = std::make_shared<prometheus::Registry>();
  s->requests_ = &prometheus::BuildCounter()
                      .Name("stampede_http_requests_total")
                      .Help("HTTP requests served, by handler and status code.")
                      .Register(*s->registry_);
  collectables.insert(collectables.begin(), s->registry_);

  const std::vector<std::string> civet_options = {
      "listening_ports",       *ports,
      "num_threads",           std::to_string(options.threads),
      "request_timeout_ms",    std::to_string(options.request_timeout_ms),
      "enable_keep_alive",     "yes",
      "keep_alive_timeout_ms", "5000",
  };
  try {
    s->civet_ = std::make_unique<CivetServer>(civet_options);
  } catch (const std::exception& e) {
    return Status::Error("cannot listen on " + options.listen_address + ": " + e.what());
  }
  const auto listening = s->civet_->getListeningPorts();
  s->port_ = listening.empty() ? 0 : listening.front();

  const std::string telemetry = options.telemetry_path;
  auto add = [&](std::string name, std::string path, std::function<Response()> fn) {
    s->handlers_.push_back(
        std::make_unique<Handler>(std::move(name), path, std::move(fn), s->requests_, log));
    s->civet_->addHandler(path, s->handlers_.back().get());
  };
  add("metrics", telemetry, [collectables] {
    std::vector<prometheus::MetricFamily> families;
    for (const auto& c : collectables) {
      auto more = c->Collect();
      families.insert(families.end(), std::make_move_iterator(more.begin()),
                      std::make_move_iterator(more.end()));
    }
    std::ostringstream out;
    prometheus::TextSerializer().Serialize(out, families);
    return Response{200, "text/plain; version=0.0.4; charset=utf-8", out.str()};
  });
  add("healthy", "/-/healthy", [] { return Response{200, "text/plain; charset=utf-8", "OK\n"}; });
  add("ready", "/-/ready", [ready = hooks.ready] {
    if (ready && ready()) {
      return Response{200, "text/plain; charset=utf-8", "OK\n"};
    }
    return Response{503, "text/plain; charset=utf-8", "not ready: no INFO sample yet\n"};
  });
  add("landing", "/", [landing = hooks.landing] {
    return Response{200, "text/html; charset=utf-8", RenderLandingPage(landing())};
  });
  return s;
}

Server::~Server() {
  if (civet_) {
    civet_->close();  // joins the workers before the handlers go away
  }
}

}  // namespace stampede::http
