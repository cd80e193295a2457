// An in-process exporter (App) with every ingest listener on a free loopback port (and a Unix
// datagram socket in a temp dir), its Redis unreachable: /metrics still serves the app counters.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "app.h"
#include "common/log.h"
#include "support/sync_stream.h"

namespace stampede::testing {

/// Not thread-safe.
class IngestHarness {
 public:
  /// `adjust` may change the config before Start (bounds, token file).
  explicit IngestHarness(const std::function<void(config::Config&)>& adjust = {});
  ~IngestHarness();

  int web_port() const { return app_->port(); }
  int udp_port() const { return udp_port_; }
  int ingest_port() const { return ingest_port_; }
  const std::string& unixgram_path() const { return unixgram_path_; }
  std::string log() const { return log_stream_.str(); }

  std::string Scrape() const;
  /// Polls /metrics until `series` has `value` or `deadline` passes; the last body in `last`.
  bool WaitForSample(const std::string& series, double value, std::chrono::milliseconds deadline,
                     std::string* last = nullptr) const;

 private:
  SyncStringStream log_stream_;
  std::unique_ptr<Logger> log_;
  std::unique_ptr<App> app_;
  std::string dir_;
  std::string unixgram_path_;
  int udp_port_ = 0;
  int ingest_port_ = 0;
};

/// The `port=` of the first log line with `msg` (e.g. "\"statsd listening\""), or 0.
int LoggedPort(const std::string& log, const std::string& msg);

}  // namespace stampede::testing
