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
