#include "classify/classifier.h"

#include <gtest/gtest.h>

#include <random>

#include "classify/glob.h"
#include "config/config_file.h"

namespace stampede::classify {
namespace {

ClassesConfig Classes(const std::string& yaml) {
  const auto got = config::ParseConfigText("classes:\n" + yaml, "c.yml");
  EXPECT_TRUE(got.ok()) << got.status().message();
  return got.ok() ? got->classes : ClassesConfig{};
}

// The reference: the first class with a pattern that matches, by the general matcher.
std::string Reference(const ClassesConfig& config, std::string_view key) {
  for (std::size_t i = 0; i < config.classes.size(); ++i) {
    for (const std::string& p : config.classes[i].patterns) {
      if (GlobMatch(p, key)) {
        return i < Classifier::kMaxClasses ? config.classes[i].name : "other";
      }
    }
  }
  return "default";
}

TEST(ClassifierTest, FirstMatchWinsAcrossPatternKinds) {
  const ClassesConfig config = Classes(R"(
  - {name: vip, patterns: ["user:1", "user:1?"]}
  - {name: user, patterns: ["user:*"]}
  - {name: any_profile, patterns: ["*:profile"]}
  - {name: catch_u, patterns: ["u*"]}
  - {name: exact_late, patterns: ["user:7"]}
)");
  const Classifier classifier(config);
  struct Case {
    const char* key;
    const char* cls;
  };
  const Case cases[] = {
      {"user:1", "vip"},     // exact, before the prefix
      {"user:12", "vip"},    // general glob listed before the prefix
      {"user:123", "user"},  // prefix
      {"user:7", "user"},    // a later exact pattern loses to an earlier prefix
      {"x:profile", "any_profile"},
      {"user:9:profile", "user"},  // both match: the earlier class wins
      {"uu", "catch_u"},
      {"u", "catch_u"},
      {"", "default"},
      {"other:1", "default"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.key);
    EXPECT_EQ(classifier.Name(classifier.Classify(c.key)), c.cls);
    EXPECT_EQ(Reference(config, c.key), c.cls);
  }
  EXPECT_EQ(classifier.size(), 6u);
  EXPECT_EQ(classifier.overflowed_classes(), 0u);
}

TEST(ClassifierTest, ClassesOverTheLimitBecomeOther) {
  std::string yaml;
  for (std::size_t i = 0; i < Classifier::kMaxClasses + 3; ++i) {
    yaml +=
        "  - {name: c" + std::to_string(i) + ", patterns: [\"k" + std::to_string(i) + ":*\"]}\n";
  }
  const Classifier classifier(Classes(yaml));
  EXPECT_EQ(classifier.size(), Classifier::kMaxClasses + 2);  // default + 64 + other
  EXPECT_EQ(classifier.overflowed_classes(), 3u);
  EXPECT_EQ(classifier.Name(classifier.other()), "other");
  EXPECT_EQ(classifier.Name(classifier.Classify("k0:x")), "c0");
  EXPECT_EQ(classifier.Name(classifier.Classify("k63:x")), "c63");
  EXPECT_EQ(classifier.Classify("k64:x"), classifier.other());
  EXPECT_EQ(classifier.Classify("k66:x"), classifier.other());
  EXPECT_EQ(classifier.Classify("zzz"), Classifier::kDefault);
}

TEST(ClassifierTest, NoOverflowMeansNoOtherClass) {
  const Classifier classifier(Classes("  - {name: a, patterns: x}\n"));
  EXPECT_EQ(classifier.size(), 2u);
  EXPECT_EQ(classifier.other(), 2u);
}

TEST(ClassifierTest, AgreesWithTheGeneralMatcherOnRandomKeys) {
  const ClassesConfig config = Classes(R"(
  - {name: a, patterns: ["ab*", "a?c", "[xy]z*"]}
  - {name: b, patterns: ["a*", "*b"]}
  - {name: c, patterns: ["abc", "b", "*"]}
)");
  const Classifier classifier(config);
  std::mt19937 rng(7);
  const std::string alphabet = "abcxyz";
  for (int i = 0; i < 5000; ++i) {
    std::string key;
    const int len = static_cast<int>(rng() % 5);
    for (int j = 0; j < len; ++j) {
      key += alphabet[rng() % alphabet.size()];
    }
    ASSERT_EQ(classifier.Name(classifier.Classify(key)), Reference(config, key)) << key;
  }
}

}  // namespace
}  // namespace stampede::classify
