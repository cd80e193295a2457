#include "support/exporter_harness.h"

#include <gtest/gtest.h>

#include <thread>

#include "support/exposition.h"

namespace stampede::testing {

ExporterHarness::ExporterHarness(const std::string& redis_url, std::chrono::milliseconds interval) {
  log_ = std::make_unique<Logger>(&log_stream_, LogLevel::kDebug, LogFormat::kLogfmt);
  config::Config cfg;
  auto addr = redis::ParseAddress(redis_url);
  EXPECT_TRUE(addr.ok()) << addr.status().message();
  if (addr.ok()) {
    cfg.redis_addr = addr.value();
  }
  cfg.web_listen_address = "127.0.0.1:0";
  cfg.info_interval = interval;
  cfg.redis_connect_timeout = std::chrono::milliseconds(500);
  // The TTL sampler's PEXPIRETIME calls count as keyspace hits; these tests compare INFO's
  // counters with the exporter's exactly.
  cfg.detect.ttl_sample_interval = std::chrono::milliseconds(0);
  app_ = std::make_unique<App>(cfg, config::FileConfig{}, "", *log_);
  const Status started = app_->Start();
  EXPECT_TRUE(started.ok()) << started.message();
}

ExporterHarness::~ExporterHarness() { app_->Stop(); }

std::string ExporterHarness::Scrape(std::chrono::milliseconds timeout) const {
  HttpResponse r = Get("/metrics", timeout);
  if (r.status != 200) {
    ADD_FAILURE() << "GET /metrics: status " << r.status << " " << r.error;
    return "";
  }
  return r.body;
}

bool ExporterHarness::ScrapeUntil(const std::function<bool(const std::string&)>& pred,
                                  std::chrono::milliseconds deadline, std::string* last) const {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (true) {
    const std::string body = Scrape();
    if (last != nullptr) {
      *last = body;
    }
    if (pred(body)) {
      return true;
    }
    if (std::chrono::steady_clock::now() >= until) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::set<std::string> CounterFamilies(const std::string& exposition) {
  std::set<std::string> out;
  std::istringstream in(exposition);
  std::string line;
  while (std::getline(in, line)) {
    const std::string prefix = "# TYPE ";
    const std::string suffix = " counter";
    if (line.rfind(prefix, 0) == 0 && line.size() > prefix.size() + suffix.size() &&
        line.compare(line.size() - suffix.size(), suffix.size(), suffix) == 0) {
      out.insert(line.substr(prefix.size(), line.size() - prefix.size() - suffix.size()));
    }
  }
  return out;
}

std::map<std::string, double> CounterSamples(const std::string& exposition) {
  const auto families = CounterFamilies(exposition);
  std::map<std::string, double> out;
  for (const auto& [series, value] : ParseExposition(exposition)) {
    const std::string name = series.substr(0, series.find('{'));
    if (families.count(name) != 0) {
      out[series] = value;
    }
  }
  return out;
}

}  // namespace stampede::testing
