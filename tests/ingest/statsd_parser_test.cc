#include "ingest/statsd_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/text.h"

namespace stampede::ingest {
namespace {

using Tags = std::vector<std::pair<std::string, std::string>>;

struct ValidCase {
  std::string line;
  std::string name;
  double value;
  StatsdType type;
  double rate;
  Tags tags;
};

class ValidLineTest : public ::testing::TestWithParam<ValidCase> {};

TEST_P(ValidLineTest, Parses) {
  const ValidCase& c = GetParam();
  StatsdLine out;
  Reject reason = Reject::kCount;
  ASSERT_TRUE(ParseStatsdLine(c.line, out, reason)) << c.line << " → " << RejectName(reason);
  EXPECT_EQ(out.name, c.name);
  EXPECT_DOUBLE_EQ(out.value, c.value);
  EXPECT_EQ(out.type, c.type);
  EXPECT_DOUBLE_EQ(out.rate, c.rate);
  Tags tags;
  for (const auto& [k, v] : out.tags) {
    tags.emplace_back(std::string(k), std::string(v));
  }
  EXPECT_EQ(tags, c.tags);
}

INSTANTIATE_TEST_SUITE_P(
    EveryForm, ValidLineTest,
    ::testing::Values(
        ValidCase{"cache.hit:1|c", "cache.hit", 1, StatsdType::kCounter, 1, {}},
        ValidCase{"cache.hit:25|c|@0.1", "cache.hit", 25, StatsdType::kCounter, 0.1, {}},
        ValidCase{"cache.load.time:12.5|ms", "cache.load.time", 12.5, StatsdType::kTimer, 1, {}},
        ValidCase{"g:-3|g", "g", -3, StatsdType::kGauge, 1, {}},
        ValidCase{"g:+3|g", "g", 3, StatsdType::kGauge, 1, {}},
        ValidCase{"h:0.25|h", "h", 0.25, StatsdType::kHistogram, 1, {}},
        ValidCase{"d:1e3|d", "d", 1000, StatsdType::kDistribution, 1, {}},
        ValidCase{"users:alice|s", "users", 0, StatsdType::kSet, 1, {}},
        ValidCase{"cache.miss:1|c|#class:user,tier:l1",
                  "cache.miss",
                  1,
                  StatsdType::kCounter,
                  1,
                  {{"class", "user"}, {"tier", "l1"}}},
        ValidCase{"cache.miss:1|c|@0.5|#class:user",
                  "cache.miss",
                  1,
                  StatsdType::kCounter,
                  0.5,
                  {{"class", "user"}}},
        ValidCase{"cache.miss:1|c|#class:user|@0.5",  // sections in either order
                  "cache.miss",
                  1,
                  StatsdType::kCounter,
                  0.5,
                  {{"class", "user"}}},
        ValidCase{"x:1|c|#canary,env:prod",
                  "x",
                  1,
                  StatsdType::kCounter,
                  1,
                  {{"canary", ""}, {"env", "prod"}}},
        ValidCase{"x:1|c|#url:http://a:b",
                  "x",
                  1,
                  StatsdType::kCounter,
                  1,
                  {{"url", "http://a:b"}}},  // only the first ':' splits a tag
        ValidCase{"x:1|c|#k:", "x", 1, StatsdType::kCounter, 1, {{"k", ""}}},
        ValidCase{"x:1|c|c:abc123|T1700000000", "x", 1, StatsdType::kCounter, 1, {}},
        ValidCase{"x:1|c\r", "x", 1, StatsdType::kCounter, 1, {}},
        ValidCase{"x:1|c|@1", "x", 1, StatsdType::kCounter, 1, {}},
        ValidCase{"caché.hït:2|c|#class:ユーザー",
                  "caché.hït",
                  2,
                  StatsdType::kCounter,
                  1,
                  {{"class", "ユーザー"}}},
        ValidCase{"x:0|c", "x", 0, StatsdType::kCounter, 1, {}}));

struct BadCase {
  std::string line;
  Reject reason;
};

class MalformedLineTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(MalformedLineTest, RefusedWithReason) {
  const BadCase& c = GetParam();
  StatsdLine out;
  Reject reason = Reject::kCount;
  EXPECT_FALSE(ParseStatsdLine(c.line, out, reason));
  EXPECT_EQ(RejectName(reason), RejectName(c.reason)) << QuoteForMessage(c.line);
}

std::string ManyTags(std::size_t n) {
  std::string line = "x:1|c|#";
  for (std::size_t i = 0; i < n; ++i) {
    line += (i ? ",t" : "t") + std::to_string(i) + ":v";
  }
  return line;
}

INSTANTIATE_TEST_SUITE_P(
    EveryMalformedForm, MalformedLineTest,
    ::testing::Values(
        BadCase{"cache.hit", Reject::kMissingValue}, BadCase{"cache.hit|c", Reject::kMissingValue},
        BadCase{"cache.hit:|c", Reject::kMissingValue},
        BadCase{"cache.hit:", Reject::kMissingValue}, BadCase{":1|c", Reject::kEmptyName},
        BadCase{"cache.hit:1", Reject::kMissingType}, BadCase{"cache.hit:1|", Reject::kMissingType},
        BadCase{"cache.hit:abc|c", Reject::kBadValue}, BadCase{"cache.hit:1x|c", Reject::kBadValue},
        BadCase{"cache.hit:nan|c", Reject::kBadValue},
        BadCase{"cache.hit:inf|c", Reject::kBadValue},
        BadCase{"cache.hit:1e999|c", Reject::kBadValue},
        BadCase{"cache.hit:+-1|c", Reject::kBadValue}, BadCase{"cache.hit:1|x", Reject::kBadType},
        BadCase{"cache.hit:1|C", Reject::kBadType}, BadCase{"cache.hit:1|mss", Reject::kBadType},
        BadCase{"cache.hit:1|c|@0", Reject::kBadRate},
        BadCase{"cache.hit:1|c|@-0.5", Reject::kBadRate},
        BadCase{"cache.hit:1|c|@1.5", Reject::kBadRate},
        BadCase{"cache.hit:1|c|@", Reject::kBadRate},
        BadCase{"cache.hit:1|c|@abc", Reject::kBadRate},
        BadCase{"cache.hit:1|c|@nan", Reject::kBadRate},
        BadCase{"cache.hit:1|c|#", Reject::kBadTags},
        BadCase{"cache.hit:1|c|#a:b,,c:d", Reject::kBadTags},
        BadCase{"cache.hit:1|c|#a:b,", Reject::kBadTags},
        BadCase{"cache.hit:1|c|#:v", Reject::kBadTags},
        BadCase{"cache.hit:1|c||#a:b", Reject::kBadField},
        BadCase{"cache.hit:1|c|zzz", Reject::kBadField},
        BadCase{"cache.hit:1|c|@0.5|@0.5", Reject::kBadField},
        BadCase{"cache.hit:1|c|#a|#b", Reject::kBadField},
        BadCase{std::string("cache.hit:1|c|#a:\xff\xfe"), Reject::kNotUtf8},
        BadCase{std::string("cache\xc0\xaf.hit:1|c"), Reject::kNotUtf8},      // overlong '/'
        BadCase{std::string("cache\xed\xa0\x80.hit:1|c"), Reject::kNotUtf8},  // surrogate
        BadCase{std::string("cache.hit:1|c|#a:\xe3\x81"), Reject::kNotUtf8},  // truncated
        BadCase{std::string("cache.hit:1\0|c", 14), Reject::kNulByte},
        BadCase{std::string("\0", 1), Reject::kNulByte},
        BadCase{"x:1|c|#a:" + std::string(kMaxLineBytes, 'v'), Reject::kLineTooLong},
        BadCase{ManyTags(kMaxTags + 1), Reject::kTooManyTags},
        BadCase{ManyTags(5000), Reject::kLineTooLong}));

TEST(StatsdParser, TagBoundIsInclusive) {
  std::string line = "x:1|c|#";
  for (std::size_t i = 0; i < kMaxTags; ++i) {
    line += (i ? ",t" : "t") + std::to_string(i);
  }
  StatsdLine out;
  Reject reason = Reject::kCount;
  ASSERT_TRUE(ParseStatsdLine(line, out, reason)) << RejectName(reason);
  EXPECT_EQ(out.tags.size(), kMaxTags);
}

TEST(StatsdParser, LineOfExactlyTheBoundIsAccepted) {
  const std::string head = "x:1|c|#a:";
  const std::string line = head + std::string(kMaxLineBytes - head.size(), 'v');
  StatsdLine out;
  Reject reason = Reject::kCount;
  EXPECT_TRUE(ParseStatsdLine(line, out, reason)) << RejectName(reason);
}

TEST(StatsdParser, ReusedOutputDoesNotKeepOldTagsOrRate) {
  StatsdLine out;
  Reject reason = Reject::kCount;
  ASSERT_TRUE(ParseStatsdLine("a:1|c|@0.5|#x:y", out, reason));
  ASSERT_TRUE(ParseStatsdLine("b:2|c", out, reason));
  EXPECT_TRUE(out.tags.empty());
  EXPECT_DOUBLE_EQ(out.rate, 1);
}

TEST(StatsdLines, SplitsOnNewlinesSkippingEmptyAndCr) {
  std::vector<std::string> lines;
  ForEachStatsdLine("a:1|c\nb:2|c\r\n\n\nc:3|c",
                    [&](std::string_view l) { lines.emplace_back(l); });
  EXPECT_EQ(lines, (std::vector<std::string>{"a:1|c", "b:2|c", "c:3|c"}));
  lines.clear();
  ForEachStatsdLine("", [&](std::string_view l) { lines.emplace_back(l); });
  ForEachStatsdLine("\n\n", [&](std::string_view l) { lines.emplace_back(l); });
  EXPECT_TRUE(lines.empty());
}

TEST(Utf8, ValidAndInvalid) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain"));
  EXPECT_TRUE(IsValidUtf8("\xf0\x9f\x98\x80"));   // U+1F600
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // > U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\x80"));
  EXPECT_FALSE(IsValidUtf8("\xf8\x88\x80\x80\x80"));
}

}  // namespace
}  // namespace stampede::ingest
