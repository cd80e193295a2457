#include "common/log.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace stampede {
namespace {

constexpr std::string_view kTs = "2026-11-23T10:00:00.000Z";

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

TEST(LogFormatTest, LogfmtLine) {
  EXPECT_EQ(Logger::Format(LogFormat::kLogfmt, kTs, LogLevel::kInfo, "redis up",
                           {{"addr", "redis://127.0.0.1:6379"}}),
            "ts=2026-11-23T10:00:00.000Z level=info msg=\"redis up\" "
            "addr=redis://127.0.0.1:6379");
  EXPECT_EQ(Logger::Format(LogFormat::kLogfmt, kTs, LogLevel::kWarn, "slow", {}),
            "ts=2026-11-23T10:00:00.000Z level=warn msg=slow");
  EXPECT_EQ(Logger::Format(LogFormat::kLogfmt, kTs, LogLevel::kDebug, "d", {{"a", "1"}, {"b", ""}}),
            "ts=2026-11-23T10:00:00.000Z level=debug msg=d a=1 b=\"\"");
  EXPECT_EQ(Logger::Format(LogFormat::kLogfmt, kTs, LogLevel::kError, "e", {}),
            "ts=2026-11-23T10:00:00.000Z level=error msg=e");
}

struct LogfmtValueCase {
  std::string value;
  std::string_view want;  // as written after "k="
};

TEST(LogFormatTest, LogfmtQuotesAndEscapesValues) {
  const std::vector<LogfmtValueCase> cases = {
      {"plain", "plain"},
      {"", "\"\""},
      {"two words", "\"two words\""},
      {"a=b", "\"a=b\""},
      {"say \"hi\"", "\"say \\\"hi\\\"\""},
      {"\"", "\"\\\"\""},
      {"back\\slash", "back\\slash"},  // a backslash alone needs no quotes
      {"back\\slash and space", "\"back\\\\slash and space\""},
      {"line1\nline2", "\"line1\\nline2\""},
      {"cr\r", "\"cr\\r\""},
      {"tab\there", "\"tab\\there\""},
      {std::string("nul\0byte", 8), "\"nul\\u0000byte\""},
      {"bell\x07", "\"bell\\u0007\""},
      {"esc\x1b[0m", "\"esc\\u001b[0m\""},
      {"del\x7f", "\"del\\u007f\""},
      {"unicode-\xc3\xa9", "unicode-\xc3\xa9"},
      {"a,b;c:d/e", "a,b;c:d/e"},
  };
  for (const LogfmtValueCase& c : cases) {
    SCOPED_TRACE(c.value);
    const std::string line =
        Logger::Format(LogFormat::kLogfmt, kTs, LogLevel::kInfo, "m", {{"k", c.value}});
    const std::string prefix = "ts=2026-11-23T10:00:00.000Z level=info msg=m k=";
    ASSERT_TRUE(line.starts_with(prefix)) << line;
    EXPECT_EQ(line.substr(prefix.size()), c.want);
    EXPECT_EQ(line.find('\n'), std::string::npos);
  }
  // The message is quoted by the same rules.
  EXPECT_EQ(Logger::Format(LogFormat::kLogfmt, kTs, LogLevel::kInfo, "bad\nmsg", {}),
            "ts=2026-11-23T10:00:00.000Z level=info msg=\"bad\\nmsg\"");
  EXPECT_EQ(Logger::Format(LogFormat::kLogfmt, kTs, LogLevel::kInfo, "", {}),
            "ts=2026-11-23T10:00:00.000Z level=info msg=\"\"");
}

TEST(LogFormatTest, LogfmtKeysCannotBreakTheLine) {
  EXPECT_EQ(Logger::Format(LogFormat::kLogfmt, kTs, LogLevel::kInfo, "m",
                           {{"a key", "1"}, {"k=v", "2"}, {"q\"", "3"}, {"", "4"}, {"n\n", "5"}}),
            "ts=2026-11-23T10:00:00.000Z level=info msg=m a_key=1 k_v=2 q_=3 _=4 n_=5");
}

TEST(LogFormatTest, JsonLine) {
  EXPECT_EQ(Logger::Format(LogFormat::kJson, kTs, LogLevel::kInfo, "redis up",
                           {{"addr", "redis://127.0.0.1:6379"}}),
            "{\"ts\":\"2026-11-23T10:00:00.000Z\",\"level\":\"info\",\"msg\":\"redis up\","
            "\"addr\":\"redis://127.0.0.1:6379\"}");
  EXPECT_EQ(Logger::Format(LogFormat::kJson, kTs, LogLevel::kError, "x", {}),
            "{\"ts\":\"2026-11-23T10:00:00.000Z\",\"level\":\"error\",\"msg\":\"x\"}");
}

struct JsonValueCase {
  std::string value;
  std::string_view want_escaped;  // the JSON string literal as written
  std::string want_parsed;        // what a JSON parser reads back
};

TEST(LogFormatTest, JsonEscapesValues) {
  const std::vector<JsonValueCase> cases = {
      {"plain", "\"plain\"", "plain"},
      {"", "\"\"", ""},
      {"say \"hi\"", "\"say \\\"hi\\\"\"", "say \"hi\""},
      {"back\\slash", "\"back\\\\slash\"", "back\\slash"},
      {"a\nb\rc\td", "\"a\\nb\\rc\\td\"", "a\nb\rc\td"},
      {"\b\f", "\"\\b\\f\"", "\b\f"},
      {std::string("\0\x01\x1f", 3), "\"\\u0000\\u0001\\u001f\"", std::string("\0\x01\x1f", 3)},
      {"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"",
       "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"},
      // Not UTF-8: each bad byte becomes U+FFFD so the line stays valid JSON.
      {"bad\xff", "\"bad\\ufffd\"", "bad\xef\xbf\xbd"},
      {"trunc\xc3", "\"trunc\\ufffd\"", "trunc\xef\xbf\xbd"},
      {"overlong\xc0\xaf", "\"overlong\\ufffd\\ufffd\"", "overlong\xef\xbf\xbd\xef\xbf\xbd"},
      {"surrogate\xed\xa0\x80", "\"surrogate\\ufffd\\ufffd\\ufffd\"",
       "surrogate\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"},
      {"toobig\xf4\x90\x80\x80", "\"toobig\\ufffd\\ufffd\\ufffd\\ufffd\"",
       "toobig\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"},
  };
  for (const JsonValueCase& c : cases) {
    SCOPED_TRACE(c.value);
    const std::string line =
        Logger::Format(LogFormat::kJson, kTs, LogLevel::kInfo, c.value, {{"k", c.value}});
    const std::string want_tail = ",\"k\":" + std::string(c.want_escaped) + "}";
    EXPECT_TRUE(line.ends_with(want_tail)) << line;
    EXPECT_EQ(line.find('\n'), std::string::npos);

    const nlohmann::json parsed = nlohmann::json::parse(line);  // throws on invalid JSON
    EXPECT_EQ(parsed.at("ts"), std::string(kTs));
    EXPECT_EQ(parsed.at("level"), "info");
    EXPECT_EQ(parsed.at("msg").get<std::string>(), c.want_parsed);
    EXPECT_EQ(parsed.at("k").get<std::string>(), c.want_parsed);
  }
}

TEST(LogFormatTest, JsonKeysAreEscaped) {
  const std::string line =
      Logger::Format(LogFormat::kJson, kTs, LogLevel::kInfo, "m", {{"we\"ird\nkey", "v"}});
  const nlohmann::json parsed = nlohmann::json::parse(line);
  EXPECT_EQ(parsed.at("we\"ird\nkey"), "v");
}

TEST(LogLevelTest, ParsesLevels) {
  struct Case {
    std::string_view text;
    LogLevel want;
  };
  const std::vector<Case> cases = {
      {"debug", LogLevel::kDebug},  {"info", LogLevel::kInfo},   {"warn", LogLevel::kWarn},
      {"warning", LogLevel::kWarn}, {"error", LogLevel::kError}, {"INFO", LogLevel::kInfo},
      {"Warn", LogLevel::kWarn},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    const Result<LogLevel> got = ParseLogLevel(c.text);
    ASSERT_TRUE(got.ok()) << got.status().message();
    EXPECT_EQ(*got, c.want);
  }
  for (const std::string_view bad : {"", "trace", "fatal", "inf", "info ", "err"}) {
    SCOPED_TRACE(bad);
    const Result<LogLevel> got = ParseLogLevel(bad);
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.status().message(),
              "invalid log level \"" + std::string(bad) + "\" (want debug, info, warn or error)");
  }
}

TEST(LogLevelTest, NamesRoundTrip) {
  for (const LogLevel level :
       {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarn, LogLevel::kError}) {
    const Result<LogLevel> back = ParseLogLevel(LogLevelName(level));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, level);
  }
  EXPECT_EQ(LogLevelName(LogLevel::kWarn), "warn");
}

TEST(LogFormatTest, ParsesFormats) {
  ASSERT_TRUE(ParseLogFormat("logfmt").ok());
  EXPECT_EQ(*ParseLogFormat("logfmt"), LogFormat::kLogfmt);
  ASSERT_TRUE(ParseLogFormat("json").ok());
  EXPECT_EQ(*ParseLogFormat("json"), LogFormat::kJson);
  EXPECT_EQ(*ParseLogFormat("JSON"), LogFormat::kJson);
  for (const std::string_view bad : {"", "text", "jsonl", "logfmt\n"}) {
    SCOPED_TRACE(bad);
    const Result<LogFormat> got = ParseLogFormat(bad);
    ASSERT_FALSE(got.ok());
    EXPECT_NE(got.status().message().find("(want logfmt or json)"), std::string::npos);
    EXPECT_EQ(got.status().message().find('\n'), std::string::npos);
  }
}

struct FilterCase {
  LogLevel threshold;
  std::vector<std::string_view> want_levels;
};

TEST(LoggerTest, FiltersByLevel) {
  const std::vector<FilterCase> cases = {
      {LogLevel::kDebug, {"debug", "info", "warn", "error"}},
      {LogLevel::kInfo, {"info", "warn", "error"}},
      {LogLevel::kWarn, {"warn", "error"}},
      {LogLevel::kError, {"error"}},
  };
  for (const FilterCase& c : cases) {
    SCOPED_TRACE(LogLevelName(c.threshold));
    std::ostringstream out;
    Logger logger(&out, c.threshold);
    logger.Debug("d");
    logger.Info("i");
    logger.Warn("w");
    logger.Error("e");
    const std::vector<std::string> lines = Lines(out.str());
    ASSERT_EQ(lines.size(), c.want_levels.size()) << out.str();
    for (std::size_t i = 0; i < lines.size(); ++i) {
      EXPECT_NE(lines[i].find(" level=" + std::string(c.want_levels[i]) + " "), std::string::npos)
          << lines[i];
    }
    EXPECT_EQ(logger.Enabled(LogLevel::kDebug), c.threshold == LogLevel::kDebug);
    EXPECT_TRUE(logger.Enabled(LogLevel::kError));
  }
}

TEST(LoggerTest, WritesOneTimestampedLinePerEvent) {
  std::ostringstream out;
  Logger logger(&out);
  logger.Info("redis up", {{"addr", "redis://127.0.0.1:6379"}});
  const std::string text = out.str();
  ASSERT_TRUE(text.ends_with("\n"));
  const std::vector<std::string> lines = Lines(text);
  ASSERT_EQ(lines.size(), 1u);
  const std::regex want(
      R"(ts=\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z level=info msg="redis up" )"
      R"(addr=redis://127\.0\.0\.1:6379)");
  EXPECT_TRUE(std::regex_match(lines[0], want)) << lines[0];
}

TEST(LoggerTest, JsonLoggerWritesParseableLines) {
  std::ostringstream out;
  Logger logger(&out, LogLevel::kDebug, LogFormat::kJson);
  logger.Debug("one", {{"n", "1"}});
  logger.Warn("two\n", {{"n", "2"}});
  const std::vector<std::string> lines = Lines(out.str());
  ASSERT_EQ(lines.size(), 2u);
  const nlohmann::json first = nlohmann::json::parse(lines[0]);
  const nlohmann::json second = nlohmann::json::parse(lines[1]);
  EXPECT_EQ(first.at("level"), "debug");
  EXPECT_EQ(first.at("n"), "1");
  EXPECT_EQ(second.at("msg"), "two\n");
  EXPECT_TRUE(std::regex_match(second.at("ts").get<std::string>(),
                               std::regex(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)")));
}

TEST(LoggerTest, ConcurrentLinesDoNotInterleave) {
  std::ostringstream out;
  Logger logger(&out);
  constexpr int kThreads = 8;
  constexpr int kPerThread = 200;
  const std::string payload(100, 'x');
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&logger, &payload, t] {
      for (int i = 0; i < kPerThread; ++i) {
        logger.Info("tick", {{"thread", std::to_string(t)}, {"payload", payload}});
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  const std::vector<std::string> lines = Lines(out.str());
  ASSERT_EQ(lines.size(), static_cast<std::size_t>(kThreads * kPerThread));
  const std::regex want(R"(ts=\S+ level=info msg=tick thread=\d payload=x{100})");
  for (const std::string& line : lines) {
    ASSERT_TRUE(std::regex_match(line, want)) << line;
  }
}

}  // namespace
}  // namespace stampede
