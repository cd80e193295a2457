#include "ingest/datagram_listener.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <vector>

#include "common/text.h"

namespace stampede::ingest {

namespace {

std::string Errno() { return std::strerror(errno); }

// "[host]:port" to an IPv4 socket address; the host may be empty, a dotted quad or a name.
Result<sockaddr_in> ResolveUdp(const std::string& address) {
  const std::size_t colon = address.rfind(':');
  if (colon == std::string::npos) {
    return Status::Error("invalid UDP address " + QuoteForMessage(address) + " (want [host]:port)");
  }
  const std::string host = address.substr(0, colon);
  const std::string port = address.substr(colon + 1);
  sockaddr_in out{};
  out.sin_family = AF_INET;
  int port_number = 0;
  for (const char c : port) {
    if (!IsAsciiDigit(c) || port_number > 65535) {
      return Status::Error("invalid port in UDP address " + QuoteForMessage(address));
    }
    port_number = port_number * 10 + (c - '0');
  }
  if (port.empty() || port_number > 65535) {
    return Status::Error("invalid port in UDP address " + QuoteForMessage(address));
  }
  out.sin_port = htons(static_cast<std::uint16_t>(port_number));
  if (host.empty()) {
    out.sin_addr.s_addr = htonl(INADDR_ANY);
    return out;
  }
  if (inet_pton(AF_INET, host.c_str(), &out.sin_addr) == 1) {
    return out;
  }
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_DGRAM;
  addrinfo* found = nullptr;
  if (const int rc = getaddrinfo(host.c_str(), nullptr, &hints, &found); rc != 0) {
    return Status::Error("cannot resolve " + QuoteForMessage(host) + ": " + gai_strerror(rc));
  }
  out.sin_addr = reinterpret_cast<const sockaddr_in*>(found->ai_addr)->sin_addr;
  freeaddrinfo(found);
  return out;
}

void SetReceiveOptions(int fd) {
  const int size = DatagramListener::kReceiveBufferBytes;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
  const int on = 1;
  setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &on, sizeof(on));
}

}  // namespace

DatagramListener::DatagramListener(int fd, int wake_fd, Transport transport,
                                   const StatsdMapper& mapper, AppCounterStore& store,
                                   IngestStats& stats, Logger& log)
    : fd_(fd),
      wake_fd_(wake_fd),
      transport_(transport),
      sink_(mapper, store, stats),
      stats_(stats),
      log_(log) {}

Result<std::unique_ptr<DatagramListener>> DatagramListener::StartUdp(const std::string& address,
                                                                     const StatsdMapper& mapper,
                                                                     AppCounterStore& store,
                                                                     IngestStats& stats,
                                                                     Logger& log) {
  Result<sockaddr_in> addr = ResolveUdp(address);
  if (!addr.ok()) {
    return addr.status();
  }
  const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return Status::Error("statsd UDP socket: " + Errno());
  }
  SetReceiveOptions(fd);
  if (bind(fd, reinterpret_cast<const sockaddr*>(&*addr), sizeof(sockaddr_in)) != 0) {
    const std::string error = Errno();
    close(fd);
    return Status::Error("cannot listen for StatsD on UDP " + QuoteForMessage(address) + ": " +
                         error);
  }
  sockaddr_in bound{};
  socklen_t len = sizeof(bound);
  getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &len);
  Result<std::unique_ptr<DatagramListener>> listener =
      Finish(fd, Transport::kUdp, mapper, store, stats, log);
  if (listener.ok()) {
    listener.value()->port_ = ntohs(bound.sin_port);
  }
  return listener;
}

Result<std::unique_ptr<DatagramListener>> DatagramListener::StartUnixgram(
    const std::string& path, const StatsdMapper& mapper, AppCounterStore& store, IngestStats& stats,
    Logger& log) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof(addr.sun_path)) {
    return Status::Error("Unix socket path " + QuoteForMessage(path) + " is empty or longer than " +
                         std::to_string(sizeof(addr.sun_path) - 1) + " bytes");
  }
  std::memcpy(addr.sun_path, path.data(), path.size());
  struct stat st {};
  if (lstat(path.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) {
      return Status::Error("cannot listen for StatsD on " + QuoteForMessage(path) +
                           ": a file that is not a socket is in the way");
    }
    unlink(path.c_str());  // a stale socket of an earlier run
  }
  const int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return Status::Error("statsd Unix socket: " + Errno());
  }
  SetReceiveOptions(fd);
  if (bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) != 0) {
    const std::string error = Errno();
    close(fd);
    return Status::Error("cannot listen for StatsD on " + QuoteForMessage(path) + ": " + error);
  }
  Result<std::unique_ptr<DatagramListener>> listener =
      Finish(fd, Transport::kUnixgram, mapper, store, stats, log);
  if (listener.ok()) {
    listener.value()->unix_path_ = path;
  } else {
    unlink(path.c_str());
  }
  return listener;
}

Result<std::unique_ptr<DatagramListener>> DatagramListener::Finish(int fd, Transport transport,
                                                                   const StatsdMapper& mapper,
                                                                   AppCounterStore& store,
                                                                   IngestStats& stats,
                                                                   Logger& log) {
  const int wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wake < 0) {
    close(fd);
    return Status::Error("eventfd: " + Errno());
  }
  std::unique_ptr<DatagramListener> listener(
      new DatagramListener(fd, wake, transport, mapper, store, stats, log));
  listener->thread_ = std::thread([l = listener.get()] { l->Run(); });
  return listener;
}

DatagramListener::~DatagramListener() {
  const std::uint64_t one = 1;
  if (write(wake_fd_, &one, sizeof(one)) < 0) {
    log_.Error("cannot wake the StatsD reader", {{"error", Errno()}});
  }
  if (thread_.joinable()) {
    thread_.join();
  }
  close(fd_);
  close(wake_fd_);
  if (!unix_path_.empty()) {
    unlink(unix_path_.c_str());
  }
}

void DatagramListener::Run() {
  try {
    pollfd fds[2] = {{fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    while (true) {
      if (poll(fds, 2, -1) < 0) {
        if (errno == EINTR) {
          continue;
        }
        log_.Error("statsd poll failed; no more StatsD input", {{"error", Errno()}});
        return;
      }
      if (fds[1].revents != 0) {
        return;
      }
      if (fds[0].revents != 0) {
        ReadAvailable();
      }
    }
  } catch (const std::exception& e) {
    log_.Error("statsd reader stopped", {{"error", e.what()}});
  } catch (...) {
    log_.Error("statsd reader stopped", {{"error", "unknown exception"}});
  }
}

void DatagramListener::ReadAvailable() {
  static constexpr std::size_t kControlBytes = CMSG_SPACE(sizeof(std::uint32_t));
  std::vector<char>& buffers = buffers_;
  std::vector<char>& control = control_;
  std::vector<mmsghdr>& msgs = msgs_;
  std::vector<iovec>& iovs = iovs_;
  if (buffers.empty()) {
    buffers.resize(kBatch * kMaxPacketBytes);
    control.resize(kBatch * kControlBytes);
    msgs.resize(kBatch);
    iovs.resize(kBatch);
  }
  while (true) {
    for (unsigned i = 0; i < kBatch; ++i) {
      iovs[i] = {buffers.data() + i * kMaxPacketBytes, kMaxPacketBytes};
      msgs[i] = {};
      msgs[i].msg_hdr.msg_iov = &iovs[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
      msgs[i].msg_hdr.msg_control = control.data() + i * kControlBytes;
      msgs[i].msg_hdr.msg_controllen = kControlBytes;
    }
    const int n = recvmmsg(fd_, msgs.data(), kBatch, MSG_DONTWAIT, nullptr);
    if (n <= 0) {
      return;  // EAGAIN: drained (other errors: poll says when to try again)
    }
    for (int i = 0; i < n; ++i) {
      msghdr& hdr = msgs[i].msg_hdr;
      for (cmsghdr* c = CMSG_FIRSTHDR(&hdr); c != nullptr; c = CMSG_NXTHDR(&hdr, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL) {
          std::uint32_t dropped = 0;
          std::memcpy(&dropped, CMSG_DATA(c), sizeof(dropped));
          if (dropped != last_overflow_) {
            stats_.PacketsDropped(transport_, dropped - last_overflow_);
            last_overflow_ = dropped;
          }
        }
      }
      if ((hdr.msg_flags & MSG_TRUNC) != 0) {
        stats_.Packet(transport_);
        stats_.PacketTruncated(transport_);
        continue;
      }
      sink_.HandlePacket(std::string_view(buffers.data() + i * kMaxPacketBytes, msgs[i].msg_len),
                         transport_);
    }
    if (static_cast<unsigned>(n) < kBatch) {
      return;
    }
  }
}

}  // namespace stampede::ingest
