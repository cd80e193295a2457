// The load for bench/ingest/run: StatsD lines over UDP to 127.0.0.1:<port> at a paced rate,
// sendmmsg in batches. Prints `sent_lines=N seconds=S`.
//   statsd_blast PORT LINES_PER_SECOND SECONDS LINES_PER_DATAGRAM
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s PORT LINES_PER_SECOND SECONDS LINES_PER_DATAGRAM\n", argv[0]);
    return 2;
  }
  const int port = std::atoi(argv[1]);
  const double rate = std::atof(argv[2]);
  const double seconds = std::atof(argv[3]);
  const int per_datagram = std::max(1, std::atoi(argv[4]));
  const int fd = socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    std::perror("socket");
    return 1;
  }
  // A realistic mix: hits and misses of a few classes and tiers, some with a key, and timers.
  const char* kLines[] = {
      "cache.hit:1|c|#class:user_profile,tier:l1",
      "cache.hit:1|c|#class:product,tier:l2",
      "cache.miss:1|c|#class:user_profile,tier:l1,key:user:12345",
      "cache.load:1|c|#class:user_profile,tier:l1,key:user:12345",
      "cache.load.time:12.5|ms|#class:user_profile,tier:l1",
      "cache.hit:1|c|@0.5|#class:session,tier:l1",
      "cache.coalesced:1|c|#class:product,tier:l2",
      "cache.stale:1|c|#class:product,tier:edge",
  };
  constexpr int kKinds = sizeof(kLines) / sizeof(kLines[0]);
  constexpr int kBatch = 64;
  std::vector<std::string> datagrams(kKinds);
  for (int k = 0; k < kKinds; ++k) {
    for (int i = 0; i < per_datagram; ++i) {
      datagrams[k] += (i ? "\n" : "") + std::string(kLines[(k + i) % kKinds]);
    }
  }
  std::vector<iovec> iov(kBatch);
  std::vector<mmsghdr> msgs(kBatch);
  const auto start = std::chrono::steady_clock::now();
  const auto total_lines = static_cast<long long>(rate * seconds);
  long long sent_lines = 0;
  int next = 0;
  while (sent_lines < total_lines) {
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const auto due = std::min(total_lines, static_cast<long long>(elapsed * rate) + per_datagram);
    if (sent_lines >= due) {
      std::this_thread::sleep_for(std::chrono::microseconds(100));
      continue;
    }
    int n = 0;
    while (n < kBatch && sent_lines + static_cast<long long>(n + 1) * per_datagram <= due + 0) {
      const std::string& d = datagrams[next++ % kKinds];
      iov[n] = {const_cast<char*>(d.data()), d.size()};
      msgs[n] = {};
      msgs[n].msg_hdr.msg_iov = &iov[n];
      msgs[n].msg_hdr.msg_iovlen = 1;
      ++n;
    }
    if (n == 0) {
      n = 1;
      const std::string& d = datagrams[next++ % kKinds];
      iov[0] = {const_cast<char*>(d.data()), d.size()};
      msgs[0] = {};
      msgs[0].msg_hdr.msg_iov = &iov[0];
      msgs[0].msg_hdr.msg_iovlen = 1;
    }
    const int done = sendmmsg(fd, msgs.data(), static_cast<unsigned>(n), 0);
    if (done > 0) {
      sent_lines += static_cast<long long>(done) * per_datagram;
    } else if (errno != EAGAIN && errno != ENOBUFS && errno != EINTR) {
      std::perror("sendmmsg");
      return 1;
    }
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("sent_lines=%lld seconds=%.3f\n", sent_lines, secs);
  close(fd);
  return 0;
}
