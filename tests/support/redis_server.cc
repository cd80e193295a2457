#include "support/redis_server.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <thread>

namespace stampede::testing {

RedisServer::RedisServer(std::vector<std::string> extra_args)
    : extra_args_(std::move(extra_args)), dir_(MakeTempDir("stampede-redis-")), port_(FreePort()) {}

RedisServer::~RedisServer() {
  conn_.reset();
  process_.Kill();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

redis::Address RedisServer::address() const {
  redis::Address a;
  a.host = "127.0.0.1";
  a.port = port_;
  return a;
}

bool RedisServer::Start() {
  conn_.reset();
  std::vector<std::string> argv = {"redis-server",
                                   "--port",
                                   std::to_string(port_),
                                   "--bind",
                                   "127.0.0.1",
                                   "--save",
                                   "",
                                   "--appendonly",
                                   "no",
                                   "--dir",
                                   dir_,
                                   "--daemonize",
                                   "no"};
  argv.insert(argv.end(), extra_args_.begin(), extra_args_.end());
  process_ = ChildProcess(argv, dir_ + "/redis.log");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (!process_.running()) {
      ADD_FAILURE() << "redis-server exited at start; see " << dir_ << "/redis.log";
      return false;
    }
    redis::Reply pong = Command({"PING"});
    if (pong.type == redis::Reply::Type::kStatus && pong.str == "PONG") {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ADD_FAILURE() << "redis-server did not answer PING within 10 s on port " << port_;
  return false;
}

void RedisServer::Kill() {
  conn_.reset();
  process_.Kill();
}

void RedisServer::Pause() { process_.Signal(SIGSTOP); }
void RedisServer::Resume() { process_.Signal(SIGCONT); }

redis::Reply RedisServer::Command(const std::vector<std::string>& argv) {
  redis::Reply failed;
  failed.type = redis::Reply::Type::kError;
  if (!conn_) {
    redis::Connection::Options o;
    o.address = address();
    o.connect_timeout = std::chrono::milliseconds(1000);
    o.command_timeout = std::chrono::milliseconds(2000);
    auto opened = redis::Connection::Open(o);
    if (!opened.ok()) {
      failed.str = opened.status().message();
      return failed;
    }
    conn_ = std::move(opened).value();
  }
  auto reply = conn_->Command(argv);
  if (!reply.ok()) {
    conn_.reset();
    failed.str = reply.status().message();
    return failed;
  }
  return reply.value();
}

}  // namespace stampede::testing
