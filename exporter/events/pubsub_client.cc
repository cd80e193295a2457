#include "events/pubsub_client.h"

#include <hiredis/hiredis.h>
#include <poll.h>
#include <sys/ioctl.h>

#include <cerrno>

namespace stampede::events {

namespace {

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
  // AUTH blocks with the command timeout; reads after SUBSCRIBE go through poll().
  auto ctx = redis::OpenContext(options);
  if (!ctx.ok()) {
    return ctx.status();
  }
  return std::unique_ptr<PubSubClient>(new PubSubClient(std::move(ctx).value().release()));
}

PubSubClient::~PubSubClient() { redisFree(ctx_); }

Status PubSubClient::Flush() {
  int done = 0;
  while (done == 0) {
    if (redisBufferWrite(ctx_, &done) != REDIS_OK) {
      return Status::Error(redis::ContextError(ctx_));
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
    return Status::Error(redis::ContextError(ctx_));
  }
  return Flush();
}

Status PubSubClient::Ping() {
  if (redisAppendCommand(ctx_, "PING") != REDIS_OK) {
    return Status::Error(redis::ContextError(ctx_));
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
      return Status::Error(redis::ContextError(ctx_));
    }
  }
  while (true) {
    if (redisGetReplyFromReader(ctx_, &raw) != REDIS_OK) {
      return Status::Error(redis::ContextError(ctx_));
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
