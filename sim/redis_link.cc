#include "redis_link.h"

#include <hiredis/hiredis.h>
#include <sys/time.h>

#include <utility>

namespace stampede::sim {

namespace {

timeval ToTimeval(std::chrono::milliseconds d) {
  timeval tv{};
  tv.tv_sec = static_cast<decltype(tv.tv_sec)>(d.count() / 1000);
  tv.tv_usec = static_cast<decltype(tv.tv_usec)>((d.count() % 1000) * 1000);
  return tv;
}

RedisReply Convert(const redisReply* r) {
  RedisReply out;
  switch (r->type) {
    case REDIS_REPLY_STRING:
      out.type = RedisReply::Type::kString;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = RedisReply::Type::kStatus;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ERROR:
      out.type = RedisReply::Type::kError;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = RedisReply::Type::kInteger;
      out.integer = r->integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = RedisReply::Type::kArray;
      out.elements = r->elements;
      for (std::size_t i = 0; i < r->elements; ++i) {
        const redisReply* e = r->element[i];
        out.items.push_back(e->type == REDIS_REPLY_STRING || e->type == REDIS_REPLY_STATUS
                                ? std::string(e->str, e->len)
                                : std::string());
      }
      break;
    default:
      out.type = RedisReply::Type::kNil;
      break;
  }
  return out;
}

}  // namespace

RedisLink::RedisLink(RedisEndpoint endpoint) : endpoint_(std::move(endpoint)) {}

RedisLink::~RedisLink() { Drop(); }

RedisLink::RedisLink(RedisLink&& other) noexcept
    : endpoint_(std::move(other.endpoint_)),
      ctx_(std::exchange(other.ctx_, nullptr)),
      retry_at_(other.retry_at_),
      connects_(other.connects_),
      reconnects_(other.reconnects_) {}

RedisLink& RedisLink::operator=(RedisLink&& other) noexcept {
  if (this != &other) {
    Drop();
    endpoint_ = std::move(other.endpoint_);
    ctx_ = std::exchange(other.ctx_, nullptr);
    retry_at_ = other.retry_at_;
    connects_ = other.connects_;
    reconnects_ = other.reconnects_;
  }
  return *this;
}

void RedisLink::Drop() {
  if (ctx_ != nullptr) {
    redisFree(ctx_);
    ctx_ = nullptr;
  }
}

RedisReply RedisLink::Broken(std::string message) {
  Drop();
  RedisReply r;
  r.type = RedisReply::Type::kIoError;
  r.str = std::move(message);
  return r;
}

redisContext* RedisLink::Context(std::string& error) {
  if (ctx_ != nullptr) {
    return ctx_;
  }
  const auto now = std::chrono::steady_clock::now();
  if (now < retry_at_) {
    error = "not connected (backing off after a failed connect)";
    return nullptr;
  }
  redisContext* c =
      redisConnectWithTimeout(endpoint_.host.c_str(), endpoint_.port, ToTimeval(endpoint_.timeout));
  if (c == nullptr || c->err != 0) {
    error = "connect " + endpoint_.host + ":" + std::to_string(endpoint_.port) + ": " +
            (c != nullptr ? c->errstr : "out of memory");
    if (c != nullptr) {
      redisFree(c);
    }
    retry_at_ = now + kReconnectBackoff;
    return nullptr;
  }
  redisSetTimeout(c, ToTimeval(endpoint_.timeout));
  reconnects_ += connects_ > 0 ? 1 : 0;
  ++connects_;
  ctx_ = c;
  return ctx_;
}

RedisReply RedisLink::Run(std::vector<const char*>& argv, const std::vector<std::size_t>& lens) {
  std::string error;
  redisContext* c = Context(error);
  if (c == nullptr) {
    RedisReply r;
    r.type = RedisReply::Type::kIoError;
    r.str = std::move(error);
    return r;
  }
  auto* reply = static_cast<redisReply*>(
      redisCommandArgv(c, static_cast<int>(argv.size()), argv.data(), lens.data()));
  if (reply == nullptr) {
    return Broken(c->err != 0 ? c->errstr : "connection lost");
  }
  RedisReply out = Convert(reply);
  freeReplyObject(reply);
  return out;
}

RedisReply RedisLink::Command(std::initializer_list<std::string_view> argv) {
  std::vector<const char*> args;
  std::vector<std::size_t> lens;
  for (std::string_view a : argv) {
    args.push_back(a.data());
    lens.push_back(a.size());
  }
  return Run(args, lens);
}

RedisReply RedisLink::Command(const std::vector<std::string>& argv) {
  std::vector<const char*> args;
  std::vector<std::size_t> lens;
  for (const std::string& a : argv) {
    args.push_back(a.data());
    lens.push_back(a.size());
  }
  return Run(args, lens);
}

std::vector<RedisReply> RedisLink::Pipeline(const std::vector<std::vector<std::string>>& commands) {
  std::vector<RedisReply> out;
  out.reserve(commands.size());
  std::string error;
  redisContext* c = Context(error);
  const auto fail_rest = [&](const std::string& message) {
    while (out.size() < commands.size()) {
      RedisReply r;
      r.type = RedisReply::Type::kIoError;
      r.str = message;
      out.push_back(std::move(r));
    }
    return out;
  };
  if (c == nullptr) {
    return fail_rest(error);
  }
  std::vector<const char*> args;
  std::vector<std::size_t> lens;
  for (const auto& command : commands) {
    args.clear();
    lens.clear();
    for (const std::string& a : command) {
      args.push_back(a.data());
      lens.push_back(a.size());
    }
    if (redisAppendCommandArgv(c, static_cast<int>(args.size()), args.data(), lens.data()) !=
        REDIS_OK) {
      const std::string message = c->err != 0 ? c->errstr : "cannot queue a command";
      Drop();
      return fail_rest(message);
    }
  }
  for (std::size_t i = 0; i < commands.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(c, &raw) != REDIS_OK || raw == nullptr) {
      const std::string message = c->err != 0 ? c->errstr : "connection lost";
      Drop();
      return fail_rest(message);
    }
    auto* reply = static_cast<redisReply*>(raw);
    out.push_back(Convert(reply));
    freeReplyObject(reply);
  }
  return out;
}

}  // namespace stampede::sim
