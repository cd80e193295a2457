#include "config/config_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "common/text.h"
#include "support/fixtures.h"
#include "support/process.h"

namespace stampede::config {
namespace {

TEST(ConfigFileTest, EmptyTextAndEmptyPathGiveDefaults) {
  EXPECT_TRUE(ParseConfigText("", "c.yml").ok());
  EXPECT_TRUE(ParseConfigText("# only a comment\n", "c.yml").ok());
  EXPECT_TRUE(LoadConfigFile("").ok());
}

TEST(ConfigFileTest, ErrorsNameFileLineColumnAndReason) {
  struct Case {
    const char* text;
    const char* error;
  };
  const Case cases[] = {
      {"classez: []\n", "c.yml:1:1: unknown key \"classez\" (want classes, statsd or detectors)"},
      {"statsd:\nnope: 1\n", "c.yml:2:1: unknown key \"nope\""},
      {"- a\n- b\n", "c.yml:1:1: the file must be a mapping"},
      {"just text\n", "c.yml:1:1: the file must be a mapping"},
      {"classes: [\n  a,\n", "c.yml:3:1: "},  // unterminated flow sequence
      {"a: b: c\n", "c.yml:1:5: "},           // illegal map value
      {"x: 1\n\tbad: 2\n", "c.yml:2:"},       // tab indentation
      {"detectors: [1]\n", "c.yml:1:12: overrides must be a mapping of <detector>.<option>"},
      {"detectors:\n  herd: 5\n", "c.yml:2:3: override key \"herd\" must be <detector>.<option>"},
      {"detectors:\n  d1.min_z: lots\n", "c.yml:2:13: "},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    const auto got = ParseConfigText(c.text, "c.yml");
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.status().message().rfind(c.error, 0), 0u) << got.status().message();
    EXPECT_EQ(got.status().message().find('\n'), std::string::npos);
  }
}

// Found by fuzzing: yaml-cpp quotes raw input bytes in its messages.
TEST(ConfigFileTest, ErrorsStayOnOneLineWhateverTheInput) {
  const std::string text =
      stampede::testing::ReadTestFile("events/corpus/classes/yaml_escape_error");
  const auto got = ParseConfigText(text, "c.yml");
  ASSERT_FALSE(got.ok());
  for (const char c : got.status().message()) {
    EXPECT_FALSE(IsAsciiControl(c)) << got.status().message();
  }
}

// Found by fuzzing (corpus config_file/regress_unknown_key_control): an unknown top-level key
// was echoed raw into the error, control bytes and all.
TEST(ConfigFileTest, UnknownTopLevelKeysAreQuotedAndEscaped) {
  auto got = ParseConfigText("\x15:\n", "c.yml");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().message(),
            "c.yml:1:1: unknown key \"\\x15\" (want classes, statsd or detectors)");
  got = ParseConfigText("\"a\\nb\\\"c\": 1\n", "c.yml");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().message(),
            "c.yml:1:1: unknown key \"a\\x0ab\\\"c\" (want classes, statsd or detectors)");
}

// Found with the fuzz targets' UTF-8 check: a message echo cut at a byte count could end in half
// a UTF-8 sequence, and invalid UTF-8 from the input went through unescaped.
TEST(TextTest, MessageEchoesAreValidUtf8) {
  EXPECT_EQ(QuoteForMessage("caf\xc3\xa9", 4), "\"caf...\"");  // not "caf\xc3..."
  EXPECT_EQ(QuoteForMessage("caf\xc3\xa9", 5), "\"caf\xc3\xa9\"");
  EXPECT_EQ(QuoteForMessage("a\xff\"\\\n"), "\"a\\xff\\\"\\\\\\x0a\"");
  EXPECT_EQ(QuoteForMessage("\xc0\xaf\xed\xa0\x80\xe3\x81"),
            "\"\\xc0\\xaf\\xed\\xa0\\x80\\xe3\\x81\"");  // overlong, surrogate, truncated
  EXPECT_EQ(EscapeControl("\xf0\x9f\x98\x80\x01"), "\xf0\x9f\x98\x80\\x01");
  EXPECT_EQ(EscapeForMessage("\xe2\x82\xac\xe2\x82\xac", 4), "\xe2\x82\xac...");
  EXPECT_EQ(EscapeForMessage("abc", 3), "abc");
}

TEST(ConfigFileTest, TheDetectorsSectionSetsOptionsForEveryClass) {
  const auto got =
      ParseConfigText("detectors:\n  d1.min_lookups: 50\n  d4.min_share: 0.2\n", "c.yml");
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_EQ(got->detectors.at("d1.min_lookups"), 50);
  EXPECT_EQ(got->detectors.at("d4.min_share"), 0.2);
}

TEST(ConfigFileTest, MissingFileIsAnErrorNamingIt) {
  const std::string dir = stampede::testing::MakeTempDir("stampede-cfg-");
  const auto got = LoadConfigFile(dir + "/none.yml");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().message(), dir + "/none.yml: cannot read: No such file or directory");
  std::filesystem::remove_all(dir);
}

TEST(ConfigFileTest, ReadsAFileFromDisk) {
  const std::string dir = stampede::testing::MakeTempDir("stampede-cfg-");
  const std::string path = dir + "/c.yml";
  std::ofstream(path) << "\n\nbogus: 1\n";
  const auto got = LoadConfigFile(path);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().message().rfind(path + ":3:1: unknown key", 0), 0u)
      << got.status().message();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace stampede::config
