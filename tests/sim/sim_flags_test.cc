// stampede_sim's flags: values, environment twins, precedence and refusals.
#include "sim_flags.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace stampede::sim {
namespace {

EnvLookup EnvOf(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    const auto it = vars.find(name);
    return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
}

bool Parse(const std::vector<std::string>& args, SimFlags& f, std::string& error,
           std::map<std::string, std::string> env = {}) {
  return ParseSimFlags(args, EnvOf(std::move(env)), "/repo/scenarios", f, error);
}

TEST(SimFlags, DefaultsWithoutArguments) {
  SimFlags f;
  std::string error;
  ASSERT_TRUE(Parse({}, f, error)) << error;
  EXPECT_EQ(f.scenarios_dir, "/repo/scenarios");
  EXPECT_EQ(f.redis_addr, "127.0.0.1:6379");
  EXPECT_EQ(f.statsd_addr, "127.0.0.1:8125");
  EXPECT_EQ(f.time_scale, 1.0);
  EXPECT_EQ(f.seed, 1u);
  EXPECT_TRUE(f.strategy.empty());
  EXPECT_FALSE(f.quiet);
}

TEST(SimFlags, BothSpellingsOfAValue) {
  SimFlags f;
  std::string error;
  ASSERT_TRUE(Parse({"--scenario", "celebrity", "--strategy=single-flight", "--time-scale", "0.2",
                     "--redis.addr=127.0.0.1:7000", "--seed", "42", "--quiet", "--exporter.url",
                     "http://127.0.0.1:9912", "--summary-file=/tmp/s", "--statsd.key-tags=false"},
                    f, error))
      << error;
  EXPECT_EQ(f.scenario, "celebrity");
  EXPECT_EQ(f.strategy, "single-flight");
  EXPECT_DOUBLE_EQ(f.time_scale, 0.2);
  EXPECT_EQ(f.redis_addr, "127.0.0.1:7000");
  EXPECT_EQ(f.seed, 42u);
  EXPECT_TRUE(f.quiet);
  EXPECT_EQ(f.exporter_url, "http://127.0.0.1:9912");
  EXPECT_EQ(f.summary_file, "/tmp/s");
  EXPECT_FALSE(f.statsd_key_tags);
}

TEST(SimFlags, EnvironmentTwinsApplyAndArgumentsWin) {
  SimFlags f;
  std::string error;
  ASSERT_TRUE(Parse({"--redis.addr=127.0.0.1:7001"}, f, error,
                    {{"STAMPEDE_SIM_REDIS_ADDR", "127.0.0.1:7000"},
                     {"STAMPEDE_SIM_STRATEGY", "lock"},
                     {"STAMPEDE_SIM_QUIET", "true"}}))
      << error;
  EXPECT_EQ(f.redis_addr, "127.0.0.1:7001");
  EXPECT_EQ(f.strategy, "lock");
  EXPECT_TRUE(f.quiet);
}

TEST(SimFlags, EveryFlagWithAValueHasAnEnvironmentTwin) {
  for (const SimFlagInfo& info : SimFlagTable()) {
    if (info.name == "list" || info.name == "help" || info.name == "version") {
      continue;
    }
    std::string want = "STAMPEDE_SIM_";
    for (const char c : info.name) {
      want += c == '.' || c == '-' ? '_' : static_cast<char>(std::toupper(c));
    }
    EXPECT_EQ(info.env, want) << info.name;
    EXPECT_NE(SimUsage().find("--" + std::string(info.name)), std::string::npos) << info.name;
  }
}

TEST(SimFlags, EveryFlagIsInTheReadmeWithItsTwin) {
  std::ifstream in(std::string(STAMPEDE_SOURCE_DIR) + "/README.md");
  ASSERT_TRUE(in) << "README.md";
  std::stringstream readme;
  readme << in.rdbuf();
  for (const SimFlagInfo& info : SimFlagTable()) {
    const std::string row = "| `--" + std::string(info.name);
    EXPECT_NE(readme.str().find(row), std::string::npos) << info.name;
    if (!info.env.empty()) {
      EXPECT_NE(readme.str().find("`" + std::string(info.env) + "`"), std::string::npos)
          << info.env;
    }
  }
}

TEST(SimFlags, Refusals) {
  struct Case {
    std::vector<std::string> args;
    std::map<std::string, std::string> env;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {{"--nope"}, {}, "unknown flag --nope"},
      {{"celebrity"}, {}, "unexpected argument \"celebrity\""},
      {{"--scenario"}, {}, "--scenario needs a value"},
      {{"--time-scale=0"}, {}, "--time-scale: want a number in (0, 10]"},
      {{"--time-scale=11"}, {}, "--time-scale: want a number in (0, 10]"},
      {{"--time-scale=fast"}, {}, "--time-scale: want a number"},
      {{"--seed=-1"}, {}, "--seed: want a whole number"},
      {{"--seed="}, {}, "--seed: want a whole number"},
      {{"--quiet=maybe"}, {}, "--quiet: want true or false"},
      {{"--statsd.key-tags", "yes"}, {}, "--statsd.key-tags: want true or false"},
      {{}, {{"STAMPEDE_SIM_TIME_SCALE", "x"}}, "STAMPEDE_SIM_TIME_SCALE: --time-scale"},
  };
  for (const Case& c : cases) {
    SimFlags f;
    std::string error;
    EXPECT_FALSE(Parse(c.args, f, error, c.env)) << c.reason;
    EXPECT_NE(error.find(c.reason), std::string::npos) << "got: " << error;
  }
}

}  // namespace
}  // namespace stampede::sim
