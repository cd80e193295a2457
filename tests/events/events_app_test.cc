// The whole exporter (App) with a class config file: per-class counters on /metrics, the
// notification health series, and a promtool-clean exposition.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "app.h"
#include "support/exposition.h"
#include "support/http_client.h"
#include "support/process.h"
#include "support/redis_server.h"
#include "support/sync_stream.h"

namespace stampede::testing {
namespace {

using std::chrono::milliseconds;

/// Scrapes until `series` has `value` or 5 s pass; returns the last body.
std::string ScrapeUntil(int port, const std::string& series, double value) {
  std::string body;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (true) {
    body = HttpGet(port, "/metrics", milliseconds(2000)).body;
    if (SampleValue(body, series) == value || std::chrono::steady_clock::now() >= until) {
      return body;
    }
    std::this_thread::sleep_for(milliseconds(20));
  }
}

config::Config Flags(const std::vector<std::string>& args) {
  const auto flags = config::ParseFlags(
      args, [](std::string_view) -> std::optional<std::string> { return std::nullopt; });
  EXPECT_TRUE(flags.ok()) << flags.status().message();
  config::Config config = flags.ok() ? *flags : config::Config{};
  // The ingest listeners' defaults are fixed ports: off here, so tests can run in parallel.
  config.ingest = config::IngestConfig{};
  return config;
}

TEST(EventsAppTest, MetricsCarryClassCountsAndHealthAndPassPromtool) {
  RedisServer redis;  // notifications off: the opt-in flag turns them on
  ASSERT_TRUE(redis.Start());
  const std::string dir = MakeTempDir("stampede-events-");
  const std::string path = dir + "/stampede.yml";
  std::ofstream(path) << "classes:\n  - name: user_profile\n    patterns: [\"user:*\"]\n"
                         "    expected_hit_ratio: 0.95\n";
  const auto file = config::LoadConfigFile(path);
  ASSERT_TRUE(file.ok()) << file.status().message();
  const config::Config flags =
      Flags({"--redis.addr=" + redis.url(), "--web.listen-address=127.0.0.1:0",
             "--redis.configure-notifications=true", "--redis.connect-timeout=500ms"});
  SyncStringStream log_stream;
  Logger log(&log_stream, LogLevel::kDebug);
  App app(flags, *file, "", log);
  ASSERT_TRUE(app.Start().ok());
  const std::string keymiss =
      "stampede_keyspace_events_total{class=\"user_profile\",event=\"keymiss\"}";
  std::string body = ScrapeUntil(app.port(), "stampede_notifications_connected", 1);
  ASSERT_EQ(SampleValue(body, "stampede_notifications_connected"), 1) << body;
  redis.Command({"GET", "user:1"});
  redis.Command({"GET", "user:2"});
  redis.Command({"GET", "page:1"});
  // Events arrive in order: once the last one is counted, so are the others.
  const std::string last = "stampede_keyspace_events_total{class=\"default\",event=\"keymiss\"}";
  body = ScrapeUntil(app.port(), last, 1);
  EXPECT_EQ(SampleValue(body, last), 1) << body;
  EXPECT_EQ(SampleValue(body, keymiss), 2) << body;
  EXPECT_EQ(SampleValue(body, "stampede_notifications_enabled{event=\"keymiss\"}"), 1);
  EXPECT_EQ(SampleValue(body, "stampede_notifications_config_readable"), 1);
  EXPECT_EQ(SampleValue(body, "stampede_notifications_reconnects_total"), 0);
  EXPECT_EQ(SampleValue(body, "stampede_scrape_collector_success{collector=\"events\"}"), 1);
  EXPECT_EQ(body.find("user:1"), std::string::npos) << "raw keys must never be label values";
  int code = -1;
  EXPECT_EQ(PromtoolCheckMetrics(body, code), "");
  EXPECT_EQ(code, 0);
  // FLUSHDB sends no notification: the App must hand INFO samples to the flush detector.
  redis.Command({"SET", "user:9", "x"});
  redis.Command({"FLUSHDB"});
  const std::string flushes = "stampede_keyspace_flushes_total{command=\"flushdb\"}";
  body = ScrapeUntil(app.port(), flushes, 1);
  EXPECT_EQ(SampleValue(body, flushes), 1) << body;
  app.Stop();
  std::filesystem::remove_all(dir);
}

TEST(EventsAppTest, NotificationsOffIsDegradedAndSaysSoOnce) {
  RedisServer redis;  // notify-keyspace-events "" and no opt-in
  ASSERT_TRUE(redis.Start());
  SyncStringStream log_stream;
  Logger log(&log_stream, LogLevel::kDebug);
  App app(Flags({"--redis.addr=" + redis.url(), "--web.listen-address=127.0.0.1:0"}),
          config::FileConfig{}, "", log);
  ASSERT_TRUE(app.Start().ok());
  ScrapeUntil(app.port(), "stampede_notifications_connected", 1);
  const std::string body =
      ScrapeUntil(app.port(), "stampede_notifications_enabled{event=\"keymiss\"}", 0);
  for (const char* event : {"del", "expired", "evicted", "keymiss", "new"}) {
    EXPECT_EQ(
        SampleValue(body, "stampede_notifications_enabled{event=\"" + std::string(event) + "\"}"),
        0)
        << event;
  }
  EXPECT_EQ(SampleValue(body, "stampede_notifications_connected"), 1);
  EXPECT_EQ(SampleValue(ScrapeUntil(app.port(), "stampede_redis_up", 1), "stampede_redis_up"), 1)
      << "INFO-based metrics keep working";
  const std::string logged = log_stream.str();
  std::size_t warnings = 0;
  for (auto at = logged.find("keyspace notifications are off"); at != std::string::npos;
       at = logged.find("keyspace notifications are off", at + 1)) {
    ++warnings;
  }
  EXPECT_EQ(warnings, 1u) << logged;
  app.Stop();
}

TEST(EventsAppTest, BadClassFileExitsWithFileLineColumnAndReason) {
  const std::string dir = MakeTempDir("stampede-events-");
  const std::string path = dir + "/bad.yml";
  std::ofstream(path) << "classes:\n  - name: a\n    patterns: x\n    refresh: magic\n";
  ChildProcess exporter({std::string(STAMPEDE_BINARY_DIR) + "/bin/stampede_exporter",
                         "--config.file=" + path, "--web.listen-address=127.0.0.1:0"},
                        dir + "/out.log");
  const int status = exporter.Wait(milliseconds(10000));
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 2);
  std::ifstream in(dir + "/out.log");
  const std::string out((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(out, "stampede_exporter: --config.file: " + path +
                     ":4:14: unknown refresh strategy \"magic\" (want cache_aside, lock, "
                     "single_flight, stale_while_revalidate, early_refresh, write_through or "
                     "unknown)\n");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace stampede::testing
