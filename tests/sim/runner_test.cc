// The scenario runner against a real redis-server (no exporter): the script's events happen,
// in their second, with their effect on Redis and on the application's numbers; what it
// changed in Redis's configuration is put back.
#include "runner.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "actions.h"
#include "redis_link.h"
#include "report.h"
#include "scenario/scenario_parser.h"
#include "support/redis_server.h"

namespace stampede::sim {
namespace {

std::string MemoryConfigOf(RedisLink& link) {
  std::string error;
  const std::optional<MemoryConfig> c = GetMemoryConfig(link, error);
  return c ? c->maxmemory + " " + c->policy : "error: " + error;
}

Scenario Parse(const std::string& text) {
  ScenarioResult r = ParseScenario(text, "test.scn");
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().ToString());
  return r.ok() ? std::move(r).value() : Scenario{};
}

class RunnerTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(redis_.Start()); }

  RunOptions Options() const {
    RunOptions o;
    o.redis.port = redis_.port();
    return o;
  }

  long long Integer(const std::vector<std::string>& argv) {
    RedisLink link(RedisEndpoint{"127.0.0.1", redis_.port()});
    std::vector<std::string> args = argv;
    return link.Command(args).integer;
  }

  testing::RedisServer redis_;
};

TEST_F(RunnerTest, APurgeWithoutProtectionReloadsEveryKeyAndTheRowsSayWhen) {
  const Scenario s = Parse(R"(
scenario purge-small
duration 4s
keys k: 50
reads 400 uniform workers 4
origin 5ms
at 0s warm ttl 0
at 2s del-all
)");
  std::vector<SecondRow> rows;
  const RunResult r = RunScenario(s, Options(), [&](const SecondRow& row) { rows.push_back(row); });
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_EQ(rows.size(), 4u);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].second, static_cast<int>(i) + 1);
  }
  EXPECT_NE(rows[0].notes.at(0).find("warm 50 keys"), std::string::npos);
  ASSERT_FALSE(rows[2].notes.empty());
  EXPECT_NE(rows[2].notes[0].find("DEL of all 50 keys"), std::string::npos);
  // Before the purge every read hits; after it each key misses at least once and is reloaded.
  EXPECT_EQ(rows[1].misses, 0u);
  EXPECT_GE(r.summary.misses, 45u);
  EXPECT_EQ(r.summary.loads, r.summary.misses);  // none: one load per miss
  EXPECT_GE(r.summary.peak_loads_per_second, 20u);
  ASSERT_TRUE(r.summary.lowest_hit_ratio.has_value());
  EXPECT_LT(*r.summary.lowest_hit_ratio, 1.0);
  EXPECT_TRUE(r.summary.event_errors.empty());
  EXPECT_FALSE(r.summary.exporter_checked);
  EXPECT_EQ(Integer({"DBSIZE"}), 50);  // all reloaded
}

TEST_F(RunnerTest, ASpikeOnOneKeyWithSingleFlightLoadsItOnce) {
  const Scenario s = Parse(R"(
scenario spike-small
duration 3s
keys k: 20
reads 50 uniform workers 2 exclude k:7
origin 1000ms
at 0s warm ttl 0
at 0s del k:7
at 1s spike k:7 rate 1000 workers 40 for 1s
)");
  // The load takes a second, so that all 40 workers ask while it is in flight even under
  // TSan on a busy machine (with 300 ms, only 26 had started in time once).
  RunOptions o = Options();
  o.strategy = Protection::kSingleFlight;
  const RunResult r = RunScenario(s, o, nullptr);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.summary.strategy, "single-flight");
  EXPECT_EQ(r.summary.max_loads_of_one_key, 1u);
  EXPECT_GE(r.summary.coalesced, 30u);
}

TEST_F(RunnerTest, TheOnsetIsReportedOnTheWallClockScaled) {
  const Scenario s = Parse(R"(
scenario onset-small
duration 8s
onset 4s
keys k: 10
reads 10 uniform workers 1
)");
  RunOptions o = Options();
  o.time_scale = 0.25;  // 2 s of wall time, the onset at 1 s
  const double before =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  const RunResult r = RunScenario(s, o, nullptr);
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_TRUE(r.summary.onset_unix_seconds.has_value());
  EXPECT_GE(*r.summary.onset_unix_seconds, before + 0.9);
  EXPECT_LT(*r.summary.onset_unix_seconds, before + 1.5);
  EXPECT_NE(SummaryLines(r.summary).find("onset_unix_seconds="), std::string::npos);
}

TEST_F(RunnerTest, MemoryLimitsAreRestoredAndFillerIsWritten) {
  const Scenario s = Parse(R"(
scenario memory-small
duration 2s
keys k: 10
reads 10 uniform workers 1
at 0s maxmemory 64mb policy allkeys-lru
at 0s fill 100 size 1kb ttl 60s
)");
  RedisLink link(RedisEndpoint{"127.0.0.1", redis_.port()});
  const std::string before = MemoryConfigOf(link);
  ASSERT_EQ(before.rfind("error", 0), std::string::npos) << before;
  const RunResult r = RunScenario(s, Options(), nullptr);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_TRUE(r.summary.event_errors.empty());
  EXPECT_EQ(Integer({"EXISTS", "filler:0"}), 1);
  EXPECT_EQ(Integer({"EXISTS", "filler:99"}), 1);
  EXPECT_EQ(MemoryConfigOf(link), before);
}

TEST_F(RunnerTest, AFailedEventIsReportedAndTheRunGoesOn) {
  const Scenario s = Parse(R"(
scenario bad-policy
duration 2s
keys k: 10
reads 10 uniform workers 1
at 0s marker deploy
)");
  const RunResult r = RunScenario(s, Options(), nullptr);  // no --ingest.url
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_EQ(r.summary.event_errors.size(), 1u);
  EXPECT_NE(r.summary.event_errors[0].find("line 6"), std::string::npos);
  EXPECT_NE(r.summary.event_errors[0].find("no --ingest.url"), std::string::npos);
  EXPECT_NE(SummaryLines(r.summary).find("event_errors=1\n"), std::string::npos);
}

TEST_F(RunnerTest, ARestartShutsRedisDownAndTheCommandBringsItBack) {
  const Scenario s = Parse(R"(
scenario restart-small
duration 4s
keys k: 20
reads 100 uniform workers 2
at 0s warm ttl 0
at 1s restart
)");
  RunOptions o = Options();
  const std::string dir = ::testing::TempDir();
  o.restart_command = "redis-server --port " + std::to_string(redis_.port()) +
                      " --bind 127.0.0.1 --save '' --appendonly no --daemonize yes --dir " + dir +
                      " --logfile " + dir + "/restarted-redis.log";
  std::vector<SecondRow> rows;
  const RunResult r = RunScenario(s, o, [&](const SecondRow& row) { rows.push_back(row); });
  RedisLink link(RedisEndpoint{"127.0.0.1", redis_.port()});
  const RedisReply pong = link.Command({"PING"});
  link.Command({"SHUTDOWN", "NOSAVE"});  // the daemonized server is this test's to stop
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_TRUE(r.summary.event_errors.empty()) << r.summary.event_errors.at(0);
  EXPECT_EQ(pong.type, RedisReply::Type::kStatus);
  // The restarted Redis is empty: the readers missed and reloaded.
  EXPECT_GE(r.summary.loads, 15u);
}

// A loopback UDP socket standing in for the exporter's StatsD listener.
class StatsdSink {
 public:
  StatsdSink() {
    fd_ = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    timeval tv{0, 200000};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~StatsdSink() { close(fd_); }
  int port() const { return port_; }
  // Everything received until 200 ms pass without a datagram.
  std::string Drain() {
    std::string all;
    char buf[65536];
    for (ssize_t n; (n = recv(fd_, buf, sizeof buf, 0)) > 0;) {
      all.append(buf, static_cast<std::size_t>(n)).push_back('\n');
    }
    return all;
  }

 private:
  int fd_ = -1;
  int port_ = 0;
};

TEST_F(RunnerTest, ReportsLikeAnAppWithOrWithoutKeyTags) {
  const Scenario s = Parse(R"(
scenario report-small
duration 2s
class user_profile
keys user: 5
reads 50 uniform workers 1
at 0s del-all
)");
  for (const bool keys : {true, false}) {
    StatsdSink sink;
    RunOptions o = Options();
    StatsdReporter::Options statsd;
    statsd.port = sink.port();
    statsd.tier = "l1";
    o.statsd = statsd;
    o.report_keys = keys;
    const RunResult r = RunScenario(s, o, nullptr);
    ASSERT_TRUE(r.ok) << r.error;
    const std::string lines = sink.Drain();
    EXPECT_NE(lines.find("cache.miss:1|c|#class:user_profile,tier:l1"), std::string::npos) << lines;
    EXPECT_NE(lines.find("cache.hit:1|c|#class:user_profile,tier:l1"), std::string::npos) << lines;
    EXPECT_NE(lines.find("cache.load.time:"), std::string::npos) << lines;
    EXPECT_EQ(lines.find(",key:user:") != std::string::npos, keys) << lines;
  }
}

TEST_F(RunnerTest, RedisAwayIsAnErrorBeforeAnythingRuns) {
  const Scenario s = Parse("scenario x\nduration 1s\nkeys k: 1\n");
  RunOptions o = Options();
  o.redis.port = 1;  // nothing listens there
  const RunResult r = RunScenario(s, o, nullptr);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("does not answer"), std::string::npos) << r.error;
}

}  // namespace
}  // namespace stampede::sim
