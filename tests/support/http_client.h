// A minimal blocking HTTP/1.0 client for tests against 127.0.0.1.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace stampede::testing {

struct HttpResponse {
  int status = 0;  // 0: no answer (connect failed, timeout)
  std::string error;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

/// `method` http://127.0.0.1:<port><path> over HTTP/1.0 with `body` (sent with a
/// Content-Length when not empty) and extra `headers` ("Name: value"), giving up after
/// `timeout`.
HttpResponse HttpRequest(int port, const std::string& method, const std::string& path,
                         const std::string& body = "", const std::vector<std::string>& headers = {},
                         std::chrono::milliseconds timeout = std::chrono::milliseconds(3000));

/// GET (or HEAD) http://127.0.0.1:<port><path>, giving up after `timeout`.
inline HttpResponse HttpGet(int port, const std::string& path,
                            std::chrono::milliseconds timeout = std::chrono::milliseconds(2000),
                            const std::string& method = "GET") {
  return HttpRequest(port, method, path, "", {}, timeout);
}

}  // namespace stampede::testing
