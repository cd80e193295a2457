#include "ingest_harness.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <thread>

#include "support/exposition.h"
#include "support/http_client.h"
#include "support/process.h"

namespace stampede::testing {

int LoggedPort(const std::string& log, const std::string& msg) {
  std::istringstream in(log);
  std::string line;
  while (std::getline(in, line)) {
    if (line.find("msg=" + msg) == std::string::npos) {
      continue;
    }
    const std::size_t at = line.find(" port=");
    if (at != std::string::npos) {
      return std::atoi(line.c_str() + at + 6);
    }
  }
  return 0;
}

IngestHarness::IngestHarness(const std::function<void(config::Config&)>& adjust) {
  log_ = std::make_unique<Logger>(&log_stream_, LogLevel::kDebug, LogFormat::kLogfmt);
  dir_ = MakeTempDir("stampede-ingest");
  unixgram_path_ = dir_ + "/statsd.sock";
  config::Config cfg;
  cfg.redis_addr = *redis::ParseAddress("redis://127.0.0.1:" + std::to_string(FreePort()));
  cfg.redis_connect_timeout = std::chrono::milliseconds(200);
  cfg.web_listen_address = "127.0.0.1:0";
  cfg.ingest.statsd_udp = "127.0.0.1:0";
  cfg.ingest.statsd_unixgram = unixgram_path_;
  cfg.ingest.listen_address = "127.0.0.1:0";
  if (adjust) {
    adjust(cfg);
  }
  app_ = std::make_unique<App>(cfg, config::FileConfig{}, "", *log_);
  const Status started = app_->Start();
  EXPECT_TRUE(started.ok()) << started.message();
  udp_port_ = LoggedPort(log(), "\"statsd listening\" udp=");
  ingest_port_ = LoggedPort(log(), "\"ingest listening\"");
}

IngestHarness::~IngestHarness() {
  app_->Stop();
  std::filesystem::remove_all(dir_);
}

std::string IngestHarness::Scrape() const { return HttpGet(web_port(), "/metrics").body; }

bool IngestHarness::WaitForSample(const std::string& series, double value,
                                  std::chrono::milliseconds deadline, std::string* last) const {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (true) {
    const std::string body = Scrape();
    if (last != nullptr) {
      *last = body;
    }
    if (SampleValue(body, series) == value) {
      return true;
    }
    if (std::chrono::steady_clock::now() >= until) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace stampede::testing
