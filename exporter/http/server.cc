#include "http/server.h"

#include <atomic>
#include <iterator>
#include <memory>
#include <string>
#include <utility>

#include "collectors/collector_set.h"
#include "collectors/text_exposition.h"
#include "common/openssl.h"
#include "web/basic_auth.h"

namespace stampede::http {

Result<std::unique_ptr<Server>> Server::Start(
    const Options& options, std::vector<std::shared_ptr<prometheus::Collectable>> collectables,
    std::shared_ptr<RequestCounter> counter, Hooks hooks, Logger& log) {
  std::vector<Route> routes;
  routes.push_back(
      {"metrics", options.telemetry_path, true, false,
       [collectables = std::move(collectables),
        last_size = std::make_shared<std::atomic<std::size_t>>(0)](const Request&) {
         // Room for the last body and an eighth more: a fixed 256 KiB went past malloc's mmap
         // threshold at first, then stayed in each web thread's arena (RSS).
         std::string out;
         const std::size_t last = last_size->load(std::memory_order_relaxed);
         out.reserve(last + last / 8 + 4096);
         // Our own writer: TextSerializer's iostream formatting was most of a scrape's cost.
         // A CollectorSet writes itself (its collectors may keep their text rendered).
         std::vector<prometheus::MetricFamily> families;
         for (const auto& c : collectables) {
           if (const auto* set = dynamic_cast<const collectors::CollectorSet*>(c.get())) {
             set->AppendText(out);
             continue;
           }
           auto more = c->Collect();
           families.insert(families.end(), std::make_move_iterator(more.begin()),
                           std::make_move_iterator(more.end()));
         }
         collectors::AppendTextExposition(families, out);
         last_size->store(out.size(), std::memory_order_relaxed);
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
    if (const auto& ssl = openssl::Load(); !ssl.ok()) {  // the credential cache's SHA-256
      return Status::Error("basic auth: " + ssl.status().message());
    }
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
