// The StatsD sockets: UDP and Unix datagram, read with recvmmsg on a thread of their own.
#pragma once

#include <sys/socket.h>
#include <sys/uio.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/log.h"
#include "common/status.h"
#include "ingest/statsd_sink.h"

namespace stampede::ingest {

/// One bound datagram socket and the thread that drains it into a StatsdSink. Kernel
/// receive-queue drops are read with SO_RXQ_OVFL and counted. Thread-safe: Start and the
/// destructor from one thread; the reading thread never throws.
class DatagramListener {
 public:
  /// Datagrams larger than this are refused whole (counted as truncated).
  static constexpr std::size_t kMaxPacketBytes = 65536;
  /// Datagrams taken per recvmmsg call.
  static constexpr unsigned kBatch = 32;
  /// The receive buffer asked of the kernel (it caps it at net.core.rmem_max).
  static constexpr int kReceiveBufferBytes = 8 << 20;

  /// UDP on "[host]:port" (empty host: every IPv4 interface; port 0 picks one).
  static Result<std::unique_ptr<DatagramListener>> StartUdp(const std::string& address,
                                                            const StatsdMapper& mapper,
                                                            AppCounterStore& store,
                                                            IngestStats& stats, Logger& log);
  /// A Unix datagram socket at `path` (a stale socket file there is replaced; removed on stop).
  static Result<std::unique_ptr<DatagramListener>> StartUnixgram(const std::string& path,
                                                                 const StatsdMapper& mapper,
                                                                 AppCounterStore& store,
                                                                 IngestStats& stats, Logger& log);
  ~DatagramListener();
  DatagramListener(const DatagramListener&) = delete;
  DatagramListener& operator=(const DatagramListener&) = delete;

  /// The UDP port bound (0 for a Unix socket).
  int port() const { return port_; }

 private:
  DatagramListener(int fd, int wake_fd, Transport transport, const StatsdMapper& mapper,
                   AppCounterStore& store, IngestStats& stats, Logger& log);
  static Result<std::unique_ptr<DatagramListener>> Finish(int fd, Transport transport,
                                                          const StatsdMapper& mapper,
                                                          AppCounterStore& store,
                                                          IngestStats& stats, Logger& log);
  void Run();
  void ReadAvailable();

  int fd_;
  int wake_fd_;  // an eventfd: written once to stop the thread
  Transport transport_;
  StatsdSink sink_;
  IngestStats& stats_;
  Logger& log_;
  int port_ = 0;
  std::string unix_path_;
  std::uint32_t last_overflow_ = 0;  // the socket's cumulative drop count, last seen
  // recvmmsg's buffers, allocated on first use and reused (reading thread only).
  std::vector<char> buffers_;
  std::vector<char> control_;
  std::vector<mmsghdr> msgs_;
  std::vector<iovec> iovs_;  // the socket's cumulative drop count, last seen
  std::thread thread_;
};

}  // namespace stampede::ingest
