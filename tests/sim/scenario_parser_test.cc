#include "scenario/scenario_parser.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace stampede::sim {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsSupersetOf;

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

// The three required directives: lines 1-3 of every table case built with Header().
constexpr std::string_view kHeader = "scenario x\nduration 60s\nkeys k: 10\n";
std::string Header(std::string_view rest = "") { return std::string(kHeader) + std::string(rest); }

Scenario MustParse(std::string_view text) {
  ScenarioResult r = ParseScenario(text, "test.scn");
  if (!r.ok()) {
    ADD_FAILURE() << r.error().ToString() << "\n--- input:\n" << text;
    return {};
  }
  return std::move(r).value();
}

std::string Kinds(const Scenario& s) {
  std::string out;
  for (const Event& e : s.events) {
    out += (out.empty() ? "" : " ") + std::string(EventKindName(e.kind));
  }
  return out;
}

// --- good inputs ---------------------------------------------------------------------------

TEST(ScenarioParser, MinimalScenarioHasTheDefaults) {
  const Scenario s = MustParse(Header());
  EXPECT_EQ(s.file, "test.scn");
  EXPECT_EQ(s.name, "x");
  EXPECT_EQ(s.description, "");
  EXPECT_EQ(s.duration, seconds(60));
  EXPECT_FALSE(s.onset.has_value());
  EXPECT_EQ(s.class_name, "default");
  EXPECT_EQ(s.strategy, "none");
  EXPECT_EQ(s.keys.prefix, "k:");
  EXPECT_EQ(s.keys.count, 10u);
  EXPECT_EQ(s.reads.rate, 0);
  EXPECT_TRUE(s.reads.zipf);
  EXPECT_EQ(s.reads.zipf_s, 1.0);
  EXPECT_EQ(s.reads.workers, 8u);
  EXPECT_EQ(s.reads.cold_fraction, 0);
  EXPECT_TRUE(s.reads.exclude.empty());
  EXPECT_EQ(s.origin.latency, Millis(20));
  EXPECT_EQ(s.origin.jitter, 0);
  EXPECT_EQ(s.origin.concurrency, 0u);
  EXPECT_EQ(s.origin.queue_timeout, Millis(0));
  EXPECT_EQ(s.ttl.ttl, seconds(300));
  EXPECT_EQ(s.ttl.jitter, 0);
  EXPECT_TRUE(s.events.empty());
}

TEST(ScenarioParser, EveryHeaderDirectiveWithItsOptions) {
  const Scenario s = MustParse(
      "\xEF\xBB\xBF# a comment line, then a blank one\n"
      "\n"
      "scenario big-one-2\n"
      "describe   The whole   story, # not this\n"
      "duration 2m\r\n"
      "class user_profile:v2.a-b\n"
      "strategy lock\n"
      "keys\tuser:\t2000   # tabs separate too\n"
      "reads 300.5 exclude user:1 user:2\n"
      "origin 300ms queue-timeout 1.5s concurrency 256 jitter 0.2\n"
      "ttl 10m jitter 0.1\n"
      "onset 35s\n");
  EXPECT_EQ(s.name, "big-one-2");
  EXPECT_EQ(s.description, "The whole   story,");
  EXPECT_EQ(s.duration, minutes(2));
  EXPECT_EQ(s.class_name, "user_profile:v2.a-b");
  EXPECT_EQ(s.strategy, "lock");
  EXPECT_EQ(s.keys.prefix, "user:");
  EXPECT_EQ(s.keys.count, 2000u);
  EXPECT_DOUBLE_EQ(s.reads.rate, 300.5);
  EXPECT_THAT(s.reads.exclude, ElementsAre("user:1", "user:2"));
  EXPECT_EQ(s.origin.latency, Millis(300));
  EXPECT_DOUBLE_EQ(s.origin.jitter, 0.2);
  EXPECT_EQ(s.origin.concurrency, 256u);
  EXPECT_EQ(s.origin.queue_timeout, Millis(1500));
  EXPECT_EQ(s.ttl.ttl, minutes(10));
  EXPECT_DOUBLE_EQ(s.ttl.jitter, 0.1);
  ASSERT_TRUE(s.onset.has_value());
  EXPECT_EQ(*s.onset, seconds(35));
}

TEST(ScenarioParser, StrategyNoneIsAccepted) {
  EXPECT_EQ(MustParse(Header("strategy none\n")).strategy, "none");
}

struct ReadsCase {
  std::string line;
  bool zipf;
  double zipf_s;
  std::size_t workers;
  double cold;
  std::vector<std::string> exclude;
};

class ReadsTest : public ::testing::TestWithParam<ReadsCase> {};

TEST_P(ReadsTest, OptionsInAnyOrder) {
  const ReadsCase& c = GetParam();
  const Scenario s = MustParse(Header(c.line + "\n"));
  EXPECT_DOUBLE_EQ(s.reads.rate, 300) << c.line;
  EXPECT_EQ(s.reads.zipf, c.zipf) << c.line;
  EXPECT_DOUBLE_EQ(s.reads.zipf_s, c.zipf_s) << c.line;
  EXPECT_EQ(s.reads.workers, c.workers) << c.line;
  EXPECT_DOUBLE_EQ(s.reads.cold_fraction, c.cold) << c.line;
  EXPECT_EQ(s.reads.exclude, c.exclude) << c.line;
}

INSTANTIATE_TEST_SUITE_P(
    EveryForm, ReadsTest,
    ::testing::Values(
        ReadsCase{"reads 300", true, 1.0, 8, 0, {}},
        ReadsCase{"reads 300 uniform", false, 1.0, 8, 0, {}},
        ReadsCase{"reads 300 zipf 0.9 workers 16", true, 0.9, 16, 0, {}},
        ReadsCase{"reads 300 workers 16 zipf 0.9", true, 0.9, 16, 0, {}},
        ReadsCase{"reads 300 cold 0.05 uniform workers 1024", false, 1.0, 1024, 0.05, {}},
        ReadsCase{"reads 300 zipf 5 cold 1 exclude a b c", true, 5, 8, 1, {"a", "b", "c"}},
        ReadsCase{"reads 300 exclude workers", true, 1.0, 8, 0, {"workers"}}));

struct DurationCase {
  std::string token;
  Millis want;
};

class DurationTest : public ::testing::TestWithParam<DurationCase> {};

TEST_P(DurationTest, Parses) {
  const DurationCase& c = GetParam();
  EXPECT_EQ(MustParse(Header("ttl " + c.token + "\n")).ttl.ttl, c.want) << c.token;
}

INSTANTIATE_TEST_SUITE_P(
    EveryUnit, DurationTest,
    ::testing::Values(DurationCase{"250ms", Millis(250)}, DurationCase{"30s", seconds(30)},
                      DurationCase{"2m", minutes(2)}, DurationCase{"1h", hours(1)},
                      DurationCase{"24h", hours(24)}, DurationCase{"86400000ms", hours(24)},
                      DurationCase{"1.5s", Millis(1500)}, DurationCase{"0.25s", Millis(250)},
                      DurationCase{"1.001s", Millis(1001)}, DurationCase{"007s", seconds(7)},
                      DurationCase{"0s", Millis(0)}, DurationCase{"0", Millis(0)}));

struct SizeCase {
  std::string token;
  std::uint64_t want;
};

class SizeTest : public ::testing::TestWithParam<SizeCase> {};

TEST_P(SizeTest, Parses) {
  const SizeCase& c = GetParam();
  const Scenario s = MustParse(Header("at 1s maxmemory " + c.token + "\n"));
  ASSERT_EQ(s.events.size(), 1u);
  EXPECT_EQ(s.events[0].bytes, c.want) << c.token;
}

INSTANTIATE_TEST_SUITE_P(EveryUnit, SizeTest,
                         ::testing::Values(SizeCase{"0", 0}, SizeCase{"512", 512},
                                           SizeCase{"512b", 512}, SizeCase{"64kb", 64 << 10},
                                           SizeCase{"4mb", 4 << 20},
                                           SizeCase{"1gb", std::uint64_t{1} << 30},
                                           SizeCase{"1024gb", std::uint64_t{1} << 40}));

TEST(ScenarioParser, EveryActionWithItsFields) {
  const Scenario s = MustParse(
      Header("at 1s warm\n"
             "at 2s warm ttl 20s\n"
             "at 3s warm jitter 0.5 ttl 5s\n"
             "at 4s del user:42\n"
             "at 5s del-all\n"
             "at 6s flush\n"
             "at 7s spike user:42 rate 2000 workers 100 for 15s\n"
             "at 8s rate 3000 for 10s\n"
             "at 9s rate 12.5\n"
             "at 10s maxmemory 4mb policy allkeys-lru\n"
             "at 11s maxmemory 0\n"
             "at 12s fill 20000 size 1kb\n"
             "at 13s fill 5 ttl 30s size 2\n"
             "at 14s restart\n"
             "at 15s marker purge for 30s\n"
             "at 16s marker maintenance\n"
             "ttl 60s jitter 0.1  # after the events: warm still takes its defaults from it\n"));
  EXPECT_EQ(Kinds(s),
            "warm warm warm del del-all flush spike rate rate maxmemory maxmemory fill fill "
            "restart marker marker");
  ASSERT_EQ(s.events.size(), 16u);
  const std::vector<Event>& e = s.events;
  for (std::size_t i = 0; i < e.size(); ++i) {
    EXPECT_EQ(e[i].at, seconds(i + 1));
    EXPECT_EQ(e[i].line, static_cast<int>(i) + 4);
  }
  EXPECT_EQ(e[0].ttl, seconds(60));  // from the ttl directive, with its jitter
  EXPECT_DOUBLE_EQ(e[0].jitter, 0.1);
  EXPECT_EQ(e[1].ttl, seconds(20));  // its own TTL: no jitter unless it says so
  EXPECT_EQ(e[1].jitter, 0);
  EXPECT_EQ(e[2].ttl, seconds(5));
  EXPECT_DOUBLE_EQ(e[2].jitter, 0.5);
  EXPECT_EQ(e[3].key, "user:42");
  EXPECT_EQ(e[6].key, "user:42");
  EXPECT_DOUBLE_EQ(e[6].rate, 2000);
  EXPECT_EQ(e[6].workers, 100u);
  EXPECT_EQ(e[6].duration, seconds(15));
  EXPECT_DOUBLE_EQ(e[7].rate, 3000);
  EXPECT_EQ(e[7].duration, seconds(10));
  EXPECT_DOUBLE_EQ(e[8].rate, 12.5);
  EXPECT_EQ(e[8].duration, Millis(0));
  EXPECT_EQ(e[9].bytes, 4u << 20);
  EXPECT_EQ(e[9].name, "allkeys-lru");
  EXPECT_EQ(e[10].bytes, 0u);
  EXPECT_EQ(e[10].name, "");
  EXPECT_EQ(e[11].count, 20000u);
  EXPECT_EQ(e[11].bytes, 1024u);
  EXPECT_EQ(e[11].ttl, Millis(0));
  EXPECT_EQ(e[12].count, 5u);
  EXPECT_EQ(e[12].bytes, 2u);
  EXPECT_EQ(e[12].ttl, seconds(30));
  EXPECT_EQ(e[14].name, "purge");
  EXPECT_EQ(e[14].duration, seconds(30));
  EXPECT_EQ(e[15].name, "maintenance");
  EXPECT_EQ(e[15].duration, Millis(0));
}

TEST(ScenarioParser, SpikeOptionsInAnyOrderParseTheSame) {
  const std::vector<std::string> orders = {"rate 10 workers 3 for 5s", "for 5s rate 10 workers 3",
                                           "workers 3 for 5s rate 10"};
  for (const std::string& options : orders) {
    const Scenario s = MustParse(Header("at 1s spike hot " + options + "\n"));
    ASSERT_EQ(s.events.size(), 1u) << options;
    EXPECT_EQ(s.events[0].key, "hot");
    EXPECT_DOUBLE_EQ(s.events[0].rate, 10) << options;
    EXPECT_EQ(s.events[0].workers, 3u) << options;
    EXPECT_EQ(s.events[0].duration, seconds(5)) << options;
  }
}

TEST(ScenarioParser, EventsAreSortedByTimeKeepingFileOrderAmongEqualTimes) {
  const Scenario s =
      MustParse(Header("at 20s marker deploy\n"  // line 4
                       "at 5s del a\n"           // 5
                       "at 20s del b\n"          // 6
                       "at 0s warm\n"            // 7
                       "at 20s flush\n"          // 8
                       "at 5s del c\n"));        // 9
  std::vector<int> lines;
  for (const Event& e : s.events) {
    lines.push_back(e.line);
  }
  EXPECT_THAT(lines, ElementsAre(7, 5, 9, 4, 6, 8));
  EXPECT_EQ(Kinds(s), "warm del del marker del flush");
}

TEST(ScenarioParser, EventAndOnsetAtExactlyTheDurationAreAccepted) {
  const Scenario s = MustParse(Header("onset 60s\nat 60s flush\nat 1m restart\n"));
  ASSERT_EQ(s.events.size(), 2u);
  EXPECT_EQ(s.events[1].at, seconds(60));
}

TEST(ScenarioParser, DirectivesMayComeAfterTheEvents) {
  const Scenario s = MustParse("at 5s flush\nkeys k 1\nduration 10s\nscenario late\n");
  EXPECT_EQ(s.name, "late");
  ASSERT_EQ(s.events.size(), 1u);
  EXPECT_EQ(s.events[0].line, 1);
}

TEST(ScenarioParser, LimitsAreInclusive) {
  std::string text = Header();
  for (std::size_t i = 0; i < kMaxScenarioEvents; ++i) {
    text += "at 1s flush\n";
  }
  std::string describe = "describe ";
  describe += std::string(kMaxScenarioLineBytes - describe.size(), 'x');
  text += describe + "\n";
  const Scenario s = MustParse(text);
  EXPECT_EQ(s.events.size(), kMaxScenarioEvents);
  EXPECT_EQ(s.description.size(), kMaxScenarioLineBytes - 9);
}

TEST(ScenarioParser, NonAsciiTextIsAccepted) {
  EXPECT_EQ(MustParse(Header("describe Café → 🚀\n")).description, "Café → 🚀");
}

// --- malformed inputs ----------------------------------------------------------------------

struct BadCase {
  std::string text;
  int line;            // where the error must point
  std::string reason;  // a substring of the reason
};

void PrintTo(const BadCase& c, std::ostream* os) { *os << ::testing::PrintToString(c.text); }

class MalformedTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(MalformedTest, RefusedAtTheLineWithAReason) {
  const BadCase& c = GetParam();
  const ScenarioResult r = ParseScenario(c.text, "bad.scn");
  ASSERT_FALSE(r.ok()) << c.text;
  EXPECT_EQ(r.error().file, "bad.scn");
  EXPECT_EQ(r.error().line, c.line) << r.error().ToString();
  EXPECT_THAT(r.error().reason, HasSubstr(c.reason)) << r.error().ToString();
  EXPECT_EQ(r.error().ToString().find('\n'), std::string::npos);
}

std::string ManyEvents(std::size_t n) {
  std::string text = Header();
  for (std::size_t i = 0; i < n; ++i) {
    text += "at 1s flush\n";
  }
  return text;
}

std::string TooLarge() {
  std::string text = Header();
  while (text.size() <= kMaxScenarioBytes) {
    text += "# " + std::string(1000, 'x') + "\n";
  }
  return text;
}

INSTANTIATE_TEST_SUITE_P(
    EveryRule, MalformedTest,
    ::testing::Values(
        // The file as a whole.
        BadCase{"", 0, "missing \"scenario\" directive"},
        BadCase{"duration 5s\nkeys k 1\n", 0, "missing \"scenario\" directive"},
        BadCase{"scenario x\nkeys k 1\n", 0, "missing \"duration\" directive"},
        BadCase{"scenario x\nduration 5s\n", 0, "missing \"keys\" directive"},
        BadCase{TooLarge(), 0, "file larger than 1 MiB"},
        BadCase{ManyEvents(kMaxScenarioEvents + 1), 1004, "too many events (at most 1000)"},
        // Lines.
        BadCase{Header("describe " + std::string(kMaxScenarioLineBytes, 'x')), 4,
                "line longer than 4096 bytes"},
        BadCase{Header("describe caf\xe9\n"), 4, "not valid UTF-8"},
        BadCase{Header("describe \xed\xa0\x80\n"), 4, "not valid UTF-8"},  // a surrogate
        BadCase{Header("describe a\x01z\n"), 4, "control character 0x01"},
        BadCase{Header(std::string("describe a\0z\n", 13)), 4, "control character 0x00"},
        BadCase{Header("describe a\rz\n"), 4, "control character 0x0D"},
        // Directives.
        BadCase{Header("bogus 1\n"), 4, "unknown directive \"bogus\""},
        BadCase{Header("Scenario y\n"), 4, "unknown directive \"Scenario\""},
        BadCase{Header("duration 5s\n"), 4, "duplicate \"duration\" (first on line 2)"},
        BadCase{Header("describe\n"), 4, "describe: missing <text>"},
        BadCase{"scenario Bad_Name\nduration 5s\nkeys k 1\n", 1, "scenario: bad name"},
        BadCase{"scenario\n", 1, "scenario: missing <name>"},
        BadCase{"scenario x y\n", 1, "scenario: unexpected \"y\" at end of line"},
        BadCase{"scenario x\nduration 0s\n", 2, "duration: must be more than 0"},
        BadCase{"scenario x\nduration 25h\n", 2, "duration: duration \"25h\" out of range"},
        BadCase{"scenario x\nduration 10 s\n", 2, "duration: bad duration \"10\""},
        BadCase{Header("class has space\n"), 4, "class: unexpected \"space\" at end of line"},
        BadCase{Header("class bad/name\n"), 4, "class: bad name \"bad/name\""},
        BadCase{Header("strategy bogus\n"), 4, "strategy: unknown strategy \"bogus\""},
        BadCase{"scenario x\nkeys k:\n", 2, "keys: missing <count>"},
        BadCase{"scenario x\nkeys k: 0\n", 2, "keys: count \"0\" out of range [1, 1000000]"},
        BadCase{"scenario x\nkeys k: 99999999999999999999999\n", 2, "out of range [1, 1000000]"},
        BadCase{"scenario x\nkeys k: ten\n", 2, "keys: bad count \"ten\""},
        BadCase{Header("reads\n"), 4, "reads: missing <rate>"},
        BadCase{Header("reads abc\n"), 4, "reads: bad rate \"abc\""},
        BadCase{Header("reads -5\n"), 4, "reads: bad rate \"-5\""},
        BadCase{Header("reads 1e3\n"), 4, "reads: bad rate \"1e3\""},
        BadCase{Header("reads .5\n"), 4, "reads: bad rate \".5\""},
        BadCase{Header("reads 1000001\n"), 4, "reads: rate \"1000001\" out of range [0, 1000000]"},
        BadCase{Header("reads 10 bogus 3\n"), 4, "reads: unknown option \"bogus\""},
        BadCase{Header("reads 10 workers 2 workers 3\n"), 4, "reads: duplicate option \"workers\""},
        BadCase{Header("reads 10 uniform zipf 1\n"), 4, "reads: duplicate distribution"},
        BadCase{Header("reads 10 workers\n"), 4, "reads: missing value after \"workers\""},
        BadCase{Header("reads 10 workers 0\n"), 4, "reads: workers \"0\" out of range [1, 1024]"},
        BadCase{Header("reads 10 workers 1025\n"), 4, "reads: workers \"1025\" out of range"},
        BadCase{Header("reads 10 zipf 0\n"), 4, "reads: zipf s \"0\" out of range (0, 5]"},
        BadCase{Header("reads 10 zipf 5.01\n"), 4, "reads: zipf s \"5.01\" out of range (0, 5]"},
        BadCase{Header("reads 10 cold 1.5\n"), 4, "reads: cold \"1.5\" out of range [0, 1]"},
        BadCase{Header("reads 10 exclude\n"), 4, "reads: missing <key> after \"exclude\""},
        BadCase{Header("origin 20ms jitter 2\n"), 4, "origin: jitter \"2\" out of range [0, 1]"},
        BadCase{Header("origin 20ms queue-timeout 5\n"), 4, "origin: bad queue-timeout \"5\""},
        BadCase{Header("origin 20ms concurrency -1\n"), 4, "origin: bad concurrency \"-1\""},
        BadCase{Header("origin 20ms jitter 0 jitter 0\n"), 4,
                "origin: duplicate option \"jitter\""},
        BadCase{Header("ttl 1.5m\n"), 4, "ttl: bad ttl \"1.5m\""},
        BadCase{Header("ttl 1.0005s\n"), 4, "ttl: bad ttl \"1.0005s\""},
        BadCase{Header("ttl 10x\n"), 4, "ttl: bad ttl \"10x\""},
        BadCase{Header("ttl 1441m\n"), 4, "ttl: ttl \"1441m\" out of range (at most 24h)"},
        BadCase{Header("ttl 5s color red\n"), 4, "ttl: unknown option \"color\""},
        BadCase{Header("onset 61s\n"), 4, "onset: 61s is after the end of the scenario"},
        // Events.
        BadCase{Header("at\n"), 4, "at: missing <time>"},
        BadCase{Header("at 5s\n"), 4, "at: missing <action>"},
        BadCase{Header("at soon flush\n"), 4, "at: bad time \"soon\""},
        BadCase{Header("at 5s explode\n"), 4, "at: unknown action \"explode\""},
        BadCase{Header("at 1s flush\nat 61s flush\nat 70s flush\n"), 5,
                "at: event at 61s is after the end of the scenario (duration 60s)"},
        BadCase{Header("at 5s warm ttl\n"), 4, "warm: missing value after \"ttl\""},
        BadCase{Header("at 5s warm color red\n"), 4, "warm: unknown option \"color\""},
        BadCase{Header("at 5s warm jitter 1.1\n"), 4, "warm: jitter \"1.1\" out of range"},
        BadCase{Header("at 5s del\n"), 4, "del: missing <key>"},
        BadCase{Header("at 5s del a b\n"), 4, "del: unexpected \"b\" at end of line"},
        BadCase{Header("at 5s del-all now\n"), 4, "del-all: unexpected \"now\""},
        BadCase{Header("at 5s flush all\n"), 4, "flush: unexpected \"all\""},
        BadCase{Header("at 5s restart x\n"), 4, "restart: unexpected \"x\""},
        BadCase{Header("at 5s spike\n"), 4, "spike: missing <key>"},
        BadCase{Header("at 5s spike k rate 10 for 5s\n"), 4, "spike: missing \"workers\""},
        BadCase{Header("at 5s spike k workers 2 for 5s\n"), 4, "spike: missing \"rate\""},
        BadCase{Header("at 5s spike k rate 10 workers 2\n"), 4, "spike: missing \"for\""},
        BadCase{Header("at 5s spike k rate 10 workers 2 for 5s rate 3\n"), 4,
                "spike: duplicate option \"rate\""},
        BadCase{Header("at 5s spike k rate 0 workers 2 for 5s\n"), 4,
                "spike: rate \"0\" out of range (0, 1000000]"},
        BadCase{Header("at 5s spike k rate 10 workers 2 for 0s\n"), 4,
                "spike: \"for\" must be more than 0"},
        BadCase{Header("at 5s rate\n"), 4, "rate: missing <rate>"},
        BadCase{Header("at 5s rate 10 for\n"), 4, "rate: missing value after \"for\""},
        BadCase{Header("at 5s rate 10 for 1s for 2s\n"), 4, "rate: duplicate option \"for\""},
        BadCase{Header("at 5s maxmemory 4mb policy lru\n"), 4,
                "maxmemory: unknown policy \"lru\" (expected noeviction, allkeys-lru"},
        BadCase{Header("at 5s maxmemory 4tb\n"), 4, "maxmemory: bad size \"4tb\""},
        BadCase{Header("at 5s maxmemory 1.5mb\n"), 4, "maxmemory: bad size \"1.5mb\""},
        BadCase{Header("at 5s maxmemory 2000gb\n"), 4,
                "maxmemory: size \"2000gb\" out of range [0b, 1024gb]"},
        BadCase{Header("at 5s fill 10\n"), 4, "fill: missing \"size\""},
        BadCase{Header("at 5s fill 10 size 0\n"), 4, "fill: size \"0\" out of range [1b, 512mb]"},
        BadCase{Header("at 5s fill 0 size 1kb\n"), 4, "fill: count \"0\" out of range"},
        BadCase{Header("at 5s marker party\n"), 4,
                "marker: unknown kind \"party\" (expected deploy, warmup, purge or maintenance)"},
        BadCase{Header("at 5s marker deploy until 5s\n"), 4, "marker: unknown option \"until\""}));

TEST(ScenarioParser, LongTokensAreCutInMessages) {
  const ScenarioResult r = ParseScenario(Header("bogus" + std::string(200, 'z') + "\n"), "f");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().reason.find(std::string(50, 'z')), std::string::npos) << r.error().reason;
  EXPECT_THAT(r.error().reason, HasSubstr("...\""));
}

TEST(ScenarioError, ToStringNamesFileAndLine) {
  EXPECT_EQ((ScenarioError{"scenarios/x.scn", 7, "spike: missing \"workers\""}.ToString()),
            "scenarios/x.scn:7: spike: missing \"workers\"");
  EXPECT_EQ((ScenarioError{"scenarios/x.scn", 0, "missing \"keys\" directive"}.ToString()),
            "scenarios/x.scn: missing \"keys\" directive");
  EXPECT_EQ((ScenarioError{"", 3, "r"}.ToString()), "<scenario>:3: r");
  const ScenarioResult r = ParseScenario(Header("at 5s spike k rate 1 for 1s\n"), "s/x.scn");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().ToString(), "s/x.scn:4: spike: missing \"workers\"");
}

// --- files -----------------------------------------------------------------------------------

class TempDir {
 public:
  TempDir() : path_(std::filesystem::path(::testing::TempDir()) / Unique()) {
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string Write(const std::string& name, const std::string& text) const {
    const std::filesystem::path p = path_ / name;
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }

 private:
  static std::string Unique() {
    const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
    return std::string("scenario_parser_") + info->name() + "_" + std::to_string(::getpid());
  }
  std::filesystem::path path_;
};

TEST(LoadScenario, ReadsAndParsesAFile) {
  const TempDir dir;
  const std::string path = dir.Write("ok.scn", Header("at 1s flush\n"));
  const ScenarioResult r = LoadScenario(path);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->file, path);
  EXPECT_EQ(&r.scenario(), &r.value());
  EXPECT_EQ(r->name, "x");
  EXPECT_EQ(r->events.size(), 1u);
}

TEST(LoadScenario, MissingFileIsAFileLevelError) {
  const TempDir dir;
  const std::string path = (dir.path() / "nope.scn").string();
  const ScenarioResult r = LoadScenario(path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().file, path);
  EXPECT_EQ(r.error().line, 0);
  EXPECT_THAT(r.error().reason, HasSubstr("cannot open"));
}

TEST(LoadScenario, RefusesATooLargeFile) {
  const TempDir dir;
  const ScenarioResult r = LoadScenario(dir.Write("big.scn", TooLarge() + TooLarge()));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().line, 0);
  EXPECT_THAT(r.error().reason, HasSubstr("larger than 1 MiB"));
}

TEST(ListScenarios, NamesOfScnFilesSorted) {
  const TempDir dir;
  dir.Write("zeta.scn", "");
  dir.Write("alpha.scn", "");
  dir.Write("notes.txt", "");
  dir.Write("alpha.scn.bak", "");
  std::filesystem::create_directories(dir.path() / "sub.scn");
  EXPECT_THAT(ListScenarios(dir.path().string()), ElementsAre("alpha", "zeta"));
  EXPECT_TRUE(ListScenarios((dir.path() / "absent").string()).empty());
}

TEST(ResolveScenarioPath, NameOrPath) {
  EXPECT_EQ(ResolveScenarioPath("celebrity", "scenarios"), "scenarios/celebrity.scn");
  EXPECT_EQ(ResolveScenarioPath("celebrity", "/opt/s/"), "/opt/s/celebrity.scn");
  EXPECT_EQ(ResolveScenarioPath("celebrity", ""), "celebrity.scn");
  EXPECT_EQ(ResolveScenarioPath("my.scn", "scenarios"), "my.scn");
  EXPECT_EQ(ResolveScenarioPath("./celebrity", "scenarios"), "./celebrity");
  EXPECT_EQ(ResolveScenarioPath("/tmp/x", "scenarios"), "/tmp/x");
}

// Every file in scenarios/ parses, is named after its file, and keeps the invariants.
TEST(ScenarioFiles, EveryFileParsesAndIsNamedAfterItsFile) {
  const std::string dir = std::string(STAMPEDE_SOURCE_DIR) + "/scenarios";
  const std::vector<std::string> names = ListScenarios(dir);
  EXPECT_THAT(names, IsSupersetOf({"celebrity", "deploy-purge", "ttl-cliff", "eviction-storm",
                                   "surge", "redis-restart"}));
  for (const std::string& name : names) {
    SCOPED_TRACE(name);
    const ScenarioResult r = LoadScenario(ResolveScenarioPath(name, dir));
    ASSERT_TRUE(r.ok()) << r.error().ToString();
    EXPECT_EQ(r->name, name);
    EXPECT_FALSE(r->description.empty());
    EXPECT_NE(r->class_name, "default");
    ASSERT_TRUE(r->onset.has_value());
    EXPECT_LE(*r->onset, r->duration);
    ASSERT_FALSE(r->events.empty());
    EXPECT_EQ(r->events.front().kind, EventKind::kWarm);
    for (std::size_t i = 0; i < r->events.size(); ++i) {
      EXPECT_LE(r->events[i].at, r->duration);
      if (i > 0) {
        EXPECT_LE(r->events[i - 1].at, r->events[i].at);
      }
    }
  }
}

TEST(ScenarioFiles, CelebrityIsTheStoryItTells) {
  const ScenarioResult r = LoadScenario(
      ResolveScenarioPath("celebrity", std::string(STAMPEDE_SOURCE_DIR) + "/scenarios"));
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->class_name, "user_profile");
  EXPECT_THAT(r->reads.exclude, ElementsAre("user:42"));
  EXPECT_EQ(Kinds(*r), "warm del spike");
  EXPECT_EQ(r->events[2].key, "user:42");
  EXPECT_EQ(r->events[2].at, *r->onset);
}

}  // namespace
}  // namespace stampede::sim
