// Test clients for the ingest side: StatsD datagrams over UDP or a Unix socket (HTTP requests
// go through support/http_client.h).
#pragma once

#include <string>
#include <vector>

#include "support/http_client.h"

namespace stampede::testing {

/// Sends each datagram to 127.0.0.1:<port> over UDP; false if a send failed.
bool SendUdp(int port, const std::vector<std::string>& datagrams);
/// Sends each datagram to the Unix datagram socket at `path`; false if a send failed.
bool SendUnixgram(const std::string& path, const std::vector<std::string>& datagrams);

}  // namespace stampede::testing
