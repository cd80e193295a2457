// The baseline for bench/ingest/run: a bare recvmmsg loop that only counts StatsD lines (same
// receive buffer and batch as the exporter's listener). Prints `port=P`, then runs until no
// datagram came for 1 s after the first, and prints `lines=N cpu_seconds=S kernel_drops=D`.
//   bare_recvmmsg
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string_view>
#include <vector>

int main() {
  constexpr unsigned kBatch = 32;
  constexpr std::size_t kMax = 65536;
  constexpr std::size_t kControl = CMSG_SPACE(sizeof(std::uint32_t));
  const int fd = socket(AF_INET, SOCK_DGRAM, 0);
  const int size = 8 << 20;
  const int on = 1;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
  setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &on, sizeof(on));
  const timeval idle{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &idle, sizeof(idle));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    std::perror("bind");
    return 1;
  }
  std::printf("port=%d\n", ntohs(addr.sin_port));
  std::fflush(stdout);
  std::vector<char> buf(kBatch * kMax);
  std::vector<char> control(kBatch * kControl);
  std::vector<mmsghdr> msgs(kBatch);
  std::vector<iovec> iov(kBatch);
  std::uint64_t lines = 0;
  std::uint32_t drops = 0;
  bool stop = false;
  while (!stop) {
    for (unsigned i = 0; i < kBatch; ++i) {
      iov[i] = {buf.data() + i * kMax, kMax};
      msgs[i] = {};
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
      msgs[i].msg_hdr.msg_control = control.data() + i * kControl;
      msgs[i].msg_hdr.msg_controllen = kControl;
    }
    const int n = recvmmsg(fd, msgs.data(), kBatch, MSG_WAITFORONE, nullptr);
    if (n < 0 && lines > 0) {
      stop = true;  // idle for 1 s: the load is over
    }
    for (int i = 0; i < n; ++i) {
      const std::string_view d(buf.data() + i * kMax, msgs[i].msg_len);
      for (cmsghdr* c = CMSG_FIRSTHDR(&msgs[i].msg_hdr); c != nullptr;
           c = CMSG_NXTHDR(&msgs[i].msg_hdr, c)) {
        if (c->cmsg_type == SO_RXQ_OVFL) {
          std::memcpy(&drops, CMSG_DATA(c), sizeof(drops));
        }
      }
      lines += d.empty() ? 0 : 1;
      for (const char ch : d) {
        lines += ch == '\n' ? 1 : 0;
      }
    }
  }
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  const double cpu = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                     static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
  std::printf("lines=%llu cpu_seconds=%.3f kernel_drops=%u\n",
              static_cast<unsigned long long>(lines), cpu, drops);
  return 0;
}
