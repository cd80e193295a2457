// Test clients for the ingest side: HTTP POST (support/http_client.h only GETs) and StatsD
// datagrams over UDP or a Unix socket.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace stampede::testing {

struct PostResponse {
  int status = 0;    // 0: no answer
  std::string head;  // status line and headers, as received
  std::string body;
};

/// Sends `method path` with `body` to 127.0.0.1:<port> over HTTP/1.0 and reads the answer.
/// `headers` are extra "Name: value" lines.
PostResponse HttpRequest(int port, const std::string& method, const std::string& path,
                         const std::string& body, const std::vector<std::string>& headers = {},
                         std::chrono::milliseconds timeout = std::chrono::milliseconds(3000));

/// Sends each datagram to 127.0.0.1:<port> over UDP; false if a send failed.
bool SendUdp(int port, const std::vector<std::string>& datagrams);
/// Sends each datagram to the Unix datagram socket at `path`; false if a send failed.
bool SendUnixgram(const std::string& path, const std::vector<std::string>& datagrams);

}  // namespace stampede::testing
