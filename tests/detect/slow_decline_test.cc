#include "detect/slow_decline.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "detector_harness.h"

namespace stampede::detect {
namespace {

using testing::DetectorHarness;

// Exactly one reading, D2's, with nothing NaN or infinite in it.
Reading Only(const std::vector<Reading>& readings) {
  EXPECT_EQ(readings.size(), 1u);
  const Reading r = DetectorHarness::Find(readings, Indicator::kSlowDecline);
  EXPECT_TRUE(std::isfinite(r.progress));
  for (const Stat& s : r.stats) {
    EXPECT_TRUE(std::isfinite(s.value)) << s.name;
  }
  return r;
}

// One second of app lookups at `miss_ratio`.
ClassSecond Traffic(double per_second, double miss_ratio) {
  ClassSecond s;
  s.app_reported = true;
  s.app_misses = per_second * miss_ratio;
  s.app_hits = per_second - s.app_misses;
  return s;
}

// One minute of seconds at `miss_ratio`; the reading of its last second.
Reading Minute(DetectorHarness& h, SlowDecline& d, double per_second, double miss_ratio) {
  return Only(h.Run(d, Traffic(per_second, miss_ratio), 60));
}

// Minute-to-minute noise of +-2 pp around a miss ratio: more than binomial noise at 20 lookups/s.
class Noise {
 public:
  // Straight from the generator: mt19937's output is specified everywhere, distributions' not.
  double operator()() { return (static_cast<int>(rng_() % 41) - 20) / 1000.0; }

 private:
  std::mt19937 rng_{20240601};
};

struct DriftCase {
  std::string name;
  double per_second;
  int minutes;
  std::function<double(int minute)> miss_ratio;  // minute 0 is the first after the warmup
  bool triggers;
};

TEST(SlowDeclineTest, SlowDriftVersusStationaryNoise) {
  const std::vector<DriftCase> cases = {
      {"5% to 15% over 40 minutes", 20, 40, [](int m) { return 0.05 + 0.10 * m / 40; }, true},
      {"5% for 3 hours", 20, 180, [](int) { return 0.05; }, false},
      {"5% to 50% over 40 minutes, under the volume floor", 5, 40,
       [](int m) { return 0.05 + 0.45 * m / 40; }, false},
  };
  for (const DriftCase& c : cases) {
    SCOPED_TRACE(c.name);
    DetectorHarness h;
    SlowDecline d(h.Options());
    Noise noise;
    for (int m = 0; m < 30; ++m) {
      ASSERT_FALSE(Minute(h, d, c.per_second, 0.05 + noise()).triggered());
    }
    bool triggered = false;
    for (int m = 0; m < c.minutes && !triggered; ++m) {
      const Reading r = Minute(h, d, c.per_second, c.miss_ratio(m) + noise());
      EXPECT_EQ(r.eligible, c.per_second * 60 >= 600);
      triggered = r.triggered();
    }
    EXPECT_EQ(triggered, c.triggers);
  }
}

TEST(SlowDeclineTest, RepeatsTheMinutesReadingUntilTheNextMinute) {
  DetectorHarness h;
  SlowDecline d(h.Options());
  for (int m = 0; m < 12; ++m) {
    Minute(h, d, 20, 0.05);
  }
  const Reading last = Minute(h, d, 20, 0.10);
  ASSERT_GT(last.progress, 0);
  for (int s = 0; s < 59; ++s) {
    const Reading r = Only(h.Step(d, Traffic(20, 1.0)));
    EXPECT_EQ(r.progress, last.progress);
    EXPECT_DOUBLE_EQ(DetectorHarness::StatOf(r, "minute_miss_ratio"), 0.10);
  }
  EXPECT_GT(Only(h.Step(d, Traffic(20, 1.0))).progress, last.progress);  // the minute is over
}

struct FrozenCase {
  std::string name;
  bool frozen;
  bool learns;
};

TEST(SlowDeclineTest, AMinuteWithAFrozenSecondDoesNotTeachTheBaseline) {
  const std::vector<FrozenCase> cases = {{"frozen", true, false}, {"not frozen", false, true}};
  for (const FrozenCase& c : cases) {
    SCOPED_TRACE(c.name);
    DetectorHarness h;
    SlowDecline d(h.Options());
    for (int m = 0; m < 10; ++m) {
      Minute(h, d, 20, 0.05);
    }
    for (int m = 0; m < 30; ++m) {
      h.frozen = c.frozen;
      Only(h.Step(d, Traffic(20, 0.10)));  // one frozen second is enough
      h.frozen = false;
      Only(h.Run(d, Traffic(20, 0.10), 59));
    }
    const double baseline = DetectorHarness::StatOf(Minute(h, d, 20, 0.05), "baseline_miss_ratio");
    if (c.learns) {
      EXPECT_GT(baseline, 0.055);
    } else {
      EXPECT_NEAR(baseline, 0.05, 1e-12);
    }
  }
}

TEST(SlowDeclineTest, TheCusumIsCappedSoARecoveryClears) {
  DetectorHarness h;
  SlowDecline d(h.Options());
  for (int m = 0; m < 10; ++m) {
    Minute(h, d, 20, 0.05);
  }
  h.frozen = true;  // as the engine does once the indicator is raised
  for (int m = 0; m < 120; ++m) {
    Minute(h, d, 20, 0.30);
  }
  const Reading raised = Minute(h, d, 20, 0.30);
  EXPECT_TRUE(raised.triggered());
  EXPECT_DOUBLE_EQ(DetectorHarness::StatOf(raised, "cusum"), 8);
  h.frozen = false;
  Reading r;
  for (int m = 0; m < 9; ++m) {  // (h / 2) / k minutes back at the baseline
    r = Minute(h, d, 20, 0.05);
  }
  EXPECT_LT(r.progress, 0.5);
}

TEST(SlowDeclineTest, StatsAndWarmup) {
  DetectorHarness h;
  SlowDecline d(h.Options());
  const Reading first = Only(h.Step(d, Traffic(20, 0.05)));
  EXPECT_FALSE(first.eligible);
  EXPECT_EQ(DetectorHarness::StatOf(first, "cusum"), 0);
  Reading r = Only(h.Run(d, Traffic(20, 0.05), 59));  // the first minute is over
  EXPECT_FALSE(r.eligible);
  for (int m = 1; m < 10; ++m) {
    r = Minute(h, d, 20, 0.05);
    EXPECT_FALSE(r.eligible);  // learning
    EXPECT_EQ(DetectorHarness::StatOf(r, "baseline_miss_ratio"), -1);
  }
  r = Minute(h, d, 20, 0.08);
  EXPECT_TRUE(r.eligible);
  EXPECT_NEAR(DetectorHarness::StatOf(r, "minute_miss_ratio"), 0.08, 1e-12);
  EXPECT_NEAR(DetectorHarness::StatOf(r, "baseline_miss_ratio"), 0.05, 1e-12);
  EXPECT_DOUBLE_EQ(DetectorHarness::StatOf(r, "sigma"), 0.01);  // the floor: no spread learnt
  EXPECT_NEAR(DetectorHarness::StatOf(r, "cusum"), 2.5, 1e-9);  // 3 sigmas - k
  EXPECT_NEAR(r.progress, 2.5 / 8, 1e-9);
  EXPECT_EQ(r.cause, Cause::kUnknown);
}

TEST(SlowDeclineTest, SigmaIsLearntFromTheWarmupMinutes) {
  DetectorHarness h;
  SlowDecline d(h.Options());
  for (int m = 0; m < 10; ++m) {
    Minute(h, d, 20, m % 2 == 0 ? 0.03 : 0.07);  // 2 pp either side of 5%
  }
  const Reading r = Minute(h, d, 20, 0.05);
  EXPECT_NEAR(DetectorHarness::StatOf(r, "sigma"), 1.25 * 0.02, 0.001);
}

TEST(SlowDeclineTest, AMinuteUnderTheVolumeFloorIsSkipped) {
  DetectorHarness h;
  SlowDecline d(h.Options());
  for (int m = 0; m < 11; ++m) {
    Minute(h, d, 20, 0.05);
  }
  const Reading r = Minute(h, d, 5, 0.50);  // 300 lookups: half of them missed
  EXPECT_FALSE(r.eligible);
  EXPECT_EQ(DetectorHarness::StatOf(r, "cusum"), 0);
  EXPECT_EQ(r.detail, "too few lookups last minute (300 of 600)");
  const Reading next = Minute(h, d, 20, 0.05);
  EXPECT_TRUE(next.eligible);
  EXPECT_NEAR(DetectorHarness::StatOf(next, "baseline_miss_ratio"), 0.05, 1e-12);
}

TEST(SlowDeclineTest, ZeroedOptionsNeverDivideByZero) {
  DetectorHarness h;
  for (const OptionSpec& o : SlowDecline::kOptions) {
    h.overrides[std::string(o.key)] = 0;
  }
  SlowDecline d(h.Options());
  Minute(h, d, 0, 0);
  Minute(h, d, 20, 0.05);
  Minute(h, d, 20, 0.05);
  Minute(h, d, 20, 0.50);
}

}  // namespace
}  // namespace stampede::detect
