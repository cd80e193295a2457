// An in-process exporter (App) on 127.0.0.1:<free port>, pointed at a test Redis.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>

#include "app.h"
#include "common/log.h"
#include "support/http_client.h"
#include "support/sync_stream.h"

namespace stampede::testing {

/// Owns an App and the log it writes; Scrape() fetches /metrics. Not thread-safe.
class ExporterHarness {
 public:
  /// Starts the exporter against `redis_url` with the given INFO interval; ADD_FAILURE on error.
  ExporterHarness(const std::string& redis_url, std::chrono::milliseconds interval);
  ~ExporterHarness();

  int port() const { return app_->port(); }
  HttpResponse Get(const std::string& path,
                   std::chrono::milliseconds timeout = std::chrono::milliseconds(2000)) const {
    return HttpGet(port(), path, timeout);
  }
  /// GET /metrics; the body, or "" on failure (with ADD_FAILURE).
  std::string Scrape(std::chrono::milliseconds timeout = std::chrono::milliseconds(2000)) const;
  /// Polls /metrics until `pred(body)` holds or `deadline` passes; returns the last body and
  /// whether pred held.
  bool ScrapeUntil(const std::function<bool(const std::string&)>& pred,
                   std::chrono::milliseconds deadline, std::string* last = nullptr) const;
  std::string log() const { return log_stream_.str(); }

 private:
  SyncStringStream log_stream_;
  std::unique_ptr<Logger> log_;
  std::unique_ptr<App> app_;
};

/// Names of the counter families in an exposition (from its `# TYPE` lines).
std::set<std::string> CounterFamilies(const std::string& exposition);

/// Every sample of a counter family: `name{labels}` → value.
std::map<std::string, double> CounterSamples(const std::string& exposition);

}  // namespace stampede::testing
