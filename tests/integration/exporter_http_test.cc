// The HTTP surface of a running exporter against a real redis-server.
#include <gtest/gtest.h>

#include "support/exporter_harness.h"
#include "support/exposition.h"
#include "support/process.h"
#include "support/redis_server.h"
#include "version.h"

namespace stampede::testing {
namespace {

using std::chrono::milliseconds;

bool IsUp(const std::string& body) { return SampleValue(body, "stampede_redis_up") == 1.0; }

class ExporterHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(redis_.Start());
    exporter_ = std::make_unique<ExporterHarness>(redis_.url(), milliseconds(100));
    ASSERT_TRUE(exporter_->ScrapeUntil(IsUp, milliseconds(5000))) << exporter_->log();
  }
  RedisServer redis_;
  std::unique_ptr<ExporterHarness> exporter_;
};

TEST_F(ExporterHttpTest, LandingPageShowsVersionTargetStatusAndLinks) {
  const HttpResponse r = exporter_->Get("/");
  ASSERT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(r.headers.at("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(r.body.find(kVersion), std::string::npos);
  EXPECT_NE(r.body.find(redis_.url()), std::string::npos);
  EXPECT_NE(r.body.find("class=\"up\">up<"), std::string::npos);
  EXPECT_NE(r.body.find("href=\"/metrics\""), std::string::npos);
  EXPECT_NE(r.body.find("href=\"/-/ready\""), std::string::npos);
}

TEST_F(ExporterHttpTest, HealthReadyUnknownPathsAndHead) {
  EXPECT_EQ(exporter_->Get("/-/healthy").status, 200);
  EXPECT_EQ(exporter_->Get("/-/ready").status, 200);
  EXPECT_EQ(exporter_->Get("/nope").status, 404);
  EXPECT_EQ(exporter_->Get("/metrics/extra").status, 404);
  const HttpResponse post = HttpGet(exporter_->port(), "/metrics", milliseconds(2000), "POST");
  EXPECT_EQ(post.status, 405) << "the public listener never accepts writes";
  EXPECT_EQ(post.headers.at("allow"), "GET, HEAD");
  const HttpResponse head = HttpGet(exporter_->port(), "/metrics", milliseconds(2000), "HEAD");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  const HttpResponse metrics = exporter_->Get("/metrics");
  EXPECT_EQ(metrics.headers.at("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(metrics.headers.at("content-length"), std::to_string(metrics.body.size()));
}

TEST_F(ExporterHttpTest, MetricsArePromtoolClean) {
  // Put something in every family: keys in two dbs, hits, misses, an error, expiries.
  redis_.Command({"SET", "user:1", "x"});
  redis_.Command({"SET", "tmp", "x", "PX", "1"});
  redis_.Command({"GET", "user:1"});
  redis_.Command({"GET", "user:2"});
  redis_.Command({"NOSUCHCOMMAND"});
  redis_.Command({"SELECT", "3"});
  redis_.Command({"SET", "k", "v"});
  std::string body;
  ASSERT_TRUE(exporter_->ScrapeUntil(
      [](const std::string& b) {
        return SampleValue(b, "stampede_redis_db_keys{db=\"3\"}") == 1.0 &&
               SampleValue(b, "stampede_redis_errors_total{err=\"ERR\"}").has_value();
      },
      milliseconds(5000), &body));
  int exit_code = -1;
  const std::string printed = PromtoolCheckMetrics(body, exit_code);
  EXPECT_EQ(exit_code, 0) << printed;
  EXPECT_EQ(printed, "");
}

TEST_F(ExporterHttpTest, MetricValuesAgreeWithInfoReadDirectly) {
  for (int i = 0; i < 20; ++i) {
    redis_.Command({"SET", "k" + std::to_string(i), "v", "EX", "600"});
    redis_.Command({"GET", "k" + std::to_string(i)});
    redis_.Command({"GET", "missing" + std::to_string(i)});
  }
  redis_.Command({"DEL", "k0"});
  const redis::Reply info = redis_.Command({"INFO", "all"});
  ASSERT_EQ(info.type, redis::Reply::Type::kString) << info.str;
  const redis::InfoSnapshot direct = redis::ParseInfo(info.str);
  const double hits = *direct.Number("keyspace_hits");
  const double misses = *direct.Number("keyspace_misses");
  ASSERT_EQ(hits, 20);
  ASSERT_EQ(misses, 20);
  std::string body;
  ASSERT_TRUE(exporter_->ScrapeUntil(
      [&](const std::string& b) {
        return SampleValue(b, "stampede_redis_keyspace_hits_total") == hits &&
               SampleValue(b, "stampede_redis_db_keys{db=\"0\"}") == 19.0;
      },
      milliseconds(5000), &body))
      << body;
  EXPECT_EQ(SampleValue(body, "stampede_redis_keyspace_misses_total"), misses);
  EXPECT_EQ(SampleValue(body, "stampede_redis_db_keys_expiring{db=\"0\"}"), 19);
  EXPECT_EQ(SampleValue(body, "stampede_redis_commands_total{cmd=\"set\"}"), 20);
  EXPECT_EQ(SampleValue(body, "stampede_redis_commands_total{cmd=\"get\"}"), 40);
  EXPECT_EQ(SampleValue(body, "stampede_redis_commands_total{cmd=\"del\"}"), 1);
  EXPECT_EQ(SampleValue(body, "stampede_redis_memory_max_bytes"), direct.Number("maxmemory"));
  EXPECT_EQ(SampleValue(body, "stampede_redis_max_clients"), direct.Number("maxclients"));
}

TEST(ExporterWithoutRedisTest, ServesMetricsButIsNotReady) {
  // Nothing listens on this port: the sampler keeps failing to connect.
  ExporterHarness exporter("redis://127.0.0.1:" + std::to_string(FreePort()), milliseconds(100));
  std::string body;
  ASSERT_TRUE(exporter.ScrapeUntil(
      [](const std::string& b) {
        auto e = SampleValue(b, "stampede_redis_info_errors_total{reason=\"connect\"}");
        return e && *e >= 2;
      },
      milliseconds(5000), &body))
      << body;
  EXPECT_EQ(SampleValue(body, "stampede_redis_up"), 0);
  EXPECT_EQ(SampleValue(body, "stampede_scrape_collector_success{collector=\"info\"}"), 0);
  EXPECT_EQ(SampleValue(body, "stampede_scrape_collector_success{collector=\"exporter\"}"), 1);
  EXPECT_EQ(exporter.Get("/-/ready").status, 503);
  EXPECT_EQ(exporter.Get("/-/healthy").status, 200);
  // One warning for the state change, not one per failed attempt.
  const std::string log = exporter.log();
  std::size_t warnings = 0;
  for (auto pos = log.find("msg=\"redis down\""); pos != std::string::npos;
       pos = log.find("msg=\"redis down\"", pos + 1)) {
    ++warnings;
  }
  EXPECT_EQ(warnings, 1u) << log;
}

}  // namespace
}  // namespace stampede::testing
