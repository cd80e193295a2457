// A minimal blocking HTTP/1.0 client: what the simulator needs to read the exporter's
// incidents and post markers, and what the tests use to talk to the exporter. IPv4 only.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace stampede::sim {

struct HttpResponse {
  int status = 0;  // 0: no answer (connect failed, timeout)
  std::string error;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

/// Where an HTTP server listens: an IPv4 address (or "localhost") and a port.
struct HttpTarget {
  std::string host = "127.0.0.1";
  int port = 0;
};

/// "http://host:port" (a trailing "/" allowed, no path) or "host:port" into a target; false
/// with `error` set when it is not one.
bool ParseHttpTarget(std::string_view url, HttpTarget& out, std::string& error);

/// `method` http://<target><path> over HTTP/1.0 with `body` (sent with a Content-Length when
/// not empty) and extra `headers` ("Name: value"), giving up after `timeout`.
HttpResponse HttpRequest(const HttpTarget& target, const std::string& method,
                         const std::string& path, const std::string& body = "",
                         const std::vector<std::string>& headers = {},
                         std::chrono::milliseconds timeout = std::chrono::milliseconds(3000));

}  // namespace stampede::sim
