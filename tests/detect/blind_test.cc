#include "detect/blind.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "detector_harness.h"

namespace stampede::detect {
namespace {

using testing::DetectorHarness;

Reading StepAll(DetectorHarness& h, Blind& d,
                const ClassSecond& second = testing::InfoSecond(1000, 50)) {
  return DetectorHarness::Find(h.Step(d, second), Indicator::kBlind);
}

TEST(BlindTest, CounterResetVsRealDrop) {
  DetectorHarness h(std::string(kAllClass), true);
  Blind d(h.Options());
  h.Run(d, testing::InfoSecond(1000, 50), 30);

  // A real drop in traffic with healthy counters is for the other detectors to judge.
  const Reading drop = StepAll(h, d, testing::InfoSecond(10, 1));
  EXPECT_TRUE(drop.eligible);
  EXPECT_FALSE(drop.triggered());
  EXPECT_FALSE(drop.immediate);
  EXPECT_EQ(drop.progress, 0);

  // The same drop with the reset flag: Redis restarted, the counters say nothing this second.
  h.health.counter_reset = true;
  const Reading reset = StepAll(h, d, testing::InfoSecond(10, 1));
  EXPECT_TRUE(reset.triggered());
  EXPECT_TRUE(reset.immediate);
  EXPECT_EQ(reset.cause, Cause::kCounterReset);
  EXPECT_FALSE(reset.detail.empty());
}

struct HealthCase {
  std::string name;
  Health health;
  std::optional<Cause> cause;  // nullopt: not blind
};

Health Healthy() {
  Health h;
  h.subscriber_expected = true;
  return h;
}

template <typename F>
Health With(F change) {
  Health h = Healthy();
  change(h);
  return h;
}

TEST(BlindTest, EachHealthProblemRaisesWithItsCauseInOrder) {
  const std::vector<HealthCase> cases = {
      {"healthy", Healthy(), std::nullopt},
      {"INFO fails", With([](Health& x) { x.info_up = false; }), Cause::kInfoDown},
      {"subscriber down", With([](Health& x) { x.subscriber_up = false; }), Cause::kSubscriberDown},
      {"subscriber down, none expected (INFO-only)", With([](Health& x) {
         x.subscriber_expected = false;
         x.subscriber_up = false;
       }),
       std::nullopt},
      {"events shed", With([](Health& x) { x.events_shed = 120; }), Cause::kEventsShed},
      {"lag 2.5 s", With([](Health& x) { x.lag_seconds = 2.5; }), Cause::kLag},
      {"lag 2 s: at the limit, not over", With([](Health& x) { x.lag_seconds = 2; }), std::nullopt},
      {"INFO down wins over a counter reset", With([](Health& x) {
         x.info_up = false;
         x.counter_reset = true;
       }),
       Cause::kInfoDown},
      {"subscriber down wins over shed events and lag", With([](Health& x) {
         x.subscriber_up = false;
         x.events_shed = 5;
         x.lag_seconds = 10;
       }),
       Cause::kSubscriberDown},
      {"counter reset wins over shed events", With([](Health& x) {
         x.counter_reset = true;
         x.events_shed = 5;
       }),
       Cause::kCounterReset},
      {"shed events win over lag", With([](Health& x) {
         x.events_shed = 5;
         x.lag_seconds = 10;
       }),
       Cause::kEventsShed},
  };
  for (const HealthCase& c : cases) {
    DetectorHarness h(std::string(kAllClass), true);
    h.health = c.health;
    Blind d(h.Options());
    const Reading r = StepAll(h, d);
    EXPECT_TRUE(r.eligible) << c.name;
    EXPECT_EQ(r.triggered(), c.cause.has_value()) << c.name;
    EXPECT_EQ(r.immediate, c.cause.has_value()) << c.name;
    if (c.cause) {
      EXPECT_EQ(r.cause, *c.cause) << c.name;
    }
  }
}

TEST(BlindTest, DetailAndStatsSayWhatIsWrong) {
  DetectorHarness h(std::string(kAllClass), true);
  Blind d(h.Options());
  h.health = With([](Health& x) { x.subscriber_up = false; });
  EXPECT_EQ(StepAll(h, d).detail, "keyspace subscriber disconnected");

  h.health = With([](Health& x) { x.lag_seconds = 3.4; });
  const Reading lag = StepAll(h, d);
  EXPECT_EQ(lag.detail, "keyspace subscriber lags 3.4 s (limit 2.0 s)");
  EXPECT_DOUBLE_EQ(DetectorHarness::StatOf(lag, "lag_seconds"), 3.4);
  EXPECT_DOUBLE_EQ(DetectorHarness::StatOf(lag, "events_shed"), 0);
}

TEST(BlindTest, TheLagLimitIsAnOption) {
  DetectorHarness h(std::string(kAllClass), true);
  h.overrides = {{"dq.max_lag_seconds", 5}};
  Blind d(h.Options());
  h.health = With([](Health& x) { x.lag_seconds = 3; });
  EXPECT_FALSE(StepAll(h, d).triggered());
}

TEST(BlindTest, NamedClassesGetAReadingThatIsNeverEligible) {
  DetectorHarness h;
  h.health = With([](Health& x) { x.info_up = false; });
  Blind d(h.Options());
  const std::vector<Reading> out = h.Step(d, ClassSecond{});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].indicator, Indicator::kBlind);
  EXPECT_FALSE(out[0].eligible);
  EXPECT_FALSE(out[0].immediate);
}

}  // namespace
}  // namespace stampede::detect
