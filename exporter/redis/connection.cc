#include "redis/connection.h"

#include <hiredis/hiredis.h>
#include <sys/time.h>

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

}  // namespace

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
  if (!options.password.empty()) {
    std::vector<const char*> args = {"AUTH"};
    std::vector<size_t> lens = {4};
    for (const std::string* part : {&options.user, &options.password}) {
      if (!part->empty()) {
        args.push_back(part->data());
        lens.push_back(part->size());
      }
    }
    void* reply_raw =
        redisCommandArgv(ctx.get(), static_cast<int>(args.size()), args.data(), lens.data());
    if (reply_raw == nullptr) {
      return Status::Error("auth: " + ContextError(ctx.get()));
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
  return std::unique_ptr<Connection>(new Connection(std::move(ctx).value().release()));
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
    return Status::Error(ContextError(ctx_));
  }
  std::unique_ptr<redisReply, void (*)(void*)> reply(static_cast<redisReply*>(raw),
                                                     freeReplyObject);
  return Convert(reply.get());
}

}  // namespace stampede::redis
