#include "redis/connection.h"

#include <hiredis/hiredis.h>
#include <sys/time.h>

#include <cerrno>
#include <cstring>
#include <string_view>

namespace stampede::redis {

namespace {

timeval ToTimeval(std::chrono::milliseconds d) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(d.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((d.count() % 1000) * 1000);
  return tv;
}

Reply Convert(const redisReply* r) {
  Reply out;
  switch (r->type) {
    case REDIS_REPLY_STRING:
      out.type = Reply::Type::kString;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = Reply::Type::kStatus;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ERROR:
      out.type = Reply::Type::kError;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = Reply::Type::kInteger;
      out.integer = r->integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = Reply::Type::kArray;
      out.elements.reserve(r->elements);
      for (size_t i = 0; i < r->elements; ++i) {
        out.elements.push_back(Convert(r->element[i]));
      }
      break;
    default:
      out.type = Reply::Type::kNil;
      break;
  }
  return out;
}

// What a server hanging up on the first command usually means. A TLS port answers a plain-text
// command with a reset, a bare close or a TLS alert record (first byte 0x15, which hiredis reads
// as a bad reply type); so does stunnel when its own handshake with Redis failed.
constexpr std::string_view kFirstReplyHint =
    " (the server hung up at the first command: is this a TLS port, or a TLS proxy such as "
    "stunnel whose handshake failed? stampede_exporter speaks plain TCP; see README \"TLS to "
    "Redis\")";

// ContextError, with kFirstReplyHint when nothing was ever read on this connection and the
// failure looks like a TLS server refusing plain text.
std::string FirstReplyError(const redisContext* ctx) {
  std::string message = ContextError(ctx);
  if (LooksLikeTlsRefusal(ctx->err, ctx->errstr)) {
    message += kFirstReplyHint;
  }
  return message;
}

}  // namespace

bool LooksLikeTlsRefusal(int hiredis_err, std::string_view errstr) {
  switch (hiredis_err) {
    case REDIS_ERR_EOF:
      return true;
    case REDIS_ERR_IO:
      return errstr == std::strerror(ECONNRESET) || errstr == std::strerror(EPIPE);
    case REDIS_ERR_PROTOCOL:
      return errstr.find("\\x15") != std::string_view::npos ||
             errstr.find("\\x16") != std::string_view::npos;
    default:
      return false;
  }
}

std::string ContextError(const redisContext* ctx) {
  return ctx->errstr[0] != '\0' ? std::string(ctx->errstr) : std::string("connection lost");
}

Result<ContextPtr> OpenContext(const Connection::Options& options) {
  const timeval connect_tv = ToTimeval(options.connect_timeout);
  redisContext* raw = nullptr;
  if (options.address.kind == Address::Kind::kUnix) {
    raw = redisConnectUnixWithTimeout(options.address.path.c_str(), connect_tv);
  } else {
    raw = redisConnectWithTimeout(options.address.host.c_str(), options.address.port, connect_tv);
  }
  if (raw == nullptr) {
    return Status::Error("connect " + options.address.Redacted() + ": out of memory");
  }
  ContextPtr ctx(raw, redisFree);
  if (ctx->err != 0) {
    return Status::Error("connect " + options.address.Redacted() + ": " + ContextError(ctx.get()));
  }
  if (redisSetTimeout(ctx.get(), ToTimeval(options.command_timeout)) != REDIS_OK) {
    return Status::Error("connect " + options.address.Redacted() + ": cannot set timeout");
  }
  // A user without a password still authenticates (AUTH user ""): skipping AUTH would run as
  // the `default` user, with its rights instead of the ones asked for. A `nopass` user accepts
  // any password; any other answers WRONGPASS, which says what is missing.
  if (!options.password.empty() || !options.user.empty()) {
    std::vector<const char*> args = {"AUTH"};
    std::vector<size_t> lens = {4};
    if (!options.user.empty()) {
      args.push_back(options.user.data());
      lens.push_back(options.user.size());
    }
    args.push_back(options.password.data());
    lens.push_back(options.password.size());
    void* reply_raw =
        redisCommandArgv(ctx.get(), static_cast<int>(args.size()), args.data(), lens.data());
    if (reply_raw == nullptr) {
      return Status::Error("auth: " + FirstReplyError(ctx.get()));
    }
    std::unique_ptr<redisReply, void (*)(void*)> reply(static_cast<redisReply*>(reply_raw),
                                                       freeReplyObject);
    if (reply->type == REDIS_REPLY_ERROR) {
      return Status::Error("auth: " + std::string(reply->str, reply->len));
    }
  }
  return ctx;
}

Result<std::unique_ptr<Connection>> Connection::Open(const Options& options) {
  auto ctx = OpenContext(options);
  if (!ctx.ok()) {
    return ctx.status();
  }
  // With AUTH, the server has answered once already.
  const bool answered = !options.password.empty() || !options.user.empty();
  return std::unique_ptr<Connection>(new Connection(std::move(ctx).value().release(), answered));
}

Connection::~Connection() { redisFree(ctx_); }

Result<Reply> Connection::Command(const std::vector<std::string>& argv) {
  std::vector<const char*> args;
  std::vector<size_t> lens;
  args.reserve(argv.size());
  lens.reserve(argv.size());
  for (const auto& a : argv) {
    args.push_back(a.data());
    lens.push_back(a.size());
  }
  void* raw = redisCommandArgv(ctx_, static_cast<int>(args.size()), args.data(), lens.data());
  if (raw == nullptr) {
    return Status::Error(answered_ ? ContextError(ctx_) : FirstReplyError(ctx_));
  }
  answered_ = true;
  std::unique_ptr<redisReply, void (*)(void*)> reply(static_cast<redisReply*>(raw),
                                                     freeReplyObject);
  return Convert(reply.get());
}

}  // namespace stampede::redis
