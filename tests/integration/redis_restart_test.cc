// Redis dies, comes back, resets its stats: the exporter keeps serving and no counter drops.
#include <gtest/gtest.h>

#include <thread>

#include "support/exporter_harness.h"
#include "support/exposition.h"
#include "support/redis_server.h"

namespace stampede::testing {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

void Traffic(RedisServer& redis, int n) {
  for (int i = 0; i < n; ++i) {
    redis.Command({"SET", "k" + std::to_string(i), "v"});
    redis.Command({"GET", "k" + std::to_string(i)});
    redis.Command({"GET", "nokey" + std::to_string(i)});
  }
}

/// Every counter series in `before` is present in `after` with a value at least as large.
void ExpectNoCounterDecreased(const std::string& before, const std::string& after) {
  const auto b = CounterSamples(before);
  const auto a = CounterSamples(after);
  ASSERT_FALSE(b.empty());
  for (const auto& [series, value] : b) {
    auto it = a.find(series);
    if (it == a.end()) {
      ADD_FAILURE() << "counter series disappeared: " << series;
      continue;
    }
    EXPECT_GE(it->second, value) << series << " decreased";
  }
}

TEST(RedisRestartTest, KillAndRestartKeepsServingAndCountersMonotonic) {
  RedisServer redis;
  ASSERT_TRUE(redis.Start());
  // The default interval (1s). Up again within 1 s of Redis returning: the sampler retries at
  // most every 500 ms (max_backoff) however long Redis was away.
  ExporterHarness exporter(redis.url(), milliseconds(1000));
  Traffic(redis, 50);
  std::string before;
  ASSERT_TRUE(exporter.ScrapeUntil(
      [](const std::string& b) {
        return SampleValue(b, "stampede_redis_keyspace_hits_total") == 50;
      },
      milliseconds(5000), &before))
      << before;

  redis.Kill();
  std::string during;
  const auto killed = Clock::now();
  bool down = false;
  while (Clock::now() - killed < std::chrono::seconds(5)) {
    const auto t0 = Clock::now();
    const HttpResponse r = exporter.Get("/metrics", milliseconds(1000));
    ASSERT_EQ(r.status, 200) << "scrape while Redis is dead: " << r.error;
    EXPECT_LT(Clock::now() - t0, milliseconds(1000));
    during = r.body;
    if (SampleValue(during, "stampede_redis_up") == 0.0) {
      down = true;
      break;
    }
    std::this_thread::sleep_for(milliseconds(50));
  }
  ASSERT_TRUE(down) << during;
  ExpectNoCounterDecreased(before, during);
  // Keep it down a while, scraping, so the exporter's backoff reaches its maximum.
  std::this_thread::sleep_for(milliseconds(2500));
  const std::string still_down = exporter.Scrape(milliseconds(1000));
  EXPECT_EQ(SampleValue(still_down, "stampede_redis_up"), 0);

  ASSERT_TRUE(redis.Start());
  const auto restarted = Clock::now();
  std::string after;
  ASSERT_TRUE(exporter.ScrapeUntil(
      [](const std::string& b) { return SampleValue(b, "stampede_redis_up") == 1.0; },
      milliseconds(5000), &after));
  const auto took = Clock::now() - restarted;
  EXPECT_LE(took, milliseconds(1000))
      << "up again after " << std::chrono::duration_cast<milliseconds>(took).count() << " ms";
  ExpectNoCounterDecreased(before, after);
  EXPECT_EQ(SampleValue(after, "stampede_redis_restarts_total"), 1);

  // New traffic after the restart adds on top of the old totals.
  Traffic(redis, 10);
  std::string later;
  ASSERT_TRUE(exporter.ScrapeUntil(
      [](const std::string& b) {
        return SampleValue(b, "stampede_redis_keyspace_hits_total") == 60;
      },
      milliseconds(5000), &later))
      << later;
  ExpectNoCounterDecreased(after, later);
}

TEST(RedisRestartTest, ConfigResetStatIsCountedNotShownAsADrop) {
  RedisServer redis;
  ASSERT_TRUE(redis.Start());
  ExporterHarness exporter(redis.url(), milliseconds(100));
  Traffic(redis, 30);
  std::string before;
  ASSERT_TRUE(exporter.ScrapeUntil(
      [](const std::string& b) {
        return SampleValue(b, "stampede_redis_keyspace_hits_total") == 30;
      },
      milliseconds(5000), &before));
  ASSERT_EQ(redis.Command({"CONFIG", "RESETSTAT"}).str, "OK");
  std::string after;
  ASSERT_TRUE(exporter.ScrapeUntil(
      [](const std::string& b) { return SampleValue(b, "stampede_redis_stats_resets_total") == 1; },
      milliseconds(5000), &after))
      << after;
  ExpectNoCounterDecreased(before, after);
  EXPECT_EQ(SampleValue(after, "stampede_redis_restarts_total"), 0);
  Traffic(redis, 5);
  std::string later;
  ASSERT_TRUE(exporter.ScrapeUntil(
      [](const std::string& b) {
        return SampleValue(b, "stampede_redis_keyspace_hits_total") == 35;
      },
      milliseconds(5000), &later))
      << later;
}

}  // namespace
}  // namespace stampede::testing
