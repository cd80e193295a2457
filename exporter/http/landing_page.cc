#include "http/landing_page.h"

namespace stampede::http {

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string RenderLandingPage(const LandingInfo& info) {
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">"
      "<title>stampede_exporter</title>\n"
      "<style>body{font-family:sans-serif;max-width:48em;margin:2em auto;padding:0 1em}"
      "td{padding:.2em 1em .2em 0}.up{color:#1a7f37}.down{color:#cf222e}</style></head>\n"
      "<body>\n<h1>stampede_exporter</h1>\n"
      "<p>Watches a Redis cache and the applications in front of it for cache stampedes "
      "(thundering herds).</p>\n<table>\n";
  html += "<tr><td>Version</td><td>" + HtmlEscape(info.version) + " (" + HtmlEscape(info.revision) +
          ")</td></tr>\n";
  html += "<tr><td>Target</td><td>" + HtmlEscape(info.target) + "</td></tr>\n";
  html += std::string("<tr><td>Redis</td><td class=\"") + (info.redis_up ? "up" : "down") + "\">" +
          (info.redis_up ? "up" : "down") + "</td></tr>\n";
  html += std::string("<tr><td>Ready</td><td>") + (info.ready ? "yes" : "no") + "</td></tr>\n";
  html += "</table>\n<ul>\n";
  for (const auto& [path, what] : info.links) {
    html += "<li><a href=\"" + HtmlEscape(path) + "\">" + HtmlEscape(path) + "</a> " +
            HtmlEscape(what) + "</li>\n";
  }
  html += "</ul>\n</body>\n</html>\n";
  return html;
}

}  // namespace stampede::http
