// LooksLikeTlsRefusal: which hiredis errors at a connection's first command get the pointer to
// TLS and stunnel (README "TLS to Redis").
#include <gtest/gtest.h>
#include <hiredis/hiredis.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "redis/connection.h"

namespace stampede::redis {
namespace {

struct Case {
  const char* name;
  int err;
  std::string errstr;
  bool tls;
};

TEST(LooksLikeTlsRefusalTest, Table) {
  const Case cases[] = {
      {"EOF: a bare close", REDIS_ERR_EOF, "Server closed the connection", true},
      {"reset after the command", REDIS_ERR_IO, std::strerror(ECONNRESET), true},
      {"reset before the command was written", REDIS_ERR_IO, std::strerror(EPIPE), true},
      {"TLS alert record as a reply type", REDIS_ERR_PROTOCOL,
       "Protocol error, got \"\\x15\" as reply type byte", true},
      {"TLS handshake record as a reply type", REDIS_ERR_PROTOCOL,
       "Protocol error, got \"\\x16\" as reply type byte", true},
      {"timeout: a stalled server, not TLS", REDIS_ERR_IO, std::strerror(EAGAIN), false},
      {"refused: nothing listens", REDIS_ERR_IO, std::strerror(ECONNREFUSED), false},
      {"another protocol error", REDIS_ERR_PROTOCOL, "Protocol error, got \"H\" as reply type byte",
       false},
      {"out of memory", REDIS_ERR_OOM, "Out of memory", false},
      {"other", REDIS_ERR_OTHER, "Name or service not known", false},
      {"no error", 0, "", false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(LooksLikeTlsRefusal(c.err, c.errstr), c.tls) << c.name;
  }
}

}  // namespace
}  // namespace stampede::redis
