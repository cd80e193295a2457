#include "ingest_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace stampede::testing {

PostResponse HttpRequest(int port, const std::string& method, const std::string& path,
                         const std::string& body, const std::vector<std::string>& headers,
                         std::chrono::milliseconds timeout) {
  PostResponse resp;
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) {
    return resp;
  }
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return resp;
  }
  std::string req = method + " " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n";
  req +=
      "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  for (const std::string& h : headers) {
    req += h + "\r\n";
  }
  req += "\r\n" + body;
  std::size_t sent = 0;
  while (sent < req.size()) {
    const ssize_t n = send(fd, req.data() + sent, req.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      break;  // the server may answer (413) before reading everything
    }
    sent += static_cast<std::size_t>(n);
  }
  std::string raw;
  char buf[16384];
  ssize_t n = 0;
  while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) {
    raw.append(buf, static_cast<std::size_t>(n));
  }
  close(fd);
  const std::size_t end = raw.find("\r\n\r\n");
  if (end == std::string::npos || raw.size() < 12) {
    return resp;
  }
  resp.head = raw.substr(0, end);
  resp.body = raw.substr(end + 4);
  resp.status = std::atoi(raw.c_str() + raw.find(' ') + 1);
  return resp;
}

namespace {

bool SendAll(int fd, const sockaddr* addr, socklen_t len, const std::vector<std::string>& dgrams) {
  bool ok = fd >= 0;
  for (const std::string& d : dgrams) {
    ok = ok && sendto(fd, d.data(), d.size(), 0, addr, len) == static_cast<ssize_t>(d.size());
  }
  if (fd >= 0) {
    close(fd);
  }
  return ok;
}

}  // namespace

bool SendUdp(int port, const std::vector<std::string>& datagrams) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return SendAll(socket(AF_INET, SOCK_DGRAM, 0), reinterpret_cast<const sockaddr*>(&addr),
                 sizeof(addr), datagrams);
}

bool SendUnixgram(const std::string& path, const std::vector<std::string>& datagrams) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.data(), std::min(path.size(), sizeof(addr.sun_path) - 1));
  return SendAll(socket(AF_UNIX, SOCK_DGRAM, 0), reinterpret_cast<const sockaddr*>(&addr),
                 sizeof(addr), datagrams);
}

}  // namespace stampede::testing
