#pragma once

// The status line and headers of an HTTP/1.x response, written by us rather than by
// CivetWeb's mg_response_header_send, which sends every header line with its own send(): with
// tcp_nodelay each became a TCP segment, 8 per scrape. Pure: no I/O, the clock passed in.

#include <ctime>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stampede::http {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

/// Whether the connection stays open after this response, by the request's HTTP version
/// ("1.0", "1.1") and its Connection header (nullptr when absent): what CivetWeb itself
/// decides when keep-alive is enabled.
bool KeepAlive(std::string_view http_version, const char* connection_header);

/// An IMF-fixdate (RFC 9110 5.6.7): "Sun, 06 Nov 1994 08:49:37 GMT".
std::string HttpDate(std::time_t t);

struct ResponseHead {
  int code = 200;
  std::string_view reason;  // "OK"
  std::string_view content_type;
  std::size_t content_length = 0;
  bool keep_alive = true;
  std::time_t now = 0;
};

/// Appends "HTTP/1.1 <code> <reason>", Content-Type, Content-Length, Cache-Control: no-store,
/// Date, Connection, then `headers` and `extra` in order, and the blank line.
void AppendResponseHead(std::string& out, const ResponseHead& head, const HeaderList& headers,
                        const HeaderList& extra);

}  // namespace stampede::http
