#include "redis/address.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace stampede::redis {
namespace {

struct OkCase {
  std::string_view text;
  Address::Kind kind;
  std::string_view host;
  int port;
  std::string_view path;
  std::string_view user;
  std::string_view password;
  std::string_view redacted;
};

TEST(ParseAddressTest, AcceptsValidAddresses) {
  using Kind = Address::Kind;
  const std::vector<OkCase> cases = {
      {"redis://127.0.0.1:6379", Kind::kTcp, "127.0.0.1", 6379, "", "", "",
       "redis://127.0.0.1:6379"},
      {"redis://localhost", Kind::kTcp, "localhost", 6379, "", "", "", "redis://localhost:6379"},
      {"redis://cache.example.com:6380", Kind::kTcp, "cache.example.com", 6380, "", "", "",
       "redis://cache.example.com:6380"},
      {"redis://redis_1:1", Kind::kTcp, "redis_1", 1, "", "", "", "redis://redis_1:1"},
      {"redis://h:65535", Kind::kTcp, "h", 65535, "", "", "", "redis://h:65535"},
      {"redis://h:06380", Kind::kTcp, "h", 6380, "", "", "", "redis://h:6380"},
      {"REDIS://h:1", Kind::kTcp, "h", 1, "", "", "", "redis://h:1"},
      {"redis://h:6380/", Kind::kTcp, "h", 6380, "", "", "", "redis://h:6380"},
      {"host:7000", Kind::kTcp, "host", 7000, "", "", "", "redis://host:7000"},
      {"host", Kind::kTcp, "host", 6379, "", "", "", "redis://host:6379"},
      {"10.0.0.1", Kind::kTcp, "10.0.0.1", 6379, "", "", "", "redis://10.0.0.1:6379"},
      {"redis://[::1]:6380", Kind::kTcp, "::1", 6380, "", "", "", "redis://[::1]:6380"},
      {"redis://[::1]", Kind::kTcp, "::1", 6379, "", "", "", "redis://[::1]:6379"},
      {"[2001:db8::1]:7000", Kind::kTcp, "2001:db8::1", 7000, "", "", "",
       "redis://[2001:db8::1]:7000"},
      {"redis://[::ffff:10.0.0.1]:1", Kind::kTcp, "::ffff:10.0.0.1", 1, "", "", "",
       "redis://[::ffff:10.0.0.1]:1"},
      {"redis://alice:s3cret@h:6380", Kind::kTcp, "h", 6380, "", "alice", "s3cret",
       "redis://h:6380"},
      {"redis://alice@h", Kind::kTcp, "h", 6379, "", "alice", "", "redis://h:6379"},
      {"redis://:s3cret@h", Kind::kTcp, "h", 6379, "", "", "s3cret", "redis://h:6379"},
      {"redis://alice:@h", Kind::kTcp, "h", 6379, "", "alice", "", "redis://h:6379"},
      // The last '@' ends the credentials: a password may hold '@', ':' and '/'.
      {"redis://alice:p@ss:w/rd@h:1", Kind::kTcp, "h", 1, "", "alice", "p@ss:w/rd", "redis://h:1"},
      {"redis://bob:pw@[::1]:6390", Kind::kTcp, "::1", 6390, "", "bob", "pw", "redis://[::1]:6390"},
      {"unix:///var/run/redis.sock", Kind::kUnix, "", 0, "/var/run/redis.sock", "", "",
       "unix:///var/run/redis.sock"},
      {"unix:///tmp/a b@c.sock", Kind::kUnix, "", 0, "/tmp/a b@c.sock", "", "",
       "unix:///tmp/a b@c.sock"},
      {"UNIX:///s", Kind::kUnix, "", 0, "/s", "", "", "unix:///s"},
  };
  for (const OkCase& c : cases) {
    SCOPED_TRACE(c.text);
    const Result<Address> got = ParseAddress(c.text);
    ASSERT_TRUE(got.ok()) << got.status().message();
    EXPECT_EQ(got->kind, c.kind);
    if (c.kind == Kind::kTcp) {
      EXPECT_EQ(got->host, c.host);
      EXPECT_EQ(got->port, c.port);
    } else {
      EXPECT_EQ(got->path, c.path);
    }
    EXPECT_EQ(got->user, c.user);
    EXPECT_EQ(got->password, c.password);
    EXPECT_EQ(got->Redacted(), c.redacted);
    // Redacted() is itself a valid address naming the same target.
    const Result<Address> again = ParseAddress(got->Redacted());
    ASSERT_TRUE(again.ok()) << again.status().message();
    EXPECT_EQ(again->Redacted(), c.redacted);
  }
}

struct ErrorCase {
  std::string_view text;
  std::string_view want_in_message;
};

TEST(ParseAddressTest, RejectsInvalidAddresses) {
  const std::string too_long_path = "unix:///" + std::string(200, 'p');
  const std::vector<ErrorCase> cases = {
      {"", "it is empty"},
      {"rediss://h:6379", "TLS (rediss://) is not supported: run a local stunnel"},
      {"REDISS://h:6379", "examples/stunnel-redis.conf"},
      {"http://h:6379", "unknown scheme \"http\" (want redis:// or unix://)"},
      {"tcp://h", "unknown scheme \"tcp\""},
      {"://h", "unknown scheme (want"},
      {"redis://h:0", "port \"0\" is out of range 1..65535"},
      {"redis://h:65536", "port \"65536\" is out of range 1..65535"},
      {"redis://h:99999999999999999999", "is out of range 1..65535"},
      {"redis://h:abc", "\"redis://h:***\": the port after ':' is not a number"},
      {"redis://h:-1", "the port after ':' is not a number"},
      {"redis://h:+1", "is not a number"},
      {"h:abc", "\"h:***\": the port after ':' is not a number (credentials go before an '@'"},
      {"redis://h:", "missing port after ':'"},
      {"h:", "missing port after ':'"},
      {"redis://", "empty host"},
      {"redis://:6379", "empty host"},
      {":6379", "empty host"},
      {"redis://[]:6379", "empty host"},
      {"redis://[::1:6379", "missing ']'"},
      {"redis://[::1]x", "after ']'"},
      {"redis://[h]:1", "is not an IPv6 address"},
      {"redis://[10.0.0.1]:1", "is not an IPv6 address"},
      {"redis://::1:6379", "IPv6 addresses need brackets"},
      {"::1", "IPv6 addresses need brackets"},
      {"redis://h:1/0", "database selection in the URL is not supported"},
      {"redis://h/15", "database selection in the URL is not supported"},
      {"redis://h:1/db", "a path after host:port is not supported"},
      {"redis://h:1?db=0", "query parameters in the URL are not supported"},
      {"redis://h:1#x", "query parameters"},
      {"redis://@h:1", "stray '@'"},
      {"redis://h@", "empty host"},
      {"user@h:6379", "unexpected '@'"},
      {"redis://ho st:1", "invalid host \"ho st\""},
      {"redis://h\n:1", "invalid host \"h\\x0a\""},
      {"unix://", "empty unix socket path"},
      {"unix:///", "empty unix socket path"},
      {"unix://relative.sock", "must be absolute"},
      {"unix://./r.sock", "must be absolute"},
      {"unix:///tmp/r.sock?db=1", "query parameters"},
      {"unix:///tmp/a\nb", "control character"},
      {too_long_path, "longer than 107 bytes"},
  };
  for (const ErrorCase& c : cases) {
    SCOPED_TRACE(c.text);
    const Result<Address> got = ParseAddress(c.text);
    ASSERT_FALSE(got.ok());
    const std::string message = got.status().message();
    EXPECT_TRUE(message.starts_with("invalid Redis address \"")) << message;
    EXPECT_NE(message.find(c.want_in_message), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

TEST(ParseAddressTest, ExactMessage) {
  EXPECT_EQ(ParseAddress("redis://h:1/0").status().message(),
            "invalid Redis address \"redis://h:1/0\": database selection in the URL is not "
            "supported (INFO covers every database)");
  EXPECT_EQ(ParseAddress("redis://u:pw@h:0").status().message(),
            "invalid Redis address \"redis://***@h:0\": port \"0\" is out of range 1..65535");
  // TLS: the message names the way out (a local stunnel) and the README section.
  EXPECT_EQ(ParseAddress("rediss://u:pw@redis.internal:6380").status().message(),
            "invalid Redis address \"rediss://***@redis.internal:6380\": TLS (rediss://) is not "
            "supported: run a local stunnel in client mode (examples/stunnel-redis.conf) and "
            "point --redis.addr at its plain port, e.g. redis://127.0.0.1:6380; see README \"TLS "
            "to Redis\"");
  EXPECT_EQ(ParseAddress("redis://alice:pw").status().message(),
            "invalid Redis address \"redis://alice:***\": the port after ':' is not a number "
            "(credentials go before an '@': redis://user:password@host:port)");
}

// Without an '@', what follows host's ':' is a password when it is not a number: the host was
// forgotten (redis://user:password, redis://:password). It must not be echoed either.
TEST(ParseAddressTest, ErrorsHideAPasswordWithoutItsHost) {
  constexpr std::string_view kSecret = "Hunter2Secret";
  const std::vector<std::string> cases = {
      "redis://alice:Hunter2Secret",
      "redis://:Hunter2Secret",
      "alice:Hunter2Secret",
      ":Hunter2Secret",
      "redis://alice:Hunter2Secret/0",
      "redis://alice:Hunter2Secret?db=1",
      "rediss://alice:Hunter2Secret",
      "redis://[::1]:Hunter2Secret",
      "redis://alice:Hunter2Secret:123",
      "http://alice:Hunter2Secret",
      "redis://al ice:Hunter2Secret",
      "redis://alice:Hunter2Secret#x",
  };
  for (const std::string& text : cases) {
    SCOPED_TRACE(text);
    const Result<Address> got = ParseAddress(text);
    ASSERT_FALSE(got.ok());
    const std::string message = got.status().message();
    EXPECT_EQ(message.find(kSecret), std::string::npos) << message;
    EXPECT_EQ(message.find("Hunter"), std::string::npos) << message;
  }
  // A numeric port and a unix path are still echoed as given.
  EXPECT_NE(ParseAddress("redis://h:99999").status().message().find("\"redis://h:99999\""),
            std::string::npos);
  EXPECT_NE(ParseAddress("unix://rel:ative").status().message().find("\"unix://rel:ative\""),
            std::string::npos);
}

// Every error from an input carrying credentials must hide the password (and the user).
TEST(ParseAddressTest, ErrorsNeverContainThePassword) {
  constexpr std::string_view kSecret = "Hunter2Secret";
  const std::vector<std::string> cases = {
      "redis://alice:Hunter2Secret@h:0",      "redis://alice:Hunter2Secret@h:99999",
      "redis://alice:Hunter2Secret@h:x",      "redis://alice:Hunter2Secret@h:1/0",
      "redis://alice:Hunter2Secret@h:1?db=1", "redis://alice:Hunter2Secret@",
      "redis://alice:Hunter2Secret@[::1",     "redis://alice:Hunter2Secret@::1",
      "rediss://alice:Hunter2Secret@h:6379",  "http://alice:Hunter2Secret@h:6379",
      "alice:Hunter2Secret@h:6379",           "alice:Hunter2Secret://x@h",
      "unix://alice:Hunter2Secret@/tmp/s",    "redis://alice:Hunter2Secret@ho st",
  };
  for (const std::string& text : cases) {
    SCOPED_TRACE(text);
    const Result<Address> got = ParseAddress(text);
    ASSERT_FALSE(got.ok());
    const std::string message = got.status().message();
    EXPECT_EQ(message.find(kSecret), std::string::npos) << message;
    EXPECT_EQ(message.find("Hunter"), std::string::npos) << message;
    EXPECT_EQ(message.find("alice"), std::string::npos) << message;
  }
}

TEST(AddressTest, RedactedNeverShowsCredentials) {
  Address tcp;
  tcp.host = "db.internal";
  tcp.port = 7001;
  tcp.user = "alice";
  tcp.password = "Hunter2Secret";
  EXPECT_EQ(tcp.Redacted(), "redis://db.internal:7001");

  Address ipv6 = tcp;
  ipv6.host = "fe80::1";
  EXPECT_EQ(ipv6.Redacted(), "redis://[fe80::1]:7001");

  Address unix_socket;
  unix_socket.kind = Address::Kind::kUnix;
  unix_socket.path = "/run/redis/redis.sock";
  unix_socket.password = "Hunter2Secret";
  EXPECT_EQ(unix_socket.Redacted(), "unix:///run/redis/redis.sock");

  EXPECT_EQ(Address{}.Redacted(), "redis://127.0.0.1:6379");
}

}  // namespace
}  // namespace stampede::redis
