#include "detect/origin_amplification.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "detector_harness.h"

namespace stampede::detect {
namespace {

using testing::DetectorHarness;

constexpr std::uint64_t kHash = 0xfeed0000beef0001;

ClassSecond Loads(double per_second) {
  ClassSecond s;
  s.app_reported = true;
  s.app_loads = per_second;
  return s;
}

// Ten seconds of `per_second` loads with the keyspace seeing `distinct` missed keys.
Reading RunEstimated(DetectorHarness& h, OriginAmplification& d, double per_second,
                     double distinct) {
  h.keys.window_seconds = 10;
  h.keys.distinct_missed = distinct;
  return DetectorHarness::Find(h.Run(d, Loads(per_second), 10), Indicator::kOriginAmplification);
}

struct ExactCase {
  std::string name;
  double max_loads_per_key;
  double distinct_loaded_keys;
  double loads_per_second;
  bool triggered;
};

TEST(OriginAmplificationTest, ExactAmplificationVsCoalescedLoads) {
  const std::vector<ExactCase> cases = {
      {"200 loads of one key in 10 s", 200, 1, 20, true},
      {"one load per key over 500 keys", 1, 500, 50, false},
  };
  for (const ExactCase& c : cases) {
    DetectorHarness h;
    h.keys.app_keys = true;
    h.keys.max_loads_per_key = c.max_loads_per_key;
    h.keys.max_loads_key_hash = kHash;
    h.keys.distinct_loaded_keys = c.distinct_loaded_keys;
    h.keys.keyed_loads = c.loads_per_second * 10;
    OriginAmplification d(h.Options());
    // The keyspace saw as many distinct missed keys as were loaded.
    const Reading r = RunEstimated(h, d, c.loads_per_second, c.distinct_loaded_keys);
    EXPECT_TRUE(r.eligible) << c.name;
    EXPECT_EQ(r.triggered(), c.triggered) << c.name << ": progress " << r.progress;
    EXPECT_EQ(r.key_hash, kHash) << c.name;
    EXPECT_DOUBLE_EQ(DetectorHarness::StatOf(r, "exact"), 1) << c.name;
    EXPECT_DOUBLE_EQ(DetectorHarness::StatOf(r, "amplification"), c.max_loads_per_key) << c.name;
    EXPECT_DOUBLE_EQ(DetectorHarness::StatOf(r, "distinct_keys"), c.distinct_loaded_keys) << c.name;
  }
}

TEST(OriginAmplificationTest, ExactDetailNamesTheKeyHash) {
  DetectorHarness h;
  h.keys.app_keys = true;
  h.keys.max_loads_per_key = 950;
  h.keys.max_loads_key_hash = kHash;
  OriginAmplification d(h.Options());
  const Reading r = RunEstimated(h, d, 95, 1);
  EXPECT_EQ(r.detail, "origin loads 95/s; 950 loads of key feed0000beef0001 in 10 s");
}

struct EstimatedCase {
  std::string name;
  double loads_per_second;
  double distinct;
  bool eligible;
  bool triggered;
};

TEST(OriginAmplificationTest, EstimatedAmplificationVsDistinctMisses) {
  const std::vector<EstimatedCase> cases = {
      {"600 loads over 20 distinct missed keys", 60, 20, true, true},
      {"600 loads over 600 distinct missed keys", 60, 600, true, false},
      {"40 loads over 2 keys: below min_loads", 4, 2, false, false},
  };
  for (const EstimatedCase& c : cases) {
    DetectorHarness h;
    OriginAmplification d(h.Options());
    const Reading r = RunEstimated(h, d, c.loads_per_second, c.distinct);
    EXPECT_EQ(r.eligible, c.eligible) << c.name;
    EXPECT_EQ(r.triggered(), c.triggered) << c.name << ": progress " << r.progress;
    EXPECT_DOUBLE_EQ(DetectorHarness::StatOf(r, "exact"), 0) << c.name;
    EXPECT_DOUBLE_EQ(DetectorHarness::StatOf(r, "amplification"),
                     c.loads_per_second * 10 / c.distinct)
        << c.name;
    EXPECT_DOUBLE_EQ(DetectorHarness::StatOf(r, "loads"), c.loads_per_second * 10) << c.name;
    EXPECT_FALSE(r.key_hash.has_value()) << c.name;
  }
}

TEST(OriginAmplificationTest, LoadsAreCountedOverTheSpanOfTheDistinctCount) {
  DetectorHarness h;
  OriginAmplification d(h.Options());
  h.Run(d, Loads(100), 10);
  // The distinct count covers the last 2 s only: 200 loads over 100 keys, not 1,000.
  h.keys.window_seconds = 2;
  h.keys.distinct_missed = 100;
  const Reading r = DetectorHarness::Find(h.Step(d, Loads(100)), Indicator::kOriginAmplification);
  EXPECT_DOUBLE_EQ(DetectorHarness::StatOf(r, "amplification"), 2);
}

TEST(OriginAmplificationTest, LoadsWithoutKeymissEventsDoNotTrigger) {
  DetectorHarness h;  // INFO-only: the keyspace counts no distinct missed keys
  OriginAmplification d(h.Options());
  const Reading r = RunEstimated(h, d, 60, 0);
  EXPECT_TRUE(r.eligible);
  EXPECT_FALSE(r.triggered());
  EXPECT_EQ(r.progress, 0);
}

// The reading of one more second of `per_second` loads over `distinct` missed keys.
Reading StepEstimated(DetectorHarness& h, OriginAmplification& d, double per_second,
                      double distinct) {
  h.keys.distinct_missed = distinct;
  return DetectorHarness::Find(h.Step(d, Loads(per_second)), Indicator::kOriginAmplification);
}

TEST(OriginAmplificationTest, TheBaselineLearnsTheClasssNormalAmplification) {
  DetectorHarness h;
  h.overrides = {{"d5.half_life_seconds", 10}};
  OriginAmplification d(h.Options());
  RunEstimated(h, d, 60, 600.0 / 1.8);  // 1.8 loads per key: normal for this class
  h.Run(d, Loads(60), 200);
  // A0 = 1.8, so the trigger is 3.6: 3 loads per key is within the class's habit...
  const Reading r = StepEstimated(h, d, 60, 200);
  EXPECT_NEAR(DetectorHarness::StatOf(r, "amplification_baseline"), 1.8, 0.01);
  EXPECT_FALSE(r.triggered()) << r.progress;
  // ...while 4 is not.
  EXPECT_TRUE(StepEstimated(h, d, 60, 150).triggered());
}

TEST(OriginAmplificationTest, AFrozenBaselineDoesNotLearn) {
  DetectorHarness h;
  h.overrides = {{"d5.half_life_seconds", 10}};
  OriginAmplification d(h.Options());
  h.frozen = true;
  RunEstimated(h, d, 60, 600.0 / 1.8);
  h.Run(d, Loads(60), 200);
  h.frozen = false;
  const Reading r = StepEstimated(h, d, 60, 200);
  EXPECT_DOUBLE_EQ(DetectorHarness::StatOf(r, "amplification_baseline"), 1.0);
  EXPECT_TRUE(r.triggered()) << r.progress;
}

TEST(OriginAmplificationTest, AnAmplificationIsNotLearnt) {
  DetectorHarness h;
  h.overrides = {{"d5.half_life_seconds", 10}};
  OriginAmplification d(h.Options());
  RunEstimated(h, d, 60, 600);  // one load per key
  const Reading first = StepEstimated(h, d, 60, 20);
  ASSERT_TRUE(first.triggered());
  const Reading later = RunEstimated(h, d, 60, 20);  // 30 loads per key for 10 s more
  EXPECT_TRUE(later.triggered());
  EXPECT_DOUBLE_EQ(DetectorHarness::StatOf(later, "amplification_baseline"),
                   DetectorHarness::StatOf(first, "amplification_baseline"));
}

TEST(OriginAmplificationTest, TheAllClassGetsAReadingThatIsNeverEligible) {
  DetectorHarness h(std::string(kAllClass), true);
  h.keys.distinct_missed = 1;
  OriginAmplification d(h.Options());
  const std::vector<Reading> out = h.Run(d, Loads(1000), 10);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].indicator, Indicator::kOriginAmplification);
  EXPECT_FALSE(out[0].eligible);
}

}  // namespace
}  // namespace stampede::detect
