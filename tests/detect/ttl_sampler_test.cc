// The TTL sampler against a real redis-server, and its rounds fed into D6's predictive half.
#include "redis/ttl_sampler.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "detect/synchronized_expiry.h"
#include "detector_harness.h"
#include "support/redis_server.h"
#include "support/sync_stream.h"
#include "support/wait_for.h"

namespace stampede::redis {
namespace {

using stampede::testing::WaitFor;

using std::chrono::milliseconds;
using std::chrono::seconds;
using Samples = TtlSampler::Samples;

classify::ClassesConfig UserProfiles() {
  classify::KeyClass user;
  user.name = "user_profile";
  user.patterns = {"user:*"};
  classify::ClassesConfig config;
  config.classes = {user};
  return config;
}

// `n` keys `<prefix>N`, with a TTL of `px` ms unless it is 0.
void SetKeys(testing::RedisServer& redis, const std::string& prefix, int n, long long px) {
  for (int i = 0; i < n; ++i) {
    std::vector<std::string> argv = {"SET", prefix + std::to_string(i), "v"};
    if (px > 0) {
      argv.insert(argv.end(), {"PX", std::to_string(px)});
    }
    ASSERT_EQ(redis.Command(argv).type, Reply::Type::kStatus);
  }
}

// The calls of one command from INFO commandstats (0 if never called).
long long Calls(testing::RedisServer& redis, const std::string& command) {
  const std::string info = redis.Command({"INFO", "commandstats"}).str;
  const std::string field = "cmdstat_" + command + ":calls=";
  const auto at = info.find(field);
  return at == std::string::npos ? 0 : std::stoll(info.substr(at + field.size()));
}

// A sampler on `redis` every 200 ms, and what it needs.
struct Rig {
  explicit Rig(const testing::RedisServer& redis, std::size_t keys = 200,
               const Clock& clock = SteadyClock::Instance())
      : classifier(UserProfiles()), log(&log_out, LogLevel::kDebug) {
    TtlSampler::Options o;
    o.connection.address = redis.address();
    o.connection.connect_timeout = milliseconds(300);
    o.connection.command_timeout = milliseconds(300);
    o.interval = milliseconds(200);
    o.keys = keys;
    sampler = std::make_unique<TtlSampler>(o, classifier, clock, log);
  }
  // The first sample of `class_name` a round brings, or an empty one at the deadline.
  detect::TtlSample Await(const std::string& class_name) {
    detect::TtlSample found;
    WaitFor([&] {
      const Samples latest = sampler->Latest();
      const auto it = latest.find(class_name);
      found = it != latest.end() ? it->second : detect::TtlSample{};
      return it != latest.end();
    });
    return found;
  }

  classify::Classifier classifier;
  testing::SyncStringStream log_out;
  Logger log;
  std::unique_ptr<TtlSampler> sampler;
};

TEST(TtlSamplerTest, SeesOneSharedTtlAsOneExpiryTime) {
  testing::RedisServer redis;
  ASSERT_TRUE(redis.Start());
  SetKeys(redis, "user:", 500, 120000);
  const auto written = std::chrono::steady_clock::now();
  Rig rig(redis);
  rig.sampler->Start();
  const detect::TtlSample sample = rig.Await("user_profile");
  ASSERT_GT(sample.sampled, 50u) << rig.log_out.str();
  EXPECT_LE(sample.sampled, 200u);
  EXPECT_EQ(sample.expiries.size(), sample.sampled);
  EXPECT_LE(sample.taken, std::chrono::steady_clock::now());
  EXPECT_GE(sample.taken, written);
  for (const Clock::time_point expiry : sample.expiries) {
    const double off = std::chrono::duration<double>(expiry - (written + seconds(120))).count();
    EXPECT_LT(std::abs(off), 1.0) << "expiry " << off << " s away from write time + 120 s";
  }
  EXPECT_EQ(rig.sampler->errors(), 0u);
  EXPECT_GE(rig.sampler->rounds(), 1u);
  EXPECT_NE(redis.Command({"CLIENT", "LIST"}).str.find("name=stampede-ttl-sampler"),
            std::string::npos);
}

TEST(TtlSamplerTest, KeysWithoutTtlAreSampledButHaveNoExpiry) {
  testing::RedisServer redis;
  ASSERT_TRUE(redis.Start());
  SetKeys(redis, "user:", 100, 0);
  SetKeys(redis, "session:", 100, 60000);
  Rig rig(redis);
  rig.sampler->Start();
  const detect::TtlSample users = rig.Await("user_profile");
  const detect::TtlSample others = rig.Await("default");
  EXPECT_GT(users.sampled, 0u);
  EXPECT_TRUE(users.expiries.empty());
  EXPECT_GT(others.sampled, 0u);
  EXPECT_EQ(others.expiries.size(), others.sampled);
}

TEST(TtlSamplerTest, AnEmptyDatabaseGivesNoSamples) {
  testing::RedisServer redis;
  ASSERT_TRUE(redis.Start());
  Rig rig(redis);
  rig.sampler->Start();
  ASSERT_TRUE(WaitFor([&] { return rig.sampler->rounds() >= 2; })) << rig.log_out.str();
  EXPECT_TRUE(rig.sampler->Latest().empty());
  EXPECT_EQ(rig.sampler->errors(), 0u);
}

TEST(TtlSamplerTest, KeepsRedisCostSmall) {
  testing::RedisServer redis;
  ASSERT_TRUE(redis.Start());
  SetKeys(redis, "user:", 500, 120000);
  Rig rig(redis, /*keys=*/50);
  rig.sampler->Start();
  ASSERT_TRUE(WaitFor([&] { return rig.sampler->rounds() >= 3; }));
  rig.sampler->Stop();
  const long long rounds = static_cast<long long>(rig.sampler->rounds());
  EXPECT_LE(Calls(redis, "randomkey"), 50 * rounds);
  // One probe per connection, then at most one per distinct key drawn.
  EXPECT_LE(Calls(redis, "pexpiretime"), 1 + 50 * rounds);
  EXPECT_EQ(Calls(redis, "time"), rounds);
  EXPECT_EQ(Calls(redis, "client|setname"), 1);
}

TEST(TtlSamplerTest, CountsErrorsAndRecoversWhenRedisComesBack) {
  testing::RedisServer redis;  // not started yet: connection refused
  Rig rig(redis);
  rig.sampler->Start();
  ASSERT_TRUE(WaitFor([&] { return rig.sampler->errors() >= 2; }));
  EXPECT_EQ(rig.sampler->rounds(), 0u);
  ASSERT_TRUE(redis.Start());
  SetKeys(redis, "user:", 20, 120000);
  EXPECT_GT(rig.Await("user_profile").sampled, 0u) << rig.log_out.str();

  redis.Kill();
  const auto errors = rig.sampler->errors();
  ASSERT_TRUE(WaitFor([&] { return rig.sampler->errors() >= errors + 2; }));
  ASSERT_TRUE(redis.Start());  // empty again: nothing was persisted
  const auto rounds = rig.sampler->rounds();
  ASSERT_TRUE(WaitFor([&] { return rig.sampler->rounds() > rounds; })) << rig.log_out.str();
  EXPECT_TRUE(rig.sampler->Latest().empty());
  // Logged per state change, not per failed round.
  const std::string text = rig.log_out.str();
  std::size_t downs = 0;
  for (auto at = text.find("ttl sampler down"); at != std::string::npos;
       at = text.find("ttl sampler down", at + 1)) {
    ++downs;
  }
  EXPECT_EQ(downs, 2u) << text;
}

TEST(TtlSamplerTest, StopsOnAServerWithoutPexpiretime) {
  testing::RedisServer redis({"--rename-command", "PEXPIRETIME", ""});  // as Redis < 7.0
  ASSERT_TRUE(redis.Start());
  SetKeys(redis, "user:", 20, 120000);
  Rig rig(redis);
  rig.sampler->Start();
  ASSERT_TRUE(WaitFor([&] { return !rig.sampler->supported(); })) << rig.log_out.str();
  std::this_thread::sleep_for(milliseconds(500));
  EXPECT_EQ(rig.sampler->rounds(), 0u);
  EXPECT_EQ(rig.sampler->errors(), 0u);
  EXPECT_EQ(Calls(redis, "randomkey"), 0);
  const std::string text = rig.log_out.str();
  EXPECT_NE(text.find("level=info msg=\"redis has no PEXPIRETIME"), std::string::npos) << text;
  rig.sampler->Stop();
}

TEST(TtlSamplerTest, ARealRoundPredictsTheCliff) {
  testing::RedisServer redis;
  ASSERT_TRUE(redis.Start());
  detect::testing::DetectorHarness h;
  SetKeys(redis, "user:", 500, 120000);
  // The harness's fake clock stamps the round, so the ETA below is exact up to the real time
  // between the SETs and the sampler's TIME.
  Rig rig(redis, 200, h.clock);
  rig.sampler->Start();
  h.ttl = rig.Await("user_profile");
  ASSERT_GT(h.ttl->sampled, 0u) << rig.log_out.str();
  detect::SynchronizedExpiry d(h.Options());
  const detect::Reading r = detect::testing::DetectorHarness::Find(
      h.Step(d, detect::ClassSecond{}), detect::Indicator::kExpiryCliffPredicted);
  EXPECT_TRUE(r.triggered()) << r.detail;
  EXPECT_TRUE(r.immediate);
  EXPECT_NEAR(detect::testing::DetectorHarness::StatOf(r, "cliff_eta_seconds"), 119, 1.5);
  EXPECT_DOUBLE_EQ(detect::testing::DetectorHarness::StatOf(r, "cliff_share"), 1);
}

}  // namespace
}  // namespace stampede::redis
