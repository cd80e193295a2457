#include "cache_client.h"

#include <algorithm>
#include <cmath>
#include <thread>

namespace stampede::sim {

namespace {

// Deletes the lock only if it is still ours: a lock that expired and was taken by another
// client must not be released by the first holder.
constexpr std::string_view kUnlockScript =
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) "
    "else return 0 end";

std::string LockKey(std::string_view key) { return "lock:" + std::string(key); }

}  // namespace

std::string_view ProtectionName(Protection p) {
  switch (p) {
    case Protection::kNone:
      return "none";
    case Protection::kSingleFlight:
      return "single_flight";
    case Protection::kLock:
      return "lock";
  }
  return "none";
}

std::optional<Protection> ParseProtection(std::string_view text) {
  for (const Protection p : {Protection::kNone, Protection::kSingleFlight, Protection::kLock}) {
    if (text == ProtectionName(p)) {
      return p;
    }
  }
  return std::nullopt;
}

CacheClient::CacheClient(Options options, Origin& origin, StatsdReporter* reporter)
    : options_(std::move(options)), origin_(origin), reporter_(reporter) {}

CacheClient::Session CacheClient::NewSession() { return Session(*this, next_session_++); }

CacheClient::Stats CacheClient::stats() const {
  Stats s;
  s.hits = hits_.load();
  s.misses = misses_.load();
  s.loads = loads_.load();
  s.coalesced = coalesced_.load();
  s.lock_waits = lock_waits_.load();
  s.lock_timeouts = lock_timeouts_.load();
  s.errors = errors_.load();
  return s;
}

void CacheClient::Report(Signal signal, std::string_view key) {
  if (reporter_ != nullptr) {
    reporter_->Count(signal, options_.class_name, key);
  }
}

CacheClient::Session::Session(CacheClient& client, std::uint64_t id)
    : client_(&client), id_(id), link_(client.options_.redis), rng_(id * 0x9e3779b97f4a7c15ULL) {}

std::string CacheClient::Session::Token() const {
  return std::to_string(id_) + ":" + std::to_string(locks_taken_);
}

GetResult CacheClient::Session::Get(std::string_view key) {
  CacheClient& c = *client_;
  const RedisReply got = link_.Command({"GET", key});
  if (got.failed()) {
    ++c.errors_;
    return GetResult::kError;
  }
  if (!got.nil()) {
    ++c.hits_;
    c.Report(Signal::kHit, key);
    return GetResult::kHit;
  }
  ++c.misses_;
  c.Report(Signal::kMiss, key);
  switch (c.options_.protection) {
    case Protection::kNone:
      LoadAndStore(key);
      return GetResult::kLoaded;
    case Protection::kSingleFlight:
      return SingleFlight(key);
    case Protection::kLock:
      return Locked(key);
  }
  return GetResult::kError;
}

void CacheClient::Session::LoadAndStore(std::string_view key) {
  CacheClient& c = *client_;
  ++c.loads_;
  c.Report(Signal::kLoad, key);  // when the load starts, as an app counts its queries
  const auto started = std::chrono::steady_clock::now();
  const std::string value = c.origin_.Load(key);
  if (c.reporter_ != nullptr) {
    c.reporter_->LoadTime(c.options_.class_name,
                          std::chrono::duration_cast<std::chrono::microseconds>(
                              std::chrono::steady_clock::now() - started));
  }
  RedisReply set;
  const auto ttl = c.options_.ttl;
  if (ttl.count() <= 0) {
    set = link_.Command({"SET", key, value});
  } else {
    double seconds = static_cast<double>(ttl.count());
    if (c.options_.ttl_jitter > 0) {
      const double j = std::min(c.options_.ttl_jitter, 1.0);
      seconds *= std::uniform_real_distribution<double>(1 - j, 1 + j)(rng_);
    }
    const std::string ex = std::to_string(std::max<long long>(1, std::llround(seconds)));
    set = link_.Command({"SET", key, value, "EX", ex});
  }
  if (set.failed()) {
    ++c.errors_;
  }
}

GetResult CacheClient::Session::SingleFlight(std::string_view key) {
  CacheClient& c = *client_;
  std::shared_ptr<Flight> flight;
  bool leader = false;
  {
    std::lock_guard<std::mutex> lock(c.flights_mu_);
    auto it = c.flights_.find(key);
    if (it == c.flights_.end()) {
      it = c.flights_.emplace(std::string(key), std::make_shared<Flight>()).first;
      leader = true;
    }
    flight = it->second;
  }
  if (!leader) {
    ++c.coalesced_;
    c.Report(Signal::kCoalesced, key);
    std::unique_lock<std::mutex> lock(flight->mu);
    flight->done_cv.wait(lock, [&] { return flight->done; });
    return GetResult::kCoalesced;
  }
  LoadAndStore(key);
  {
    std::lock_guard<std::mutex> lock(c.flights_mu_);
    c.flights_.erase(c.flights_.find(key));
  }
  {
    std::lock_guard<std::mutex> lock(flight->mu);
    flight->done = true;
  }
  flight->done_cv.notify_all();
  return GetResult::kLoaded;
}

CacheClient::Session::LockAttempt CacheClient::Session::AttemptLock(std::string_view key) {
  ++locks_taken_;  // a fresh token per attempt
  const std::string px = std::to_string(client_->options_.lock_ttl.count());
  const RedisReply r = link_.Command({"SET", LockKey(key), Token(), "NX", "PX", px});
  if (r.failed()) {
    ++client_->errors_;
    return LockAttempt::kFailed;
  }
  return r.type == RedisReply::Type::kStatus ? LockAttempt::kAcquired  // OK
                                             : LockAttempt::kHeld;     // nil: another holds it
}

bool CacheClient::Session::TryLock(std::string_view key) {
  return AttemptLock(key) == LockAttempt::kAcquired;
}

void CacheClient::Session::Unlock(std::string_view key) {
  const RedisReply r = link_.Command({"EVAL", kUnlockScript, "1", LockKey(key), Token()});
  if (r.failed()) {
    ++client_->errors_;
  }
}

GetResult CacheClient::Session::Locked(std::string_view key) {
  CacheClient& c = *client_;
  switch (AttemptLock(key)) {
    case LockAttempt::kAcquired:
      LoadAndStore(key);
      Unlock(key);
      return GetResult::kLoaded;
    case LockAttempt::kFailed:
      return GetResult::kError;
    case LockAttempt::kHeld:
      break;
  }
  ++c.lock_waits_;
  c.Report(Signal::kLockWait, key);
  const auto give_up = std::chrono::steady_clock::now() + c.options_.lock_wait_max;
  while (std::chrono::steady_clock::now() < give_up) {
    // The modelled client's polling interval, not a synchronisation of this program.
    std::this_thread::sleep_for(c.options_.lock_poll);
    const RedisReply got = link_.Command({"GET", key});
    if (got.type == RedisReply::Type::kString) {
      return GetResult::kWaitedOnLock;
    }
    if (got.failed()) {
      ++c.errors_;
      return GetResult::kError;
    }
  }
  ++c.lock_timeouts_;
  LoadAndStore(key);
  return GetResult::kLoaded;
}

}  // namespace stampede::sim
