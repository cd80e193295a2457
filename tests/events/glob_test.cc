#include "classify/glob.h"

#include <gtest/gtest.h>

namespace stampede::classify {
namespace {

TEST(GlobMatchTest, MatchesLikeRedis) {
  struct Case {
    const char* pattern;
    const char* text;
    bool match;
  };
  const Case cases[] = {
      {"*", "", true},
      {"*", "anything", true},
      {"user:*", "user:42", true},
      {"user:*", "user:", true},
      {"user:*", "users:42", false},
      {"user:*", "use", false},
      {"user:?", "user:4", true},
      {"user:?", "user:42", false},
      {"*:profile", "user:42:profile", true},
      {"*:profile", "user:42:profiles", false},
      {"a*b*c", "aXbYc", true},
      {"a*b*c", "aXbY", false},
      {"a*b*c", "abcbc", true},
      {"[abc]x", "bx", true},
      {"[abc]x", "dx", false},
      {"[^abc]x", "dx", true},
      {"[^abc]x", "ax", false},
      {"[a-c]x", "bx", true},
      {"[c-a]x", "bx", true},  // reversed ranges work as in Redis
      {"[a-c]x", "dx", false},
      {"\\*", "*", true},
      {"\\*", "a", false},
      {"a\\?b", "a?b", true},
      {"a\\?b", "axb", false},
      {"[\\]]", "]", true},
      {"[abc", "[abc", true},  // an unclosed set is literal
      {"[abc", "a", false},
      {"exact", "exact", true},
      {"exact", "exac", false},
      {"", "", true},
      {"", "x", false},
      {"**x", "abx", true},
      {"trail\\", "trail\\", true},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.pattern) + " vs " + c.text);
    EXPECT_EQ(GlobMatch(c.pattern, c.text), c.match);
  }
}

TEST(AnalyzeGlobTest, FindsExactAndPrefixShapes) {
  struct Case {
    const char* pattern;
    GlobShape::Kind kind;
    const char* literal;
  };
  const Case cases[] = {
      {"user:42", GlobShape::Kind::kExact, "user:42"},
      {"user:*", GlobShape::Kind::kPrefix, "user:"},
      {"user:**", GlobShape::Kind::kPrefix, "user:"},
      {"*", GlobShape::Kind::kPrefix, ""},
      {"a\\*b", GlobShape::Kind::kExact, "a*b"},
      {"a\\**", GlobShape::Kind::kPrefix, "a*"},
      {"*x", GlobShape::Kind::kGeneral, ""},
      {"a*b", GlobShape::Kind::kGeneral, ""},
      {"a?", GlobShape::Kind::kGeneral, ""},
      {"[ab]*", GlobShape::Kind::kGeneral, ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.pattern);
    const GlobShape shape = AnalyzeGlob(c.pattern);
    EXPECT_EQ(shape.kind, c.kind);
    if (c.kind != GlobShape::Kind::kGeneral) {
      EXPECT_EQ(shape.literal, c.literal);
    }
  }
}

TEST(AnalyzeGlobTest, ShapeAgreesWithTheMatcher) {
  const char* patterns[] = {"user:*", "a\\*b", "a\\**", "exact", "*"};
  const char* texts[] = {"user:1", "a*b", "a*bc", "exact", "", "user", "a*", "zzz"};
  for (const char* p : patterns) {
    const GlobShape shape = AnalyzeGlob(p);
    for (const char* t : texts) {
      const std::string_view text(t);
      const bool by_shape = shape.kind == GlobShape::Kind::kExact ? text == shape.literal
                                                                  : text.starts_with(shape.literal);
      EXPECT_EQ(by_shape, GlobMatch(p, t)) << p << " vs " << t;
    }
  }
}

}  // namespace
}  // namespace stampede::classify
