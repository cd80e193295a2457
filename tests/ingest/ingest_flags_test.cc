#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "config/flags.h"

namespace stampede::config {
namespace {

Result<Config> Parse(std::vector<std::string> args) {
  return ParseFlags(args,
                    [](std::string_view) -> std::optional<std::string> { return std::nullopt; });
}

TEST(IngestFlags, DefaultsListenOnLoopbackOnly) {
  Result<Config> c = Parse({});
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->ingest.statsd_udp, "127.0.0.1:8125");
  EXPECT_EQ(c->ingest.statsd_unixgram, "");
  EXPECT_EQ(c->ingest.listen_address, "127.0.0.1:9913");
  EXPECT_EQ(c->ingest.token_file, "");
  EXPECT_EQ(c->ingest.max_body_bytes, 1u << 20);
  EXPECT_EQ(c->ingest.max_batch_events, 1000u);
  EXPECT_EQ(c->ingest.max_classes, 64u);
  EXPECT_EQ(c->ingest.max_tiers, 8u);
  EXPECT_EQ(c->ingest.max_key_hashes, 65536u);
}

TEST(IngestFlags, EachFlagSetsItsField) {
  Result<Config> c =
      Parse({"--statsd.listen-udp=:9125", "--statsd.listen-unixgram=/tmp/s.sock",
             "--ingest.listen-address=0.0.0.0:1", "--ingest.token-file=/t",
             "--ingest.max-body-bytes=2048", "--ingest.max-batch-events=5",
             "--ingest.max-classes=2", "--ingest.max-tiers=100", "--ingest.max-key-hashes=1"});
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->ingest.statsd_udp, ":9125");
  EXPECT_EQ(c->ingest.statsd_unixgram, "/tmp/s.sock");
  EXPECT_EQ(c->ingest.listen_address, "0.0.0.0:1");
  EXPECT_EQ(c->ingest.token_file, "/t");
  EXPECT_EQ(c->ingest.max_body_bytes, 2048u);
  EXPECT_EQ(c->ingest.max_batch_events, 5u);
  EXPECT_EQ(c->ingest.max_classes, 2u);
  EXPECT_EQ(c->ingest.max_tiers, 100u);
  EXPECT_EQ(c->ingest.max_key_hashes, 1u);
}

TEST(IngestFlags, EmptyAddressesTurnListenersOff) {
  Result<Config> c = Parse({"--statsd.listen-udp=", "--ingest.listen-address="});
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->ingest.statsd_udp, "");
  EXPECT_EQ(c->ingest.listen_address, "");
}

TEST(IngestFlags, EnvTwins) {
  Result<Config> c = ParseFlags({}, [](std::string_view name) -> std::optional<std::string> {
    if (name == "STAMPEDE_STATSD_LISTEN_UDP") {
      return "127.0.0.1:0";
    }
    if (name == "STAMPEDE_INGEST_MAX_CLASSES") {
      return "10";
    }
    return std::nullopt;
  });
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->ingest.statsd_udp, "127.0.0.1:0");
  EXPECT_EQ(c->ingest.max_classes, 10u);
}

struct BadCase {
  std::string arg;
  std::string error;
};

class IngestFlagErrorTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(IngestFlagErrorTest, NamesFlagAndProblem) {
  Result<Config> c = Parse({GetParam().arg});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find(GetParam().error), std::string::npos) << c.status().message();
}

INSTANTIATE_TEST_SUITE_P(
    Table, IngestFlagErrorTest,
    ::testing::Values(
        BadCase{"--statsd.listen-udp=8125", "--statsd.listen-udp: invalid listen address"},
        BadCase{"--statsd.listen-udp=[::1]:8125", "--statsd.listen-udp: IPv6"},
        BadCase{"--ingest.listen-address=host:99999", "--ingest.listen-address: port"},
        BadCase{"--statsd.listen-unixgram=/" + std::string(120, 'a'),
                "--statsd.listen-unixgram: a Unix socket path has at most 107 bytes"},
        BadCase{"--ingest.max-body-bytes=10", "--ingest.max-body-bytes: must be between 1024"},
        BadCase{"--ingest.max-body-bytes=1k", "--ingest.max-body-bytes: want a whole number"},
        BadCase{"--ingest.max-batch-events=0", "--ingest.max-batch-events: must be between 1"},
        BadCase{"--ingest.max-classes=1", "--ingest.max-classes: must be between 2"},
        BadCase{"--ingest.max-tiers=101", "--ingest.max-tiers: must be between 2 and 100"},
        BadCase{"--ingest.max-key-hashes=-1", "--ingest.max-key-hashes: want a whole number"}));

TEST(IngestFlags, HelpListsEveryIngestFlag) {
  const std::string help = HelpText("stampede_exporter");
  for (const char* flag :
       {"--statsd.listen-udp", "--statsd.listen-unixgram", "--ingest.listen-address",
        "--ingest.token-file", "--ingest.max-body-bytes", "--ingest.max-batch-events",
        "--ingest.max-classes", "--ingest.max-tiers", "--ingest.max-key-hashes"}) {
    EXPECT_NE(help.find(flag), std::string::npos) << flag;
  }
}

}  // namespace
}  // namespace stampede::config
