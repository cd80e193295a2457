// The HTML page at "/": what this exporter is, what it watches, where to look. Pure.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace stampede::http {

/// What the landing page shows. A plain value.
struct LandingInfo {
  std::string version;
  std::string revision;
  std::string target;  // redacted Redis address
  bool redis_up = false;
  bool ready = false;
  /// (path, description) links, in order.
  std::vector<std::pair<std::string, std::string>> links;
};

/// Renders the page; every string is HTML-escaped.
std::string RenderLandingPage(const LandingInfo& info);

/// Escapes &, <, >, " and ' for HTML text and attribute values.
std::string HtmlEscape(std::string_view text);

}  // namespace stampede::http
