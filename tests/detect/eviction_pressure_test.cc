#include "detect/eviction_pressure.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "detector_harness.h"

namespace stampede::detect {
namespace {

using testing::DetectorHarness;

constexpr double kGiB = 1024.0 * 1024 * 1024;

// One second of `all`: an INFO sample with memory at `memory_ratio` of `maxmemory`, and the
// keymiss events summed over the classes.
ClassSecond NodeSecond(double memory_ratio, double maxmemory, double evicted, double keymiss,
                       double misses_after_evicted) {
  ClassSecond s;
  s.info_ok = true;
  s.maxmemory_bytes = maxmemory;
  s.used_memory_bytes = memory_ratio * (maxmemory > 0 ? maxmemory : kGiB);
  s.info_evicted = evicted;
  s.keymiss = keymiss;
  s.misses_after_evicted = misses_after_evicted;
  return s;
}

ClassSecond ClassMisses(double evicted, double keymiss, double misses_after_evicted) {
  ClassSecond s;
  s.evicted = evicted;
  s.keymiss = keymiss;
  s.misses_after_evicted = misses_after_evicted;
  return s;
}

struct EvictionCase {
  std::string name;
  ClassSecond second;
  bool eligible;
  bool triggered;
};

TEST(EvictionPressureTest, EvictionVsMaxmemoryWithoutMisses) {
  const std::vector<EvictionCase> cases = {
      {"memory 99%, evictions, 30% of misses on evicted keys", NodeSecond(0.99, kGiB, 5, 100, 30),
       true, true},
      {"memory 99%, evictions, no misses on evicted keys", NodeSecond(0.99, kGiB, 5, 100, 0), true,
       false},
      {"memory 99%, evictions, no misses at all", NodeSecond(0.99, kGiB, 5, 0, 0), true, false},
      {"memory 80%, evictions, 30% of misses on evicted keys", NodeSecond(0.80, kGiB, 5, 100, 30),
       true, false},
      {"memory 99%, no evictions, 30% of misses on evicted keys",
       NodeSecond(0.99, kGiB, 0, 100, 30), true, false},
      {"maxmemory 0 (no limit)", NodeSecond(0.99, 0, 5, 100, 30), false, false},
  };
  for (const EvictionCase& c : cases) {
    DetectorHarness h(std::string(kAllClass), true);
    EvictionPressure d(h.Options());
    const Reading r = DetectorHarness::Find(h.Run(d, c.second, 60), Indicator::kEvictionPressure);
    EXPECT_EQ(r.eligible, c.eligible) << c.name;
    EXPECT_EQ(r.triggered(), c.triggered) << c.name << ": progress " << r.progress;
    EXPECT_EQ(r.cause, Cause::kEvicted) << c.name;
  }
}

TEST(EvictionPressureTest, StatsAndDetailOfTheAllClass) {
  DetectorHarness h(std::string(kAllClass), true);
  EvictionPressure d(h.Options());
  const Reading r = DetectorHarness::Find(h.Run(d, NodeSecond(0.99, kGiB, 5, 100, 30), 60),
                                          Indicator::kEvictionPressure);
  EXPECT_NEAR(DetectorHarness::StatOf(r, "memory_ratio"), 0.99, 1e-9);
  EXPECT_DOUBLE_EQ(DetectorHarness::StatOf(r, "evictions_per_second"), 5);
  EXPECT_NEAR(DetectorHarness::StatOf(r, "evicted_miss_share"), 0.3, 1e-9);
  EXPECT_EQ(r.detail,
            "memory at 99% of maxmemory; 5 evictions/s; 30% of 6,000 misses in 60 s were on "
            "evicted keys");
}

TEST(EvictionPressureTest, MemoryIsTheNewestInfoSampleInTheWindow) {
  DetectorHarness h(std::string(kAllClass), true);
  EvictionPressure d(h.Options());
  h.Run(d, NodeSecond(0.99, kGiB, 5, 100, 30), 30);
  ClassSecond no_info = NodeSecond(0, 0, 0, 100, 30);
  no_info.info_ok = false;  // INFO late: memory still reads from the last sample
  const Reading r = DetectorHarness::Find(h.Run(d, no_info, 5), Indicator::kEvictionPressure);
  EXPECT_TRUE(r.eligible);
  EXPECT_TRUE(r.triggered()) << r.progress;
  EXPECT_NEAR(DetectorHarness::StatOf(r, "memory_ratio"), 0.99, 1e-9);
}

TEST(EvictionPressureTest, NamedClassJudgesMissesOnEvictedKeysAlone) {
  const std::vector<EvictionCase> cases = {
      {"30% of misses on evicted keys", ClassMisses(2, 100, 30), true, true},
      {"5% of misses on evicted keys", ClassMisses(2, 100, 5), true, false},
      {"no misses", ClassMisses(2, 0, 0), false, false},
  };
  for (const EvictionCase& c : cases) {
    DetectorHarness h;
    EvictionPressure d(h.Options());
    const Reading r = DetectorHarness::Find(h.Run(d, c.second, 60), Indicator::kEvictionPressure);
    EXPECT_EQ(r.eligible, c.eligible) << c.name;
    EXPECT_EQ(r.triggered(), c.triggered) << c.name << ": progress " << r.progress;
    EXPECT_DOUBLE_EQ(DetectorHarness::StatOf(r, "memory_ratio"), 0) << c.name;
  }
}

TEST(EvictionPressureTest, AFewMissesOnEvictedKeysAreNotEnough) {
  DetectorHarness h;
  EvictionPressure d(h.Options());
  // 60% of the misses, but only 6 misses on evicted keys (10 needed).
  const Reading r =
      DetectorHarness::Find(h.Step(d, ClassMisses(1, 10, 6)), Indicator::kEvictionPressure);
  EXPECT_TRUE(r.eligible);
  EXPECT_FALSE(r.triggered());
  EXPECT_NEAR(r.progress, 0.6, 1e-9);
}

TEST(EvictionPressureTest, OldMissesLeaveTheWindow) {
  DetectorHarness h;
  h.overrides = {{"d7.window_seconds", 10}};
  EvictionPressure d(h.Options());
  ASSERT_TRUE(
      DetectorHarness::Find(h.Run(d, ClassMisses(2, 100, 30), 10), Indicator::kEvictionPressure)
          .triggered());
  const Reading r =
      DetectorHarness::Find(h.Run(d, ClassMisses(0, 100, 0), 10), Indicator::kEvictionPressure);
  EXPECT_EQ(r.progress, 0);
}

}  // namespace
}  // namespace stampede::detect
