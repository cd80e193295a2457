// Real datagrams and real HTTP requests into an in-process exporter; exact counts read back
// from /metrics.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "ingest_client.h"
#include "ingest_harness.h"
#include "support/exposition.h"
#include "support/http_client.h"
#include "support/process.h"

namespace stampede::testing {
namespace {

using std::chrono::milliseconds;
constexpr milliseconds kDeadline(5000);

const std::string kHits = R"(stampede_app_lookups_total{class="user",tier="l1",result="hit"})";

TEST(IngestStatsd, UdpPacketsCountedExactly) {
  IngestHarness h;
  ASSERT_NE(h.udp_port(), 0) << h.log();
  std::vector<std::string> packets;
  for (int i = 0; i < 100; ++i) {
    packets.push_back(
        "cache.hit:3|c|#class:user,tier:l1\ncache.miss:1|c|#class:user,tier:l1\n"
        "cache.load:1|c|#class:user,tier:l1\ncache.load.time:20|ms|#class:user,tier:l1\n"
        "cache.coalesced:2|c|#class:user,tier:l1\ncache.stale:1|c|@0.5|#class:user,tier:l1\n"
        "cache.lock_wait:1|c|#class:user,tier:l1");
  }
  ASSERT_TRUE(SendUdp(h.udp_port(), packets));
  std::string body;
  ASSERT_TRUE(h.WaitForSample(kHits, 300, kDeadline, &body)) << body;
  const std::string labels = R"({class="user",tier="l1"})";
  EXPECT_EQ(
      SampleValue(body, R"(stampede_app_lookups_total{class="user",tier="l1",result="miss"})"),
      100);
  EXPECT_EQ(SampleValue(body, "stampede_app_origin_loads_total" + labels), 100);
  EXPECT_EQ(SampleValue(body, "stampede_app_coalesced_total" + labels), 200);
  EXPECT_EQ(SampleValue(body, "stampede_app_stale_served_total" + labels), 200);
  EXPECT_EQ(SampleValue(body, "stampede_app_lock_waits_total" + labels), 100);
  EXPECT_EQ(SampleValue(body, "stampede_app_origin_load_duration_seconds_count" + labels), 100);
  EXPECT_EQ(
      SampleValue(
          body,
          R"(stampede_app_origin_load_duration_seconds_bucket{class="user",tier="l1",le="0.025"})"),
      100);
  EXPECT_EQ(
      SampleValue(
          body,
          R"(stampede_app_origin_load_duration_seconds_bucket{class="user",tier="l1",le="0.01"})"),
      0);
  EXPECT_NEAR(*SampleValue(body, "stampede_app_origin_load_duration_seconds_sum" + labels), 2.0,
              1e-9);
  EXPECT_EQ(SampleValue(body, R"(stampede_ingest_statsd_packets_total{transport="udp"})"), 100);
  EXPECT_EQ(SampleValue(body, "stampede_ingest_statsd_lines_accepted_total"), 700);
  EXPECT_EQ(SampleValue(body, R"(stampede_ingest_statsd_packets_dropped_total{transport="udp"})"),
            0);
  int code = 0;
  EXPECT_EQ(PromtoolCheckMetrics(body, code), "");
  EXPECT_EQ(code, 0);
}

TEST(IngestStatsd, UnixgramAndMalformedLinesCountedByReason) {
  IngestHarness h;
  ASSERT_TRUE(SendUnixgram(
      h.unixgram_path(),
      {"cache.hit:1|c|#class:user,tier:l1\ncache.hit:1|x\ncache.hit|c\n"
       "cache.hit:1|c|@0\nnot.ours:1|c\n" +
           std::string("cache.hit:1|c|#class:\xff") + "\ncache.hit:1|c|#class:user,tier:l1",
       std::string(70000, 'x')}));
  std::string body;
  ASSERT_TRUE(
      h.WaitForSample(R"(stampede_ingest_statsd_packets_truncated_total{transport="unixgram"})", 1,
                      kDeadline, &body))
      << body;
  ASSERT_TRUE(h.WaitForSample(kHits, 2, kDeadline, &body)) << body;
  for (const char* reason : {"bad_type", "missing_value", "bad_rate", "not_utf8"}) {
    EXPECT_EQ(
        SampleValue(body, std::string("stampede_ingest_statsd_lines_rejected_total{reason=\"") +
                              reason + "\"}"),
        1)
        << reason;
  }
  EXPECT_EQ(SampleValue(body, R"(stampede_ingest_statsd_lines_rejected_total{reason="bad_tags"})"),
            0);
  EXPECT_EQ(SampleValue(body, "stampede_ingest_statsd_lines_ignored_total"), 1);
  EXPECT_EQ(SampleValue(body, R"(stampede_ingest_statsd_packets_total{transport="unixgram"})"), 2);
}

TEST(IngestStatsd, ClassOverflowGoesToOther) {
  IngestHarness h([](config::Config& c) { c.ingest.max_classes = 3; });
  ASSERT_TRUE(SendUdp(h.udp_port(), {"cache.hit:1|c|#class:a\ncache.hit:1|c|#class:b\n"
                                     "cache.hit:1|c|#class:c\ncache.hit:1|c|#class:d"}));
  std::string body;
  ASSERT_TRUE(
      h.WaitForSample(R"(stampede_app_lookups_total{class="other",tier="default",result="hit"})", 2,
                      kDeadline, &body))
      << body;
  EXPECT_EQ(SampleValue(body, R"(stampede_ingest_label_overflow_total{label="class"})"), 2);
}

const std::string kBatch = R"({"version":1,"events":[
  {"class":"user","tier":"l1","hits":40,"misses":2,"loads":2,"load_seconds":[0.2,0.3],
   "missed_keys":["user:1"],"loaded_keys":["user:1"]},
  {"class":"user","tier":"l1","hits":2,"coalesced":7}]})";

TEST(IngestHttp, BatchAcceptedAndCounted) {
  IngestHarness h;
  ASSERT_NE(h.ingest_port(), 0) << h.log();
  HttpResponse r = HttpRequest(h.ingest_port(), "POST", "/api/v1/events", kBatch);
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_NE(r.body.find(R"("events":2)"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find(R"("hits":42)"), std::string::npos) << r.body;
  const std::string body = h.Scrape();
  EXPECT_EQ(SampleValue(body, kHits), 42);
  EXPECT_EQ(SampleValue(body, R"(stampede_app_coalesced_total{class="user",tier="l1"})"), 7);
  EXPECT_EQ(SampleValue(
                body, R"(stampede_app_origin_load_duration_seconds_count{class="user",tier="l1"})"),
            2);
  EXPECT_EQ(SampleValue(body, "stampede_ingest_http_events_accepted_total"), 2);
  EXPECT_EQ(SampleValue(body, "stampede_ingest_key_table_entries"), 1);
  EXPECT_EQ(
      SampleValue(body, R"(stampede_http_requests_total{code="202",handler="ingest_events"})"), 1);
}

TEST(IngestHttp, BadBatchAnswers400NamingTheFieldAndCountsNothing) {
  IngestHarness h;
  HttpResponse r = HttpRequest(h.ingest_port(), "POST", "/api/v1/events",
                               R"({"version":1,"events":[{"hits":5},{"hits":"many"}]})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find(R"("field":"events[1].hits")"), std::string::npos) << r.body;
  r = HttpRequest(h.ingest_port(), "POST", "/api/v1/events", R"({"version":1,"events":[)");
  EXPECT_EQ(r.status, 400);
  const std::string body = h.Scrape();
  EXPECT_EQ(SampleValue(
                body, R"(stampede_app_lookups_total{class="default",tier="default",result="hit"})"),
            std::nullopt);
  EXPECT_EQ(SampleValue(body, R"(stampede_ingest_http_batches_rejected_total{reason="bad_field"})"),
            1);
  EXPECT_EQ(
      SampleValue(body, R"(stampede_ingest_http_batches_rejected_total{reason="invalid_json"})"),
      1);
}

TEST(IngestHttp, BodyOverTheLimitAnswers413) {
  IngestHarness h([](config::Config& c) { c.ingest.max_body_bytes = 1024; });
  std::string big = R"({"version":1,"events":[)";
  while (big.size() < 2000) {
    big += R"({"hits":1},)";
  }
  big += R"({"hits":1}]})";
  EXPECT_EQ(HttpRequest(h.ingest_port(), "POST", "/api/v1/events", big).status, 413);
  EXPECT_EQ(HttpRequest(h.ingest_port(), "POST", "/api/v1/events", kBatch).status, 202);
  EXPECT_EQ(SampleValue(h.Scrape(), kHits), 42);
}

TEST(IngestHttp, TokenRequiredWhenConfigured) {
  const std::string dir = MakeTempDir("stampede-token");
  std::ofstream(dir + "/token") << "s3cret-token\n";
  IngestHarness h([&](config::Config& c) { c.ingest.token_file = dir + "/token"; });
  HttpResponse none = HttpRequest(h.ingest_port(), "POST", "/api/v1/events", kBatch);
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.headers["www-authenticate"].rfind("Bearer", 0), 0u) << none.body;
  EXPECT_EQ(HttpRequest(h.ingest_port(), "POST", "/api/v1/events", kBatch,
                        {"Authorization: Bearer s3cret-tokeN"})
                .status,
            401);
  EXPECT_EQ(HttpRequest(h.ingest_port(), "GET", "/api/v1/markers", "").status, 401);
  EXPECT_EQ(HttpRequest(h.ingest_port(), "POST", "/api/v1/events", kBatch,
                        {"Authorization: Bearer s3cret-token"})
                .status,
            202);
  const std::string body = h.Scrape();
  EXPECT_EQ(SampleValue(body, kHits), 42);
  EXPECT_EQ(
      SampleValue(body, R"(stampede_ingest_http_batches_rejected_total{reason="unauthorized"})"),
      2);
  EXPECT_EQ(h.log().find("s3cret"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(IngestHttp, UnreadableTokenFileFailsStart) {
  config::Config cfg;
  cfg.web_listen_address = "127.0.0.1:0";
  cfg.ingest.listen_address = "127.0.0.1:0";
  cfg.ingest.token_file = "/nonexistent/token";
  SyncStringStream out;
  Logger log(&out);
  App app(cfg, config::FileConfig{}, "", log);
  const Status s = app.Start();
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("--ingest.token-file \"/nonexistent/token\""), std::string::npos)
      << s.message();
}

TEST(IngestHttp, MarkersAddListExport) {
  IngestHarness h;
  HttpResponse r = HttpRequest(h.ingest_port(), "POST", "/api/v1/markers",
                               R"({"kind":"deploy","class":"user","duration":"10m"})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_NE(r.body.find(R"("kind":"deploy")"), std::string::npos) << r.body;
  r = HttpRequest(h.ingest_port(), "POST", "/api/v1/markers",
                  R"({"kind":"purge","duration":"1h"})");
  ASSERT_EQ(r.status, 201) << r.body;
  r = HttpRequest(h.ingest_port(), "POST", "/api/v1/markers",
                  R"({"kind":"deploy","duration":"forever"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find(R"("field":"duration")"), std::string::npos) << r.body;
  r = HttpRequest(h.ingest_port(), "GET", "/api/v1/markers", "");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find(R"("class":"user")"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find(R"("class":"all")"), std::string::npos) << r.body;
  const std::string body = h.Scrape();
  EXPECT_EQ(SampleValue(body, R"(stampede_marker_active{kind="deploy",class="user"})"), 1);
  EXPECT_EQ(SampleValue(body, R"(stampede_marker_active{kind="purge",class="all"})"), 1);
  int code = 0;
  EXPECT_EQ(PromtoolCheckMetrics(body, code), "");
}

TEST(IngestHttp, PublicListenerNeverAcceptsWrites) {
  IngestHarness h;
  const HttpResponse r = HttpRequest(h.web_port(), "POST", "/api/v1/events", kBatch);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(HttpRequest(h.web_port(), "POST", "/api/v1/markers", "{}").status, 404);
  EXPECT_EQ(SampleValue(h.Scrape(), kHits), std::nullopt);
}

TEST(IngestHttp, WrongMethodsAnswer405) {
  IngestHarness h;
  EXPECT_EQ(HttpRequest(h.ingest_port(), "GET", "/api/v1/events", "").status, 405);
  EXPECT_EQ(HttpRequest(h.ingest_port(), "PUT", "/api/v1/markers", "{}").status, 405);
}

}  // namespace
}  // namespace stampede::testing
