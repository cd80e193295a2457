// The whole exporter (App) against a real redis-server: a deleted key read by many callers
// becomes a herd_risk incident on /api/v1/incidents, /api/v1/status and /metrics.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "app.h"
#include "detect/format.h"
#include "sketch/key_hash.h"
#include "support/exposition.h"
#include "support/http_client.h"
#include "support/redis_server.h"
#include "support/sync_stream.h"

namespace stampede::testing {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using ::testing::HasSubstr;

constexpr std::uint64_t kSeed = 7;

class DetectAppTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(redis_.Start());
    redis_.Command({"CONFIG", "SET", "notify-keyspace-events", "Egxemn"});
    auto file = config::ParseConfigText(
        "classes:\n  - {name: user_profile, patterns: [\"user:*\"]}\n", "test.yml");
    ASSERT_TRUE(file.ok()) << file.status().message();
    config::Config config;
    config.redis_addr = redis_.address();
    config.web_listen_address = "127.0.0.1:0";
    config.ingest = config::IngestConfig{};  // no fixed ingest ports: tests run in parallel
    config.detect.key_hash_seed = kSeed;
    config.detect.ttl_sample_interval = milliseconds(0);
    config.redis_connect_timeout = milliseconds(500);
    app_ = std::make_unique<App>(config, *file, "", log_);
    ASSERT_TRUE(app_->Start().ok()) << log_stream_.str();
  }
  void TearDown() override {
    if (app_) {
      app_->Stop();
    }
  }

  json GetJson(const std::string& path, int want = 200) {
    const HttpResponse r = HttpGet(app_->port(), path, milliseconds(2000));
    EXPECT_EQ(r.status, want) << path << ": " << r.body;
    const json doc = json::parse(r.body, nullptr, false);
    EXPECT_FALSE(doc.is_discarded()) << r.body;
    return doc;
  }

  // Polls /api/v1/incidents until one is listed or 10 s pass.
  json WaitForIncident() {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < until) {
      json list = GetJson("/api/v1/incidents");
      if (!list["incidents"].empty()) {
        return list["incidents"][0];
      }
      std::this_thread::sleep_for(milliseconds(100));
    }
    ADD_FAILURE() << "no incident; log:\n" << log_stream_.str();
    return json::object();
  }

  RedisServer redis_;
  SyncStringStream log_stream_;
  Logger log_{&log_stream_, LogLevel::kDebug};
  std::unique_ptr<App> app_;
};

TEST_F(DetectAppTest, ADeletedKeyReadByManyCallersIsAHerdRiskIncidentNamingIt) {
  // Wait until the subscriber listens, then delete a key and miss it 300 times.
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (SampleValue(HttpGet(app_->port(), "/metrics", milliseconds(2000)).body,
                     "stampede_notifications_connected") != 1 &&
         std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(milliseconds(20));
  }
  redis_.Command({"SET", "user:42", "profile"});
  redis_.Command({"DEL", "user:42"});
  for (int i = 0; i < 300; ++i) {
    redis_.Command({"GET", "user:42"});
  }
  const json incident = WaitForIncident();
  EXPECT_EQ(incident["class"], "user_profile");
  EXPECT_EQ(incident["level"], "herd_risk") << "no app reports: no amplification evidence";
  EXPECT_EQ(incident["cause"]["kind"], "del");
  const std::string hash = detect::HashHex(sketch::KeyHash("user:42", 0, kSeed));
  EXPECT_EQ(incident["cause"]["key_hash"], hash);
  EXPECT_FALSE(incident["cause"].contains("key")) << "raw keys only with --incidents.show-keys";

  const json full = GetJson("/api/v1/incidents/" + incident["id"].get<std::string>());
  ASSERT_TRUE(full["timeline"].is_array());
  ASSERT_GE(full["timeline"].size(), 2u);
  EXPECT_EQ(full["timeline"][0]["text"], "DEL of key#" + hash + " (user_profile)");
  EXPECT_THAT(full.dump(), ::testing::Not(HasSubstr("user:42")));

  const json status = GetJson("/api/v1/status");
  bool seen = false;
  for (const json& c : status["classes"]) {
    if (c["class"] == "user_profile") {
      seen = true;
      EXPECT_EQ(c["verdict"], "herd_risk");
      EXPECT_EQ(c["indicators"]["hot_key_herd"]["raised"], true);
    }
  }
  EXPECT_TRUE(seen) << status.dump();

  const std::string body = HttpGet(app_->port(), "/metrics", milliseconds(2000)).body;
  EXPECT_EQ(SampleValue(body, "stampede_verdict{class=\"user_profile\",level=\"herd_risk\"}"), 1);
  EXPECT_EQ(SampleValue(body,
                        "stampede_verdicts_total{class=\"user_profile\",level=\"herd_risk\","
                        "expected=\"false\"}"),
            1);
  // Present at 0 before any rise: increase() in an alert sees the first one.
  EXPECT_EQ(SampleValue(body,
                        "stampede_verdicts_total{class=\"user_profile\",level=\"stampede\","
                        "expected=\"false\"}"),
            0);
  EXPECT_EQ(SampleValue(body,
                        "stampede_detections_total{indicator=\"hot_key_herd\",class="
                        "\"user_profile\",cause=\"del\",expected=\"false\"}"),
            1);
  EXPECT_EQ(SampleValue(body,
                        "stampede_herd_key_misses{class=\"user_profile\",rank=\"1\","
                        "key_hash=\"" +
                            hash + "\"}"),
            300);
  int code = -1;
  EXPECT_EQ(PromtoolCheckMetrics(body, code), "");
  EXPECT_EQ(code, 0);
  EXPECT_THAT(log_stream_.str(), HasSubstr("msg=\"incident opened\""));
  EXPECT_THAT(log_stream_.str(), ::testing::Not(HasSubstr("user:42")));
}

TEST_F(DetectAppTest, TheApiAnswersBadRequestsClearly) {
  EXPECT_EQ(GetJson("/api/v1/incidents")["incidents"].size(), 0u);
  EXPECT_THAT(GetJson("/api/v1/incidents?limit=0", 400)["error"].get<std::string>(),
              HasSubstr("limit must be a whole number from 1 to 1000"));
  EXPECT_EQ(GetJson("/api/v1/incidents?limit=5")["incidents"].size(), 0u);
  EXPECT_EQ(GetJson("/api/v1/incidents/99", 404)["error"].get<std::string>().substr(0, 16),
            "no such incident");
  EXPECT_EQ(GetJson("/api/v1/incidents/abc", 404)["error"], "no such incident");
  EXPECT_EQ(HttpGet(app_->port(), "/api/v1/incidentsx", milliseconds(2000)).status, 404);
  const HttpResponse landing = HttpGet(app_->port(), "/", milliseconds(2000));
  EXPECT_THAT(landing.body, HasSubstr("/api/v1/incidents"));
  EXPECT_THAT(landing.body, HasSubstr("/api/v1/status"));
}

}  // namespace
}  // namespace stampede::testing
