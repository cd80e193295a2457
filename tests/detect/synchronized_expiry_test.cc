#include "detect/synchronized_expiry.h"

#include <gtest/gtest.h>

#include <random>

#include "detect/indicator_state.h"
#include "detector_harness.h"

namespace stampede::detect {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::DetectorHarness;

ClassSecond Expired(double n) {
  ClassSecond s;
  s.expired = n;
  return s;
}

Reading Burst(const std::vector<Reading>& readings) {
  return DetectorHarness::Find(readings, Indicator::kSynchronizedExpiry);
}

Reading Cliff(const std::vector<Reading>& readings) {
  return DetectorHarness::Find(readings, Indicator::kExpiryCliffPredicted);
}

// A TTL round taken now: `n` keys expiring at `at` plus i * `step`.
TtlSample Round(const DetectorHarness& h, std::size_t n, Clock::duration at, Clock::duration step) {
  TtlSample sample;
  sample.taken = h.clock.Now();
  sample.sampled = n;
  for (std::size_t i = 0; i < n; ++i) {
    sample.expiries.push_back(h.clock.Now() + at + step * static_cast<int>(i));
  }
  return sample;
}

// ---- Reactive: synchronized_expiry ----

TEST(SynchronizedExpiryTest, EveryTickGivesBothReadings) {
  DetectorHarness h;
  SynchronizedExpiry d(h.Options());
  const std::vector<Reading> out = h.Step(d, Expired(0));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].indicator, Indicator::kSynchronizedExpiry);
  EXPECT_EQ(out[1].indicator, Indicator::kExpiryCliffPredicted);
}

TEST(SynchronizedExpiryTest, ExpiryBurstTriggers) {
  DetectorHarness h;
  SynchronizedExpiry d(h.Options());
  h.Run(d, Expired(3), 60);
  const Reading r = Burst(h.Step(d, Expired(2000)));
  EXPECT_TRUE(r.triggered());
  EXPECT_FALSE(r.immediate);
  EXPECT_EQ(r.cause, Cause::kExpired);
  EXPECT_NEAR(DetectorHarness::StatOf(r, "burst_factor"), 2000.0 / 3, 1e-6);
  EXPECT_EQ(DetectorHarness::StatOf(r, "expired_per_second"), 2000);
  EXPECT_EQ(r.detail, "2,000 keys expired in one second (60 s mean 3.0/s)");
}

TEST(SynchronizedExpiryTest, TheMeanLeavesOutTheCurrentSecondAndLooksBackOneMinute) {
  DetectorHarness h;
  SynchronizedExpiry d(h.Options());
  h.Run(d, Expired(1000), 30);  // an old burst, more than a minute back
  h.Run(d, Expired(20), 60);
  const Reading r = Burst(h.Step(d, Expired(1000)));
  EXPECT_DOUBLE_EQ(DetectorHarness::StatOf(r, "burst_factor"), 50);
  EXPECT_TRUE(r.triggered());
}

TEST(SynchronizedExpiryTest, SteadyExpiryRateIsNoBurst) {
  // A busy class whose keys expire at a high but even rate: above the volume floor, no burst.
  DetectorHarness h;
  SynchronizedExpiry d(h.Options());
  for (int i = 0; i < 300; ++i) {
    const Reading r = Burst(h.Step(d, Expired(1500 + (i % 7) * 50)));
    ASSERT_EQ(r.eligible, i >= 10) << i;
    if (r.eligible) {
      EXPECT_LT(r.progress, 0.5) << i;
    }
  }
}

TEST(SynchronizedExpiryTest, SmallBurstBelowTheVolumeFloorDoesNotTrigger) {
  DetectorHarness h;
  SynchronizedExpiry d(h.Options());
  h.Run(d, Expired(0), 60);
  const Reading r = Burst(h.Step(d, Expired(500)));
  EXPECT_TRUE(r.eligible);
  EXPECT_FALSE(r.triggered());
  EXPECT_DOUBLE_EQ(r.progress, 0.5);
  EXPECT_DOUBLE_EQ(DetectorHarness::StatOf(r, "burst_factor"), 500 * 60);  // floored mean
}

TEST(SynchronizedExpiryTest, NeedsTenSecondsOfHistory) {
  DetectorHarness h;
  SynchronizedExpiry d(h.Options());
  h.Run(d, Expired(0), 5);
  EXPECT_FALSE(Burst(h.Step(d, Expired(5000))).eligible);
  h.Run(d, Expired(0), 5);
  EXPECT_TRUE(Burst(h.Step(d, Expired(5000))).triggered());
}

TEST(SynchronizedExpiryTest, ProgressFallsBelowHalfWhenTheBurstEnds) {
  DetectorHarness h;
  SynchronizedExpiry d(h.Options());
  h.Run(d, Expired(2), 60);
  ASSERT_TRUE(Burst(h.Step(d, Expired(5000))).triggered());
  EXPECT_LT(Burst(h.Step(d, Expired(2))).progress, 0.5);
}

TEST(SynchronizedExpiryTest, AllReadsInfoWhenNoSubscriberIsExpected) {
  DetectorHarness h("all", /*all=*/true);
  h.health.subscriber_expected = false;
  SynchronizedExpiry d(h.Options());
  h.Run(d, testing::InfoExpiredSecond(1), 60);
  const Reading r = Burst(h.Step(d, testing::InfoExpiredSecond(3000)));
  EXPECT_TRUE(r.triggered());
  EXPECT_EQ(DetectorHarness::StatOf(r, "expired_per_second"), 3000);
}

TEST(SynchronizedExpiryTest, AllWithoutAnInfoSampleIsNotEligible) {
  DetectorHarness h("all", /*all=*/true);
  SynchronizedExpiry d(h.Options());
  h.Run(d, testing::InfoExpiredSecond(1), 60);
  EXPECT_FALSE(Burst(h.Step(d, ClassSecond{})).eligible);
}

TEST(SynchronizedExpiryTest, AllLeavesExpiriesToTheClassesWhenSubscribed) {
  DetectorHarness h("all", /*all=*/true);
  h.health.subscriber_expected = true;
  SynchronizedExpiry d(h.Options());
  h.Run(d, testing::InfoExpiredSecond(1), 60);
  const Reading r = Burst(h.Step(d, testing::InfoExpiredSecond(3000)));
  EXPECT_FALSE(r.eligible);
  EXPECT_EQ(r.progress, 0);
}

// ---- Predictive: expiry_cliff_predicted ----

TEST(SynchronizedExpiryTest, PredictsACliffWithItsEta) {
  DetectorHarness h;
  SynchronizedExpiry d(h.Options());
  // 200 keys written together with one TTL: they expire within 0.4 s of each other.
  h.ttl = Round(h, 200, seconds(120), milliseconds(2));
  const Reading r = Cliff(h.Step(d, ClassSecond{}));  // the step moves the clock by 1 s
  EXPECT_TRUE(r.triggered());
  EXPECT_TRUE(r.immediate);
  EXPECT_EQ(r.cause, Cause::kExpiryCliff);
  EXPECT_DOUBLE_EQ(DetectorHarness::StatOf(r, "cliff_eta_seconds"), 119);
  EXPECT_DOUBLE_EQ(DetectorHarness::StatOf(r, "cliff_share"), 1);
  EXPECT_EQ(r.detail,
            "200 of 200 sampled keys with a TTL (100%) expire within two seconds, in 119 s");
  // The ETA counts down with the clock until the next round.
  h.Run(d, ClassSecond{}, 40);
  EXPECT_DOUBLE_EQ(DetectorHarness::StatOf(Cliff(h.Step(d, ClassSecond{})), "cliff_eta_seconds"),
                   78);
}

TEST(SynchronizedExpiryTest, FindsACliffAmongKeysSpreadOverTime) {
  DetectorHarness h;
  SynchronizedExpiry d(h.Options());
  // 160 keys spread evenly over ten minutes (TTL'd keys written at a steady rate), and 40 that
  // a warm-up wrote at once, straddling a bin edge of the grid the earliest expiry sets.
  TtlSample sample = Round(h, 160, seconds(1), milliseconds(3750));
  for (int i = 0; i < 40; ++i) {
    sample.expiries.push_back(h.clock.Now() + milliseconds(300'500 + i * 20));
  }
  sample.sampled = 250;  // 50 keys without a TTL
  h.ttl = sample;
  const Reading r = Cliff(h.Step(d, ClassSecond{}));
  EXPECT_TRUE(r.triggered());
  EXPECT_NEAR(DetectorHarness::StatOf(r, "cliff_eta_seconds"), 299.5, 0.01);
  EXPECT_NEAR(DetectorHarness::StatOf(r, "cliff_share"), 40.0 / 200, 0.01);
}

TEST(SynchronizedExpiryTest, JitteredTtlsPredictNoCliff) {
  // The look-alike: as many keys as in PredictsACliffWithItsEta, written together, but with a
  // 600 s TTL jittered by +-20%.
  DetectorHarness h;
  SynchronizedExpiry d(h.Options());
  std::mt19937 rng(42);
  std::uniform_real_distribution<double> jitter(0.8, 1.2);
  TtlSample sample;
  sample.taken = h.clock.Now();
  sample.sampled = 200;
  for (int i = 0; i < 200; ++i) {
    sample.expiries.push_back(h.clock.Now() +
                              std::chrono::duration_cast<Clock::duration>(
                                  std::chrono::duration<double>(600 * jitter(rng))));
  }
  h.ttl = sample;
  for (int i = 0; i < 700; ++i) {
    const Reading r = Cliff(h.Step(d, ClassSecond{}));
    EXPECT_TRUE(r.eligible);
    EXPECT_FALSE(r.triggered()) << i;
    EXPECT_LT(r.progress, 0.5) << i;
  }
}

TEST(SynchronizedExpiryTest, SteadyWritesWithOneTtlPredictNoCliff) {
  // One TTL for every key is fine when the writes are spread: the expiries are spread too.
  DetectorHarness h;
  SynchronizedExpiry d(h.Options());
  h.ttl = Round(h, 200, seconds(1), seconds(3));
  const Reading r = Cliff(h.Step(d, ClassSecond{}));
  EXPECT_TRUE(r.eligible);
  EXPECT_FALSE(r.triggered());
  EXPECT_LT(r.progress, 0.5);
}

TEST(SynchronizedExpiryTest, FewSampledKeysAreNotEligible) {
  DetectorHarness h;
  SynchronizedExpiry d(h.Options());
  h.ttl = Round(h, 9, seconds(60), milliseconds(1));
  const Reading r = Cliff(h.Step(d, ClassSecond{}));
  EXPECT_FALSE(r.eligible);
  EXPECT_EQ(DetectorHarness::StatOf(r, "cliff_eta_seconds"), -1) << "no ETA when not eligible";
  EXPECT_DOUBLE_EQ(DetectorHarness::StatOf(r, "cliff_share"), 1);
}

TEST(SynchronizedExpiryTest, NoSampleIsNotEligible) {
  DetectorHarness h;
  SynchronizedExpiry d(h.Options());
  const Reading r = Cliff(h.Step(d, ClassSecond{}));
  EXPECT_FALSE(r.eligible);
  EXPECT_FALSE(r.immediate);
  EXPECT_EQ(r.cause, Cause::kExpiryCliff);
  EXPECT_EQ(DetectorHarness::StatOf(r, "cliff_share"), 0);
}

TEST(SynchronizedExpiryTest, ACliffBeyondTheHorizonIsNotAnnounced) {
  DetectorHarness h;
  SynchronizedExpiry d(h.Options());
  h.ttl = Round(h, 100, std::chrono::hours(2), milliseconds(1));
  const Reading r = Cliff(h.Step(d, ClassSecond{}));
  EXPECT_TRUE(r.eligible);
  EXPECT_EQ(r.progress, 0);
  EXPECT_DOUBLE_EQ(DetectorHarness::StatOf(r, "cliff_eta_seconds"), 7199);
}

TEST(SynchronizedExpiryTest, RaisesAtOnceAndClearsAfterTheCliffPasses) {
  // Driven through the engine's persistence with D6's registered defaults (clear after 10 s).
  DetectorHarness h;
  SynchronizedExpiry d(h.Options());
  const OptionValues o = h.Options();
  IndicatorState state(static_cast<int>(o.Get("d6.persist_need")),
                       static_cast<int>(o.Get("d6.persist_window")),
                       static_cast<int>(o.Get("d6.clear_seconds")));
  h.ttl = Round(h, 100, seconds(5), milliseconds(1));
  const auto step = [&] {
    const Reading r = Cliff(h.Step(d, ClassSecond{}));
    return state.Step(r.triggered(), r.eligible && r.progress >= 0.5, r.immediate);
  };
  EXPECT_EQ(step(), IndicatorState::Change::kRaised);  // eta 4 s
  for (int i = 0; i < 4; ++i) {                        // eta 3 .. 0 s: held
    EXPECT_EQ(step(), IndicatorState::Change::kNone);
    EXPECT_TRUE(state.raised());
  }
  const Reading passed = Cliff(h.Step(d, ClassSecond{}));  // 1 s after the cliff
  EXPECT_EQ(passed.progress, 0);
  EXPECT_FALSE(passed.immediate);
  EXPECT_NE(passed.detail.find("1 s ago"), std::string::npos) << passed.detail;
  state.Step(false, false, false);
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(step(), IndicatorState::Change::kNone) << i;
  }
  EXPECT_EQ(step(), IndicatorState::Change::kCleared);
}

TEST(SynchronizedExpiryTest, OptionsMoveTheTriggers) {
  DetectorHarness h;
  h.overrides = {{"d6.min_keys", 50}, {"d6.min_per_second", 100}};
  SynchronizedExpiry d(h.Options());
  h.ttl = Round(h, 40, seconds(30), milliseconds(1));
  h.Run(d, Expired(1), 30);
  const std::vector<Reading> out = h.Step(d, Expired(150));
  EXPECT_TRUE(Burst(out).triggered());
  EXPECT_FALSE(Cliff(out).eligible) << "40 keys with a TTL are fewer than min_keys";
}

}  // namespace
}  // namespace stampede::detect
