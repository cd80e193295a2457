// What the simulator reads from the exporter: timestamps, incidents and their stampede moment,
// and the addresses it is given.
#include "exporter_probe.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "http_client.h"

namespace stampede::sim {
namespace {

TEST(ParseRfc3339Millis, Table) {
  const auto at = ParseRfc3339Millis("2026-11-23T09:00:31.002Z");
  ASSERT_TRUE(at.has_value());
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(at->time_since_epoch()).count(),
            1795424431002LL);
  for (const char* bad : {"", "2026-11-23", "2026-11-23T09:00:31Z", "2026-11-23T09:00:31.002",
                          "2026-11-23T09:00:31.002+01:00", "yesterday"}) {
    EXPECT_FALSE(ParseRfc3339Millis(bad).has_value()) << bad;
  }
}

TEST(ParseIncident, AStampedeFromTheStart) {
  const IncidentView v = ParseIncident(R"json({
    "id": "3", "class": "user_profile", "level": "stampede", "state": "open",
    "expected": false, "onset": "2026-11-23T09:00:30.000Z", "detected": "2026-11-23T09:00:32.002Z",
    "cause": {"kind": "del", "key": "user:42", "key_hash": "0bf1fb06449ec18d"},
    "peak": {"baseline_hit_ratio": 0.95, "lowest_hit_ratio": 0.05, "herd_size": 9800,
             "origin_loads_per_second": 9500, "loads_per_key": 9500, "key_misses_per_second": 3},
    "timeline": [
      {"at": "2026-11-23T09:00:00.104Z", "text": "DEL of user:42 (user_profile)"},
      {"at": "2026-11-23T09:00:32.002Z", "text": "verdict stampede"}]
})json");
  EXPECT_EQ(v.id, "3");
  EXPECT_EQ(v.class_name, "user_profile");
  EXPECT_EQ(v.level, "stampede");
  EXPECT_EQ(v.cause, "del");
  EXPECT_EQ(v.cause_key, "user:42");
  EXPECT_EQ(v.cause_key_hash, "0bf1fb06449ec18d");
  ASSERT_TRUE(v.lowest_hit_ratio.has_value());
  EXPECT_DOUBLE_EQ(*v.lowest_hit_ratio, 0.05);
  EXPECT_EQ(v.herd_size, 9800);
  EXPECT_EQ(v.origin_loads_per_second, 9500);
  EXPECT_EQ(v.loads_per_key, 9500);
  ASSERT_EQ(v.timeline.size(), 2u);
  ASSERT_TRUE(v.stampede_at.has_value());
  EXPECT_EQ(*v.stampede_at, *ParseRfc3339Millis("2026-11-23T09:00:32.002Z"));
  EXPECT_EQ(*v.detected, *ParseRfc3339Millis("2026-11-23T09:00:32.002Z"));
}

TEST(ParseIncident, AHerdRiskThatBecameAStampede) {
  const IncidentView v = ParseIncident(R"json({"id": "4", "level": "stampede", "timeline": [
      {"at": "2026-11-23T09:00:31.000Z", "text": "verdict herd_risk"},
      {"at": "2026-11-23T09:00:33.500Z", "text": "verdict herd_risk → stampede"}]})json");
  ASSERT_TRUE(v.stampede_at.has_value());
  EXPECT_EQ(*v.stampede_at, *ParseRfc3339Millis("2026-11-23T09:00:33.500Z"));
}

TEST(ParseIncident, AHerdRiskHasNoStampedeMoment) {
  const IncidentView v = ParseIncident(R"json({"id": "5", "level": "herd_risk", "timeline": [
      {"at": "2026-11-23T09:00:31.000Z", "text": "verdict herd_risk"}]})json");
  EXPECT_FALSE(v.stampede_at.has_value());
  EXPECT_FALSE(v.lowest_hit_ratio.has_value());  // no peak: nothing measured
  EXPECT_EQ(v.origin_loads_per_second, 0);
}

TEST(ParseIncident, MalformedGivesAnEmptyView) {
  for (const char* bad : {"", "[]", "{", "null", R"({"timeline": 7, "cause": "del"})"}) {
    const IncidentView v = ParseIncident(bad);
    EXPECT_TRUE(v.id.empty()) << bad;
    EXPECT_TRUE(v.timeline.empty()) << bad;
  }
}

TEST(ParseIncident, MembersOfTheWrongTypeReadAsAbsent) {
  const IncidentView v = ParseIncident(R"json({"id": 5, "class": [], "level": {}, "expected": "yes",
      "cause": {"kind": 1, "key": null}, "peak": {"herd_size": "x", "lowest_hit_ratio": "low"},
      "onset": 12, "timeline": [{"at": 1, "text": null}, 7, {"text": "verdict stampede"}]})json");
  EXPECT_TRUE(v.id.empty());
  EXPECT_TRUE(v.class_name.empty());
  EXPECT_FALSE(v.expected);
  EXPECT_TRUE(v.cause.empty());
  EXPECT_EQ(v.herd_size, 0);
  EXPECT_FALSE(v.lowest_hit_ratio.has_value());
  EXPECT_FALSE(v.onset.has_value());
  EXPECT_EQ(v.timeline.size(), 2u);         // the two objects; 7 is skipped
  EXPECT_FALSE(v.stampede_at.has_value());  // the stampede entry has no time
}

TEST(LevelRank, OrdersTheVerdicts) {
  EXPECT_GT(LevelRank("stampede"), LevelRank("herd_risk"));
  EXPECT_GT(LevelRank("herd_risk"), LevelRank("none"));
  EXPECT_EQ(LevelRank(""), LevelRank("none"));
}

TEST(ParseHttpTarget, Table) {
  struct Case {
    std::string url;
    bool ok;
    std::string host;
    int port;
  };
  const std::vector<Case> cases = {
      {"http://127.0.0.1:9912", true, "127.0.0.1", 9912},
      {"http://127.0.0.1:9912/", true, "127.0.0.1", 9912},
      {"localhost:8125", true, "localhost", 8125},
      {"https://127.0.0.1:9912", false, "", 0},
      {"http://127.0.0.1", false, "", 0},
      {"http://127.0.0.1:0", false, "", 0},
      {"http://127.0.0.1:65536", false, "", 0},
      {"http://127.0.0.1:99x", false, "", 0},
      {":9912", false, "", 0},
  };
  for (const Case& c : cases) {
    HttpTarget t;
    std::string error;
    EXPECT_EQ(ParseHttpTarget(c.url, t, error), c.ok) << c.url;
    if (c.ok) {
      EXPECT_EQ(t.host, c.host) << c.url;
      EXPECT_EQ(t.port, c.port) << c.url;
    } else {
      EXPECT_FALSE(error.empty()) << c.url;
    }
  }
}

TEST(HttpRequest, RefusesANonIpv4Host) {
  const HttpResponse r = HttpRequest(HttpTarget{"example.invalid", 80}, "GET", "/");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.error.find("not an IPv4 address"), std::string::npos) << r.error;
}

}  // namespace
}  // namespace stampede::sim
