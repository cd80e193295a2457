#include "ingest/app_counters.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace stampede::ingest {
namespace {

AppEvent Hit(std::string_view cls, std::string_view tier, double n = 1) {
  AppEvent e;
  e.signal = Signal::kHit;
  e.class_name = cls;
  e.tier = tier;
  e.weight = n;
  return e;
}

TEST(AppCounterStore, ClassesPastTheBoundGoToOtherAndAreCounted) {
  AppCounterStore store({/*max_classes=*/3, /*max_tiers=*/8, /*max_key_hashes=*/16});
  std::vector<AppEvent> events = {Hit("a", "l1"), Hit("b", "l1"), Hit("c", "l1", 2),
                                  Hit("d", "l1", 3), Hit("a", "l1")};
  store.Apply(events);
  const auto snap = store.Read();
  EXPECT_EQ(snap.series.size(), 3u);  // a, b, other
  EXPECT_DOUBLE_EQ(snap.series.at({"a", "l1"}).counts[0], 2);
  EXPECT_DOUBLE_EQ(snap.series.at({"other", "l1"}).counts[0], 5);
  EXPECT_EQ(snap.class_overflows, 2u);
  EXPECT_EQ(snap.tier_overflows, 0u);
}

TEST(AppCounterStore, TiersPastTheBoundGoToOther) {
  AppCounterStore store({64, 2, 16});
  std::vector<AppEvent> events = {Hit("a", "l1"), Hit("a", "l2"), Hit("a", "edge")};
  store.Apply(events);
  const auto snap = store.Read();
  EXPECT_DOUBLE_EQ(snap.series.at({"a", "other"}).counts[0], 2);
  EXPECT_EQ(snap.tier_overflows, 2u);
}

TEST(AppCounterStore, KeyTableIsBoundedAndDrains) {
  AppCounterStore store({64, 8, /*max_key_hashes=*/2});
  std::vector<AppEvent> events;
  for (std::uint64_t k = 1; k <= 4; ++k) {
    AppEvent e;
    e.signal = Signal::kMiss;
    e.key_hash = k;
    events.push_back(e);
  }
  events.push_back(events[0]);  // a known key still counts when the table is full
  store.Apply(events);
  auto snap = store.Read();
  EXPECT_EQ(snap.key_hashes, 2u);
  EXPECT_EQ(snap.key_overflows, 2u);
  std::vector<KeyCounts> drained = store.DrainKeyTable();
  ASSERT_EQ(drained.size(), 2u);
  double misses = drained[0].misses + drained[1].misses;
  EXPECT_DOUBLE_EQ(misses, 3);
  EXPECT_TRUE(store.KeyTable().empty());
  // Misses still count in the series, whatever the key table did.
  EXPECT_DOUBLE_EQ(store.Read().series.at({"default", "default"}).counts[1], 5);
}

TEST(AppCounterStore, KeyOnlyEventsTouchOnlyTheKeyTable) {
  AppCounterStore store({});
  AppEvent e;
  e.signal = Signal::kLoad;
  e.key_hash = 7;
  e.key_only = true;
  store.Apply(std::vector<AppEvent>{e});
  EXPECT_TRUE(store.Read().series.empty());
  ASSERT_EQ(store.KeyTable().size(), 1u);
  EXPECT_DOUBLE_EQ(store.KeyTable()[0].loads, 1);
}

TEST(AppCounterStore, LoadDurationsLandInTheirBuckets) {
  AppCounterStore store({});
  std::vector<AppEvent> events;
  for (const double s : {0.0005, 0.001, 0.3, 100.0}) {
    AppEvent e;
    e.signal = Signal::kLoadTime;
    e.seconds = s;
    events.push_back(e);
  }
  store.Apply(events);
  const auto snap = store.Read();
  const SeriesCounts& s = snap.series.at({"default", "default"});
  EXPECT_DOUBLE_EQ(s.load_buckets[0], 2);  // le 0.001 (inclusive)
  EXPECT_DOUBLE_EQ(s.load_buckets[8], 1);  // le 0.5
  double in_buckets = 0;
  for (double b : s.load_buckets) {
    in_buckets += b;
  }
  EXPECT_DOUBLE_EQ(in_buckets, 3);  // 100 s only in +Inf
  EXPECT_DOUBLE_EQ(s.counts[static_cast<std::size_t>(Signal::kLoadTime)], 4);
  EXPECT_DOUBLE_EQ(s.load_seconds_sum, 100.3015);
}

}  // namespace
}  // namespace stampede::ingest
