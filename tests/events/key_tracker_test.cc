#include "events/key_tracker.h"

#include <gtest/gtest.h>

#include "sketch/key_hash.h"
#include "support/fake_clock.h"

namespace stampede::events {
namespace {

using sketch::KeyHash;
using std::chrono::milliseconds;
using std::chrono::seconds;

class KeyTrackerTest : public ::testing::Test {
 protected:
  KeyTrackerTest() {
    // Window boundaries are multiples of 10 s since the clock's epoch: start on one.
    const auto ms = std::chrono::duration_cast<milliseconds>(clock_.Now().time_since_epoch());
    clock_.Advance(milliseconds(10000 - ms.count() % 10000));
  }
  void Miss(const std::string& key, std::uint16_t cls = 1) {
    tracker_.OnMiss(KeyHash(key, 0), key, cls, clock_.Now());
  }
  testing::FakeClock clock_;
  KeyTracker tracker_{TrackerOptions{}, 3};
};

TEST_F(KeyTrackerTest, TopMissedPerClassAndWindow) {
  for (int i = 0; i < 5; ++i) {
    Miss("hot");
  }
  Miss("cold");
  Miss("elsewhere", 2);
  auto top = tracker_.TopMissed(1, 10, false, clock_.Now());
  ASSERT_EQ(top.size(), 2u);
  EXPECT_EQ(top[0].key, "hot");
  EXPECT_EQ(top[0].count, 5u);
  EXPECT_TRUE(tracker_.TopMissed(1, 10, true, clock_.Now()).empty());
  EXPECT_EQ(tracker_.TopMissed(2, 10, false, clock_.Now()).size(), 1u);
  EXPECT_TRUE(tracker_.TopMissed(0, 10, false, clock_.Now()).empty());  // no misses yet

  clock_.Advance(seconds(10));  // next window: the old one is "previous"
  EXPECT_TRUE(tracker_.TopMissed(1, 10, false, clock_.Now()).empty());
  EXPECT_EQ(tracker_.TopMissed(1, 10, true, clock_.Now())[0].key, "hot");
  Miss("fresh");
  EXPECT_EQ(tracker_.TopMissed(1, 10, false, clock_.Now())[0].key, "fresh");
  EXPECT_EQ(tracker_.TopMissed(1, 10, true, clock_.Now())[0].key, "hot");

  clock_.Advance(seconds(20));  // two windows on: both gone
  EXPECT_TRUE(tracker_.TopMissed(1, 10, true, clock_.Now()).empty());
  Miss("x");
  EXPECT_TRUE(tracker_.TopMissed(1, 10, true, clock_.Now()).empty());
}

TEST_F(KeyTrackerTest, DistinctMissedOverWindows) {
  for (int i = 0; i < 100; ++i) {
    Miss("a" + std::to_string(i));
    Miss("a" + std::to_string(i));
  }
  EXPECT_NEAR(tracker_.DistinctMissed(1, 1, clock_.Now()), 100, 3);
  clock_.Advance(seconds(10));
  for (int i = 0; i < 50; ++i) {
    Miss("b" + std::to_string(i));
  }
  EXPECT_NEAR(tracker_.DistinctMissed(1, 1, clock_.Now()), 50, 2);
  EXPECT_NEAR(tracker_.DistinctMissed(1, 2, clock_.Now()), 150, 5);
  EXPECT_NEAR(tracker_.DistinctMissed(1, 6, clock_.Now()), 150, 5);
  clock_.Advance(seconds(60));  // everything aged out of the 6-window ring
  EXPECT_EQ(tracker_.DistinctMissed(1, 6, clock_.Now()), 0);
  EXPECT_EQ(tracker_.DistinctMissed(2, 6, clock_.Now()), 0);
}

TEST_F(KeyTrackerTest, InvalidationThenMissesThenRefill) {
  const std::uint64_t h = KeyHash("user:42", 0);
  tracker_.OnInvalidation(h, sketch::Cause::kDel, 1, clock_.Now());
  clock_.Advance(milliseconds(500));
  Miss("user:42");
  Miss("user:42");
  auto got = tracker_.RecentInvalidation(h, 0, clock_.Now());
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->cause, sketch::Cause::kDel);
  EXPECT_EQ(got->misses_since, 2u);
  EXPECT_FALSE(got->refilled);
  tracker_.OnRefill(h, clock_.Now());
  EXPECT_TRUE(tracker_.RecentInvalidation(h, 0, clock_.Now())->refilled);
  EXPECT_FALSE(tracker_.RecentInvalidation(KeyHash("user:42", 1), 1, clock_.Now()).has_value());
  clock_.Advance(TrackerOptions{}.invalidation_ttl + seconds(1));
  EXPECT_FALSE(tracker_.RecentInvalidation(h, 0, clock_.Now()).has_value());
}

TEST_F(KeyTrackerTest, FlushCoversEveryKeyOfItsDatabase) {
  const std::uint64_t h = KeyHash("k", 3);
  tracker_.OnInvalidation(h, sketch::Cause::kExpired, 1, clock_.Now());
  clock_.Advance(seconds(1));
  tracker_.OnFlush(3, clock_.Now());
  auto got = tracker_.RecentInvalidation(h, 3, clock_.Now());
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->cause, sketch::Cause::kFlush);  // the newer of the two
  EXPECT_EQ(tracker_.RecentInvalidation(KeyHash("never", 3), 3, clock_.Now())->cause,
            sketch::Cause::kFlush);
  EXPECT_FALSE(tracker_.RecentInvalidation(KeyHash("k", 4), 4, clock_.Now()).has_value());
  tracker_.OnFlush(-1, clock_.Now());  // FLUSHALL
  EXPECT_EQ(tracker_.RecentInvalidation(KeyHash("k", 4), 4, clock_.Now())->cause,
            sketch::Cause::kFlush);
  ASSERT_EQ(tracker_.RecentFlushes(clock_.Now()).size(), 2u);
  clock_.Advance(TrackerOptions{}.invalidation_ttl + seconds(1));
  EXPECT_TRUE(tracker_.RecentFlushes(clock_.Now()).empty());
  EXPECT_FALSE(tracker_.RecentInvalidation(KeyHash("never", 3), 3, clock_.Now()).has_value());
}

TEST_F(KeyTrackerTest, FlushRingIsBounded) {
  for (std::size_t i = 0; i < KeyTracker::kMaxFlushes + 5; ++i) {
    tracker_.OnFlush(static_cast<int>(i), clock_.Now());
  }
  const auto flushes = tracker_.RecentFlushes(clock_.Now());
  ASSERT_EQ(flushes.size(), KeyTracker::kMaxFlushes);
  EXPECT_EQ(flushes.front().db, 5);
}

TEST(TrackerOptionsTest, MemoryBoundCoversDefaults) {
  const TrackerOptions o;
  // 66 classes (64 + default + other): the bound stated in README.md (Bounds).
  EXPECT_LE(o.MaxBytes(66), std::size_t{7} << 20);
  // A slot is 24 bytes and its tag 1.
  EXPECT_EQ(sketch::InvalidationTable::BytesFor(65536), 65536 * 25u);
  EXPECT_EQ(sketch::InvalidationTable::BytesFor(65537), 131072 * 25u);
  EXPECT_GE(o.MaxBytes(1), o.invalidation_capacity * 25);
}

TEST(KeyTrackerStatsTest, BytesGrowWithUseAndStayUnderTheBound) {
  testing::FakeClock clock;
  const TrackerOptions o;
  KeyTracker tracker(o, 2);
  const std::size_t empty = tracker.stats().bytes;
  for (int i = 0; i < 100000; ++i) {
    const std::string key = "k" + std::to_string(i);
    tracker.OnMiss(KeyHash(key, 0), key, 1, clock.Now());
  }
  EXPECT_GT(tracker.stats().bytes, empty);
  EXPECT_LE(tracker.stats().bytes, o.MaxBytes(2));
}

}  // namespace
}  // namespace stampede::events
