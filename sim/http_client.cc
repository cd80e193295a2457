#include "http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace stampede::sim {

bool ParseHttpTarget(std::string_view url, HttpTarget& out, std::string& error) {
  std::string_view rest = url;
  if (rest.substr(0, 7) == "http://") {
    rest.remove_prefix(7);
  } else if (rest.find("://") != std::string_view::npos) {
    error = "only http:// URLs are supported: " + std::string(url);
    return false;
  }
  if (!rest.empty() && rest.back() == '/') {
    rest.remove_suffix(1);
  }
  const std::size_t colon = rest.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    error = "want http://host:port, got " + std::string(url);
    return false;
  }
  const std::string_view port_text = rest.substr(colon + 1);
  int port = 0;
  const auto [end, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port <= 0 ||
      port > 65535) {
    error = "bad port in " + std::string(url);
    return false;
  }
  out.host = std::string(rest.substr(0, colon));
  out.port = port;
  return true;
}

HttpResponse HttpRequest(const HttpTarget& target, const std::string& method,
                         const std::string& path, const std::string& body,
                         const std::vector<std::string>& headers,
                         std::chrono::milliseconds timeout) {
  HttpResponse resp;
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) {
    resp.error = "socket failed";
    return resp;
  }
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(target.port));
  const std::string host = target.host == "localhost" ? "127.0.0.1" : target.host;
  if (inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) {
    close(fd);
    resp.error = "not an IPv4 address: " + target.host;
    return resp;
  }
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    resp.error = "connect failed";
    return resp;
  }
  std::string req =
      method + " " + path + " HTTP/1.0\r\nHost: " + host + "\r\nConnection: close\r\n";
  for (const std::string& h : headers) {
    req += h + "\r\n";
  }
  if (!body.empty()) {
    req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  req += "\r\n" + body;
  std::size_t sent = 0;
  while (sent < req.size()) {
    const ssize_t n = send(fd, req.data() + sent, req.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      break;  // the server may answer (413) before reading everything: read what it said
    }
    sent += static_cast<std::size_t>(n);
  }
  std::string raw;
  char buf[16384];
  while (true) {
    const ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n > 0) {
      raw.append(buf, static_cast<size_t>(n));
    } else {
      if (n < 0) {
        resp.error = "recv failed or timed out";
      }
      break;
    }
  }
  close(fd);
  const auto head_end = raw.find("\r\n\r\n");
  if (head_end == std::string::npos) {
    if (resp.error.empty()) {
      resp.error = "no HTTP header in answer";
    }
    return resp;
  }
  const std::string head = raw.substr(0, head_end);
  resp.body = raw.substr(head_end + 4);
  const auto first_eol = head.find("\r\n");
  const std::string status_line = head.substr(0, first_eol);
  const auto sp = status_line.find(' ');
  if (sp != std::string::npos) {
    resp.status = std::atoi(status_line.c_str() + sp + 1);
  }
  std::size_t pos = first_eol == std::string::npos ? head.size() : first_eol + 2;
  while (pos < head.size()) {
    auto eol = head.find("\r\n", pos);
    if (eol == std::string::npos) {
      eol = head.size();
    }
    const std::string line = head.substr(pos, eol - pos);
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      resp.headers[name] = value;
    }
    pos = eol + 2;
  }
  return resp;
}

}  // namespace stampede::sim
