#include "faults/tcp_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <stdexcept>

namespace stampede::testing {

namespace {

constexpr int kPollMs = 20;

sockaddr_in Loopback(int port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  return addr;
}

bool WriteAll(int fd, const char* data, std::size_t n) {
  while (n > 0) {
    const ssize_t w = ::send(fd, data, n, MSG_NOSIGNAL);
    if (w < 0) {
      if (errno == EINTR) {
        continue;
      }
      return false;
    }
    data += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}

}  // namespace

/// One proxied connection: the client's socket, the upstream socket, two pumps.
struct TcpProxy::Link {
  int client = -1;
  int upstream = -1;
  std::atomic<int> pumps_done{0};
  std::thread to_upstream;
  std::thread to_client;

  /// Wakes both pumps: each sees EOF or an error and ends.
  void Shut() const {
    ::shutdown(client, SHUT_RDWR);
    ::shutdown(upstream, SHUT_RDWR);
  }
  void JoinAndClose() {
    if (to_upstream.joinable()) {
      to_upstream.join();
    }
    if (to_client.joinable()) {
      to_client.join();
    }
    ::close(client);
    ::close(upstream);
  }
};

TcpProxy::TcpProxy(int upstream_port) : upstream_port_(upstream_port) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) {
    throw std::runtime_error("proxy: socket failed");
  }
  const int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in addr = Loopback(0);
  socklen_t len = sizeof(addr);
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::listen(listen_fd_, 64) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(listen_fd_);
    throw std::runtime_error("proxy: cannot listen on 127.0.0.1");
  }
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { AcceptLoop(); });
}

TcpProxy::~TcpProxy() {
  stop_.store(true);
  if (acceptor_.joinable()) {
    acceptor_.join();
  }
  Cut();
  ::close(listen_fd_);
}

void TcpProxy::Stall() { stalled_.store(true); }
void TcpProxy::Resume() { stalled_.store(false); }

void TcpProxy::Cut() {
  std::vector<std::unique_ptr<Link>> links;
  {
    std::lock_guard<std::mutex> lock(mu_);
    links.swap(links_);
  }
  for (auto& link : links) {
    // RST rather than FIN where we can: a cut path, not a polite close.
    const linger hard{1, 0};
    ::setsockopt(link->client, SOL_SOCKET, SO_LINGER, &hard, sizeof(hard));
    ::setsockopt(link->upstream, SOL_SOCKET, SO_LINGER, &hard, sizeof(hard));
    link->Shut();
  }
  for (auto& link : links) {
    link->JoinAndClose();
  }
}

std::size_t TcpProxy::open_connections() const {
  std::lock_guard<std::mutex> lock(mu_);
  return links_.size();
}

void TcpProxy::ReapFinished() {
  std::vector<std::unique_ptr<Link>> done;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = links_.begin(); it != links_.end();) {
      if ((*it)->pumps_done.load() == 2) {
        done.push_back(std::move(*it));
        it = links_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (auto& link : done) {
    link->JoinAndClose();
  }
}

void TcpProxy::AcceptLoop() {
  while (!stop_.load()) {
    ReapFinished();
    pollfd pfd{listen_fd_, POLLIN, 0};
    if (::poll(&pfd, 1, kPollMs) <= 0) {
      continue;
    }
    const int client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) {
      continue;
    }
    const int upstream = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const sockaddr_in to = Loopback(upstream_port_);
    if (upstream < 0 ||
        ::connect(upstream, reinterpret_cast<const sockaddr*>(&to), sizeof(to)) != 0) {
      // Upstream down: the client sees its connection closed, as with no proxy at all.
      if (upstream >= 0) {
        ::close(upstream);
      }
      ::close(client);
      continue;
    }
    const int one = 1;
    ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    ::setsockopt(upstream, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    auto link = std::make_unique<Link>();
    link->client = client;
    link->upstream = upstream;
    Link& l = *link;
    l.to_upstream = std::thread([this, &l] { Pump(l, l.client, l.upstream); });
    l.to_client = std::thread([this, &l] { Pump(l, l.upstream, l.client); });
    accepted_.fetch_add(1);
    std::lock_guard<std::mutex> lock(mu_);
    links_.push_back(std::move(link));
  }
}

void TcpProxy::Pump(Link& link, int from, int to) {
  char buf[16384];
  while (true) {
    if (stalled_.load()) {
      // Read nothing, forward nothing; but a Cut (shutdown) must still end this pump.
      pollfd pfd{from, 0, 0};
      ::poll(&pfd, 1, kPollMs);
      if ((pfd.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0) {
        break;
      }
      continue;
    }
    pollfd pfd{from, POLLIN, 0};
    const int n = ::poll(&pfd, 1, kPollMs);
    if (n == 0 || (n < 0 && errno == EINTR)) {
      continue;
    }
    if (n < 0) {
      break;
    }
    const ssize_t r = ::recv(from, buf, sizeof(buf), 0);
    if (r < 0 && errno == EINTR) {
      continue;
    }
    if (r <= 0 || !WriteAll(to, buf, static_cast<std::size_t>(r))) {
      break;
    }
  }
  link.Shut();  // the other direction ends too
  link.pumps_done.fetch_add(1);
}

}  // namespace stampede::testing
