// A minimal blocking HTTP/1.0 client for tests against 127.0.0.1.
#pragma once

#include <chrono>
#include <map>
#include <string>

namespace stampede::testing {

struct HttpResponse {
  int status = 0;  // 0: no answer (connect failed, timeout)
  std::string error;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

/// GET (or HEAD) http://127.0.0.1:<port><path>, giving up after `timeout`.
HttpResponse HttpGet(int port, const std::string& path,
                     std::chrono::milliseconds timeout = std::chrono::milliseconds(2000),
                     const std::string& method = "GET");

}  // namespace stampede::testing
