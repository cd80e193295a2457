#include "detect/hit_ratio_cliff.h"

#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "detector_harness.h"

namespace stampede::detect {
namespace {

using testing::DetectorHarness;

// Exactly one reading, D1's, with nothing NaN or infinite in it.
Reading Only(const std::vector<Reading>& readings) {
  EXPECT_EQ(readings.size(), 1u);
  const Reading r = DetectorHarness::Find(readings, Indicator::kHitRatioCliff);
  EXPECT_TRUE(std::isfinite(r.progress));
  for (const Stat& s : r.stats) {
    EXPECT_TRUE(std::isfinite(s.value)) << s.name;
  }
  return r;
}

Reading Step(DetectorHarness& h, HitRatioCliff& d, const ClassSecond& s) {
  return Only(h.Step(d, s));
}

Reading Hold(DetectorHarness& h, HitRatioCliff& d, const ClassSecond& s, int n) {
  return Only(h.Run(d, s, n));
}

struct CliffCase {
  std::string name;
  Overrides overrides;
  ClassSecond normal;
  ClassSecond blip;
  int blip_seconds;
  bool eligible;
  bool triggers;
};

TEST(HitRatioCliffTest, CliffVersusLowTrafficNoise) {
  const Overrides defaults;
  const Overrides one_second = {{"d1.window_seconds", 1}, {"d1.min_lookups", 10}};
  const std::vector<CliffCase> cases = {
      {"95% to 5% at 2,000 lookups/s", defaults, testing::AppSecond(1900, 100),
       testing::AppSecond(100, 1900), 2, true, true},
      {"every lookup misses for a second at 20 lookups/s (volume floor)", defaults,
       testing::AppSecond(19, 1), testing::AppSecond(0, 20), 1, false, false},
      {"95% to 93% at 2,000 lookups/s (effect floor)", defaults, testing::AppSecond(1900, 100),
       testing::AppSecond(1860, 140), 30, true, false},
      {"98% to 90%: 5x the misses, but under +0.20 (absolute floor)", defaults,
       testing::AppSecond(1960, 40), testing::AppSecond(1800, 200), 30, true, false},
      {"70% to 45%: +0.25, but under 3x the misses (relative floor)", defaults,
       testing::AppSecond(1400, 600), testing::AppSecond(900, 1100), 30, true, false},
      // The same 30% miss ratio: 3 misses of 10 lookups is within binomial noise, 30 of 100 is not.
      {"3 of 10 lookups miss (binomial z)", one_second, testing::AppSecond(9.5, 0.5),
       testing::AppSecond(7, 3), 1, true, false},
      {"30 of 100 lookups miss (binomial z)", one_second, testing::AppSecond(95, 5),
       testing::AppSecond(70, 30), 1, true, true},
  };
  for (const CliffCase& c : cases) {
    SCOPED_TRACE(c.name);
    DetectorHarness h;
    h.overrides = c.overrides;
    HitRatioCliff d(h.Options());
    ASSERT_FALSE(Hold(h, d, c.normal, 60).triggered());
    std::optional<int> first;
    for (int i = 1; i <= c.blip_seconds; ++i) {
      const Reading r = Step(h, d, c.blip);
      EXPECT_EQ(r.eligible, c.eligible);
      first = !first && r.triggered() ? std::optional<int>(i) : first;
    }
    for (int i = 0; i < 3 && !c.triggers; ++i) {  // the blip still in the window
      EXPECT_FALSE(Step(h, d, c.normal).triggered());
    }
    EXPECT_EQ(first.has_value(), c.triggers);
    if (c.triggers) {
      EXPECT_LE(*first, 2);
    }
  }
}

struct WarmupCase {
  std::string name;
  std::optional<double> expected_hit_ratio;
  int normal_seconds;
  bool triggers;
};

TEST(HitRatioCliffTest, JudgesAfterWarmupOrAtOnceWithAnExpectedRatio) {
  const std::vector<WarmupCase> cases = {
      {"10 s learnt, no expected ratio", std::nullopt, 10, false},
      {"30 s learnt, no expected ratio", std::nullopt, 30, true},
      {"1 s seen, expected ratio 0.95", 0.95, 1, true},
  };
  for (const WarmupCase& c : cases) {
    SCOPED_TRACE(c.name);
    DetectorHarness h;
    h.expected_hit_ratio = c.expected_hit_ratio;
    HitRatioCliff d(h.Options());
    Hold(h, d, testing::AppSecond(1900, 100), c.normal_seconds);
    const Reading r = Hold(h, d, testing::AppSecond(100, 1900), 2);
    EXPECT_EQ(r.eligible, c.triggers);
    EXPECT_EQ(r.triggered(), c.triggers);
  }
}

TEST(HitRatioCliffTest, AnExpectedRatioSeedsTheBaseline) {
  DetectorHarness h;
  h.expected_hit_ratio = 0.99;
  HitRatioCliff d(h.Options());
  const Reading r = Step(h, d, testing::AppSecond(950, 50));
  EXPECT_DOUBLE_EQ(DetectorHarness::StatOf(r, "baseline_hit_ratio"), 0.99);
  EXPECT_DOUBLE_EQ(DetectorHarness::StatOf(r, "hit_ratio"), 0.95);
}

TEST(HitRatioCliffTest, TheWarmupTeachesItsPlainRatio) {
  DetectorHarness h;
  HitRatioCliff d(h.Options());
  Step(h, d, testing::AppSecond(1000, 1000));  // a cold first second must not dominate the baseline
  const Reading warming = Hold(h, d, testing::AppSecond(1900, 100), 29);  // shown, not judged on
  EXPECT_FALSE(warming.eligible);
  EXPECT_NEAR(DetectorHarness::StatOf(warming, "baseline_hit_ratio"), (1000 + 28 * 1900) / 58000.0,
              1e-12);
  const Reading r = Step(h, d, testing::AppSecond(1900, 100));  // judged against the first 30 s
  EXPECT_NEAR(DetectorHarness::StatOf(r, "baseline_hit_ratio"), (1000 + 29 * 1900) / 60000.0,
              1e-12);
}

struct LearnCase {
  std::string name;
  bool frozen;
  bool learns;
};

TEST(HitRatioCliffTest, AFrozenBaselineDoesNotLearn) {
  const std::vector<LearnCase> cases = {{"frozen", true, false}, {"not frozen", false, true}};
  for (const LearnCase& c : cases) {
    SCOPED_TRACE(c.name);
    DetectorHarness h;
    HitRatioCliff d(h.Options());
    Hold(h, d, testing::AppSecond(1900, 100), 60);
    h.frozen = c.frozen;
    Hold(h, d, testing::AppSecond(1800, 200), 600);  // 90%: a dip the baseline would follow
    h.frozen = false;
    const double baseline =
        DetectorHarness::StatOf(Step(h, d, testing::AppSecond(1900, 100)), "baseline_hit_ratio");
    if (c.learns) {
      EXPECT_LT(baseline, 0.93);
    } else {
      EXPECT_NEAR(baseline, 0.95, 1e-12);
    }
  }
}

TEST(HitRatioCliffTest, CliffSecondsDoNotTeachTheBaseline) {
  DetectorHarness h;
  HitRatioCliff d(h.Options());
  const double before =
      DetectorHarness::StatOf(Hold(h, d, testing::AppSecond(1900, 100), 60), "baseline_hit_ratio");
  Hold(h, d, testing::AppSecond(100, 1900),
       2);  // triggered, but not yet raised: the engine has not frozen it
  const double after =
      DetectorHarness::StatOf(Step(h, d, testing::AppSecond(1900, 100)), "baseline_hit_ratio");
  EXPECT_DOUBLE_EQ(after, before);
}

struct SourceCase {
  std::string name;
  bool all;
  ClassSecond normal;
  ClassSecond cliff;
  bool triggers;
};

TEST(HitRatioCliffTest, ReadsInfoOnAllAndTheAppOnAClass) {
  const std::vector<SourceCase> cases = {
      {"class, app cliff", false, testing::AppSecond(1900, 100), testing::AppSecond(100, 1900),
       true},
      {"class, INFO cliff", false, testing::AppSecond(1900, 100), testing::InfoSecond(100, 1900),
       false},
      {"all, INFO cliff", true, testing::InfoSecond(1900, 100), testing::InfoSecond(100, 1900),
       true},
      {"all, app cliff", true, testing::InfoSecond(1900, 100), testing::AppSecond(100, 1900),
       false},
  };
  for (const SourceCase& c : cases) {
    SCOPED_TRACE(c.name);
    DetectorHarness h(c.all ? std::string(kAllClass) : "user_profile", c.all);
    HitRatioCliff d(h.Options());
    Hold(h, d, c.normal, 60);
    EXPECT_EQ(Hold(h, d, c.cliff, 3).triggered(), c.triggers);
  }
}

TEST(HitRatioCliffTest, StatsAndDetail) {
  DetectorHarness h;
  HitRatioCliff d(h.Options());
  const Reading idle = Step(h, d, testing::AppSecond(0, 0));
  EXPECT_FALSE(idle.eligible);
  EXPECT_EQ(DetectorHarness::StatOf(idle, "lookups"), 0);
  EXPECT_EQ(DetectorHarness::StatOf(idle, "z"), 0);
  EXPECT_EQ(DetectorHarness::StatOf(idle, "hit_ratio"), -1);  // omitted
  EXPECT_EQ(DetectorHarness::StatOf(idle, "baseline_hit_ratio"), -1);

  Hold(h, d, testing::AppSecond(1900, 100), 60);
  const Reading r = Hold(h, d, testing::AppSecond(100, 1900), 3);
  EXPECT_EQ(r.cause, Cause::kUnknown);
  EXPECT_DOUBLE_EQ(DetectorHarness::StatOf(r, "lookups"), 6000);
  EXPECT_NEAR(DetectorHarness::StatOf(r, "hit_ratio"), 0.05, 1e-12);
  EXPECT_NEAR(DetectorHarness::StatOf(r, "baseline_hit_ratio"), 0.95, 1e-12);
  EXPECT_GT(DetectorHarness::StatOf(r, "z"), 100);
  EXPECT_EQ(r.detail, "hit ratio 0.95 → 0.05 over 3 s (2,000 lookups/s)");
}

TEST(HitRatioCliffTest, TheTriggerIsCappedAtAllMisses) {
  DetectorHarness h;
  HitRatioCliff d(h.Options());
  Hold(h, d, testing::AppSecond(1000, 1000), 60);  // 3 x 0.5 is past 100% misses
  EXPECT_TRUE(Hold(h, d, testing::AppSecond(0, 2000), 3).triggered());
}

TEST(HitRatioCliffTest, ABetterHitRatioIsNoProgress) {
  DetectorHarness h;
  HitRatioCliff d(h.Options());
  Hold(h, d, testing::AppSecond(1900, 100), 60);
  EXPECT_EQ(Hold(h, d, testing::AppSecond(2000, 0), 3).progress, 0);
}

TEST(HitRatioCliffTest, APerfectBaselineStillGivesAFiniteZ) {
  DetectorHarness h;
  HitRatioCliff d(h.Options());
  Hold(h, d, testing::AppSecond(2000, 0), 60);
  const Reading r =
      Hold(h, d, testing::AppSecond(0, 2000), 2);  // Only() checks every stat is finite
  EXPECT_TRUE(r.triggered());
  EXPECT_NEAR(DetectorHarness::StatOf(r, "baseline_hit_ratio"), 1, 1e-12);
}

TEST(HitRatioCliffTest, ZeroedOptionsNeverDivideByZero) {
  DetectorHarness h;
  for (const OptionSpec& o : HitRatioCliff::kOptions) {
    h.overrides[std::string(o.key)] = 0;
  }
  HitRatioCliff d(h.Options());
  Step(h, d, testing::AppSecond(0, 0));
  Hold(h, d, testing::AppSecond(0, 100), 5);  // a baseline at 100% misses: no room above it
  Hold(h, d, testing::AppSecond(100, 0), 5);
}

}  // namespace
}  // namespace stampede::detect
