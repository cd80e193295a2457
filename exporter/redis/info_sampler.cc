#include "redis/info_sampler.h"

#include <algorithm>
#include <utility>

namespace stampede::redis {

namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

std::string_view SampleErrorName(SampleError e) {
  switch (e) {
    case SampleError::kConnect:
      return "connect";
    case SampleError::kIo:
      return "io";
    case SampleError::kCommand:
      return "command";
  }
  return "unknown";
}

const std::vector<std::string>& InfoSampler::Sections() {
  static const std::vector<std::string> kSections = {"server",       "clients",     "memory",
                                                     "stats",        "replication", "keyspace",
                                                     "commandstats", "errorstats",  "latencystats"};
  return kSections;
}

InfoSampler::InfoSampler(Options options, std::vector<InfoSink*> sinks, Logger& log)
    : options_(std::move(options)), sinks_(std::move(sinks)), log_(log) {}

InfoSampler::~InfoSampler() { Stop(); }

void InfoSampler::Start() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = false;
  }
  thread_ = std::thread([this] { Run(); });
}

void InfoSampler::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

bool InfoSampler::WaitUntil(Clock::time_point deadline) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_until(lock, deadline, [this] { return stop_; });
  return !stop_;
}

void InfoSampler::Run() {
  std::unique_ptr<Connection> conn;
  bool legacy_info = false;  // the server rejected multi-section INFO: use INFO all
  auto backoff = options_.min_backoff;
  auto next = Clock::now();
  while (WaitUntil(next)) {
    const auto started = Clock::now();
    if (!conn) {
      auto opened = Connection::Open(options_.connection);
      if (!opened.ok()) {
        Fail(SampleError::kConnect, opened.status().message(), Clock::now() - started);
        // Retry sooner than the interval so a returning Redis is seen within max_backoff.
        next = Clock::now() + std::min<std::chrono::milliseconds>(backoff, options_.interval);
        backoff = std::min(backoff * 2, options_.max_backoff);
        continue;
      }
      conn = std::move(opened).value();
      legacy_info = false;
      backoff = options_.min_backoff;
    }
    SampleOnce(conn, legacy_info);
    // Fixed rate: the next sample is due one interval after this one started. After a broken
    // connection, reconnect at once.
    next = conn ? started + options_.interval : Clock::now();
    if (next < Clock::now()) {
      next = Clock::now();
    }
  }
}

void InfoSampler::SampleOnce(std::unique_ptr<Connection>& conn, bool& legacy_info) {
  const auto started = Clock::now();
  std::vector<std::string> argv = {"INFO"};
  if (legacy_info) {
    argv.emplace_back("all");
  } else {
    argv.insert(argv.end(), Sections().begin(), Sections().end());
  }
  auto reply = conn->Command(argv);
  if (reply.ok() && reply->type == Reply::Type::kError && !legacy_info) {
    // Redis < 7.0 takes one section argument only.
    legacy_info = true;
    log_.Debug("multi-section INFO rejected, using INFO all", {{"reply", reply->str}});
    reply = conn->Command({"INFO", "all"});
  }
  const auto took = Clock::now() - started;
  if (!reply.ok()) {
    conn.reset();
    Fail(SampleError::kIo, reply.status().message(), took);
    return;
  }
  if (reply->type != Reply::Type::kString) {
    Fail(SampleError::kCommand,
         reply->type == Reply::Type::kError ? reply->str : "INFO answered with no text", took);
    return;
  }
  const InfoSnapshot info = ParseInfo(reply->str);
  // Ready before the sinks publish: whoever sees this sample on /metrics finds /-/ready 200.
  connected_.store(true, std::memory_order_release);
  ready_.store(true, std::memory_order_release);
  for (InfoSink* sink : sinks_) {
    sink->OnInfo(info, took);
  }
  if (link_state_ != LinkState::kUp) {
    link_state_ = LinkState::kUp;
    last_error_.clear();
    log_.Info("redis up", {{"addr", options_.connection.address.Redacted()},
                           {"version", std::string(info.Text("redis_version").value_or(""))},
                           {"role", std::string(info.Text("role").value_or(""))}});
  }
  if (info.issue_count > 0) {
    log_.Debug("malformed INFO lines",
               {{"count", std::to_string(info.issue_count)},
                {"first", info.issues.empty() ? "" : info.issues[0].reason}});
  }
}

void InfoSampler::Fail(SampleError error, const std::string& message,
                       std::chrono::duration<double> took) {
  for (InfoSink* sink : sinks_) {
    sink->OnInfoError(error, took);
  }
  connected_.store(false, std::memory_order_release);
  if (link_state_ != LinkState::kDown) {
    link_state_ = LinkState::kDown;
    last_error_ = message;
    log_.Warn("redis down", {{"addr", options_.connection.address.Redacted()},
                             {"reason", std::string(SampleErrorName(error))},
                             {"err", message}});
  } else if (message != last_error_) {
    last_error_ = message;
    log_.Debug("redis still down",
               {{"reason", std::string(SampleErrorName(error))}, {"err", message}});
  }
}

}  // namespace stampede::redis
