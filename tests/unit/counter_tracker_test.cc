#include "redis/counter_tracker.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace stampede::redis {
namespace {

using Reset = CounterTracker::Reset;

TEST(CounterTrackerTest, FirstSampleExportsRedisValueAsIs) {
  CounterTracker t;
  EXPECT_EQ(t.BeginSample("run-a", 100), Reset::kFirstSample);
  EXPECT_EQ(t.Observe("hits", 950), 950);
  EXPECT_FALSE(t.EndSample());
  EXPECT_EQ(t.restarts(), 0u);
}

TEST(CounterTrackerTest, AddsDeltasWhileRunIsUnchanged) {
  CounterTracker t;
  t.BeginSample("run-a", 100);
  t.Observe("hits", 950);
  t.EndSample();
  EXPECT_EQ(t.BeginSample("run-a", 101), Reset::kNone);
  EXPECT_EQ(t.Observe("hits", 1000), 1000);
  EXPECT_FALSE(t.EndSample());
  EXPECT_EQ(t.Total("hits"), 1000);
}

TEST(CounterTrackerTest, RestartByRunIdAddsWholeNewValue) {
  CounterTracker t;
  t.BeginSample("run-a", 100);
  t.Observe("hits", 950);
  t.EndSample();
  // The new run already counted 2000 before we sampled it: larger than before, yet all new.
  EXPECT_EQ(t.BeginSample("run-b", 3), Reset::kRestart);
  EXPECT_EQ(t.Observe("hits", 2000), 2950);
  EXPECT_FALSE(t.EndSample()) << "a restart is not a stats reset";
  EXPECT_EQ(t.restarts(), 1u);
  EXPECT_EQ(t.BeginSample("run-b", 4), Reset::kNone);
  EXPECT_EQ(t.Observe("hits", 2010), 2960);
}

TEST(CounterTrackerTest, RestartBySmallerUptimeWhenRunIdIsMissing) {
  CounterTracker t;
  t.BeginSample("", 500);
  t.Observe("misses", 10);
  EXPECT_EQ(t.BeginSample("", 2), Reset::kRestart);
  EXPECT_EQ(t.Observe("misses", 3), 13);
  EXPECT_EQ(t.restarts(), 1u);
}

TEST(CounterTrackerTest, ResetStatIsCountedOncePerSampleAndNeverDecreases) {
  CounterTracker t;
  t.BeginSample("run-a", 100);
  t.Observe("hits", 500);
  t.Observe("misses", 50);
  t.EndSample();
  EXPECT_EQ(t.BeginSample("run-a", 101), Reset::kNone);
  EXPECT_EQ(t.Observe("hits", 7), 507);
  EXPECT_EQ(t.Observe("misses", 1), 51);
  EXPECT_TRUE(t.EndSample());
  EXPECT_EQ(t.stats_resets(), 1u);
  t.BeginSample("run-a", 102);
  EXPECT_EQ(t.Observe("hits", 9), 509);
  EXPECT_FALSE(t.EndSample());
  EXPECT_EQ(t.stats_resets(), 1u);
}

TEST(CounterTrackerTest, CounterFirstSeenLaterCountsItsWholeValue) {
  CounterTracker t;
  t.BeginSample("run-a", 100);
  t.Observe("cmd.get", 5);
  t.EndSample();
  t.BeginSample("run-a", 101);
  EXPECT_EQ(t.Observe("cmd.del", 2), 2);
  EXPECT_EQ(t.size(), 2u);
}

TEST(CounterTrackerTest, IgnoresNegativeAndNonFiniteValues) {
  CounterTracker t;
  t.BeginSample("run-a", 100);
  EXPECT_EQ(t.Observe("x", 10), 10);
  t.EndSample();
  t.BeginSample("run-a", 101);
  EXPECT_EQ(t.Observe("x", -5), 10);
  EXPECT_EQ(t.Observe("x", std::numeric_limits<double>::quiet_NaN()), 10);
  EXPECT_EQ(t.Observe("x", std::numeric_limits<double>::infinity()), 10);
  EXPECT_FALSE(t.EndSample());
  EXPECT_EQ(t.Observe("never", -1), 0);
  EXPECT_FALSE(t.Total("never").has_value());
}

TEST(CounterTrackerTest, SequenceOfRestartsAndResetsIsMonotonic) {
  CounterTracker t;
  struct Step {
    const char* run;
    double uptime;
    double raw;
  };
  const Step steps[] = {{"a", 10, 100}, {"a", 11, 150}, {"b", 1, 20},  {"b", 2, 10},
                        {"b", 3, 40},   {"c", 1, 0},    {"c", 2, 500}, {"c", 3, 500}};
  double last = -1;
  for (const Step& s : steps) {
    t.BeginSample(s.run, s.uptime);
    const double total = t.Observe("k", s.raw);
    t.EndSample();
    EXPECT_GE(total, last) << "at run " << s.run << " uptime " << s.uptime;
    last = total;
  }
  // 150 (run a) + 20 (b) + 10 (reset) + 30 + 0 (c) + 500 = 710.
  EXPECT_EQ(last, 710);
  EXPECT_EQ(t.restarts(), 2u);
  EXPECT_EQ(t.stats_resets(), 1u);
}

}  // namespace
}  // namespace stampede::redis
