#include "detect/invalidation_burst.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "detector_harness.h"

namespace stampede::detect {
namespace {

using testing::DetectorHarness;

ClassSecond Keys(double del, double expired) {
  ClassSecond s;
  s.del = del;
  s.expired = expired;
  return s;
}

// Exactly one reading, D3's, with nothing NaN or infinite in it.
Reading Only(const std::vector<Reading>& readings) {
  EXPECT_EQ(readings.size(), 1u);
  const Reading r = DetectorHarness::Find(readings, Indicator::kInvalidationBurst);
  EXPECT_TRUE(std::isfinite(r.progress));
  for (const Stat& s : r.stats) {
    EXPECT_TRUE(std::isfinite(s.value)) << s.name;
  }
  return r;
}

Reading Hold(DetectorHarness& h, InvalidationBurst& d, const ClassSecond& s, int n) {
  return Only(h.Run(d, s, n));
}

struct BurstCase {
  std::string name;
  ClassSecond normal;
  ClassSecond then;
  int then_seconds;
  bool triggers;
  Cause cause;
};

TEST(InvalidationBurstTest, BurstVersusSteadyHighChurn) {
  const std::vector<BurstCase> cases = {
      {"steady 2,000 DEL/s, then the same", Keys(2000, 0), Keys(2000, 0), 60, false,
       Cause::kUnknown},
      {"30 DEL/s, then 5,000 DEL/s", Keys(30, 0), Keys(5000, 0), 1, true, Cause::kDel},
      {"30 expired/s, then 5,000 expired/s", Keys(0, 30), Keys(0, 5000), 1, true, Cause::kExpired},
      {"both rise, expired further past its trigger", Keys(30, 30), Keys(600, 5000), 1, true,
       Cause::kExpired},
      {"30 DEL/s, then 300 DEL/s for 10 s (window test)", Keys(30, 0), Keys(300, 0), 10, true,
       Cause::kDel},
      {"30 DEL/s, then 300 DEL/s for 3 s", Keys(30, 0), Keys(300, 0), 3, false, Cause::kDel},
      {"steady 2,000 DEL/s, then twice that", Keys(2000, 0), Keys(4000, 0), 60, false,
       Cause::kUnknown},
  };
  for (const BurstCase& c : cases) {
    SCOPED_TRACE(c.name);
    DetectorHarness h;
    InvalidationBurst d(h.Options());
    ASSERT_FALSE(Hold(h, d, c.normal, 600).triggered());
    bool triggered = false;
    Reading last;
    for (int i = 0; i < c.then_seconds && !triggered; ++i) {
      last = Only(h.Step(d, c.then));
      EXPECT_TRUE(last.eligible);
      EXPECT_FALSE(last.immediate);
      triggered = last.triggered();
    }
    EXPECT_EQ(triggered, c.triggers);
    if (c.triggers) {
      EXPECT_EQ(last.cause, c.cause);
    }
  }
}

TEST(InvalidationBurstTest, StartingAmidSteadyChurnIsNotABurst) {
  DetectorHarness h;
  InvalidationBurst d(h.Options());
  EXPECT_FALSE(Only(h.Step(d, Keys(0, 0))).eligible);  // a quiet first second, then the churn
  const Reading warming = Hold(h, d, Keys(2000, 0), 29);
  EXPECT_FALSE(warming.eligible);
  EXPECT_NEAR(DetectorHarness::StatOf(warming, "del_baseline"), 28 * 2000 / 29.0, 1e-9);
  const Reading r = Hold(h, d, Keys(2000, 0), 10);
  EXPECT_TRUE(r.eligible);
  EXPECT_FALSE(r.triggered());
  // The plain mean of the warmup, not its first second.
  EXPECT_NEAR(DetectorHarness::StatOf(r, "del_baseline"), 29 * 2000 / 30.0, 1);
}

TEST(InvalidationBurstTest, BurstyChurnWidensTheTrigger) {
  DetectorHarness h;
  h.overrides["d3.factor"] = 1;  // leave the spread and the floor to judge
  InvalidationBurst d(h.Options());
  for (int i = 0; i < 600; ++i) {
    Only(h.Step(d, Keys(i % 2 == 0 ? 1000 : 3000, 0)));  // 2,000 +- 1,000 DEL/s
  }
  const Reading r = Only(h.Step(d, Keys(5000, 0)));
  EXPECT_TRUE(r.eligible);
  EXPECT_FALSE(r.triggered());
  EXPECT_TRUE(Only(h.Step(d, Keys(9000, 0))).triggered());
}

struct FlushCase {
  std::string name;
  int db;
  std::string detail;
};

TEST(InvalidationBurstTest, AFlushOnAllIsImmediate) {
  const std::vector<FlushCase> cases = {{"FLUSHALL", -1, "FLUSHALL"},
                                        {"FLUSHDB", 3, "FLUSHDB db 3"}};
  for (const FlushCase& c : cases) {
    SCOPED_TRACE(c.name);
    DetectorHarness h(std::string(kAllClass), true);
    h.health.subscriber_expected = true;
    InvalidationBurst d(h.Options());
    h.flushes.push_back({h.clock.Now(), c.db});
    const Reading r =
        Only(h.Step(d, testing::InfoExpiredSecond(0)));  // the first second: no warmup needed
    EXPECT_TRUE(r.immediate);
    EXPECT_TRUE(r.triggered());
    EXPECT_EQ(r.cause, Cause::kFlush);
    EXPECT_EQ(r.detail, c.detail);
    const Reading after = Only(h.Step(d, testing::InfoExpiredSecond(0)));
    EXPECT_FALSE(after.immediate);
    EXPECT_EQ(after.progress, 0);
  }
}

struct InfoCase {
  std::string name;
  bool subscriber_expected;
  bool triggers;
};

TEST(InvalidationBurstTest, InfoExpiredOnAllOnlyWithoutASubscriber) {
  const std::vector<InfoCase> cases = {{"subscriber expected", true, false},
                                       {"no subscriber", false, true}};
  for (const InfoCase& c : cases) {
    SCOPED_TRACE(c.name);
    DetectorHarness h(std::string(kAllClass), true);
    h.health.subscriber_expected = c.subscriber_expected;
    InvalidationBurst d(h.Options());
    Hold(h, d, testing::InfoExpiredSecond(30), 60);
    const Reading r = Only(h.Step(d, testing::InfoExpiredSecond(10000)));
    EXPECT_EQ(r.triggered(), c.triggers);
    EXPECT_EQ(r.cause, c.triggers ? Cause::kExpired : Cause::kUnknown);
    EXPECT_EQ(DetectorHarness::StatOf(r, "expired_per_second"), c.triggers ? 10000 : -1);
    EXPECT_EQ(DetectorHarness::StatOf(r, "del_per_second"), -1);  // INFO has no DEL rate
  }
}

TEST(InvalidationBurstTest, SecondsWithoutInfoDoNotTeachTheBaseline) {
  DetectorHarness h(std::string(kAllClass), true);
  InvalidationBurst d(h.Options());
  Hold(h, d, testing::InfoExpiredSecond(300), 60);
  const Reading r = Hold(h, d, ClassSecond{}, 600);  // INFO down: no sample, zero deltas
  EXPECT_DOUBLE_EQ(DetectorHarness::StatOf(r, "expired_baseline"), 300);
}

struct LearnCase {
  std::string name;
  bool frozen;
  bool learns;
};

TEST(InvalidationBurstTest, AFrozenBaselineDoesNotLearn) {
  const std::vector<LearnCase> cases = {{"frozen", true, false}, {"not frozen", false, true}};
  for (const LearnCase& c : cases) {
    SCOPED_TRACE(c.name);
    DetectorHarness h;
    InvalidationBurst d(h.Options());
    Hold(h, d, Keys(30, 0), 60);
    h.frozen = c.frozen;
    Hold(h, d, Keys(300, 0), 600);  // below the one-second trigger: learnt unless frozen
    h.frozen = false;
    const double baseline = DetectorHarness::StatOf(Hold(h, d, Keys(30, 0), 1), "del_baseline");
    if (c.learns) {
      EXPECT_GT(baseline, 100);
    } else {
      EXPECT_DOUBLE_EQ(baseline, 30);
    }
  }
}

TEST(InvalidationBurstTest, BurstSecondsDoNotTeachTheBaseline) {
  DetectorHarness h;
  InvalidationBurst d(h.Options());
  Hold(h, d, Keys(30, 0), 60);
  Hold(h, d, Keys(5000, 0), 2);  // triggered, but not yet raised: the engine has not frozen it
  EXPECT_DOUBLE_EQ(DetectorHarness::StatOf(Hold(h, d, Keys(30, 0), 1), "del_baseline"), 30);
}

TEST(InvalidationBurstTest, StatsAndDetail) {
  DetectorHarness h;
  InvalidationBurst d(h.Options());
  Hold(h, d, Keys(30, 0.5), 60);
  const Reading burst = Only(h.Step(d, Keys(12000, 0)));
  EXPECT_EQ(burst.detail, "12,000 DEL/s (baseline 30/s)");
  EXPECT_EQ(DetectorHarness::StatOf(burst, "del_per_second"), 12000);
  EXPECT_EQ(DetectorHarness::StatOf(burst, "del_baseline"), 30);
  EXPECT_EQ(DetectorHarness::StatOf(burst, "expired_per_second"), 0);
  EXPECT_EQ(DetectorHarness::StatOf(burst, "expired_baseline"), 0.5);

  DetectorHarness h2;
  InvalidationBurst d2(h2.Options());
  Hold(h2, d2, Keys(0, 2.5), 60);
  h2.frozen = true;  // each 300/s second alone is below its trigger: only freezing stops learning
  const Reading sustained = Hold(h2, d2, Keys(0, 300), 10);
  EXPECT_EQ(sustained.detail, "3,000 expired in 10 s (baseline 2.5/s)");
}

TEST(InvalidationBurstTest, ZeroedOptionsNeverDivideByZero) {
  DetectorHarness h;
  for (const OptionSpec& o : InvalidationBurst::kOptions) {
    h.overrides[std::string(o.key)] = 0;
  }
  InvalidationBurst d(h.Options());
  Hold(h, d, Keys(0, 0), 5);
  Hold(h, d, Keys(100, 100), 5);
}

}  // namespace
}  // namespace stampede::detect
