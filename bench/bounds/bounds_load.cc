// The load for bench/bounds/run. One tool, four modes:
//
//   bounds_load misses REDIS_PORT FIRST COUNT
//       GETs of COUNT distinct absent keys bench:miss:<FIRST..FIRST+COUNT-1>, pipelined in
//       batches of 1000: one keymiss notification per key. Prints `sent=N seconds=S`.
//   bounds_load events REDIS_PORT RATE SECONDS KEYSPACE
//       GETs of absent keys at RATE/s (paced every 10 ms) for SECONDS, keys cycling through
//       KEYSPACE distinct names. Prints `sent=N seconds=S`.
//   bounds_load statsd UDP_PORT RATE SECONDS DISTINCT
//       DogStatsD lines at RATE/s whose class, tier and key tags cycle through DISTINCT values
//       each. Prints `sent=N seconds=S`.
//   bounds_load scrape WEB_PORT PATH RATE SECONDS THREADS
//       GET PATH at RATE/s in total, open loop (each request has its own start time, so a
//       slow answer does not lower the rate), over THREADS keep-alive connections. Prints
//       `scrapes=N errors=E late=L p50_ms= p90_ms= p99_ms= max_ms= bytes=B` where `late`
//       counts requests that answered in more than 1 s.
#include <arpa/inet.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

redisContext* ConnectRedis(int port) {
  redisContext* c = redisConnect("127.0.0.1", port);
  if (c == nullptr || c->err != 0) {
    std::fprintf(stderr, "cannot connect to redis on port %d: %s\n", port,
                 c != nullptr ? c->errstr : "out of memory");
    std::exit(1);
  }
  return c;
}

// Sends GETs of keys prefix<first..first+count-1>(mod keyspace), then reads every reply.
bool PipelineGets(redisContext* c, long long first, long long count, long long keyspace) {
  char key[64];
  for (long long i = 0; i < count; ++i) {
    const long long n = keyspace > 0 ? (first + i) % keyspace : first + i;
    std::snprintf(key, sizeof(key), "bench:miss:%lld", n);
    redisAppendCommand(c, "GET %s", key);
  }
  for (long long i = 0; i < count; ++i) {
    void* reply = nullptr;
    if (redisGetReply(c, &reply) != REDIS_OK) {
      std::fprintf(stderr, "redis: %s\n", c->errstr);
      return false;
    }
    freeReplyObject(reply);
  }
  return true;
}

// Calls send(first, count) in batches of a hundredth of `rate`, paced to `rate` items a second
// for `seconds`; stops early when send returns false. Prints `sent=N seconds=S`.
bool Paced(double rate, double seconds,
           const std::function<bool(long long first, long long count)>& send) {
  const auto start = Clock::now();
  const auto total = static_cast<long long>(rate * seconds);
  long long sent = 0;
  bool ok = true;
  while (ok && sent < total) {
    const double due = static_cast<double>(sent) / rate;  // seconds after start
    const double now = SecondsSince(start);
    if (now < due) {
      std::this_thread::sleep_for(std::chrono::duration<double>(due - now));
    }
    const long long batch =
        std::min(std::max(1LL, static_cast<long long>(rate / 100)), total - sent);
    ok = send(sent, batch);
    sent += batch;
  }
  std::printf("sent=%lld seconds=%.2f\n", sent, SecondsSince(start));
  return ok;
}

int Misses(int port, long long first, long long count) {
  redisContext* c = ConnectRedis(port);
  const auto start = Clock::now();
  long long sent = 0;
  while (sent < count) {
    const long long batch = std::min(1000LL, count - sent);
    if (!PipelineGets(c, first + sent, batch, 0)) {
      return 1;
    }
    sent += batch;
  }
  std::printf("sent=%lld seconds=%.2f\n", sent, SecondsSince(start));
  redisFree(c);
  return 0;
}

int Events(int port, double rate, double seconds, long long keyspace) {
  redisContext* c = ConnectRedis(port);
  const bool ok = Paced(rate, seconds, [&](long long first, long long batch) {
    return PipelineGets(c, first, batch, keyspace);
  });
  redisFree(c);
  return ok ? 0 : 1;
}

int Statsd(int port, double rate, double seconds, long long distinct) {
  const int fd = socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    std::perror("socket");
    return 1;
  }
  static const char* kMetrics[] = {"cache.hit", "cache.miss", "cache.load"};
  char line[256];
  Paced(rate, seconds, [&](long long first, long long batch) {
    for (long long n = first; n < first + batch; ++n) {
      const long long v = n % distinct;
      const int len = std::snprintf(line, sizeof(line), "%s:1|c|#class:c%lld,tier:t%lld,key:k%lld",
                                    kMetrics[n % 3], v, (v * 7919) % distinct, n % distinct);
      if (send(fd, line, static_cast<std::size_t>(len), 0) < 0 && errno != ECONNREFUSED) {
        std::perror("send");
      }
    }
    return true;
  });
  close(fd);
  return 0;
}

// One keep-alive HTTP/1.1 connection; Get returns the body size or -1.
class HttpConnection {
 public:
  explicit HttpConnection(int port) : port_(port) {}
  ~HttpConnection() { Close(); }

  long Get(const std::string& path) {
    if (fd_ < 0 && !Open()) {
      return -1;
    }
    const std::string request =
        "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n";
    if (send(fd_, request.data(), request.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(request.size())) {
      Close();
      return -1;
    }
    buffer_.clear();
    std::size_t header_end = std::string::npos;
    long content_length = -1;
    char chunk[65536];
    while (true) {
      if (header_end != std::string::npos && content_length >= 0 &&
          buffer_.size() >= header_end + 4 + static_cast<std::size_t>(content_length)) {
        break;
      }
      const ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
      if (n <= 0) {
        Close();
        return -1;
      }
      buffer_.append(chunk, static_cast<std::size_t>(n));
      if (header_end == std::string::npos) {
        header_end = buffer_.find("\r\n\r\n");
        if (header_end != std::string::npos) {
          if (buffer_.compare(0, 12, "HTTP/1.1 200") != 0) {
            Close();
            return -1;
          }
          const auto at = buffer_.find("Content-Length: ");
          if (at == std::string::npos || at > header_end) {
            Close();
            return -1;
          }
          content_length = std::strtol(buffer_.c_str() + at + 16, nullptr, 10);
        }
      }
    }
    return content_length;
  }

 private:
  bool Open() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port_));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval timeout{5, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
      Close();
      return false;
    }
    return true;
  }
  void Close() {
    if (fd_ >= 0) {
      close(fd_);
      fd_ = -1;
    }
  }

  int port_;
  int fd_ = -1;
  std::string buffer_;
};

int Scrape(int port, const std::string& path, double rate, double seconds, int threads) {
  std::mutex mu;
  std::vector<double> latencies_ms;
  std::atomic<long> errors{0};
  std::atomic<long> bytes{0};
  const auto start = Clock::now();
  const auto total = static_cast<long long>(rate * seconds);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      HttpConnection conn(port);
      std::vector<double> mine;
      for (long long i = t; i < total; i += threads) {
        const auto due = start + std::chrono::duration_cast<Clock::duration>(
                                     std::chrono::duration<double>(static_cast<double>(i) / rate));
        std::this_thread::sleep_until(due);
        // Latency from the request's scheduled time: a backlog counts against the server.
        const auto began = std::max(due, Clock::now());
        const long n = conn.Get(path);
        const double ms = std::chrono::duration<double, std::milli>(Clock::now() - began).count();
        if (n < 0) {
          errors.fetch_add(1);
        } else {
          bytes.store(n);
          mine.push_back(ms);
        }
      }
      std::lock_guard<std::mutex> lock(mu);
      latencies_ms.insert(latencies_ms.end(), mine.begin(), mine.end());
    });
  }
  for (auto& w : workers) {
    w.join();
  }
  std::sort(latencies_ms.begin(), latencies_ms.end());
  auto quantile = [&](double q) {
    if (latencies_ms.empty()) {
      return 0.0;
    }
    const auto i = static_cast<std::size_t>(q * static_cast<double>(latencies_ms.size() - 1));
    return latencies_ms[i];
  };
  const long late = std::count_if(latencies_ms.begin(), latencies_ms.end(),
                                  [](double ms) { return ms > 1000.0; });
  std::printf(
      "scrapes=%zu errors=%ld late=%ld p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f "
      "bytes=%ld seconds=%.1f\n",
      latencies_ms.size(), errors.load(), late, quantile(0.5), quantile(0.9), quantile(0.99),
      latencies_ms.empty() ? 0.0 : latencies_ms.back(), bytes.load(), SecondsSince(start));
  return 0;
}

int Usage(const char* argv0) {
  std::fprintf(stderr,
               "usage: %s misses REDIS_PORT FIRST COUNT\n"
               "       %s events REDIS_PORT RATE SECONDS KEYSPACE\n"
               "       %s statsd UDP_PORT RATE SECONDS DISTINCT\n"
               "       %s scrape WEB_PORT PATH RATE SECONDS THREADS\n",
               argv0, argv0, argv0, argv0);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    return Usage(argv[0]);
  }
  const std::string mode = argv[1];
  if (mode == "misses" && argc == 5) {
    return Misses(std::atoi(argv[2]), std::atoll(argv[3]), std::atoll(argv[4]));
  }
  if (mode == "events" && argc == 6) {
    return Events(std::atoi(argv[2]), std::atof(argv[3]), std::atof(argv[4]),
                  std::max(1LL, std::atoll(argv[5])));
  }
  if (mode == "statsd" && argc == 6) {
    return Statsd(std::atoi(argv[2]), std::atof(argv[3]), std::atof(argv[4]),
                  std::max(1LL, std::atoll(argv[5])));
  }
  if (mode == "scrape" && argc == 7) {
    return Scrape(std::atoi(argv[2]), argv[3], std::atof(argv[4]), std::atof(argv[5]),
                  std::max(1, std::atoi(argv[6])));
  }
  return Usage(argv[0]);
}
