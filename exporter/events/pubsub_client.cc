#include "events/pubsub_client.h"

#include <hiredis/hiredis.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/time.h>

#include <cerrno>

namespace stampede::events {

namespace {

timeval ToTimeval(std::chrono::milliseconds d) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(d.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((d.count() % 1000) * 1000);
  return tv;
}

std::string ContextError(const redisContext* ctx) {
  return ctx->errstr[0] != '\0' ? std::string(ctx->errstr) : std::string("connection lost");
}

std::string_view ElementText(const redisReply* r, std::size_t i) {
  if (r->type != REDIS_REPLY_ARRAY || i >= r->elements) {
    return {};
  }
  const redisReply* e = r->element[i];
  if (e->type == REDIS_REPLY_STRING || e->type == REDIS_REPLY_STATUS) {
    return {e->str, e->len};
  }
  return {};
}

}  // namespace

Result<std::unique_ptr<PubSubClient>> PubSubClient::Open(
    const redis::Connection::Options& options) {
  const timeval tv = ToTimeval(options.connect_timeout);
  redisContext* ctx =
      options.address.kind == redis::Address::Kind::kUnix
          ? redisConnectUnixWithTimeout(options.address.path.c_str(), tv)
          : redisConnectWithTimeout(options.address.host.c_str(), options.address.port, tv);
  if (ctx == nullptr) {
    return Status::Error("connect " + options.address.Redacted() + ": out of memory");
  }
  std::unique_ptr<PubSubClient> client(new PubSubClient(ctx));
  if (ctx->err != 0) {
    return Status::Error("connect " + options.address.Redacted() + ": " + ContextError(ctx));
  }
  // AUTH blocks with this timeout; reads after SUBSCRIBE go through poll().
  if (redisSetTimeout(ctx, ToTimeval(options.command_timeout)) != REDIS_OK) {
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
    void* raw = redisCommandArgv(ctx, static_cast<int>(args.size()), args.data(), lens.data());
    if (raw == nullptr) {
      return Status::Error("auth: " + ContextError(ctx));
    }
    std::unique_ptr<redisReply, void (*)(void*)> reply(static_cast<redisReply*>(raw),
                                                       freeReplyObject);
    if (reply->type == REDIS_REPLY_ERROR) {
      return Status::Error("auth: " + std::string(reply->str, reply->len));
    }
  }
  return client;
}

PubSubClient::~PubSubClient() { redisFree(ctx_); }

Status PubSubClient::Flush() {
  int done = 0;
  while (done == 0) {
    if (redisBufferWrite(ctx_, &done) != REDIS_OK) {
      return Status::Error(ContextError(ctx_));
    }
  }
  return Status::Ok();
}

Status PubSubClient::Subscribe(const std::vector<std::string>& channels) {
  std::vector<const char*> args = {"SUBSCRIBE"};
  std::vector<size_t> lens = {9};
  for (const std::string& c : channels) {
    args.push_back(c.data());
    lens.push_back(c.size());
  }
  if (redisAppendCommandArgv(ctx_, static_cast<int>(args.size()), args.data(), lens.data()) !=
      REDIS_OK) {
    return Status::Error(ContextError(ctx_));
  }
  return Flush();
}

Status PubSubClient::Ping() {
  if (redisAppendCommand(ctx_, "PING") != REDIS_OK) {
    return Status::Error(ContextError(ctx_));
  }
  return Flush();
}

Result<std::size_t> PubSubClient::Read(std::chrono::milliseconds timeout, int wake_fd,
                                       bool data_waiting, const Handler& handler) {
  std::size_t handled = 0;
  void* raw = nullptr;
  bool readable = data_waiting;
  if (!readable) {
    pollfd fds[2] = {{ctx_->fd, POLLIN, 0}, {wake_fd, POLLIN, 0}};
    const int n = ::poll(fds, wake_fd >= 0 ? 2 : 1, static_cast<int>(timeout.count()));
    if (n < 0 && errno != EINTR) {
      return Status::Error("poll failed");
    }
    readable = n > 0 && (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0;
  }
  if (readable) {
    if (redisBufferRead(ctx_) != REDIS_OK) {
      return Status::Error(ContextError(ctx_));
    }
  }
  while (true) {
    if (redisGetReplyFromReader(ctx_, &raw) != REDIS_OK) {
      return Status::Error(ContextError(ctx_));
    }
    if (raw == nullptr) {
      break;
    }
    std::unique_ptr<redisReply, void (*)(void*)> reply(static_cast<redisReply*>(raw),
                                                       freeReplyObject);
    if (reply->type == REDIS_REPLY_ERROR) {
      handler("error", std::string_view(reply->str, reply->len), {});
    } else {
      handler(ElementText(reply.get(), 0), ElementText(reply.get(), 1),
              ElementText(reply.get(), 2));
    }
    ++handled;
  }
  return handled;
}

std::size_t PubSubClient::PendingBytes() const {
  int bytes = 0;
  if (::ioctl(ctx_->fd, FIONREAD, &bytes) != 0 || bytes < 0) {
    return 0;
  }
  return static_cast<std::size_t>(bytes);
}

}  // namespace stampede::events
