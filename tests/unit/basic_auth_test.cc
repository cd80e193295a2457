// Basic auth: header parsing, bcrypt verification with libxcrypt, the cache of successes.
#include "web/basic_auth.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace stampede::web {
namespace {

// bcrypt (cost 4) of "secret", made with python3's crypt module.
constexpr const char* kHash = "$2b$04$aA0ehorBmfOMMiFe364nruJlI8F51XOZO5qyKdN9Whja0l09ToCay";

TEST(Base64Test, DecodesAndRejects) {
  EXPECT_EQ(DecodeBase64("YWxpY2U6c2VjcmV0"), "alice:secret");
  EXPECT_EQ(DecodeBase64("YQ=="), "a");
  EXPECT_EQ(DecodeBase64("YWI="), "ab");
  EXPECT_EQ(DecodeBase64(""), "");
  EXPECT_FALSE(DecodeBase64("YQ").has_value());        // no padding
  EXPECT_FALSE(DecodeBase64("Y===").has_value());      // too much padding
  EXPECT_FALSE(DecodeBase64("YQ==YQ==").has_value());  // padding inside
  EXPECT_FALSE(DecodeBase64("YW!j").has_value());
}

struct HeaderCase {
  std::string header;
  bool ok;
  std::string user;
  std::string password;
};

class ParseAuthorizationTest : public testing::TestWithParam<HeaderCase> {};

TEST_P(ParseAuthorizationTest, Parses) {
  const HeaderCase& c = GetParam();
  Result<Credentials> got = ParseBasicAuthorization(c.header);
  ASSERT_EQ(got.ok(), c.ok) << c.header;
  if (c.ok) {
    EXPECT_EQ(got->user, c.user);
    EXPECT_EQ(got->password, c.password);
  } else {
    EXPECT_EQ(got.status().message().find("c2VjcmV0"), std::string::npos);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ParseAuthorizationTest,
    testing::Values(HeaderCase{"Basic YWxpY2U6c2VjcmV0", true, "alice", "secret"},
                    HeaderCase{"basic   YWxpY2U6c2VjcmV0  ", true, "alice", "secret"},
                    HeaderCase{"BASIC YWxpY2U6OnM6", true, "alice", ":s:"},  // "alice::s:"
                    HeaderCase{"Basic OnNlY3JldA==", true, "", "secret"},    // ":secret"
                    HeaderCase{"Bearer YWxpY2U6c2VjcmV0", false, "", ""},
                    HeaderCase{"Basic", false, "", ""},
                    HeaderCase{"BasicYWxpY2U6c2VjcmV0", false, "", ""},
                    HeaderCase{"Basic YWxpY2U=", false, "", ""},  // "alice": no colon
                    HeaderCase{"Basic not*base64", false, "", ""}));

TEST(BcryptTest, MatchesOnlyTheRightPassword) {
  EXPECT_TRUE(BcryptMatches("secret", kHash));
  EXPECT_FALSE(BcryptMatches("Secret", kHash));
  EXPECT_FALSE(BcryptMatches("", kHash));
  EXPECT_FALSE(BcryptMatches(std::string("secret\0x", 8), kHash));
  EXPECT_FALSE(BcryptMatches("secret", "not a hash"));
  // $2y$ is the same algorithm (htpasswd writes it).
  std::string y = kHash;
  y[2] = 'y';
  EXPECT_TRUE(BcryptMatches("secret", y));
}

class BasicAuthTest : public testing::Test {
 protected:
  int calls_ = 0;
  BasicAuth auth_{
      {{"alice", kHash}}, 2, [this](std::string_view password, const std::string& hash) {
        ++calls_;
        return BcryptMatches(password, hash);
      }};
};

TEST_F(BasicAuthTest, Reasons) {
  EXPECT_EQ(auth_.Check(""), AuthFailure::kMissing);
  EXPECT_EQ(auth_.Check("Bearer abc"), AuthFailure::kMalformed);
  EXPECT_EQ(auth_.Check("Basic %%%%"), AuthFailure::kMalformed);
  EXPECT_EQ(calls_, 0) << "no bcrypt for a missing or malformed header";
  EXPECT_EQ(auth_.Check("Basic YWxpY2U6d3Jvbmc="), AuthFailure::kBadCredentials);  // alice:wrong
  EXPECT_EQ(auth_.Check("Basic Ym9iOnNlY3JldA=="), AuthFailure::kBadCredentials);  // bob:secret
  EXPECT_EQ(calls_, 2) << "an unknown user costs a bcrypt too";
  EXPECT_EQ(auth_.Check("Basic YWxpY2U6c2VjcmV0"), std::nullopt);  // alice:secret
  EXPECT_EQ(AuthFailureName(AuthFailure::kBadCredentials), "bad_credentials");
  EXPECT_EQ(AuthFailureName(AuthFailure::kMissing), "missing");
  EXPECT_EQ(AuthFailureName(AuthFailure::kMalformed), "malformed");
}

TEST_F(BasicAuthTest, CachesSuccessesOnly) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(auth_.Check("Basic YWxpY2U6c2VjcmV0"), std::nullopt);
  }
  EXPECT_EQ(calls_, 1) << "a repeated good login is answered from the cache";
  EXPECT_EQ(auth_.slow_checks(), 1u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(auth_.Check("Basic YWxpY2U6d3Jvbmc="), AuthFailure::kBadCredentials);
  }
  EXPECT_EQ(calls_, 4) << "failures are never cached";
  // A password that differs from the cached one is checked again (and fails).
  EXPECT_EQ(auth_.Check("Basic YWxpY2U6c2VjcmV0eA=="), AuthFailure::kBadCredentials);
  EXPECT_EQ(calls_, 5);
}

TEST(BasicAuthCacheTest, BoundedLeastRecentlyUsed) {
  int calls = 0;
  const std::map<std::string, std::string> users = {{"a", "ha"}, {"b", "hb"}, {"c", "hc"}};
  BasicAuth auth(users, 2, [&calls](std::string_view password, const std::string& hash) {
    ++calls;
    return hash == "h" + std::string(password);  // password "a" for user a, ...
  });
  const std::string a = "Basic YTph", b = "Basic Yjpi", c = "Basic Yzpj";  // a:a b:b c:c
  EXPECT_EQ(auth.Check(a), std::nullopt);
  EXPECT_EQ(auth.Check(b), std::nullopt);
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(auth.Check(a), std::nullopt);  // hit; a is now the most recent
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(auth.Check(c), std::nullopt);  // evicts b
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(auth.Check(a), std::nullopt);
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(auth.Check(b), std::nullopt);  // evicted: verified again
  EXPECT_EQ(calls, 4);
}

}  // namespace
}  // namespace stampede::web
