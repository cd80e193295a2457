// The tests' HTTP client: the simulator's (sim/http_client.h), aimed at 127.0.0.1.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "sim/http_client.h"

namespace stampede::testing {

using HttpResponse = sim::HttpResponse;

/// `method` http://127.0.0.1:<port><path> over HTTP/1.0 with `body` (sent with a
/// Content-Length when not empty) and extra `headers` ("Name: value"), giving up after
/// `timeout`.
inline HttpResponse HttpRequest(
    int port, const std::string& method, const std::string& path, const std::string& body = "",
    const std::vector<std::string>& headers = {},
    std::chrono::milliseconds timeout = std::chrono::milliseconds(3000)) {
  return sim::HttpRequest(sim::HttpTarget{"127.0.0.1", port}, method, path, body, headers, timeout);
}

/// GET (or HEAD) http://127.0.0.1:<port><path>, giving up after `timeout`.
inline HttpResponse HttpGet(int port, const std::string& path,
                            std::chrono::milliseconds timeout = std::chrono::milliseconds(2000),
                            const std::string& method = "GET") {
  return HttpRequest(port, method, path, "", {}, timeout);
}

}  // namespace stampede::testing
