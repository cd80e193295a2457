#include "collectors/info_collector.h"

#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include <sstream>

#include "redis/info_parser.h"
#include "support/exposition.h"
#include "support/fixtures.h"

namespace stampede::collectors {
namespace {

using stampede::testing::ReadTestFile;
using stampede::testing::SampleValue;

std::string Scrape(const InfoCollector& c) {
  Families fams;
  c.Collect(fams);
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, fams);
  return out.str();
}

redis::InfoSnapshot Info(const std::string& text) { return redis::ParseInfo(text); }

std::string Stats(const std::string& run_id, int uptime, int hits, int misses) {
  return "# Server\r\nrun_id:" + run_id + "\r\nuptime_in_seconds:" + std::to_string(uptime) +
         "\r\n# Stats\r\nkeyspace_hits:" + std::to_string(hits) +
         "\r\nkeyspace_misses:" + std::to_string(misses) + "\r\n";
}

// Each INFO fixture, through the collector, against its exposition golden. The goldens are
// also checked by `promtool check metrics` (ctest golden.promtool_check_metrics).
TEST(InfoCollectorTest, FixturesMatchGoldens) {
  const std::pair<const char*, const char*> cases[] = {
      {"redis-7.0-standalone.txt", "info_collector.prom"},
      {"redis-7.0-replica.txt", "info_collector_replica.prom"},
      {"redis-6.2-handwritten.txt", "info_collector_6.2.prom"},
      {"redis-7.2-handwritten.txt", "info_collector_7.2.prom"},
  };
  for (const auto& [fixture, golden] : cases) {
    SCOPED_TRACE(fixture);
    InfoCollector c;
    c.OnInfo(Info(ReadTestFile(std::string("fixtures/info/") + fixture)),
             std::chrono::milliseconds(1));
    const std::string diff = stampede::testing::CompareWithGolden(golden, Scrape(c));
    EXPECT_TRUE(diff.empty()) << diff;
  }
}

TEST(InfoCollectorTest, ExportsFixtureValuesInBaseUnits) {
  const std::string raw = ReadTestFile("fixtures/info/redis-7.0-standalone.txt");
  const redis::InfoSnapshot info = Info(raw);
  InfoCollector c;
  c.OnInfo(info, std::chrono::milliseconds(3));
  const std::string text = Scrape(c);
  EXPECT_EQ(SampleValue(text, "stampede_redis_up"), 1);
  EXPECT_EQ(SampleValue(text, "stampede_redis_keyspace_hits_total"), info.Number("keyspace_hits"));
  EXPECT_EQ(SampleValue(text, "stampede_redis_keyspace_misses_total"),
            info.Number("keyspace_misses"));
  EXPECT_EQ(SampleValue(text, "stampede_redis_memory_used_bytes"), info.Number("used_memory"));
  EXPECT_DOUBLE_EQ(*SampleValue(text, "stampede_redis_expired_stale_ratio"),
                   *info.Number("expired_stale_perc") / 100);
  ASSERT_FALSE(info.keyspace.empty());
  EXPECT_EQ(SampleValue(text, "stampede_redis_db_keys{db=\"0\"}"), info.keyspace[0].keys);
  EXPECT_DOUBLE_EQ(*SampleValue(text, "stampede_redis_db_avg_ttl_seconds{db=\"0\"}"),
                   info.keyspace[0].avg_ttl_ms / 1000);
  EXPECT_EQ(SampleValue(text,
                        "stampede_redis_instance_info{redis_version=\"7.0.15\",redis_mode="
                        "\"standalone\",role=\"master\"}"),
            1);
  EXPECT_TRUE(SampleValue(text, "stampede_redis_commands_total{cmd=\"get\"}").has_value());
  EXPECT_TRUE(SampleValue(text, "stampede_redis_errors_total{err=\"ERR\"}").has_value());
  EXPECT_TRUE(
      SampleValue(text, "stampede_redis_latency_percentiles_seconds{cmd=\"get\",quantile=\"0.99\"}")
          .has_value());
  EXPECT_EQ(SampleValue(text, "stampede_redis_latency_percentiles_seconds_count{cmd=\"get\"}"),
            SampleValue(text, "stampede_redis_commands_total{cmd=\"get\"}"));
  EXPECT_EQ(SampleValue(text, "stampede_redis_info_sample_duration_seconds"), 0.003);
}

TEST(InfoCollectorTest, DownKeepsCountersButDropsGauges) {
  InfoCollector c;
  c.OnInfo(Info(Stats("a", 10, 90, 10) + "# Memory\r\nused_memory:1000\r\n"),
           std::chrono::milliseconds(1));
  c.OnInfoError(redis::SampleError::kConnect, std::chrono::milliseconds(2));
  const std::string text = Scrape(c);
  EXPECT_EQ(SampleValue(text, "stampede_redis_up"), 0);
  EXPECT_EQ(SampleValue(text, "stampede_redis_keyspace_hits_total"), 90);
  EXPECT_FALSE(SampleValue(text, "stampede_redis_memory_used_bytes").has_value());
  EXPECT_EQ(SampleValue(text, "stampede_redis_info_errors_total{reason=\"connect\"}"), 1);
  EXPECT_EQ(SampleValue(text, "stampede_redis_info_errors_total{reason=\"io\"}"), 0);
  Families fams;
  EXPECT_FALSE(c.Collect(fams).ok());
}

// Scrapes between samples reuse what the last sample built; every sample and every failed one
// shows at the next scrape.
TEST(InfoCollectorTest, EachSampleOrFailureShowsAtTheNextScrape) {
  InfoCollector c;
  c.OnInfo(Info(Stats("a", 10, 90, 10) + "# Memory\r\nused_memory:1000\r\n"),
           std::chrono::milliseconds(1));
  const std::string first = Scrape(c);
  EXPECT_EQ(Scrape(c), first);
  EXPECT_EQ(SampleValue(first, "stampede_redis_memory_used_bytes"), 1000);
  c.OnInfo(Info(Stats("a", 11, 95, 12) + "# Memory\r\nused_memory:2000\r\n"),
           std::chrono::milliseconds(1));
  std::string text = Scrape(c);
  EXPECT_EQ(SampleValue(text, "stampede_redis_keyspace_hits_total"), 95);
  EXPECT_EQ(SampleValue(text, "stampede_redis_memory_used_bytes"), 2000);
  EXPECT_EQ(SampleValue(text, "stampede_redis_info_samples_total"), 2);
  Families fams;
  EXPECT_TRUE(c.Collect(fams).ok());
  c.OnInfoError(redis::SampleError::kIo, std::chrono::milliseconds(3));
  text = Scrape(c);
  EXPECT_EQ(SampleValue(text, "stampede_redis_up"), 0);
  EXPECT_EQ(SampleValue(text, "stampede_redis_info_errors_total{reason=\"io\"}"), 1);
  EXPECT_FALSE(SampleValue(text, "stampede_redis_memory_used_bytes").has_value());
  fams.clear();
  EXPECT_FALSE(c.Collect(fams).ok());
  c.OnInfo(Info(Stats("a", 12, 99, 12)), std::chrono::milliseconds(1));
  fams.clear();
  EXPECT_TRUE(c.Collect(fams).ok());
  EXPECT_EQ(SampleValue(Scrape(c), "stampede_redis_up"), 1);
}

TEST(InfoCollectorTest, CountersSurviveRestartAndResetStat) {
  InfoCollector c;
  c.OnInfo(Info(Stats("a", 100, 900, 100)), std::chrono::milliseconds(1));
  c.OnInfo(Info(Stats("b", 1, 5, 2)), std::chrono::milliseconds(1));  // restart
  c.OnInfo(Info(Stats("b", 2, 1, 1)), std::chrono::milliseconds(1));  // CONFIG RESETSTAT
  c.OnInfo(Info(Stats("b", 3, 11, 3)), std::chrono::milliseconds(1));
  const std::string text = Scrape(c);
  EXPECT_EQ(SampleValue(text, "stampede_redis_keyspace_hits_total"), 900 + 5 + 1 + 10);
  EXPECT_EQ(SampleValue(text, "stampede_redis_keyspace_misses_total"), 100 + 2 + 1 + 2);
  EXPECT_EQ(SampleValue(text, "stampede_redis_restarts_total"), 1);
  EXPECT_EQ(SampleValue(text, "stampede_redis_stats_resets_total"), 1);
}

TEST(InfoCollectorTest, CommandSeriesAreCappedWithOverflowCounted) {
  std::string text = "# Commandstats\r\n";
  const std::size_t n = InfoCollector::kMaxCommands + 10;
  for (std::size_t i = 0; i < n; ++i) {
    text += "cmdstat_c" + std::to_string(i) + ":calls=1,usec=2,usec_per_call=2.00\r\n";
  }
  InfoCollector c;
  c.OnInfo(Info(text), std::chrono::milliseconds(1));
  const auto samples = stampede::testing::ParseExposition(Scrape(c));
  std::size_t series = 0;
  for (const auto& [name, value] : samples) {
    if (name.rfind("stampede_redis_commands_total{", 0) == 0) {
      ++series;
    }
  }
  EXPECT_EQ(series, InfoCollector::kMaxCommands + 1);
  EXPECT_EQ(samples.at("stampede_redis_commands_total{cmd=\"_other\"}"), 10);
  EXPECT_EQ(samples.at("stampede_redis_info_overflow_total"), 10);
}

TEST(InfoCollectorTest, NonNumericCounterFieldIsCountedAsParseError) {
  InfoCollector c;
  c.OnInfo(Info("# Stats\r\nkeyspace_hits:lots\r\nkeyspace_misses:4\r\n"),
           std::chrono::milliseconds(1));
  const std::string text = Scrape(c);
  EXPECT_FALSE(SampleValue(text, "stampede_redis_keyspace_hits_total").has_value());
  EXPECT_EQ(SampleValue(text, "stampede_redis_keyspace_misses_total"), 4);
  EXPECT_EQ(SampleValue(text, "stampede_redis_info_parse_errors_total"), 1);
}

}  // namespace
}  // namespace stampede::collectors
