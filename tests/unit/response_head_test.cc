#include "http/response_head.h"

#include <gtest/gtest.h>

#include <string>

namespace stampede::http {
namespace {

TEST(HttpDateTest, IsAnImfFixdateInGmt) {
  EXPECT_EQ(HttpDate(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");  // RFC 9110's example
  EXPECT_EQ(HttpDate(0), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(HttpDate(1796643444), "Mon, 07 Dec 2026 11:37:24 GMT");
}

struct KeepAliveCase {
  const char* version;
  const char* connection;  // nullptr: no Connection header
  bool keep_alive;
};

class KeepAliveTest : public ::testing::TestWithParam<KeepAliveCase> {};

TEST_P(KeepAliveTest, FollowsTheRequestVersionAndConnectionHeader) {
  const KeepAliveCase& c = GetParam();
  EXPECT_EQ(KeepAlive(c.version, c.connection), c.keep_alive)
      << "HTTP/" << c.version << " Connection: " << (c.connection ? c.connection : "(none)");
}

INSTANTIATE_TEST_SUITE_P(
    Table, KeepAliveTest,
    ::testing::Values(KeepAliveCase{"1.1", nullptr, true}, KeepAliveCase{"1.0", nullptr, false},
                      KeepAliveCase{"1.1", "close", false}, KeepAliveCase{"1.1", "Close", false},
                      KeepAliveCase{"1.1", "keep-alive", true},
                      KeepAliveCase{"1.0", "keep-alive", true},
                      KeepAliveCase{"1.0", "Keep-Alive", true},
                      KeepAliveCase{"1.1", "Upgrade, close", false},
                      KeepAliveCase{"1.1", " TE , close ", false},
                      KeepAliveCase{"1.1", "Upgrade", true}, KeepAliveCase{"1.0", "TE", false},
                      KeepAliveCase{"1.1", "closed", true}, KeepAliveCase{"", nullptr, false}));

TEST(ResponseHeadTest, StatusLineThenFixedHeadersThenTheRoutesThenABlankLine) {
  ResponseHead head;
  head.code = 401;
  head.reason = "Unauthorized";
  head.content_type = "text/plain; charset=utf-8";
  head.content_length = 17;
  head.keep_alive = false;
  head.now = 784111777;
  std::string out = "prefix|";
  AppendResponseHead(out, head, {{"WWW-Authenticate", "Basic realm=\"x\""}},
                     {{"X-Frame-Options", "DENY"}});
  EXPECT_EQ(out,
            "prefix|HTTP/1.1 401 Unauthorized\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "Content-Length: 17\r\n"
            "Cache-Control: no-store\r\n"
            "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
            "Connection: close\r\n"
            "WWW-Authenticate: Basic realm=\"x\"\r\n"
            "X-Frame-Options: DENY\r\n"
            "\r\n");
}

TEST(ResponseHeadTest, KeepAliveAndALargeLength) {
  ResponseHead head;
  head.reason = "OK";
  head.content_type = "application/json";
  head.content_length = 12345678901;
  std::string out;
  AppendResponseHead(out, head, {}, {});
  EXPECT_EQ(out.rfind("HTTP/1.1 200 OK\r\n", 0), 0u);
  EXPECT_NE(out.find("\r\nContent-Length: 12345678901\r\n"), std::string::npos);
  EXPECT_NE(out.find("\r\nConnection: keep-alive\r\n"), std::string::npos);
  EXPECT_EQ(out.substr(out.size() - 4), "\r\n\r\n");
}

}  // namespace
}  // namespace stampede::http
