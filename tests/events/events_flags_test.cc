#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/duration.h"
#include "config/flag_table.h"
#include "config/flags.h"
#include "support/env_lookup.h"

namespace stampede::config {
namespace {

using stampede::testing::Env;
using stampede::testing::LookupIn;

Config Parse(const std::vector<std::string>& args, const Env& env = {}) {
  Result<Config> got = ParseFlags(args, LookupIn(env));
  EXPECT_TRUE(got.ok()) << got.status().message();
  return got.ok() ? *got : Config{};
}

std::string Dbs(const Config& c) {
  std::string out;
  for (const int db : c.events.dbs) {
    out += (out.empty() ? "" : ",") + std::to_string(db);
  }
  return out;
}

TEST(EventsFlagsTest, DefaultEnvAndFlagPrecedence) {
  struct Case {
    const char* flag;
    const char* env;
    const char* by_default;
    const char* env_value;
    const char* flag_value;
    std::function<std::string(const Config&)> get;
  };
  const std::vector<Case> cases = {
      {"redis.db", "STAMPEDE_REDIS_DB", "0", "1,2", "3", Dbs},
      {"events.tracked-keys", "STAMPEDE_EVENTS_TRACKED_KEYS", "65536", "2048", "4096",
       [](const Config& c) { return std::to_string(c.events.tracked_keys); }},
      {"events.top-k", "STAMPEDE_EVENTS_TOP_K", "128", "16", "32",
       [](const Config& c) { return std::to_string(c.events.top_k); }},
      {"events.invalidation-ttl", "STAMPEDE_EVENTS_INVALIDATION_TTL", "2m", "1m", "5s",
       [](const Config& c) { return FormatDuration(c.events.invalidation_ttl); }},
      {"redis.cluster", "STAMPEDE_REDIS_CLUSTER", "auto", "on", "off",
       [](const Config& c) {
         switch (c.events.cluster) {
           case ClusterMode::kAuto:
             return std::string("auto");
           case ClusterMode::kOn:
             return std::string("on");
           case ClusterMode::kOff:
             return std::string("off");
         }
         return std::string("?");
       }},
      {"redis.cluster-refresh", "STAMPEDE_REDIS_CLUSTER_REFRESH", "10s", "2s", "1m",
       [](const Config& c) { return FormatDuration(c.events.cluster_refresh); }},
  };
  std::vector<FlagDef> rows;
  AddEventsFlags(rows);
  // Plus --redis.configure-notifications, covered below.
  ASSERT_EQ(cases.size() + 1, rows.size()) << "an [events] flag is missing from this test";
  for (const Case& c : cases) {
    SCOPED_TRACE(c.flag);
    const std::string flag = "--" + std::string(c.flag);
    EXPECT_EQ(c.get(Parse({})), c.by_default);
    EXPECT_EQ(c.get(Parse({}, {{c.env, c.env_value}})), c.env_value);
    EXPECT_EQ(c.get(Parse({flag + "=" + c.flag_value}, {{c.env, c.env_value}})), c.flag_value);
    EXPECT_EQ(c.get(Parse({flag, c.flag_value}, {{c.env, c.env_value}})), c.flag_value);
  }
}

TEST(EventsFlagsTest, ConfigureNotificationsIsOptIn) {
  const char* env = "STAMPEDE_REDIS_CONFIGURE_NOTIFICATIONS";
  EXPECT_FALSE(Parse({}).events.configure_notifications);
  EXPECT_TRUE(Parse({"--redis.configure-notifications=true"}).events.configure_notifications);
  EXPECT_TRUE(Parse({"--redis.configure-notifications", "1"}).events.configure_notifications);
  EXPECT_TRUE(Parse({}, {{env, "true"}}).events.configure_notifications);
  EXPECT_FALSE(Parse({}, {{env, "false"}}).events.configure_notifications);
  EXPECT_FALSE(
      Parse({"--redis.configure-notifications=0"}, {{env, "true"}}).events.configure_notifications);
  EXPECT_TRUE(Parse({"--redis.configure-notifications=true"}, {{env, "false"}})
                  .events.configure_notifications);
  const auto bad = ParseFlags({}, LookupIn({{env, "yes please"}}));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "STAMPEDE_REDIS_CONFIGURE_NOTIFICATIONS: want true or false, got \"yes please\"");
  const auto bare = ParseFlags({"--redis.configure-notifications"}, LookupIn({}));
  ASSERT_FALSE(bare.ok());
  EXPECT_EQ(bare.status().message(), "--redis.configure-notifications: missing value");
}

TEST(EventsFlagsTest, BadValuesNameTheFlagAndTheProblem) {
  struct Case {
    const char* arg;
    const char* error;
  };
  const Case cases[] = {
      {"--redis.db=x",
       "--redis.db: database \"x\": want a whole number, got \"x\" (want e.g. 0 "
       "or 0,1)"},
      {"--redis.db=",
       "--redis.db: database \"\": want a whole number, got \"\" (want e.g. 0 or "
       "0,1)"},
      {"--redis.db=0,",
       "--redis.db: database \"\": want a whole number, got \"\" (want e.g. 0 "
       "or 0,1)"},
      {"--redis.db=-1",
       "--redis.db: database \"-1\": want a whole number, got \"-1\" (want e.g. "
       "0 or 0,1)"},
      {"--redis.db=10000",
       "--redis.db: database \"10000\": must be between 0 and 9999, got "
       "10000 (want e.g. 0 or 0,1)"},
      {"--redis.db=1,1", "--redis.db: database 1 given twice"},
      {"--redis.db=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16", "--redis.db: at most 16 databases"},
      {"--events.tracked-keys=100",
       "--events.tracked-keys: must be between 1024 and 4194304, "
       "got 100"},
      {"--events.tracked-keys=1e6", "--events.tracked-keys: want a whole number, got \"1e6\""},
      {"--events.top-k=5000", "--events.top-k: must be between 8 and 4096, got 5000"},
      {"--events.invalidation-ttl=500ms",
       "--events.invalidation-ttl: must be at least 1s and at most 10m, got 500ms"},
      {"--events.invalidation-ttl=soon", "--events.invalidation-ttl: invalid duration"},
      {"--redis.cluster=yes", "--redis.cluster: want auto, on or off, got \"yes\""},
      {"--redis.cluster-refresh=100ms",
       "--redis.cluster-refresh: must be at least 1s and at most 10m, got 100ms"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.arg);
    const auto got = ParseFlags({c.arg}, LookupIn({}));
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.status().message().rfind(c.error, 0), 0u) << got.status().message();
  }
}

TEST(EventsFlagsTest, DbListKeepsOrder) {
  EXPECT_EQ(Dbs(Parse({"--redis.db=3,0,9999"})), "3,0,9999");
}

}  // namespace
}  // namespace stampede::config
