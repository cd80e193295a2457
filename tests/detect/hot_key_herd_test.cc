#include "detect/hot_key_herd.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "detector_harness.h"

namespace stampede::detect {
namespace {

using testing::DetectorHarness;

constexpr std::uint64_t kHash = 0x00c0ffee12345678;

HerdKey Key(std::uint64_t hash, double misses, std::uint32_t herd_size, bool refilled,
            Cause cause = Cause::kDel) {
  HerdKey k;
  k.hash = hash;
  k.key = "user:" + std::to_string(hash);
  k.misses = misses;
  k.herd_size = herd_size;
  k.refilled = refilled;
  k.cause = cause;
  return k;
}

// One tick with `keys` as the class's herd candidates, all invalidated 3 s before it.
Reading Evaluate(DetectorHarness& h, std::vector<HerdKey> keys, double window_misses) {
  for (HerdKey& k : keys) {
    k.invalidated_at = h.clock.Now() - std::chrono::seconds(2);  // Step() adds one second
  }
  h.keys.herd_keys = std::move(keys);
  h.keys.window_misses = window_misses;
  h.keys.window_seconds = 10;
  HotKeyHerd d(h.Options());
  return DetectorHarness::Find(h.Step(d, ClassSecond{}), Indicator::kHotKeyHerd);
}

std::vector<HerdKey> ManyKeysMissingOnce(int n) {
  std::vector<HerdKey> keys;
  for (int i = 0; i < n; ++i) {
    keys.push_back(Key(static_cast<std::uint64_t>(i + 1), 1, 1, false));
  }
  return keys;
}

struct HerdCase {
  std::string name;
  std::vector<HerdKey> keys;
  double window_misses;
  bool triggered;
};

TEST(HotKeyHerdTest, HerdVsManyKeysMissingOnce) {
  const std::vector<HerdCase> cases = {
      {"one key, 300 misses since DEL, 80% share", {Key(kHash, 300, 300, false)}, 375, true},
      {"500 keys missing once each", ManyKeysMissingOnce(500), 500, false},
      {"refilled key, 30 misses (needs 50)", {Key(kHash, 30, 30, true)}, 30, false},
      {"unrefilled key, 30 misses (needs 20)", {Key(kHash, 30, 30, false)}, 30, true},
      {"big herd but 5% of a busy class", {Key(kHash, 300, 300, true)}, 6000, false},
  };
  for (const HerdCase& c : cases) {
    DetectorHarness h;
    const Reading r = Evaluate(h, c.keys, c.window_misses);
    EXPECT_TRUE(r.eligible) << c.name;
    EXPECT_EQ(r.triggered(), c.triggered) << c.name << ": progress " << r.progress;
  }
}

TEST(HotKeyHerdTest, TheHerdNamesItsKeyHashAndCause) {
  DetectorHarness h;
  const Reading r = Evaluate(h, {Key(kHash, 300, 300, false)}, 375);
  ASSERT_TRUE(r.triggered());
  EXPECT_EQ(r.key_hash, kHash);
  EXPECT_EQ(r.cause, Cause::kDel);
  EXPECT_EQ(r.key, "user:" + std::to_string(kHash));
  EXPECT_DOUBLE_EQ(DetectorHarness::StatOf(r, "herd_size"), 300);
  EXPECT_DOUBLE_EQ(DetectorHarness::StatOf(r, "herd_share"), 0.8);
  EXPECT_DOUBLE_EQ(DetectorHarness::StatOf(r, "herd_keys"), 1);
}

TEST(HotKeyHerdTest, DetailShowsTheHashButNeverTheRawKey) {
  DetectorHarness h;
  const Reading r = Evaluate(h, {Key(kHash, 1234, 1234, false)}, 1500);
  EXPECT_EQ(r.detail,
            "1,234 misses on key 00c0ffee12345678 since its DEL 3 s earlier (82% of the class's "
            "misses); not refilled yet");
  EXPECT_EQ(r.detail.find("user:"), std::string::npos);
}

TEST(HotKeyHerdTest, TheLargestHerdWinsAndEveryHerdIsCounted) {
  DetectorHarness h;
  const Reading r = Evaluate(h,
                             {Key(1, 100, 100, true, Cause::kExpired),
                              Key(2, 200, 200, false, Cause::kEvicted), Key(3, 5, 5, false)},
                             400);
  ASSERT_TRUE(r.triggered());
  EXPECT_EQ(r.key_hash, 2u);
  EXPECT_EQ(r.cause, Cause::kEvicted);
  EXPECT_DOUBLE_EQ(DetectorHarness::StatOf(r, "herd_keys"), 2);
  EXPECT_NE(r.detail.find("since its eviction"), std::string::npos) << r.detail;
}

TEST(HotKeyHerdTest, ProgressIsTheWeakerConditionOfTheBestKey) {
  DetectorHarness h;
  // Herd size 10 of 20 needed, share 100% of 10%: the herd size holds it back at half.
  const Reading r = Evaluate(h, {Key(kHash, 10, 10, false)}, 10);
  EXPECT_DOUBLE_EQ(r.progress, 0.5);
}

TEST(HotKeyHerdTest, ClassOverridesMoveTheThresholds) {
  DetectorHarness h;
  h.overrides = {{"d4.herd_min_before_refill", 40}};
  EXPECT_FALSE(Evaluate(h, {Key(kHash, 30, 30, false)}, 30).triggered());
}

TEST(HotKeyHerdTest, NoHerdKeysIsNotEligible) {
  DetectorHarness h;
  const Reading r = Evaluate(h, {}, 0);
  EXPECT_FALSE(r.eligible);
  EXPECT_EQ(r.progress, 0);
  EXPECT_FALSE(r.key_hash.has_value());
}

TEST(HotKeyHerdTest, TheAllClassGetsAReadingThatIsNeverEligible) {
  DetectorHarness h(std::string(kAllClass), true);
  h.keys.herd_keys = {Key(kHash, 300, 300, false)};
  h.keys.window_misses = 300;
  HotKeyHerd d(h.Options());
  const std::vector<Reading> out = h.Step(d, ClassSecond{});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].indicator, Indicator::kHotKeyHerd);
  EXPECT_FALSE(out[0].eligible);
}

}  // namespace
}  // namespace stampede::detect

namespace stampede::detect {
namespace {

// A herd over within a second is already refilled when the tick sees it: it must count then,
// and only then, so the indicator clears once the key is back.
TEST(HotKeyHerdTest, ARefilledHerdCountsAtTheFirstTickThatSeesIt) {
  DetectorHarness h;
  HotKeyHerd d(h.Options());
  h.keys.herd_keys = {Key(kHash, 300, 300, true)};
  h.keys.herd_keys[0].invalidated_at = h.clock.Now();
  h.keys.window_misses = 300;
  const Reading first = DetectorHarness::Find(h.Step(d, ClassSecond{}), Indicator::kHotKeyHerd);
  EXPECT_TRUE(first.triggered());
  EXPECT_EQ(first.key_hash, kHash);
  const Reading second = DetectorHarness::Find(h.Step(d, ClassSecond{}), Indicator::kHotKeyHerd);
  EXPECT_FALSE(second.triggered());
  EXPECT_LT(second.progress, 0.5);
  // The same key going away again and herding is a new herd, refilled or not.
  h.keys.herd_keys = {Key(kHash, 300, 300, true)};
  h.keys.herd_keys[0].invalidated_at = h.clock.Now();
  EXPECT_TRUE(DetectorHarness::Find(h.Step(d, ClassSecond{}), Indicator::kHotKeyHerd).triggered());
}

TEST(HotKeyHerdTest, AnUnrefilledHerdHoldsWhileItLasts) {
  DetectorHarness h;
  HotKeyHerd d(h.Options());
  h.keys.herd_keys = {Key(kHash, 300, 300, false)};
  h.keys.window_misses = 300;
  for (int i = 0; i < 5; ++i) {
    EXPECT_TRUE(DetectorHarness::Find(h.Step(d, ClassSecond{}), Indicator::kHotKeyHerd).triggered())
        << i;
  }
}

}  // namespace
}  // namespace stampede::detect
