#include "classify/class_config.h"

#include <gtest/gtest.h>

#include "config/config_file.h"

namespace stampede::classify {
namespace {

Result<config::FileConfig> Parse(const std::string& text) {
  return config::ParseConfigText(text, "c.yml");
}

TEST(ClassesSectionTest, ParsesEveryField) {
  const auto got = Parse(R"(classes:
  - name: user_profile
    patterns: ["user:*", "profile:*"]
    expected_hit_ratio: 0.95
    ttl: 5m
    refresh: single_flight
    overrides:
      d1.min_misses_per_second: 50
      d4.herd_min_misses: 20
  - name: session
    patterns: "sess:*"
  - name: default
    expected_hit_ratio: 0.8
)");
  ASSERT_TRUE(got.ok()) << got.status().message();
  const ClassesConfig& c = got->classes;
  ASSERT_EQ(c.classes.size(), 2u);
  const KeyClass& user = c.classes[0];
  EXPECT_EQ(user.name, "user_profile");
  EXPECT_EQ(user.patterns, (std::vector<std::string>{"user:*", "profile:*"}));
  EXPECT_EQ(user.expected_hit_ratio, 0.95);
  EXPECT_EQ(user.ttl, std::chrono::minutes(5));
  EXPECT_EQ(user.refresh, RefreshStrategy::kSingleFlight);
  EXPECT_EQ(user.overrides.at("d1.min_misses_per_second"), 50);
  EXPECT_EQ(user.overrides.at("d4.herd_min_misses"), 20);
  EXPECT_EQ(c.classes[1].patterns, (std::vector<std::string>{"sess:*"}));
  EXPECT_FALSE(c.classes[1].expected_hit_ratio.has_value());
  EXPECT_EQ(c.classes[1].refresh, RefreshStrategy::kUnknown);
  EXPECT_EQ(c.default_class.name, "default");
  EXPECT_EQ(c.default_class.expected_hit_ratio, 0.8);
}

TEST(ClassesSectionTest, NullAndEmptyGiveOnlyTheDefaultClass) {
  for (const char* text : {"classes:\n", "classes: []\n", ""}) {
    SCOPED_TRACE(text);
    const auto got = Parse(text);
    ASSERT_TRUE(got.ok()) << got.status().message();
    EXPECT_TRUE(got->classes.classes.empty());
    EXPECT_EQ(got->classes.default_class.name, "default");
  }
}

TEST(ClassesSectionTest, EveryRefreshStrategyRoundTrips) {
  for (const char* name : {"unknown", "cache_aside", "lock", "single_flight",
                           "stale_while_revalidate", "early_refresh", "write_through"}) {
    const auto got =
        Parse(std::string("classes:\n  - {name: a, patterns: x, refresh: ") + name + "}\n");
    ASSERT_TRUE(got.ok()) << got.status().message();
    EXPECT_EQ(RefreshStrategyName(got->classes.classes[0].refresh), name);
  }
}

TEST(ClassesSectionTest, ErrorsNameLineColumnAndReason) {
  struct Case {
    const char* text;
    const char* error;  // the whole message
  };
  const Case cases[] = {
      {"classes: 3\n",
       "c.yml:1:10: classes must be a list of classes, each with a name and patterns"},
      {"classes: {a: 1}\n",
       "c.yml:1:10: classes must be a list of classes, each with a name and patterns"},
      {"classes:\n  - just_a_name\n",
       "c.yml:2:5: each class must be a mapping with the keys name, patterns, "
       "expected_hit_ratio, ttl, refresh, overrides"},
      {"classes:\n  - patterns: x\n", "c.yml:2:5: a class needs a name"},
      {"classes:\n  - name: a\n", "c.yml:2:5: class \"a\" needs patterns"},
      {"classes:\n  - name: Bad-Name\n    patterns: x\n",
       "c.yml:2:11: class name \"Bad-Name\" must be lower case letters, digits and '_', not "
       "starting with a digit, at most 64 bytes"},
      {"classes:\n  - name: 1a\n    patterns: x\n",
       "c.yml:2:11: class name \"1a\" must be lower case letters, digits and '_', not starting "
       "with a digit, at most 64 bytes"},
      {"classes:\n  - name: other\n    patterns: x\n",
       "c.yml:2:11: class name \"other\" is reserved for keys of classes over the limit"},
      {"classes:\n  - name: all\n    patterns: x\n",
       "c.yml:2:11: class name \"all\" is reserved for node-wide detections"},
      {"classes:\n  - name: default\n    patterns: x\n",
       "c.yml:2:5: the default class takes the keys no pattern matches; it has no patterns"},
      {"classes:\n  - {name: a, patterns: x}\n  - {name: a, patterns: y}\n",
       "c.yml:3:5: class \"a\" is listed twice"},
      {"classes:\n  - {name: a, patterns: x, colour: red}\n",
       "c.yml:2:28: unknown key \"colour\" in a class (want name, patterns, expected_hit_ratio, "
       "ttl, refresh, overrides)"},
      {"classes:\n  - {name: a, patterns: x, name: b}\n",
       "c.yml:2:28: \"name\" given twice in one class"},
      {"classes:\n  - {name: a, patterns: []}\n",
       "c.yml:2:25: patterns must be a glob or a non-empty list of globs"},
      {"classes:\n  - {name: a, patterns: {x: 1}}\n",
       "c.yml:2:25: patterns must be a glob or a non-empty list of globs"},
      {"classes:\n  - {name: a, patterns: [\"\"]}\n",
       "c.yml:2:26: a pattern must not be empty (use \"*\" to match every key)"},
      {"classes:\n  - {name: a, patterns: [[x]]}\n",
       "c.yml:2:26: a pattern must be a single value"},
      {"classes:\n  - {name: [a], patterns: x}\n", "c.yml:2:12: name must be a single value"},
      {"classes:\n  - {name: a, patterns: x, expected_hit_ratio: high}\n",
       "c.yml:2:48: expected_hit_ratio must be a number, got \"high\""},
      {"classes:\n  - {name: a, patterns: x, expected_hit_ratio: 1.5}\n",
       "c.yml:2:48: expected_hit_ratio must be between 0 and 1"},
      {"classes:\n  - {name: a, patterns: x, expected_hit_ratio: -0.1}\n",
       "c.yml:2:48: expected_hit_ratio must be between 0 and 1"},
      {"classes:\n  - {name: a, patterns: x, expected_hit_ratio: .nan}\n",
       "c.yml:2:48: expected_hit_ratio must be a number, got \".nan\""},
      {"classes:\n  - {name: a, patterns: x, ttl: soon}\n",
       "c.yml:2:33: ttl must be a positive duration such as 30s or 5m, got \"soon\""},
      {"classes:\n  - {name: a, patterns: x, ttl: 0s}\n",
       "c.yml:2:33: ttl must be a positive duration such as 30s or 5m, got \"0s\""},
      {"classes:\n  - {name: a, patterns: x, refresh: magic}\n",
       "c.yml:2:37: unknown refresh strategy \"magic\" (want cache_aside, lock, single_flight, "
       "stale_while_revalidate, early_refresh, write_through or unknown)"},
      {"classes:\n  - {name: a, patterns: x, overrides: [1]}\n",
       "c.yml:2:39: overrides must be a mapping of <detector>.<option>: number"},
      {"classes:\n  - {name: a, patterns: x, overrides: {d9.x: 1}}\n",
       "c.yml:2:40: override key \"d9.x\" must be <detector>.<option> with detector d1..d7 or dq, "
       "e.g. d1.min_misses_per_second"},
      {"classes:\n  - {name: a, patterns: x, overrides: {d1: 1}}\n",
       "c.yml:2:40: override key \"d1\" must be <detector>.<option> with detector d1..d7 or dq, "
       "e.g. d1.min_misses_per_second"},
      {"classes:\n  - {name: a, patterns: x, overrides: {d1.Floor: 1}}\n",
       "c.yml:2:40: override key \"d1.Floor\" must be <detector>.<option> with detector d1..d7 or "
       "dq, e.g. d1.min_misses_per_second"},
      {"classes:\n  - {name: a, patterns: x, overrides: {dq.lag: fast}}\n",
       "c.yml:2:48: override \"dq.lag\" must be a number, got \"fast\""},
      {"classes:\n  - {name: a, patterns: x, overrides: {d1.x: 1, d1.x: 2}}\n",
       "c.yml:2:49: override \"d1.x\" given twice"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    const auto got = Parse(c.text);
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.status().message(), c.error);
  }
}

TEST(ClassesSectionTest, BoundsAreErrors) {
  std::string many = "classes:\n";
  for (std::size_t i = 0; i <= kMaxClassEntries; ++i) {
    many += "  - {name: c" + std::to_string(i) + ", patterns: x}\n";
  }
  auto got = Parse(many);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().message(), "c.yml:2:3: at most 1024 classes may be listed");

  got = Parse("classes:\n  - {name: a, patterns: \"" + std::string(513, 'x') + "\"}\n");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().message(), "c.yml:2:25: a pattern must be at most 512 bytes");

  got = Parse("classes:\n  - {name: " + std::string(65, 'a') + ", patterns: x}\n");
  ASSERT_FALSE(got.ok());
  EXPECT_NE(got.status().message().find("at most 64 bytes"), std::string::npos);
}

TEST(ClassesSectionTest, ExampleFileParses) {
  const auto got =
      config::LoadConfigFile(std::string(STAMPEDE_SOURCE_DIR) + "/examples/stampede.yml");
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_GE(got->classes.classes.size(), 3u);
}

// Found with the fuzz targets' message check (corpus classes/regress_quoted_cut_utf8): the
// echo of a bad value was cut at 64 bytes in the middle of a UTF-8 sequence, and control bytes
// became '?' while quotes went through unescaped.
TEST(ClassesSectionTest, EchoedValuesAreEscapedAndCutOnCharacters) {
  const std::string name = std::string(63, 'a') + "\xc3\xa9";  // 'é' across the 64-byte cut
  auto got = Parse("classes:\n  - {name: \"" + name + "\", patterns: x}\n");
  ASSERT_FALSE(got.ok());
  EXPECT_NE(got.status().message().find("class name \"" + std::string(63, 'a') + "...\""),
            std::string::npos)
      << got.status().message();
  got = Parse("classes:\n  - {name: u, patterns: x, ttl: \"5\\\"\\x01m\"}\n");
  ASSERT_FALSE(got.ok());
  EXPECT_NE(got.status().message().find("got \"5\\\"\\x01m\""), std::string::npos)
      << got.status().message();
}

}  // namespace
}  // namespace stampede::classify
