#include "common/duration.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace stampede {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

struct ParseOkCase {
  std::string_view text;
  milliseconds want;
};

TEST(ParseDurationTest, AcceptsValidDurations) {
  const std::vector<ParseOkCase> cases = {
      {"0", milliseconds(0)},
      {"0s", milliseconds(0)},
      {"0ms", milliseconds(0)},
      {"1ms", milliseconds(1)},
      {"500ms", milliseconds(500)},
      {"1s", seconds(1)},
      {"90s", seconds(90)},
      {"1m", minutes(1)},
      {"2h", hours(2)},
      {"1m30s", seconds(90)},
      {"1s500ms", milliseconds(1500)},
      {"1h2m3s4ms", hours(1) + minutes(2) + seconds(3) + milliseconds(4)},
      {"1h4ms", hours(1) + milliseconds(4)},
      {"05s", seconds(5)},
      {"1500ms", milliseconds(1500)},
      {"87600h", hours(87600)},
      {"87599h60m", hours(87600)},
  };
  for (const ParseOkCase& c : cases) {
    SCOPED_TRACE(c.text);
    const Result<milliseconds> got = ParseDuration(c.text);
    ASSERT_TRUE(got.ok()) << got.status().message();
    EXPECT_EQ(*got, c.want);
  }
}

struct ParseErrorCase {
  std::string_view text;
  std::string_view want_in_message;  // besides the quoted input
};

TEST(ParseDurationTest, RejectsInvalidDurations) {
  const std::vector<ParseErrorCase> cases = {
      {"", "empty"},
      {"abc", "want e.g. 1s, 500ms, 1m30s"},
      {"s", "want e.g. 1s"},
      {"10", "missing unit"},
      {"1m30", "missing unit"},
      {"00", "missing unit"},
      {"-1s", "must not be negative"},
      {"-0", "must not be negative"},
      {"+1s", "want e.g. 1s"},
      {"1.5s", "fractions are not supported"},
      {"1,5s", "fractions are not supported"},
      {"10x", "want e.g. 1s"},
      {"10d", "want e.g. 1s"},
      {"10us", "want e.g. 1s"},
      {"1S", "want e.g. 1s"},
      {" 1s", "want e.g. 1s"},
      {"1s ", "want e.g. 1s"},
      {"1 s", "want e.g. 1s"},
      {"30s1m", "largest to smallest"},
      {"1s1s", "largest to smallest"},
      {"1ms1s", "largest to smallest"},
      {"1m1h", "largest to smallest"},
      {"1h1h", "largest to smallest"},
      {"87600h1ms", "larger than the maximum of 87600h"},
      {"87601h", "larger than the maximum"},
      {"99999999999999999999999999h", "larger than the maximum"},
      {"9223372036854775807ms", "larger than the maximum"},
      {"1s1", "missing unit"},
      {"1sx", "want e.g. 1s"},
  };
  for (const ParseErrorCase& c : cases) {
    SCOPED_TRACE(c.text);
    const Result<milliseconds> got = ParseDuration(c.text);
    ASSERT_FALSE(got.ok());
    const std::string message = got.status().message();
    EXPECT_TRUE(message.starts_with("invalid duration \"")) << message;
    EXPECT_NE(message.find(c.want_in_message), std::string::npos) << message;
    EXPECT_NE(message.find("want e.g. 1s, 500ms, 1m30s"), std::string::npos) << message;
  }
}

TEST(ParseDurationTest, ExactMessage) {
  EXPECT_EQ(ParseDuration("abc").status().message(),
            "invalid duration \"abc\" (want e.g. 1s, 500ms, 1m30s)");
  EXPECT_EQ(ParseDuration("30s1m").status().message(),
            "invalid duration \"30s1m\" (units must go from largest to smallest, each at most "
            "once; want e.g. 1s, 500ms, 1m30s)");
}

TEST(ParseDurationTest, MessageIsOneLineAndShort) {
  const std::string long_input = std::string(1000, 'x') + "\n\x01\"";
  const std::vector<std::string> cases = {"a\nb", "1s\r\n", "\"quoted\"", "\x7f", long_input};
  for (const std::string& text : cases) {
    SCOPED_TRACE(text);
    const Result<milliseconds> got = ParseDuration(text);
    ASSERT_FALSE(got.ok());
    const std::string message = got.status().message();
    for (const char c : message) {
      EXPECT_FALSE(static_cast<unsigned char>(c) < 0x20 || c == 0x7f) << message;
    }
    EXPECT_LT(message.size(), 200u) << message;
  }
  EXPECT_NE(ParseDuration("a\nb").status().message().find("\"a\\x0ab\""), std::string::npos);
  EXPECT_NE(ParseDuration("\"q").status().message().find("\"\\\"q\""), std::string::npos);
}

struct FormatCase {
  milliseconds d;
  std::string_view want;
};

TEST(FormatDurationTest, IsCanonical) {
  const std::vector<FormatCase> cases = {
      {milliseconds(0), "0s"},
      {milliseconds(1), "1ms"},
      {milliseconds(500), "500ms"},
      {milliseconds(999), "999ms"},
      {seconds(1), "1s"},
      {milliseconds(1500), "1s500ms"},
      {seconds(90), "1m30s"},
      {seconds(60), "1m"},
      {minutes(90), "1h30m"},
      {hours(1) + milliseconds(1), "1h1ms"},
      {hours(2), "2h"},
      {hours(100), "100h"},
      {hours(1) + minutes(2) + seconds(3) + milliseconds(4), "1h2m3s4ms"},
      {milliseconds(-1500), "-1s500ms"},
  };
  for (const FormatCase& c : cases) {
    SCOPED_TRACE(c.want);
    EXPECT_EQ(FormatDuration(c.d), c.want);
  }
}

TEST(FormatDurationTest, HandlesExtremes) {
  const auto min = milliseconds(std::numeric_limits<milliseconds::rep>::min());
  const auto max = milliseconds(std::numeric_limits<milliseconds::rep>::max());
  EXPECT_EQ(FormatDuration(max), "2562047788015h12m55s807ms");
  EXPECT_EQ(FormatDuration(min), "-2562047788015h12m55s808ms");
}

TEST(FormatDurationTest, RoundTripsThroughParse) {
  const std::vector<milliseconds> cases = {
      milliseconds(0),
      milliseconds(1),
      milliseconds(999),
      milliseconds(1000),
      milliseconds(1001),
      milliseconds(59999),
      milliseconds(60000),
      milliseconds(3599999),
      hours(1),
      hours(87600),
      hours(26) + minutes(1) + seconds(1) + milliseconds(1),
  };
  for (const milliseconds d : cases) {
    SCOPED_TRACE(d.count());
    const Result<milliseconds> back = ParseDuration(FormatDuration(d));
    ASSERT_TRUE(back.ok()) << back.status().message();
    EXPECT_EQ(*back, d);
  }
}

}  // namespace
}  // namespace stampede
