#include "statsd_reporter.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace stampede::sim {

std::string_view SignalName(Signal s) {
  switch (s) {
    case Signal::kHit:
      return "cache.hit";
    case Signal::kMiss:
      return "cache.miss";
    case Signal::kLoad:
      return "cache.load";
    case Signal::kCoalesced:
      return "cache.coalesced";
    case Signal::kLockWait:
      return "cache.lock_wait";
    case Signal::kStale:
      return "cache.stale";
  }
  return "cache.unknown";
}

std::unique_ptr<StatsdReporter> StatsdReporter::Open(Options options, std::string* error) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(options.port));
  if (options.port <= 0 || options.port > 65535 ||
      inet_pton(AF_INET, options.host.c_str(), &addr.sin_addr) != 1) {
    if (error != nullptr) {
      *error = "statsd: want an IPv4 address and a port, got " + options.host + ":" +
               std::to_string(options.port);
    }
    return nullptr;
  }
  const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    if (error != nullptr) {
      *error = std::string("statsd: socket: ") + std::strerror(errno);
    }
    return nullptr;
  }
  // Connected: send() needs no address, and the kernel reports refused datagrams.
  if (connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    if (error != nullptr) {
      *error = std::string("statsd: connect: ") + std::strerror(errno);
    }
    close(fd);
    return nullptr;
  }
  return std::unique_ptr<StatsdReporter>(new StatsdReporter(std::move(options), fd));
}

StatsdReporter::StatsdReporter(Options options, int fd) : options_(std::move(options)), fd_(fd) {
  flusher_ = std::thread([this] { Run(); });
}

StatsdReporter::~StatsdReporter() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  flusher_.join();
  Flush();
  close(fd_);
}

void StatsdReporter::Count(Signal signal, std::string_view class_name, std::string_view key,
                           std::uint64_t n) {
  std::string line;
  line.reserve(64 + key.size());
  line += SignalName(signal);
  line += ':';
  line += std::to_string(n);
  line += "|c|#class:";
  line += class_name;
  if (!options_.tier.empty()) {
    line += ",tier:";
    line += options_.tier;
  }
  if (!key.empty()) {
    line += ",key:";
    line += key;
  }
  Add(std::move(line));
}

void StatsdReporter::LoadTime(std::string_view class_name, std::chrono::microseconds duration) {
  const double ms = static_cast<double>(duration.count()) / 1000.0;
  std::string line = "cache.load.time:" + std::to_string(ms) + "|ms|#class:";
  line += class_name;
  if (!options_.tier.empty()) {
    line += ",tier:";
    line += options_.tier;
  }
  Add(std::move(line));
}

void StatsdReporter::Add(std::string line) {
  std::string full;
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++stats_.lines;
    // +1 for the newline that separates it from the batch.
    if (!batch_.empty() && batch_.size() + 1 + line.size() >= kMaxDatagramBytes) {
      full = std::exchange(batch_, std::string());
    }
    if (!batch_.empty()) {
      batch_ += '\n';
    }
    batch_ += line;
  }
  if (!full.empty()) {
    Send(full);
  }
}

void StatsdReporter::Flush() {
  std::string batch;
  {
    std::lock_guard<std::mutex> lock(mu_);
    batch = std::exchange(batch_, std::string());
  }
  if (!batch.empty()) {
    Send(batch);
  }
}

void StatsdReporter::Send(const std::string& datagram) {
  const ssize_t sent = send(fd_, datagram.data(), datagram.size(), MSG_NOSIGNAL);
  std::lock_guard<std::mutex> lock(mu_);
  ++stats_.datagrams;
  if (sent != static_cast<ssize_t>(datagram.size())) {
    ++stats_.send_errors;
  }
}

void StatsdReporter::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    cv_.wait_for(lock, options_.flush_interval, [this] { return stop_; });
    std::string batch = std::exchange(batch_, std::string());
    if (!batch.empty()) {
      lock.unlock();
      Send(batch);
      lock.lock();
    }
  }
}

StatsdReporter::Stats StatsdReporter::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

}  // namespace stampede::sim
