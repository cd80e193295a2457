// The scenario tests: real traffic against a real redis-server, watched by an in-process
// exporter; each asserts the verdict, the cause, the key and the detection latency the issue
// asks for (research/stampede-detection.md §4.2, short forms).
#include <gtest/gtest.h>

#include <iostream>

#include "scenarios.h"

namespace stampede::scenarios {
namespace {

// Prints the whole outcome (incidents, timelines, status, the sidecar's log) once when the
// test has failed: what the engine saw is the first thing a reader of a failure needs.
class DescribeOnFailure {
 public:
  explicit DescribeOnFailure(const Outcome& out) : out_(out) {}
  ~DescribeOnFailure() {
    if (::testing::Test::HasFailure()) {
      std::cerr << out_.Describe() << "\n";
    }
  }

 private:
  const Outcome& out_;
};

TEST(ScenarioTest, CelebrityDelThenSpikeIsAStampedeNamingTheKey) {
  const Outcome out = RunCelebrity();
  const DescribeOnFailure describe(out);
  ASSERT_EQ(out.error, "");
  const IncidentSummary* incident = out.FindIncident("user_profile", "stampede");
  ASSERT_NE(incident, nullptr);
  EXPECT_EQ(incident->cause, "del");
  EXPECT_EQ(incident->cause_key, "user:42");
  EXPECT_EQ(incident->cause_key_hash, ExpectedKeyHash("user:42"));
  ASSERT_TRUE(out.latency_seconds.has_value());
  EXPECT_LE(*out.latency_seconds, 3.0);
  ASSERT_TRUE(incident->detected.has_value());
  // The incident opened (its first verdict) no later than the stampede verdict.
  EXPECT_LE(*incident->detected, *incident->stampede_at);
}

TEST(ScenarioTest, PlannedPurgeWithSingleFlightIsAnExpectedBurstNotAStampede) {
  const Outcome out = RunPurge();
  const DescribeOnFailure describe(out);
  ASSERT_EQ(out.error, "");
  EXPECT_GE(out.Detections("invalidation_burst", "user_profile", "", "true"), 1);
  EXPECT_FALSE(out.StampedeSeen());
}

TEST(ScenarioTest, LockPollingIsNotAStampede) {
  const Outcome out = RunLockPolling();
  const DescribeOnFailure describe(out);
  ASSERT_EQ(out.error, "");
  EXPECT_FALSE(out.StampedeSeen());
  // The look-alike really ran: thousands of polls on absent, repeatedly deleted lock keys.
  EXPECT_GT(out.driver_counts.at("polls"), 10000);
  EXPECT_GT(out.driver_counts.at("lock_cycles"), 100);
}

// The cache starts in the steady state of a fixed-TTL writer (scenarios.cc): a cache filled in
// the seconds before the surge would rightly predict an expiry cliff.
TEST(ScenarioTest, TrafficSurgeWithSteadyHitRatioRaisesNothing) {
  const Outcome out = RunSurge();
  const DescribeOnFailure describe(out);
  ASSERT_EQ(out.error, "");
  ASSERT_GT(out.polls, 20);
  EXPECT_TRUE(out.indicator_series_raised.empty());
  EXPECT_TRUE(out.raised_seen.empty());
  EXPECT_TRUE(out.detections.empty());  // not even a pulse between polls
  EXPECT_FALSE(out.StampedeSeen());
}

TEST(ScenarioTest, RedisRestartUnderTrafficIsBlindnessNotAStampede) {
  const Outcome out = RunRestart();
  const DescribeOnFailure describe(out);
  ASSERT_EQ(out.error, "");
  EXPECT_FALSE(out.StampedeSeen());
  EXPECT_TRUE(out.latency_seconds.has_value()) << "blind not raised after the restart\n";
  EXPECT_TRUE(out.cleared_seconds.has_value()) << "blind not cleared after the restart\n";
}

TEST(ScenarioTest, SynchronizedExpiryIsPredictedThenSeenAtTheCliff) {
  const Outcome out = RunExpiry();
  const DescribeOnFailure describe(out);
  ASSERT_EQ(out.error, "");
  ASSERT_TRUE(out.lead_seconds.has_value()) << "expiry_cliff_predicted never raised\n";
  EXPECT_GT(*out.lead_seconds, 0) << "predicted only after the cliff\n";
  EXPECT_GE(out.Detections("expiry_cliff_predicted", "user_profile", "expiry_cliff"), 1);
  ASSERT_TRUE(out.latency_seconds.has_value()) << "synchronized_expiry never raised\n";
  // Raised by the cliff itself (not before it), within the detector's expected 1-5 s.
  EXPECT_GE(*out.latency_seconds, -1.0);
  EXPECT_LE(*out.latency_seconds, 5.0);
  EXPECT_GE(out.Detections("synchronized_expiry", "user_profile", "expired"), 1);
}

}  // namespace
}  // namespace stampede::scenarios
