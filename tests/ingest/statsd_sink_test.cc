// From datagrams to counts: the mapper (default names, mappings, key hashing) and the sink
// (counting by outcome and reason).
#include "ingest/statsd_sink.h"

#include <gtest/gtest.h>

#include <string>

namespace stampede::ingest {
namespace {

constexpr std::uint64_t kSeed = 42;

double Count(const AppCounterStore& store, const std::string& cls, const std::string& tier,
             Signal s) {
  const auto snap = store.Read();
  const auto it = snap.series.find({cls, tier});
  return it == snap.series.end() ? 0 : it->second.counts[static_cast<std::size_t>(s)];
}

class SinkTest : public ::testing::Test {
 protected:
  explicit SinkTest(StatsdConfig config = {})
      : mapper_(std::move(config), kSeed), store_({}), sink_(mapper_, store_, stats_) {}
  void Send(const std::string& packet) { sink_.HandlePacket(packet, Transport::kUdp); }

  StatsdMapper mapper_;
  AppCounterStore store_;
  IngestStats stats_;
  StatsdSink sink_;
};

TEST_F(SinkTest, DefaultNamesCountBySignalClassAndTier) {
  Send(
      "cache.hit:3|c|#class:user,tier:l1\ncache.miss:1|c|#class:user,tier:l1\n"
      "cache.load:1|c|#class:user\ncache.coalesced:4|c|#class:user\n"
      "cache.stale:2|c\ncache.lock_wait:5|c|#tier:l2");
  EXPECT_EQ(Count(store_, "user", "l1", Signal::kHit), 3);
  EXPECT_EQ(Count(store_, "user", "l1", Signal::kMiss), 1);
  EXPECT_EQ(Count(store_, "user", "default", Signal::kLoad), 1);
  EXPECT_EQ(Count(store_, "user", "default", Signal::kCoalesced), 4);
  EXPECT_EQ(Count(store_, "default", "default", Signal::kStale), 2);
  EXPECT_EQ(Count(store_, "default", "l2", Signal::kLockWait), 5);
  EXPECT_EQ(stats_.packets(Transport::kUdp), 1u);
  EXPECT_EQ(stats_.lines_accepted(), 6u);
}

TEST_F(SinkTest, SampleRateScalesCountsAndTimerWeights) {
  Send("cache.hit:1|c|@0.1\ncache.load.time:250|ms|@0.5");
  EXPECT_DOUBLE_EQ(Count(store_, "default", "default", Signal::kHit), 10);
  const auto snap = store_.Read();
  const SeriesCounts& s = snap.series.at({"default", "default"});
  EXPECT_DOUBLE_EQ(s.counts[static_cast<std::size_t>(Signal::kLoadTime)], 2);
  EXPECT_DOUBLE_EQ(s.load_seconds_sum, 0.5);  // 0.25 s × 2
}

TEST_F(SinkTest, TimingTypesAllFeedTheHistogramInSeconds) {
  Send("cache.load.time:5|ms\ncache.load.time:50|h\ncache.load.time:5000|d");
  const auto snap = store_.Read();
  const SeriesCounts& s = snap.series.at({"default", "default"});
  EXPECT_DOUBLE_EQ(s.load_seconds_sum, 5.055);
  EXPECT_DOUBLE_EQ(s.load_buckets[2], 1);   // 0.005 ≤ 0.005
  EXPECT_DOUBLE_EQ(s.load_buckets[5], 1);   // 0.05
  EXPECT_DOUBLE_EQ(s.load_buckets[11], 1);  // 5
}

TEST_F(SinkTest, EveryRefusalCountedByReasonAndOthersKept) {
  Send(
      "cache.hit:1|c\n"
      "cache.hit:1|g\n"        // wrong_type
      "cache.load.time:3|c\n"  // wrong_type
      "cache.miss:-1|c\n"      // negative_value
      "cache.hit|c\n"          // missing_value
      "cache.hit:1|q\n"        // bad_type
      "cache.hit:1|c|@0\n"     // bad_rate
      "cache.hit:1|c|#\n"      // bad_tags
      "cache.hit:1|c|#class:" +
      std::string(200, 'x') +  // label_too_long
      "\nother.metric:1|c\n"   // ignored
      "users:alice|s\n"        // ignored
      "cache.hit:2|c");
  EXPECT_EQ(Count(store_, "default", "default", Signal::kHit), 3);
  EXPECT_EQ(stats_.lines_accepted(), 2u);
  EXPECT_EQ(stats_.lines_ignored(), 2u);
  EXPECT_EQ(stats_.lines_rejected(Reject::kWrongType), 2u);
  EXPECT_EQ(stats_.lines_rejected(Reject::kNegativeValue), 1u);
  EXPECT_EQ(stats_.lines_rejected(Reject::kMissingValue), 1u);
  EXPECT_EQ(stats_.lines_rejected(Reject::kBadType), 1u);
  EXPECT_EQ(stats_.lines_rejected(Reject::kBadRate), 1u);
  EXPECT_EQ(stats_.lines_rejected(Reject::kBadTags), 1u);
  EXPECT_EQ(stats_.lines_rejected(Reject::kLabelTooLong), 1u);
}

TEST_F(SinkTest, KeysAreHashedWithTheSeedAndCountedPerKey) {
  Send(
      "cache.miss:1|c|#key:user:42\ncache.miss:1|c|#key:user:42\ncache.load:1|c|#key:user:42\n"
      "cache.hit:1|c|#key:user:42");
  const auto table = store_.KeyTable();
  ASSERT_EQ(table.size(), 1u);
  EXPECT_EQ(table[0].key_hash, HashKey("user:42", kSeed));
  EXPECT_NE(table[0].key_hash, HashKey("user:42", kSeed + 1));
  EXPECT_DOUBLE_EQ(table[0].misses, 2);
  EXPECT_DOUBLE_EQ(table[0].loads, 1);
}

TEST(StatsdMapper, MappingRulesAndTagAliases) {
  StatsdConfig config;
  config.metrics.push_back({"myapp.cache.*.hits", Signal::kHit, "", "l1"});
  config.metrics.push_back({"legacy.users.*", Signal::kMiss, "user_profile", ""});
  config.metrics.push_back({"myapp.*", Signal::kLoad, "", ""});  // after the more specific
  config.class_tags = {"cache_name"};
  config.tier_tags = {"lay*"};
  config.key_tags = {"cache_key"};
  StatsdMapper mapper(config, kSeed);
  AppCounterStore store({});
  IngestStats stats;
  StatsdSink sink(mapper, store, stats);
  sink.HandlePacket(
      "myapp.cache.users.hits:2|c|#cache_name:users\n"
      "legacy.users.miss:1|c|#class:ignored,layer:edge\n"
      "myapp.db:1|c|#cache_name:orders,layer:l2,cache_key:o:1\n"
      "cache.hit:1|c|#cache_name:direct\n"
      "notmine:1|c",
      Transport::kUnixgram);
  EXPECT_EQ(Count(store, "users", "l1", Signal::kHit), 2);
  EXPECT_EQ(Count(store, "user_profile", "edge", Signal::kMiss), 1);
  EXPECT_EQ(Count(store, "orders", "l2", Signal::kLoad), 1);
  EXPECT_EQ(Count(store, "direct", "default", Signal::kHit), 1);
  EXPECT_EQ(stats.lines_ignored(), 1u);
  EXPECT_EQ(stats.packets(Transport::kUnixgram), 1u);
  ASSERT_EQ(store.KeyTable().size(), 1u);
  EXPECT_EQ(store.KeyTable()[0].key_hash, HashKey("o:1", kSeed));
}

}  // namespace
}  // namespace stampede::ingest
