#include "redis/ttl_sampler.h"

#include <algorithm>
#include <charconv>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

namespace stampede::redis {

namespace {

// The scheduling clock; the injected Clock only stamps the samples.
using Timer = std::chrono::steady_clock;

constexpr std::string_view kClientName = "stampede-ttl-sampler";
// PEXPIRETIME's answers besides an expiry time.
constexpr long long kNoTtl = -1;
constexpr long long kGone = -2;
// Expiries further out than this are clamped: no cliff is announced that far ahead, and the
// clamp keeps the steady time_point arithmetic far from overflow.
constexpr auto kMaxAhead = std::chrono::hours(24 * 365 * 10);

/// A fresh connection and whether its server knows PEXPIRETIME (Redis >= 7.0).
struct Opened {
  std::unique_ptr<Connection> conn;
  bool has_pexpiretime = false;
};

/// Redis's clock and `clock` at (about) the same moment.
struct ClockPair {
  Clock::time_point local;
  long long redis_us = 0;
};

/// One command; a broken connection or an error reply is an error that names the command.
Result<Reply> Ask(Connection& conn, const std::vector<std::string>& argv) {
  auto reply = conn.Command(argv);
  if (!reply.ok()) {
    return Status::Error(argv[0] + ": " + reply.status().message());
  }
  if (reply->type == Reply::Type::kError) {
    return Status::Error(argv[0] + ": " + reply->str);
  }
  return reply;
}

Result<long long> AskInteger(Connection& conn, const std::vector<std::string>& argv) {
  auto reply = Ask(conn, argv);
  if (!reply.ok()) {
    return reply.status();
  }
  if (reply->type != Reply::Type::kInteger) {
    return Status::Error(argv[0] + ": not an integer reply");
  }
  return reply->integer;
}

Result<Opened> Connect(const Connection::Options& options, Logger& log) {
  auto opened = Connection::Open(options);
  if (!opened.ok()) {
    return opened.status();
  }
  Opened out{std::move(opened).value()};
  // The name tells an operator reading CLIENT LIST (or a RANDOMKEY-induced `expired` event)
  // where the traffic came from; a server that refuses it is still worth sampling.
  auto named = out.conn->Command({"CLIENT", "SETNAME", std::string(kClientName)});
  if (!named.ok()) {
    return Status::Error("CLIENT SETNAME: " + named.status().message());
  }
  if (named->type == Reply::Type::kError) {
    log.Debug("ttl sampler: CLIENT SETNAME refused", {{"err", named->str}});
  }
  // COMMAND INFO, not PEXPIRETIME on a made-up key: that lookup would count as a keyspace miss
  // and send a keymiss event the detectors would then see. Redis < 7.0 answers [nil].
  auto info = out.conn->Command({"COMMAND", "INFO", "PEXPIRETIME"});
  if (!info.ok()) {
    return Status::Error("COMMAND INFO: " + info.status().message());
  }
  out.has_pexpiretime = info->type != Reply::Type::kArray ||  // COMMAND refused: try anyway
                        (!info->elements.empty() && info->elements[0].type == Reply::Type::kArray);
  return out;
}

/// RANDOMKEY `n` times: the distinct keys drawn. Empty for an empty database.
Result<std::vector<std::string>> DrawKeys(Connection& conn, std::size_t n) {
  std::unordered_set<std::string> seen;
  for (std::size_t i = 0; i < n; ++i) {
    auto reply = Ask(conn, {"RANDOMKEY"});
    if (!reply.ok()) {
      return reply.status();
    }
    if (reply->type != Reply::Type::kString) {
      break;  // nil: the database is empty
    }
    seen.insert(std::move(reply.value().str));
  }
  return std::vector<std::string>(seen.begin(), seen.end());
}

/// PEXPIRETIME of each key, in the same order: unix ms, kNoTtl or kGone.
Result<std::vector<long long>> ExpireTimes(Connection& conn, const std::vector<std::string>& keys) {
  std::vector<long long> out;
  out.reserve(keys.size());
  for (const std::string& key : keys) {
    auto at = AskInteger(conn, {"PEXPIRETIME", key});
    if (!at.ok()) {
      return at.status();
    }
    out.push_back(*at);
  }
  return out;
}

Result<long long> ParseInteger(const Reply& reply) {
  long long value = 0;
  const char* end = reply.str.data() + reply.str.size();
  const auto [ptr, ec] = std::from_chars(reply.str.data(), end, value);
  if (reply.type != Reply::Type::kString || ec != std::errc() || ptr != end) {
    return Status::Error("TIME: malformed reply");
  }
  return value;
}

/// TIME, stamped with `clock` halfway through the round trip.
Result<ClockPair> RedisClock(Connection& conn, const Clock& clock) {
  const Clock::time_point before = clock.Now();
  auto reply = Ask(conn, {"TIME"});
  const Clock::time_point after = clock.Now();
  if (!reply.ok()) {
    return reply.status();
  }
  if (reply->type != Reply::Type::kArray || reply->elements.size() != 2) {
    return Status::Error("TIME: malformed reply");
  }
  auto seconds = ParseInteger(reply->elements[0]);
  auto micros = ParseInteger(reply->elements[1]);
  if (!seconds.ok() || !micros.ok()) {
    return Status::Error("TIME: malformed reply");
  }
  return ClockPair{before + (after - before) / 2, *seconds * 1000000 + *micros};
}

/// Redis's absolute expiry (unix ms) on `clock`: as far from now as Redis sees it.
Clock::time_point ToLocal(long long expire_at_ms, const ClockPair& now) {
  // Milliseconds first: a far-future expiry in microseconds could overflow.
  const long long max_ms = std::chrono::duration_cast<std::chrono::milliseconds>(kMaxAhead).count();
  const long long ahead_ms = std::clamp(expire_at_ms - now.redis_us / 1000, -max_ms, max_ms);
  return now.local + std::chrono::milliseconds(ahead_ms) -
         std::chrono::microseconds(now.redis_us % 1000);
}

}  // namespace

TtlSampler::TtlSampler(Options options, const classify::Classifier& classifier, const Clock& clock,
                       Logger& log)
    : options_(std::move(options)), classifier_(classifier), clock_(clock), log_(log) {}

TtlSampler::~TtlSampler() { Stop(); }

void TtlSampler::Start() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = false;
  }
  thread_ = std::thread([this] { Run(); });
}

void TtlSampler::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

TtlSampler::Samples TtlSampler::Latest() const {
  std::lock_guard<std::mutex> lock(mu_);
  return latest_;
}

bool TtlSampler::WaitUntil(Timer::time_point deadline) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_until(lock, deadline, [this] { return stop_; });
  return !stop_;
}

void TtlSampler::Run() {
  std::unique_ptr<Connection> conn;
  auto next = Timer::now();
  while (WaitUntil(next)) {
    // Fixed rate; a failed round waits for the next one too: nothing here is urgent.
    next = Timer::now() + options_.interval;
    if (!conn) {
      auto opened = Connect(options_.connection, log_);
      if (!opened.ok()) {
        Fail(opened.status().message());
        continue;
      }
      if (!opened->has_pexpiretime) {
        supported_.store(false, std::memory_order_release);
        log_.Info("redis has no PEXPIRETIME (before 7.0): expiry cliff prediction is off",
                  {{"addr", options_.connection.address.Redacted()}});
        return;
      }
      conn = std::move(opened.value().conn);
    }
    auto samples = SampleRound(*conn);
    if (!samples.ok()) {
      conn.reset();  // whatever broke, the next round starts on a fresh connection
      Fail(samples.status().message());
      continue;
    }
    Publish(std::move(samples).value());
  }
}

Result<TtlSampler::Samples> TtlSampler::SampleRound(Connection& conn) const {
  auto keys = DrawKeys(conn, options_.keys);
  if (!keys.ok()) {
    return keys.status();
  }
  auto expire_at = ExpireTimes(conn, *keys);
  if (!expire_at.ok()) {
    return expire_at.status();
  }
  auto now = RedisClock(conn, clock_);
  if (!now.ok()) {
    return now.status();
  }
  Samples out;
  for (std::size_t i = 0; i < keys->size(); ++i) {
    if ((*expire_at)[i] == kGone) {
      continue;  // deleted or expired since RANDOMKEY drew it
    }
    detect::TtlSample& sample = out[classifier_.Name(classifier_.Classify((*keys)[i]))];
    sample.taken = now->local;
    ++sample.sampled;
    if ((*expire_at)[i] != kNoTtl) {
      sample.expiries.push_back(ToLocal((*expire_at)[i], *now));
    }
  }
  return out;
}

void TtlSampler::Publish(Samples samples) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    latest_ = std::move(samples);
  }
  rounds_.fetch_add(1, std::memory_order_relaxed);
  if (link_state_ != LinkState::kUp) {
    link_state_ = LinkState::kUp;
    last_error_.clear();
    log_.Info("ttl sampler up", {{"addr", options_.connection.address.Redacted()},
                                 {"keys", std::to_string(options_.keys)}});
  }
}

void TtlSampler::Fail(const std::string& message) {
  errors_.fetch_add(1, std::memory_order_relaxed);
  if (link_state_ != LinkState::kDown) {
    link_state_ = LinkState::kDown;
    last_error_ = message;
    log_.Warn("ttl sampler down",
              {{"addr", options_.connection.address.Redacted()}, {"err", message}});
  } else if (message != last_error_) {
    last_error_ = message;
    log_.Debug("ttl sampler still down", {{"err", message}});
  }
}

}  // namespace stampede::redis
