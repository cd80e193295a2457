#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>
#include <string>

#include "sketch/hyperloglog.h"
#include "sketch/invalidation_table.h"
#include "sketch/key_hash.h"
#include "sketch/space_saving.h"
#include "support/fake_clock.h"

namespace stampede::sketch {
namespace {

using std::chrono::seconds;

std::uint64_t H(const std::string& key) { return KeyHash(key, 0); }

TEST(KeyHashTest, DatabaseIsPartOfTheKey) {
  EXPECT_EQ(KeyHash("a", 0), KeyHash("a", 0));
  EXPECT_NE(KeyHash("a", 0), KeyHash("a", 1));
  EXPECT_NE(KeyHash("a", 0), KeyHash("b", 0));
}

TEST(SpaceSavingTest, ExactWhileUnderCapacity) {
  SpaceSaving top(4);
  for (int i = 0; i < 5; ++i) {
    top.Offer(H("a"), "a");
  }
  top.Offer(H("b"), "b", 3);
  top.Offer(H("c"), "c");
  const auto got = top.Top(10);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].key, "a");
  EXPECT_EQ(got[0].count, 5u);
  EXPECT_EQ(got[0].error, 0u);
  EXPECT_EQ(got[1].key, "b");
  EXPECT_EQ(got[1].count, 3u);
  EXPECT_EQ(got[2].key, "c");
  EXPECT_EQ(top.total(), 9u);
  EXPECT_EQ(top.Top(1).size(), 1u);
}

TEST(SpaceSavingTest, NewcomerReplacesTheMinimumAndInheritsItsCount) {
  SpaceSaving top(2);
  top.Offer(H("a"), "a", 5);
  top.Offer(H("b"), "b", 2);
  top.Offer(H("c"), "c");  // replaces b: count 3, error 2
  EXPECT_EQ(top.Find(H("b")), nullptr);
  const SpaceSaving::Entry* c = top.Find(H("c"));
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->count, 3u);
  EXPECT_EQ(c->error, 2u);
  EXPECT_EQ(top.size(), 2u);
}

TEST(SpaceSavingTest, GuaranteesHoldOnASkewedStream) {
  constexpr std::size_t kCapacity = 32;
  SpaceSaving top(kCapacity);
  std::map<std::string, std::uint64_t> truth;
  std::mt19937 rng(1);
  std::uint64_t n = 0;
  for (int i = 0; i < 20000; ++i) {
    // Half the stream on 4 hot keys, the rest spread over 5000 keys.
    const std::string key = (rng() % 2 == 0) ? "hot" + std::to_string(rng() % 4)
                                             : "cold" + std::to_string(rng() % 5000);
    top.Offer(H(key), key);
    ++truth[key];
    ++n;
  }
  EXPECT_EQ(top.total(), n);
  for (const auto& e : top.Top(kCapacity)) {
    const std::uint64_t f = truth[e.key];
    EXPECT_LE(e.count - e.error, f) << e.key;
    EXPECT_GE(e.count, f) << e.key;
  }
  for (const auto& [key, f] : truth) {
    if (f > n / kCapacity) {
      EXPECT_NE(top.Find(H(key)), nullptr) << key << " with " << f;
    }
  }
  const auto best = top.Top(4);
  for (const auto& e : best) {
    EXPECT_EQ(e.key.rfind("hot", 0), 0u) << e.key;
  }
}

TEST(SpaceSavingTest, CountersSumToTheTotalWithRandomWeights) {
  // Once full, Space-Saving's counters always sum to the total weight offered; a bucket
  // bookkeeping slip breaks it at once. Also checks the bounds against the truth.
  for (const std::size_t capacity : {1u, 2u, 7u, 64u}) {
    SpaceSaving top(capacity);
    std::map<std::string, std::uint64_t> truth;
    std::mt19937 rng(static_cast<unsigned>(capacity));
    for (int i = 0; i < 5000; ++i) {
      const std::string key = "k" + std::to_string(rng() % (3 * capacity + 5));
      const std::uint64_t weight = 1 + rng() % 4;
      top.Offer(H(key), key, weight);
      truth[key] += weight;
      if (i % 97 == 0 || i == 4999) {
        std::uint64_t sum = 0;
        std::uint64_t previous = UINT64_MAX;
        for (const auto& e : top.Top(capacity)) {
          sum += e.count;
          EXPECT_LE(e.count, previous) << "Top is not sorted";
          previous = e.count;
          EXPECT_LE(e.count - e.error, truth[e.key]) << e.key;
          EXPECT_GE(e.count, truth[e.key]) << e.key;
          ASSERT_NE(top.Find(e.hash), nullptr);
        }
        EXPECT_EQ(sum, top.total()) << "capacity " << capacity << " step " << i;
      }
    }
    EXPECT_EQ(top.size(), capacity);
    top.Clear();
    top.Offer(H("again"), "again", 2);
    ASSERT_EQ(top.Top(5).size(), 1u);
    EXPECT_EQ(top.Top(5)[0].count, 2u);
  }
}

TEST(SpaceSavingTest, LongKeysAreTruncatedAndClearEmpties) {
  SpaceSaving top(2);
  const std::string long_key(300, 'k');
  top.Offer(H(long_key), long_key);
  auto got = top.Top(1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].key.size(), SpaceSaving::kMaxKeyBytes);
  EXPECT_TRUE(got[0].truncated);
  top.Clear();
  EXPECT_EQ(top.size(), 0u);
  EXPECT_EQ(top.total(), 0u);
  EXPECT_TRUE(top.Top(5).empty());
}

TEST(HyperLogLogTest, SmallCountsAreNearlyExact) {
  HyperLogLog hll(11);
  EXPECT_EQ(hll.Estimate(), 0);
  for (int i = 0; i < 100; ++i) {
    hll.Add(H("k" + std::to_string(i)));
    hll.Add(H("k" + std::to_string(i)));  // duplicates do not count
  }
  EXPECT_NEAR(hll.Estimate(), 100, 3);
}

TEST(HyperLogLogTest, LargeCountsWithinThreeStandardErrors) {
  for (const int precision : {10, 12}) {
    HyperLogLog hll(precision);
    constexpr int kN = 200000;
    for (int i = 0; i < kN; ++i) {
      hll.Add(H("key:" + std::to_string(i)));
    }
    const double error = 1.04 / std::sqrt(std::ldexp(1.0, precision));
    EXPECT_NEAR(hll.Estimate(), kN, 3 * error * kN) << precision;
    EXPECT_EQ(hll.bytes(), std::size_t{1} << precision);
  }
}

TEST(HyperLogLogTest, MergeEstimatesTheUnion) {
  HyperLogLog a(12);
  HyperLogLog b(12);
  for (int i = 0; i < 3000; ++i) {
    a.Add(H("k" + std::to_string(i)));
    b.Add(H("k" + std::to_string(i + 1500)));
  }
  a.Merge(b);
  EXPECT_NEAR(a.Estimate(), 4500, 4500 * 0.05);
  HyperLogLog other(10);
  other.Add(H("x"));
  a.Merge(other);  // a precision mismatch is ignored
  EXPECT_NEAR(a.Estimate(), 4500, 4500 * 0.05);
  a.Clear();
  EXPECT_EQ(a.Estimate(), 0);
  EXPECT_TRUE(a.empty());
}

TEST(InvalidationTableTest, RemembersForTheTtlOnly) {
  testing::FakeClock clock;
  InvalidationTable table(1024, seconds(30));
  table.Record(H("a"), Cause::kExpired, 3, clock.Now());
  clock.Advance(seconds(10));
  auto got = table.Find(H("a"), clock.Now());
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->cause, Cause::kExpired);
  EXPECT_EQ(got->class_id, 3);
  EXPECT_EQ(clock.Now() - got->at, seconds(10));
  EXPECT_FALSE(table.Find(H("b"), clock.Now()).has_value());
  clock.Advance(seconds(20));
  EXPECT_TRUE(table.Find(H("a"), clock.Now()).has_value());  // exactly at the TTL: still live
  clock.Advance(std::chrono::milliseconds(1));
  EXPECT_FALSE(table.Find(H("a"), clock.Now()).has_value());
  EXPECT_EQ(table.Live(clock.Now()), 0u);
}

TEST(InvalidationTableTest, CountsMissesAndRefill) {
  testing::FakeClock clock;
  InvalidationTable table(1024, seconds(30));
  EXPECT_FALSE(table.OnMiss(H("a"), clock.Now()).has_value());
  table.Record(H("a"), Cause::kDel, 1, clock.Now());
  table.OnMiss(H("a"), clock.Now());
  const auto got = table.OnMiss(H("a"), clock.Now());
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->misses_since, 2u);
  EXPECT_FALSE(got->refilled);
  table.OnRefill(H("a"), clock.Now());
  EXPECT_TRUE(table.Find(H("a"), clock.Now())->refilled);
  // A new invalidation of the same key starts over.
  table.Record(H("a"), Cause::kEvicted, 1, clock.Now());
  EXPECT_EQ(table.Find(H("a"), clock.Now())->misses_since, 0u);
  EXPECT_EQ(table.Find(H("a"), clock.Now())->cause, Cause::kEvicted);
  EXPECT_EQ(table.Live(clock.Now()), 1u);
}

TEST(InvalidationTableTest, FullTableReplacesTheOldestAndCountsIt) {
  testing::FakeClock clock;
  InvalidationTable table(8, seconds(30));  // one probe window: 8 slots
  ASSERT_EQ(table.capacity(), 8u);
  for (int i = 0; i < 8; ++i) {
    table.Record(H("k" + std::to_string(i)), Cause::kDel, 0, clock.Now());
    clock.Advance(seconds(1));
  }
  EXPECT_EQ(table.overflow(), 0u);
  EXPECT_EQ(table.Live(clock.Now()), 8u);
  table.Record(H("new"), Cause::kDel, 0, clock.Now());
  EXPECT_EQ(table.overflow(), 1u);
  EXPECT_FALSE(table.Find(H("k0"), clock.Now()).has_value());  // the oldest went
  EXPECT_TRUE(table.Find(H("k1"), clock.Now()).has_value());
  EXPECT_TRUE(table.Find(H("new"), clock.Now()).has_value());
  // Expired slots are reused without overflow.
  clock.Advance(seconds(31));
  table.Record(H("later"), Cause::kDel, 0, clock.Now());
  EXPECT_EQ(table.overflow(), 1u);
  EXPECT_EQ(table.bytes(), 8 * (24u + 1));  // slots and their tags
}

// Keys that share a home slot, and some their tag (the top 8 bits), each keep their own entry:
// a tag only lets a lookup skip a slot, the full hash decides.
TEST(InvalidationTableTest, SharedHomeSlotsAndTagsNeverMixKeys) {
  testing::FakeClock clock;
  InvalidationTable table(8, seconds(30));
  const std::uint64_t a = 0x0100000000000001;  // home slot 1, tag 0x01
  const std::uint64_t b = 0x0100000000000009;  // home slot 1, tag 0x01 too
  const std::uint64_t c = 0x8000000000000001;  // home slot 1, tag 0x81
  table.Record(a, Cause::kDel, 1, clock.Now());
  table.Record(c, Cause::kExpired, 3, clock.Now());
  EXPECT_FALSE(table.Find(b, clock.Now()).has_value());
  EXPECT_FALSE(table.OnMiss(b, clock.Now()).has_value());
  table.OnMiss(a, clock.Now());
  table.Record(b, Cause::kEvicted, 2, clock.Now());
  ASSERT_TRUE(table.Find(a, clock.Now()).has_value());
  ASSERT_TRUE(table.Find(b, clock.Now()).has_value());
  ASSERT_TRUE(table.Find(c, clock.Now()).has_value());
  EXPECT_EQ(table.Find(a, clock.Now())->misses_since, 1u);
  EXPECT_EQ(table.Find(b, clock.Now())->misses_since, 0u);
  EXPECT_EQ(table.Find(b, clock.Now())->cause, Cause::kEvicted);
  EXPECT_EQ(table.Find(c, clock.Now())->class_id, 3);
  EXPECT_EQ(table.Live(clock.Now()), 3u);
}

TEST(InvalidationTableTest, CauseNames) {
  EXPECT_EQ(CauseName(Cause::kDel), "del");
  EXPECT_EQ(CauseName(Cause::kExpired), "expired");
  EXPECT_EQ(CauseName(Cause::kEvicted), "evicted");
  EXPECT_EQ(CauseName(Cause::kFlush), "flush");
}

}  // namespace
}  // namespace stampede::sketch
