#include "http/response_head.h"

#include <charconv>
#include <cstdio>

#include "common/text.h"

namespace stampede::http {

namespace {

// Whether a comma-separated header value holds `token`, case-insensitively.
bool HasToken(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    const std::size_t comma = value.find(',');
    std::string_view item = value.substr(0, comma);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (EqualsIgnoreCase(item, token)) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

void AppendHeader(std::string& out, std::string_view name, std::string_view value) {
  out.append(name);
  out.append(": ");
  out.append(value);
  out.append("\r\n");
}

}  // namespace

bool KeepAlive(std::string_view http_version, const char* connection_header) {
  if (connection_header != nullptr) {
    return HasToken(connection_header, "keep-alive") ||
           (http_version == "1.1" && !HasToken(connection_header, "close"));
  }
  return http_version == "1.1";
}

std::string HttpDate(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  // Not strftime: its %a and %b follow the locale.
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[40];
  const int n = std::snprintf(buf, sizeof(buf), "%s, %02d %s %04d %02d:%02d:%02d GMT",
                              kDays[tm.tm_wday % 7], tm.tm_mday, kMonths[tm.tm_mon % 12],
                              tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return std::string(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
}

void AppendResponseHead(std::string& out, const ResponseHead& head, const HeaderList& headers,
                        const HeaderList& extra) {
  char number[24];
  out.append("HTTP/1.1 ");
  out.append(number, std::to_chars(number, number + sizeof(number), head.code).ptr);
  out.push_back(' ');
  out.append(head.reason);
  out.append("\r\n");
  AppendHeader(out, "Content-Type", head.content_type);
  const char* end = std::to_chars(number, number + sizeof(number), head.content_length).ptr;
  AppendHeader(out, "Content-Length", std::string_view(number, end - number));
  AppendHeader(out, "Cache-Control", "no-store");
  AppendHeader(out, "Date", HttpDate(head.now));
  AppendHeader(out, "Connection", head.keep_alive ? "keep-alive" : "close");
  for (const auto& [name, value] : headers) AppendHeader(out, name, value);
  for (const auto& [name, value] : extra) AppendHeader(out, name, value);
  out.append("\r\n");
}

}  // namespace stampede::http
