#include "http/server.h"

#include <iterator>
#include <string>
#include <utility>

#include "collectors/text_exposition.h"
#include "web/basic_auth.h"

namespace stampede::http {

Result<std::unique_ptr<Server>> Server::Start(
    const Options& options, std::vector<std::shared_ptr<prometheus::Collectable>> collectables,
    std::shared_ptr<RequestCounter> counter, Hooks hooks, Logger& log) {
  std::vector<Route> routes;
  routes.push_back(
      {"metrics", options.telemetry_path, true, false,
       [collectables = std::move(collectables)](const Request&) {
         std::vector<prometheus::MetricFamily> families;
         for (const auto& c : collectables) {
           auto more = c->Collect();
           families.insert(families.end(), std::make_move_iterator(more.begin()),
                           std::make_move_iterator(more.end()));
         }
         // Our own writer: TextSerializer's iostream formatting was most of a scrape's cost.
         std::string out;
         out.reserve(256 * 1024);
         collectors::AppendTextExposition(families, out);
         return Response{200, "text/plain; version=0.0.4; charset=utf-8", std::move(out), {}};
       }});
  // The probes stay open under basic auth: a kubelet has no credentials, and they tell nothing.
  routes.push_back({"healthy", "/-/healthy", true, false,
                    [](const Request&) { return Response::Text(200, "OK\n"); }, false, true});
  routes.push_back({"ready", "/-/ready", true, false,
                    [ready = hooks.ready](const Request&) {
                      if (ready && ready()) {
                        return Response::Text(200, "OK\n");
                      }
                      return Response::Text(503, "not ready: no INFO sample yet\n");
                    },
                    false, true});
  routes.push_back(
      {"landing", "/", true, false, [landing = hooks.landing](const Request&) {
         return Response{200, "text/html; charset=utf-8", RenderLandingPage(landing()), {}};
       }});
  for (Route& r : hooks.routes) {
    routes.push_back(std::move(r));
  }
  Listener::Options listen;
  listen.listen_address = options.listen_address;
  listen.max_body_bytes = 0;  // no route takes a body
  listen.max_header_bytes = options.max_header_bytes;
  listen.request_timeout_ms = options.read_timeout_ms;
  listen.tls = options.web.tls;
  if (!options.web.basic_auth_users.empty()) {
    listen.auth = std::make_shared<web::BasicAuth>(options.web.basic_auth_users);
    listen.auth_failures = options.auth_failures;
  }
  listen.headers = options.web.headers;
  auto listener = Listener::Start(listen, std::move(routes), std::move(counter), log);
  if (!listener.ok()) {
    return listener.status();
  }
  std::unique_ptr<Server> s(new Server());
  s->listener_ = std::move(listener).value();
  return s;
}

}  // namespace stampede::http
