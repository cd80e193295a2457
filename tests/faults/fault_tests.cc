// Faults with a real Redis under load, the real exporter binary watching it: kill -9 and
// restart x20, SIGSTOP for 30 s, a pub/sub output-buffer-limit disconnect, and a network path
// that stalls and then is cut. For each: the exporter never exits, /metrics answers within 1 s
// throughout, it is back within 1 s of Redis returning, the gap is exported, no counter
// decreases, no stampede is called. Each TEST is its own ctest (label faults).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <sstream>
#include <thread>

#include "faults/fault_rig.h"
#include "support/exposition.h"

namespace stampede::testing {
namespace {

using std::chrono::milliseconds;

constexpr milliseconds kBackWithin{1000};

double Seconds(FaultClock::duration d) { return std::chrono::duration<double>(d).count(); }

double Value(const std::string& body, const std::string& series) {
  return SampleValue(body, series).value_or(-1);
}

/// A figure for wip-notes: printed to the test log as `FAULT-FIGURE name value`.
void Figure(const std::string& name, double value) {
  std::printf("FAULT-FIGURE %s %.3f\n", name.c_str(), value);
  std::fflush(stdout);
}

/// The promises every fault test ends on: the poller saw no failed or slow scrape, no counter
/// going down, no stampede; the exporter is still running, and exits 0 on SIGTERM.
void ExpectPromisesKept(FaultRig& rig) {
  // A few more seconds of traffic after the last recovery: "right after reconnecting" is
  // when a naive detector would call the refill of an emptied cache a stampede.
  std::this_thread::sleep_for(milliseconds(2500));
  const std::string body = rig.Scrape();
  ASSERT_FALSE(body.empty()) << rig.exporter_log();
  EXPECT_EQ(SumSeries(body, "stampede_verdicts_total", {"level=\"stampede\""}).value_or(-1), 0)
      << rig.Get("/api/v1/incidents");
  EXPECT_EQ(SumSeries(body, "stampede_incidents_total", {"level=\"stampede\""}).value_or(-1), 0);
  // herd_risk is allowed (a restarted cache does miss); reported for the notes.
  Figure("herd_risk_verdicts",
         SumSeries(body, "stampede_verdicts_total", {"level=\"herd_risk\""}).value_or(-1));
  Figure("blind_raised",
         SumSeries(body, "stampede_detections_total", {"indicator=\"blind\""}).value_or(-1));
  EXPECT_TRUE(rig.exporter_running()) << rig.exporter_log();
  const int status = rig.StopAll();
  EXPECT_TRUE(status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << "exporter exit status " << status << "\n"
      << rig.exporter_log();
  const PollReport report = rig.report();
  std::ostringstream problems;
  for (const std::string& p : report.problems) {
    problems << "  " << p << "\n";
  }
  EXPECT_TRUE(report.problems.empty()) << report.problems.size() << " problems:\n"
                                       << problems.str();
  EXPECT_GE(report.scrapes, 10);
  EXPECT_LE(report.max_latency_seconds, 1.0);
  EXPECT_GT(rig.ops(), 100u) << "no traffic during the fault";
  Figure("scrapes", report.scrapes);
  Figure("max_scrape_latency_s", report.max_latency_seconds);
  Figure("traffic_ops", static_cast<double>(rig.ops()));
}

// Counters read just before a link goes silent (a frozen Redis, a stalled path).
struct BeforeSilence {
  double gap = 0;
  double reconnects = 0;
  FaultClock::time_point at;
};

BeforeSilence Baseline(FaultRig& rig) {
  const std::string body = rig.Scrape();
  return {Value(body, "stampede_notifications_gap_seconds_total"),
          Value(body, "stampede_notifications_reconnects_total"), FaultClock::now()};
}

// The link has gone silent at `before.at`: INFO times out (--redis.connect-timeout, 2 s) within
// a sample or two; the subscriber's PING goes unanswered and the link is found dead after 10 s
// (plus up to a PING interval), with the gap already covering the silence from its start.
void ExpectSilenceFoundOut(FaultRig& rig, const BeforeSilence& before, const std::string& name) {
  std::string body;
  const auto info_down =
      rig.ScrapeUntil([](const std::string& b) { return Value(b, "stampede_redis_up") == 0; },
                      milliseconds(6000), &body);
  EXPECT_TRUE(info_down.has_value()) << body;
  const auto sub_down = rig.ScrapeUntil(
      [](const std::string& b) { return Value(b, "stampede_notifications_connected") == 0; },
      milliseconds(14000), &body);
  ASSERT_TRUE(sub_down.has_value()) << body;
  const double found_dead = Seconds(FaultClock::now() - before.at);
  EXPECT_GE(Value(body, "stampede_notifications_gap_seconds_total") - before.gap, found_dead - 1.5)
      << "the gap must count from the last read, not from the PING timeout";
  Figure(name + "_info_down_after_s", info_down ? Seconds(*info_down) : -1);
  Figure(name + "_subscriber_down_after_s", found_dead);
}

// Redis answers PING on `port` again: the exporter is back within kBackWithin, the gap covers
// the outage (and no more than until now), a silence is not a restart, the sidecar said it was
// blind, and a CONFIG GET that timed out was not taken for CONFIG being forbidden.
void ExpectBackAfterSilence(FaultRig& rig, int port, const BeforeSilence& before,
                            const std::string& name) {
  const auto back = FaultRig::WaitForPing(port, milliseconds(3000));
  ASSERT_TRUE(back.has_value());
  std::string body;
  const auto ok = rig.ScrapeUntil(
      [&](const std::string& b) {
        return Value(b, "stampede_notifications_connected") == 1 &&
               Value(b, "stampede_notifications_reconnects_total") > before.reconnects &&
               Value(b, "stampede_redis_up") == 1;
      },
      milliseconds(5000), &body);
  ASSERT_TRUE(ok.has_value()) << body << rig.exporter_log();
  const double took = Seconds(FaultClock::now() - *back);
  EXPECT_LE(took, Seconds(kBackWithin));
  const double outage = Seconds(*back - before.at);
  const double gap = Value(body, "stampede_notifications_gap_seconds_total") - before.gap;
  EXPECT_GE(gap, outage - 1.5) << "outage " << outage;
  EXPECT_LE(gap, Seconds(FaultClock::now() - before.at) + 0.05) << "outage " << outage;
  EXPECT_EQ(Value(body, "stampede_redis_restarts_total"), 0) << "a silence is not a restart";
  Figure(name + "_back_s", took);
  Figure(name + "_outage_s", outage);
  Figure(name + "_gap_exported_s", gap);
  const PollReport report = rig.report();
  EXPECT_TRUE(report.saw_blind) << "the sidecar must say it is blind while Redis is silent";
  EXPECT_EQ(report.min_config_readable, 1)
      << "a CONFIG GET that timed out was taken for CONFIG being forbidden";
  ExpectPromisesKept(rig);
}

// Redis freezes (SIGSTOP) for 30 s with its sockets open, under traffic, then resumes. INFO
// times out and reports Redis down; the subscriber finds the link dead by its unanswered PING;
// the gap exported covers the whole freeze (counted from the last successful read, not from
// when the PING timed out); CONFIG GET timing out is not taken for CONFIG being forbidden.
TEST(FaultTest, SigstopThirtySecondsThenSigcont) {
  FaultRig rig;
  ASSERT_TRUE(rig.Start());
  std::this_thread::sleep_for(milliseconds(1000));
  const BeforeSilence before = Baseline(rig);
  rig.redis().Pause();
  ExpectSilenceFoundOut(rig, before, "sigstop");
  std::this_thread::sleep_until(before.at + std::chrono::seconds(30));
  rig.redis().Resume();
  ExpectBackAfterSilence(rig, rig.redis().port(), before, "sigstop");
}

// Redis crashes (SIGKILL) and comes back empty, 20 times in a row, under traffic. Each time the
// subscriber and the INFO sampler are back within 1 s of Redis answering PING; the restart and
// the reconnect are counted exactly once each; the subscriber's gap covers the outage.
TEST(FaultTest, KillNineAndRestartTwentyTimes) {
  FaultRig rig;
  ASSERT_TRUE(rig.Start());
  constexpr int kCycles = 20;
  double worst_back = 0;
  double outage_total = 0;
  double gap_total = 0;
  std::string body = rig.Scrape();
  for (int i = 1; i <= kCycles; ++i) {
    SCOPED_TRACE("cycle " + std::to_string(i));
    std::this_thread::sleep_for(milliseconds(300));  // traffic and events before the crash
    body = rig.Scrape();
    const double gap_before = Value(body, "stampede_notifications_gap_seconds_total");
    const auto killed = FaultClock::now();
    rig.redis().Kill();
    // The subscriber sees the connection close at once.
    ASSERT_TRUE(rig.ScrapeUntil(
        [](const std::string& b) { return Value(b, "stampede_notifications_connected") == 0; },
        milliseconds(2000), &body))
        << body;
    std::this_thread::sleep_for(milliseconds(200));  // down for a while: the exporter retries
    ASSERT_TRUE(rig.redis().Start());
    const auto back = FaultRig::WaitForPing(rig.redis().port(), milliseconds(2000));
    ASSERT_TRUE(back.has_value());
    // Back: the subscriber subscribed again (reconnect i) and INFO sampled the new server
    // (restart i, seen by its new run_id).
    const auto ok = rig.ScrapeUntil(
        [i](const std::string& b) {
          return Value(b, "stampede_notifications_connected") == 1 &&
                 Value(b, "stampede_notifications_reconnects_total") == i &&
                 Value(b, "stampede_redis_up") == 1 &&
                 Value(b, "stampede_redis_restarts_total") == i;
        },
        milliseconds(5000), &body);
    ASSERT_TRUE(ok.has_value()) << body << rig.exporter_log();
    const double took = Seconds(FaultClock::now() - *back);
    EXPECT_LE(took, Seconds(kBackWithin)) << "back " << took << " s after Redis returned";
    worst_back = std::max(worst_back, took);
    const double outage = Seconds(*back - killed);
    const double gap = Value(body, "stampede_notifications_gap_seconds_total") - gap_before;
    // The gap starts when the subscriber sees the close (right after the kill) and ends when it
    // subscribes again (after Redis answers): at least the outage, at most until this scrape.
    EXPECT_GE(gap, outage - 0.05) << "outage " << outage;
    EXPECT_LE(gap, Seconds(FaultClock::now() - killed) + 0.05) << "outage " << outage;
    outage_total += outage;
    gap_total += gap;
  }
  EXPECT_EQ(Value(body, "stampede_redis_restarts_total"), kCycles);
  EXPECT_EQ(Value(body, "stampede_notifications_reconnects_total"), kCycles);
  Figure("kill9_worst_back_s", worst_back);
  Figure("kill9_outage_total_s", outage_total);
  Figure("kill9_gap_exported_total_s", gap_total);
  const PollReport report = rig.report();
  EXPECT_TRUE(report.saw_notifications_down);
  ExpectPromisesKept(rig);
}

// A tiny pub/sub output buffer limit: one MSET of 3000 keys queues ~200 kB of notifications
// before Redis writes any, and Redis closes the subscriber. Three times. The exporter
// resubscribes at once, counts each loss as a reconnect and exports the gap.
TEST(FaultTest, PubsubOutputBufferLimitDisconnect) {
  FaultRig rig;
  ASSERT_TRUE(rig.Start());
  auto& redis = rig.redis();
  const auto disconnections = [&] {
    const redis::Reply info = redis.Command({"INFO", "stats"});
    const auto at = info.str.find("client_output_buffer_limit_disconnections:");
    return at == std::string::npos ? -1 : std::stoi(info.str.substr(at + 42));
  };
  const int before = disconnections();
  ASSERT_EQ(redis.Command({"CONFIG", "SET", "client-output-buffer-limit", "pubsub 1kb 0 0"}).str,
            "OK");
  std::string body = rig.Scrape();
  const double gap_before = Value(body, "stampede_notifications_gap_seconds_total");
  constexpr int kBursts = 3;
  double worst_back = 0;
  for (int i = 1; i <= kBursts; ++i) {
    SCOPED_TRACE("burst " + std::to_string(i));
    std::vector<std::string> mset = {"MSET"};
    for (int k = 0; k < 3000; ++k) {
      mset.push_back("user:burst" + std::to_string(i) + ":" + std::to_string(k));
      mset.push_back("v");
    }
    ASSERT_EQ(redis.Command(mset).str, "OK");
    const auto sent = FaultClock::now();
    const auto ok = rig.ScrapeUntil(
        [i](const std::string& b) {
          return Value(b, "stampede_notifications_connected") == 1 &&
                 Value(b, "stampede_notifications_reconnects_total") == i;
        },
        milliseconds(3000), &body);
    ASSERT_TRUE(ok.has_value()) << "the burst did not cost a reconnect, or no resubscribe\n"
                                << body << rig.exporter_log();
    const double took = Seconds(FaultClock::now() - sent);
    EXPECT_LE(took, Seconds(kBackWithin));
    worst_back = std::max(worst_back, took);
    std::this_thread::sleep_for(milliseconds(300));
  }
  if (before >= 0) {  // INFO stats has the field (Redis >= 7.0)
    EXPECT_EQ(disconnections() - before, kBursts);
  }
  ASSERT_EQ(
      redis.Command({"CONFIG", "SET", "client-output-buffer-limit", "pubsub 32mb 8mb 60"}).str,
      "OK");
  const double gap = Value(body, "stampede_notifications_gap_seconds_total") - gap_before;
  EXPECT_GT(gap, 0) << "the loss must show as a gap";
  EXPECT_LE(gap, kBursts * Seconds(kBackWithin));
  // The events lost in each burst are lost for good (at-most-once), but the ones around them
  // are still counted: traffic goes on being seen after the last reconnect.
  const double new_before =
      SumSeries(body, "stampede_keyspace_events_total", {"event=\"new\""}).value_or(0);
  ASSERT_TRUE(rig.ScrapeUntil(
      [&](const std::string& b) {
        return SumSeries(b, "stampede_keyspace_events_total", {"event=\"new\""}).value_or(0) >
               new_before;
      },
      milliseconds(3000), &body));
  Figure("obl_worst_back_s", worst_back);
  Figure("obl_gap_exported_s", gap);
  ExpectPromisesKept(rig);
}

// The network path stalls (a proxy stops forwarding, sockets open) for 12 s, then is cut, then
// comes back. INFO times out; the subscriber finds the link dead by its unanswered PING and the
// gap covers the stall from its start; after the cut both reconnect through the proxy within
// 1 s of it forwarding again.
TEST(FaultTest, ProxyStallThenCut) {
  FaultRig::Options options;
  options.through_proxy = true;
  FaultRig rig(options);
  ASSERT_TRUE(rig.Start());
  std::this_thread::sleep_for(milliseconds(1000));
  const BeforeSilence before = Baseline(rig);
  rig.proxy().Stall();
  ExpectSilenceFoundOut(rig, before, "proxy");
  // Still stalled, the exporter's new connections hang too; then the path is cut under them.
  std::this_thread::sleep_until(before.at + std::chrono::seconds(12));
  rig.proxy().Cut();
  std::this_thread::sleep_for(milliseconds(500));
  rig.proxy().Resume();
  ExpectBackAfterSilence(rig, rig.proxy().port(), before, "proxy");
}

}  // namespace
}  // namespace stampede::testing
