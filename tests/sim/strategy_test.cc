// The simulator's protection strategies against a real redis-server: how many origin loads
// concurrent readers cause under each, what they are served, and the origin's overload model.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <latch>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "cache_client.h"
#include "origin.h"
#include "redis_link.h"
#include "support/redis_server.h"
#include "support/wait_for.h"

namespace stampede::sim {
namespace {

using stampede::testing::WaitFor;

using std::chrono::milliseconds;
using std::chrono::seconds;

Origin::Options OriginWith(milliseconds latency) {
  Origin::Options o;
  o.latency = latency;
  return o;
}

std::size_t CountOf(const std::vector<GetResult>& results, GetResult r) {
  return static_cast<std::size_t>(std::count(results.begin(), results.end(), r));
}

// Starts `n` threads; thread i takes a session of clients[i % size], connects it, waits until
// every thread has, then Gets key_of(i). The results, by thread.
std::vector<GetResult> GetTogether(const std::vector<CacheClient*>& clients, std::size_t n,
                                   const std::function<std::string(std::size_t)>& key_of) {
  std::vector<GetResult> results(n, GetResult::kError);
  std::latch ready(static_cast<std::ptrdiff_t>(n));
  std::vector<std::thread> threads;
  threads.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      CacheClient::Session session = clients[i % clients.size()]->NewSession();
      const std::string key = key_of(i);
      session.link().Command({"PING"});  // connected before the race
      ready.arrive_and_wait();
      results[i] = session.Get(key);
    });
  }
  for (std::thread& t : threads) {
    t.join();
  }
  return results;
}

std::vector<GetResult> GetTogether(CacheClient& client, std::size_t n, const std::string& key) {
  return GetTogether({&client}, n, [&](std::size_t) { return key; });
}

// Gets `key` every `every` for `how_long`: the results.
std::vector<GetResult> ReadFor(CacheClient::Session& session, const std::string& key,
                               milliseconds how_long, milliseconds every) {
  std::vector<GetResult> results;
  const auto until = std::chrono::steady_clock::now() + how_long;
  while (std::chrono::steady_clock::now() < until) {
    results.push_back(session.Get(key));
    std::this_thread::sleep_for(every);
  }
  return results;
}

class StrategyTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(redis_.Start()); }

  RedisEndpoint Endpoint() const {
    RedisEndpoint e;
    e.port = redis_.port();
    e.timeout = milliseconds(5000);
    return e;
  }
  CacheClient::Options ClientWith(Protection protection) const {
    CacheClient::Options o;
    o.redis = Endpoint();
    o.protection = protection;
    return o;
  }
  void Del(const std::string& key) { redis_.Command({"DEL", key}); }
  // The payload of the envelope stored at `key`, or "" when there is none.
  std::string StoredPayload(const std::string& key) {
    const redis::Reply r = redis_.Command({"GET", key});
    const std::optional<Envelope> e = DecodeEnvelope(r.str);
    return r.type == redis::Reply::Type::kString && e ? e->payload : "";
  }
  // PTTL of every key, in milliseconds.
  std::vector<long long> Pttls(const std::vector<std::string>& keys) {
    RedisLink link(Endpoint());
    std::vector<std::vector<std::string>> commands;
    for (const std::string& key : keys) {
      commands.push_back({"PTTL", key});
    }
    std::vector<long long> out;
    for (const RedisReply& r : link.Pipeline(commands)) {
      out.push_back(r.integer);
    }
    return out;
  }
  // Loads every key once through `client` (one session, one after the other).
  void LoadAll(CacheClient& client, const std::vector<std::string>& keys) {
    CacheClient::Session session = client.NewSession();
    for (const std::string& key : keys) {
      ASSERT_EQ(session.Get(key), GetResult::kLoaded) << key;
    }
  }

  testing::RedisServer redis_;
};

// --- names and the value format ----------------------------------------------------------

TEST(ProtectionNames, RoundTripAndTheOldSpelling) {
  ASSERT_EQ(AllProtections().size(), 6u);
  for (const Protection p : AllProtections()) {
    EXPECT_EQ(ParseProtection(ProtectionName(p)), p) << ProtectionName(p);
  }
  EXPECT_EQ(ProtectionName(Protection::kSingleFlight), "single-flight");
  EXPECT_EQ(ParseProtection("single_flight"), Protection::kSingleFlight);
  EXPECT_EQ(ParseProtection("swr"), Protection::kSwr);
  EXPECT_EQ(ParseProtection("magic"), std::nullopt);
}

TEST(EnvelopeFormat, RoundTripsAndRejectsForeignValues) {
  const Envelope e{1700000000123, 42, "origin:user:1:7|with|bars"};
  const std::optional<Envelope> back = DecodeEnvelope(EncodeEnvelope(e));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->expiry_ms, e.expiry_ms);
  EXPECT_EQ(back->delta_ms, e.delta_ms);
  EXPECT_EQ(back->payload, e.payload);
  EXPECT_FALSE(DecodeEnvelope("seed:user:1").has_value());
  EXPECT_FALSE(DecodeEnvelope("12|x|payload").has_value());
  EXPECT_FALSE(DecodeEnvelope("12|34").has_value());
}

// --- none, single-flight, lock -----------------------------------------------------------

TEST_F(StrategyTest, NoneLoadsOncePerConcurrentMiss) {
  Origin origin(OriginWith(milliseconds(300)));
  CacheClient client(ClientWith(Protection::kNone), origin, nullptr);
  const std::vector<GetResult> results = GetTogether(client, 20, "user:1");
  EXPECT_EQ(CountOf(results, GetResult::kLoaded), 20u);
  EXPECT_EQ(origin.LoadsOf("user:1"), 20u);
  EXPECT_EQ(client.stats().misses, 20u);
  EXPECT_EQ(client.stats().loads, 20u);
}

TEST_F(StrategyTest, SingleFlightCoalescesConcurrentMissesIntoOneLoad) {
  Origin origin(OriginWith(milliseconds(300)));
  CacheClient client(ClientWith(Protection::kSingleFlight), origin, nullptr);
  std::vector<GetResult> results = GetTogether(client, 50, "user:1");
  EXPECT_EQ(CountOf(results, GetResult::kLoaded), 1u);
  EXPECT_EQ(CountOf(results, GetResult::kCoalesced), 49u);
  EXPECT_EQ(origin.LoadsOf("user:1"), 1u);
  EXPECT_EQ(client.stats().coalesced, 49u);

  Del("user:1");  // an invalidation: the next herd loads once more
  results = GetTogether(client, 50, "user:1");
  EXPECT_EQ(CountOf(results, GetResult::kLoaded), 1u);
  EXPECT_EQ(origin.LoadsOf("user:1"), 2u);
  EXPECT_EQ(client.stats().coalesced, 98u);
}

TEST_F(StrategyTest, FailedOriginLoadIsAnErrorForEveryWaiter) {
  Origin::Options o = OriginWith(milliseconds(300));
  o.max_concurrency = 1;
  o.queue_timeout = milliseconds(50);
  Origin origin(o);
  CacheClient client(ClientWith(Protection::kSingleFlight), origin, nullptr);
  std::thread blocker([&] { origin.Load("blocker"); });  // holds the only slot for 300 ms
  ASSERT_TRUE(WaitFor([&] { return origin.stats().loads == 1; }, milliseconds(2000)));
  const std::vector<GetResult> results = GetTogether(client, 10, "user:1");
  blocker.join();
  EXPECT_EQ(CountOf(results, GetResult::kError), 10u);
  EXPECT_EQ(client.stats().errors, 10u);
  // Each Get either led a load that failed or waited for one.
  EXPECT_EQ(origin.stats().errors + client.stats().coalesced, 10u);
  EXPECT_EQ(origin.LoadsOf("user:1"), 0u);
  EXPECT_EQ(redis_.Command({"EXISTS", "user:1"}).integer, 0);  // nothing cached
}

TEST_F(StrategyTest, LockAllowsOneLoadOfAKeyAtATimeAcrossProcesses) {
  Origin origin(OriginWith(milliseconds(100)));  // the database both processes share
  CacheClient::Options o = ClientWith(Protection::kLock);
  o.lock_ttl = milliseconds(5000);
  o.lock_wait_max = milliseconds(5000);
  CacheClient a(o, origin, nullptr);
  CacheClient b(o, origin, nullptr);
  const std::vector<std::string> keys = {"user:1", "user:2", "user:3", "user:4"};
  std::vector<GetResult> all;
  for (int round = 0; round < 4; ++round) {
    for (const std::string& key : keys) {
      Del(key);
    }
    const std::vector<GetResult> results =
        GetTogether({&a, &b}, 24, [&](std::size_t i) { return keys[(i / 2) % keys.size()]; });
    all.insert(all.end(), results.begin(), results.end());
  }
  EXPECT_EQ(origin.stats().max_overlap_of_one_key, 1u);
  EXPECT_EQ(CountOf(all, GetResult::kHit) + CountOf(all, GetResult::kLoaded) +
                CountOf(all, GetResult::kWaitedOnLock),
            all.size());
  EXPECT_GT(CountOf(all, GetResult::kWaitedOnLock), 0u);
  EXPECT_GE(origin.stats().loads, 4u * keys.size());  // every key, every round
  EXPECT_EQ(a.stats().lock_timeouts + b.stats().lock_timeouts, 0u);
  EXPECT_EQ(a.stats().errors + b.stats().errors, 0u);
}

// --- stale-while-revalidate --------------------------------------------------------------

TEST_F(StrategyTest, SwrServesStaleAndRefreshesOnceInTheBackground) {
  Origin origin(OriginWith(milliseconds(500)));
  CacheClient::Options o = ClientWith(Protection::kSwr);
  o.ttl = seconds(1);
  o.stale_window = seconds(30);
  CacheClient client(o, origin, nullptr);
  CacheClient::Session session = client.NewSession();
  ASSERT_EQ(session.Get("user:1"), GetResult::kLoaded);
  EXPECT_EQ(session.Get("user:1"), GetResult::kHit);
  std::this_thread::sleep_for(milliseconds(1200));  // past the soft expiry, not the hard one

  const std::vector<GetResult> results = GetTogether(client, 20, "user:1");
  EXPECT_EQ(CountOf(results, GetResult::kStale), 20u);
  EXPECT_EQ(client.stats().stale_served, 20u);

  ASSERT_TRUE(
      WaitFor([&] { return StoredPayload("user:1") == "origin:user:1:2"; }, milliseconds(5000)));
  EXPECT_EQ(session.Get("user:1"), GetResult::kHit);
  EXPECT_EQ(origin.LoadsOf("user:1"), 2u);  // the first load and one refresh
  const CacheClient::Stats s = client.stats();
  EXPECT_EQ(s.refreshes, 1u);
  EXPECT_EQ(s.refresh_skipped, 0u);
  EXPECT_EQ(s.misses, 1u);
  EXPECT_EQ(s.hits, 22u);
}

TEST_F(StrategyTest, SwrLoadsAMissOnceForAllConcurrentReaders) {
  Origin origin(OriginWith(milliseconds(300)));
  CacheClient client(ClientWith(Protection::kSwr), origin, nullptr);
  const std::vector<GetResult> results = GetTogether(client, 20, "user:1");
  EXPECT_EQ(CountOf(results, GetResult::kLoaded), 1u);
  EXPECT_EQ(CountOf(results, GetResult::kCoalesced), 19u);
  EXPECT_EQ(origin.LoadsOf("user:1"), 1u);
  // Redis keeps the value for the soft TTL plus the stale window (both 5 min by default).
  EXPECT_GT(Pttls({"user:1"}).front(), 590000);
}

TEST_F(StrategyTest, SwrSkipsRefreshesWhenItsQueueIsFull) {
  Origin origin(OriginWith(milliseconds(1)));
  CacheClient::Options o = ClientWith(Protection::kSwr);
  o.ttl = milliseconds(500);
  o.stale_window = seconds(30);
  o.refreshers = 1;
  o.refresh_queue = 1;
  const std::vector<std::string> keys = {"user:1", "user:2", "user:3"};
  std::uint64_t refreshes = 0;
  {
    CacheClient client(o, origin, nullptr);
    LoadAll(client, keys);
    origin.set_latency(milliseconds(300));
    std::this_thread::sleep_for(milliseconds(700));
    CacheClient::Session session = client.NewSession();
    for (const std::string& key : keys) {
      EXPECT_EQ(session.Get(key), GetResult::kStale) << key;
    }
    // One refresh runs, at most one waits in the queue, the rest are skipped.
    EXPECT_GE(client.stats().refresh_skipped, 1u);
    ASSERT_TRUE(WaitFor(
        [&] {
          const CacheClient::Stats s = client.stats();
          return s.refreshes + s.refresh_skipped == keys.size();
        },
        milliseconds(5000)));
    refreshes = client.stats().refreshes;  // final: nothing is left in the queue
  }  // the destructor stops the refresher, perhaps in the middle of a load, which it finishes
  EXPECT_GE(refreshes, 1u);
  EXPECT_EQ(origin.stats().loads, keys.size() + refreshes);
}

// --- jittered TTLs -----------------------------------------------------------------------

TEST_F(StrategyTest, JitterSpreadsTtlsWhereNoneKeepsThemTogether) {
  Origin origin(OriginWith(milliseconds(0)));
  const auto spread = [&](Protection protection, const std::string& prefix) {
    CacheClient::Options o = ClientWith(protection);
    o.ttl = seconds(100);
    CacheClient client(o, origin, nullptr);
    std::vector<std::string> keys;
    for (int i = 0; i < 300; ++i) {
      keys.push_back(prefix + std::to_string(i));
    }
    LoadAll(client, keys);
    return Pttls(keys);
  };
  const std::vector<long long> jittered = spread(Protection::kJitter, "j:");
  const auto [jmin, jmax] = std::minmax_element(jittered.begin(), jittered.end());
  EXPECT_GT(*jmin, 75000);  // within ±20 % of 100 s
  EXPECT_LT(*jmax, 120001);
  EXPECT_GT(*jmax - *jmin, 20000);
  std::set<long long> distinct_seconds;
  for (const long long ms : jittered) {
    distinct_seconds.insert(ms / 1000);
  }
  EXPECT_GT(distinct_seconds.size(), 20u);

  const std::vector<long long> plain = spread(Protection::kNone, "n:");
  const auto [pmin, pmax] = std::minmax_element(plain.begin(), plain.end());
  EXPECT_GT(*pmin, 90000);
  EXPECT_LT(*pmax - *pmin, 2000);
}

// --- XFetch ------------------------------------------------------------------------------

class XfetchTest : public StrategyTest {
 protected:
  // Loads user:1 (200 ms a load, 2 s TTL), then reads it every 50 ms for 1.5 s, before it
  // would expire.
  std::vector<GetResult> ReadWithBeta(double beta) {
    CacheClient::Options o = ClientWith(Protection::kXfetch);
    o.ttl = seconds(2);
    o.xfetch_beta = beta;
    client_.emplace(o, origin_, nullptr);
    CacheClient::Session session = client_->NewSession();
    EXPECT_EQ(session.Get("user:1"), GetResult::kLoaded);
    return ReadFor(session, "user:1", milliseconds(1500), milliseconds(50));
  }

  Origin origin_{OriginWith(milliseconds(200))};
  std::optional<CacheClient> client_;
};

TEST_F(XfetchTest, LargeBetaRecomputesBeforeExpiry) {
  const std::vector<GetResult> results = ReadWithBeta(8.0);
  const CacheClient::Stats s = client_->stats();
  EXPECT_GT(s.refreshes, 0u);
  EXPECT_EQ(CountOf(results, GetResult::kRefreshed), s.refreshes);
  EXPECT_EQ(s.misses, 1u);  // the key never went missing
  EXPECT_EQ(origin_.LoadsOf("user:1"), 1 + s.refreshes);
  EXPECT_EQ(CountOf(results, GetResult::kHit) + CountOf(results, GetResult::kRefreshed),
            results.size());
}

TEST_F(XfetchTest, ZeroBetaNeverRecomputesEarly) {
  const std::vector<GetResult> results = ReadWithBeta(0.0);
  EXPECT_EQ(client_->stats().refreshes, 0u);
  EXPECT_EQ(client_->stats().misses, 1u);
  EXPECT_EQ(origin_.LoadsOf("user:1"), 1u);
  EXPECT_EQ(CountOf(results, GetResult::kHit), results.size());
}

// --- the origin's overload model ---------------------------------------------------------

TEST(OriginTest, QueueTimeoutFailsLoadsThatWaitTooLong) {
  Origin::Options o = OriginWith(milliseconds(300));
  o.max_concurrency = 1;
  o.queue_timeout = milliseconds(50);
  Origin origin(o);
  constexpr std::size_t kLoads = 5;
  std::vector<std::optional<std::string>> values(kLoads);
  std::latch ready(static_cast<std::ptrdiff_t>(kLoads));
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < kLoads; ++i) {
    threads.emplace_back([&, i] {
      ready.arrive_and_wait();
      values[i] = origin.Load("user:1");
    });
  }
  for (std::thread& t : threads) {
    t.join();
  }
  const auto failed =
      static_cast<std::uint64_t>(std::count(values.begin(), values.end(), std::nullopt));
  EXPECT_GE(failed, 3u);
  EXPECT_LT(failed, kLoads);  // the first load in got the slot
  const Origin::Stats s = origin.stats();
  EXPECT_EQ(s.errors, failed);
  EXPECT_EQ(s.loads, kLoads - failed);
  EXPECT_EQ(origin.LoadsOf("user:1"), kLoads - failed);

  const Origin::Window w = origin.TakeWindow();
  EXPECT_EQ(w.loads, kLoads);
  EXPECT_EQ(w.errors, failed);
  EXPECT_GE(w.p50, milliseconds(50));   // every load waited or was served at least this long
  EXPECT_GE(w.p99, milliseconds(300));  // the served one took its service time
  EXPECT_EQ(w.in_flight, 0u);
  EXPECT_EQ(w.queued, 0u);

  const Origin::Window empty = origin.TakeWindow();  // a new window: nothing since
  EXPECT_EQ(empty.loads, 0u);
  EXPECT_EQ(empty.p50.count(), 0);
  EXPECT_EQ(empty.p99.count(), 0);
}

TEST(OriginTest, CountsOverlappingLoadsOfOneKey) {
  Origin origin(OriginWith(milliseconds(200)));
  std::latch ready(3);
  std::vector<std::thread> threads;
  for (const char* key : {"user:1", "user:1", "user:2"}) {
    threads.emplace_back([&, key] {
      ready.arrive_and_wait();
      origin.Load(key);
    });
  }
  for (std::thread& t : threads) {
    t.join();
  }
  const Origin::Stats s = origin.stats();
  EXPECT_EQ(s.max_overlap_of_one_key, 2u);
  EXPECT_EQ(s.max_loads_of_one_key, 2u);
  EXPECT_EQ(s.peak_in_flight, 3u);
  EXPECT_EQ(origin.TakeWindow().loads, 3u);
}

}  // namespace
}  // namespace stampede::sim
