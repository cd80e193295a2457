#include "cache_client.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <utility>

namespace stampede::sim {

namespace {

// Deletes the lock only if it is still ours: a lock that expired and was taken by another
// client must not be released by the first holder.
constexpr std::string_view kUnlockScript =
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) "
    "else return 0 end";

constexpr std::array<Protection, 6> kAllProtections = {
    Protection::kNone, Protection::kSingleFlight, Protection::kLock,
    Protection::kSwr,  Protection::kXfetch,       Protection::kJitter,
};

std::string LockKey(std::string_view key) { return "lock:" + std::string(key); }

std::int64_t NowUnixMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Parses the decimal number before the next '|' of `text` and moves past the '|'.
std::optional<std::int64_t> TakeField(std::string_view& text) {
  const std::size_t bar = text.find('|');
  if (bar == std::string_view::npos) {
    return std::nullopt;
  }
  std::int64_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + bar, n);
  if (ec != std::errc() || end != text.data() + bar) {
    return std::nullopt;
  }
  text.remove_prefix(bar + 1);
  return n;
}

}  // namespace

std::string_view ProtectionName(Protection p) {
  switch (p) {
    case Protection::kNone:
      return "none";
    case Protection::kSingleFlight:
      return "single-flight";
    case Protection::kLock:
      return "lock";
    case Protection::kSwr:
      return "swr";
    case Protection::kXfetch:
      return "xfetch";
    case Protection::kJitter:
      return "jitter";
  }
  return "none";
}

std::optional<Protection> ParseProtection(std::string_view text) {
  if (text == "single_flight") {
    return Protection::kSingleFlight;
  }
  for (const Protection p : kAllProtections) {
    if (text == ProtectionName(p)) {
      return p;
    }
  }
  return std::nullopt;
}

std::span<const Protection> AllProtections() { return kAllProtections; }

std::string EncodeEnvelope(const Envelope& envelope) {
  return std::to_string(envelope.expiry_ms) + "|" + std::to_string(envelope.delta_ms) + "|" +
         envelope.payload;
}

std::optional<Envelope> DecodeEnvelope(std::string_view value) {
  const std::optional<std::int64_t> expiry = TakeField(value);
  const std::optional<std::int64_t> delta = expiry ? TakeField(value) : std::nullopt;
  if (!delta) {
    return std::nullopt;
  }
  return Envelope{*expiry, *delta, std::string(value)};
}

CacheClient::CacheClient(Options options, Origin& origin, StatsdReporter* reporter)
    : options_(std::move(options)), origin_(origin), reporter_(reporter) {
  if (options_.protection != Protection::kSwr) {
    return;
  }
  const std::size_t n = std::max<std::size_t>(1, options_.refreshers);
  for (std::size_t i = 0; i < n; ++i) {
    refreshers_.emplace_back([this, i] { RunRefresher(i); });
  }
}

CacheClient::~CacheClient() { StopRefreshers(); }

CacheClient::Session CacheClient::NewSession() { return Session(*this, next_session_++); }

CacheClient::Stats CacheClient::stats() const {
  Stats s;
  s.hits = hits_.load();
  s.misses = misses_.load();
  s.loads = loads_.load();
  s.coalesced = coalesced_.load();
  s.lock_waits = lock_waits_.load();
  s.lock_timeouts = lock_timeouts_.load();
  s.stale_served = stale_served_.load();
  s.refreshes = refreshes_.load();
  s.refresh_skipped = refresh_skipped_.load();
  s.errors = errors_.load();
  return s;
}

void CacheClient::Report(Signal signal, std::string_view key) {
  if (reporter_ != nullptr) {
    reporter_->Count(signal, options_.class_name, options_.report_keys ? key : std::string_view());
  }
}

// --- hits --------------------------------------------------------------------------------

GetResult CacheClient::OnHit(Io& io, std::string_view key, std::string_view value) {
  ++hits_;
  Report(Signal::kHit, key);
  switch (options_.protection) {
    case Protection::kSwr:
      return StaleWhileRevalidate(key, value);
    case Protection::kXfetch:
      return EarlyRecompute(io, key, value);
    default:
      return GetResult::kHit;
  }
}

GetResult CacheClient::StaleWhileRevalidate(std::string_view key, std::string_view value) {
  const std::optional<Envelope> envelope = DecodeEnvelope(value);
  if (!envelope || envelope->expiry_ms == 0 || NowUnixMs() < envelope->expiry_ms) {
    return GetResult::kHit;  // fresh (or not ours to judge)
  }
  ++stale_served_;
  Report(Signal::kStale, key);
  ScheduleRefresh(key);
  return GetResult::kStale;
}

GetResult CacheClient::EarlyRecompute(Io& io, std::string_view key, std::string_view value) {
  const std::optional<Envelope> envelope = DecodeEnvelope(value);
  if (!envelope || !ShouldRecomputeEarly(*envelope, io.rng)) {
    return GetResult::kHit;
  }
  ++refreshes_;
  // A failed early load is counted; the caller still has the value it read.
  return LoadAndStore(io, key) ? GetResult::kRefreshed : GetResult::kHit;
}

bool CacheClient::ShouldRecomputeEarly(const Envelope& envelope, std::mt19937_64& rng) const {
  if (envelope.expiry_ms == 0) {
    return false;
  }
  // XFetch (Vattani, Chierichetti, Lowenstein 2015): recompute when
  // now - delta * beta * ln(U) >= expiry, U uniform in (0, 1].
  const double u = 1.0 - std::uniform_real_distribution<double>(0, 1)(rng);
  const double early = -static_cast<double>(envelope.delta_ms) * options_.xfetch_beta * std::log(u);
  return static_cast<double>(NowUnixMs()) + early >= static_cast<double>(envelope.expiry_ms);
}

// --- loads and stores --------------------------------------------------------------------

bool CacheClient::LoadAndStore(Io& io, std::string_view key) {
  ++loads_;
  Report(Signal::kLoad, key);  // when the load starts, as an app counts its queries
  const auto started = std::chrono::steady_clock::now();
  const std::optional<std::string> value = origin_.Load(key);
  const auto took = std::chrono::steady_clock::now() - started;
  if (reporter_ != nullptr) {
    reporter_->LoadTime(options_.class_name,
                        std::chrono::duration_cast<std::chrono::microseconds>(took));
  }
  if (!value) {
    ++errors_;
    return false;
  }
  Store(io, key, *value, std::chrono::duration_cast<std::chrono::milliseconds>(took));
  return true;
}

void CacheClient::Store(Io& io, std::string_view key, const std::string& payload,
                        std::chrono::milliseconds delta) {
  const std::chrono::milliseconds ttl = FreshTtl(io.rng);
  std::chrono::milliseconds px = ttl;
  std::string value;
  const Protection p = options_.protection;
  if (p == Protection::kSwr || p == Protection::kXfetch) {
    const std::int64_t expiry = ttl.count() > 0 ? NowUnixMs() + ttl.count() : 0;
    value = EncodeEnvelope({expiry, delta.count(), payload});
    if (p == Protection::kSwr && ttl.count() > 0) {
      px += StaleWindow();
    }
  }
  const std::string_view stored = value.empty() ? std::string_view(payload) : value;
  const RedisReply set =
      px.count() > 0 ? io.link.Command({"SET", key, stored, "PX", std::to_string(px.count())})
                     : io.link.Command({"SET", key, stored});
  if (set.failed()) {
    ++errors_;
  }
}

std::chrono::milliseconds CacheClient::FreshTtl(std::mt19937_64& rng) const {
  if (options_.ttl.count() <= 0) {
    return std::chrono::milliseconds(0);
  }
  double ms = static_cast<double>(options_.ttl.count());
  if (const double j = JitterFraction(); j > 0) {
    ms *= std::uniform_real_distribution<double>(1 - j, 1 + j)(rng);
  }
  return std::chrono::milliseconds(std::max<long long>(1, std::llround(ms)));
}

double CacheClient::JitterFraction() const {
  if (options_.protection == Protection::kJitter && options_.ttl_jitter <= 0) {
    return kDefaultJitter;
  }
  return std::clamp(options_.ttl_jitter, 0.0, 1.0);
}

std::chrono::milliseconds CacheClient::StaleWindow() const {
  return options_.stale_window.value_or(options_.ttl);
}

// --- single-flight -----------------------------------------------------------------------

GetResult CacheClient::SingleFlight(Io& io, std::string_view key) {
  auto [flight, leader] = JoinFlight(key);
  if (!leader) {
    ++coalesced_;
    Report(Signal::kCoalesced, key);
    if (AwaitFlight(*flight)) {
      return GetResult::kCoalesced;
    }
    ++errors_;  // the flight failed: this caller has no value either
    return GetResult::kError;
  }
  const bool ok = LoadAndStore(io, key);
  LandFlight(key, ok);
  return ok ? GetResult::kLoaded : GetResult::kError;
}

std::pair<std::shared_ptr<CacheClient::Flight>, bool> CacheClient::JoinFlight(
    std::string_view key) {
  std::lock_guard<std::mutex> lock(flights_mu_);
  auto it = flights_.find(key);
  if (it != flights_.end()) {
    return {it->second, false};
  }
  it = flights_.emplace(std::string(key), std::make_shared<Flight>()).first;
  return {it->second, true};
}

void CacheClient::LandFlight(std::string_view key, bool ok) {
  std::shared_ptr<Flight> flight;
  {
    std::lock_guard<std::mutex> lock(flights_mu_);
    const auto it = flights_.find(key);
    if (it == flights_.end()) {
      return;
    }
    flight = std::move(it->second);
    flights_.erase(it);
  }
  {
    std::lock_guard<std::mutex> lock(flight->mu);
    flight->done = true;
    flight->ok = ok;
  }
  flight->done_cv.notify_all();
}

bool CacheClient::AwaitFlight(Flight& flight) {
  std::unique_lock<std::mutex> lock(flight.mu);
  flight.done_cv.wait(lock, [&] { return flight.done; });
  return flight.ok;
}

// --- background refreshes (kSwr) ---------------------------------------------------------

void CacheClient::ScheduleRefresh(std::string_view key) {
  {
    std::lock_guard<std::mutex> flights(flights_mu_);
    if (flights_.contains(key)) {
      return;  // a refresh or a miss load of the key is under way: at most one per key
    }
    {
      std::lock_guard<std::mutex> lock(refresh_mu_);
      if (stopping_ || refresh_queue_.size() >= std::max<std::size_t>(1, options_.refresh_queue)) {
        ++refresh_skipped_;
        return;
      }
      refresh_queue_.emplace_back(key);
    }
    // A flight of its own: misses of the key meanwhile wait for the refresh.
    flights_.emplace(std::string(key), std::make_shared<Flight>());
  }
  refresh_cv_.notify_one();
}

void CacheClient::RunRefresher(std::size_t index) {
  Io io{RedisLink(options_.redis), std::mt19937_64(0xc2b2ae3d27d4eb4fULL * (index + 1))};
  for (;;) {
    std::string key;
    {
      std::unique_lock<std::mutex> lock(refresh_mu_);
      refresh_cv_.wait(lock, [&] { return stopping_ || !refresh_queue_.empty(); });
      if (stopping_) {
        return;
      }
      key = std::move(refresh_queue_.front());
      refresh_queue_.pop_front();
    }
    ++refreshes_;
    LandFlight(key, LoadAndStore(io, key));
  }
}

void CacheClient::StopRefreshers() {
  std::deque<std::string> dropped;
  {
    std::lock_guard<std::mutex> lock(refresh_mu_);
    stopping_ = true;
  }
  refresh_cv_.notify_all();
  for (std::thread& t : refreshers_) {
    t.join();
  }
  refreshers_.clear();
  {
    std::lock_guard<std::mutex> lock(refresh_mu_);
    dropped.swap(refresh_queue_);
  }
  for (const std::string& key : dropped) {
    LandFlight(key, false);  // nobody should wait by now; if one does, it gets an error
  }
}

// --- sessions ----------------------------------------------------------------------------

CacheClient::Session::Session(CacheClient& client, std::uint64_t id)
    : client_(&client),
      id_(id),
      io_{RedisLink(client.options_.redis), std::mt19937_64(id * 0x9e3779b97f4a7c15ULL)} {}

std::string CacheClient::Session::Token() const {
  return std::to_string(id_) + ":" + std::to_string(locks_taken_);
}

GetResult CacheClient::Session::Get(std::string_view key) {
  CacheClient& c = *client_;
  const RedisReply got = io_.link.Command({"GET", key});
  if (got.failed()) {
    ++c.errors_;
    return GetResult::kError;
  }
  if (!got.nil()) {
    return c.OnHit(io_, key, got.str);
  }
  ++c.misses_;
  c.Report(Signal::kMiss, key);
  return OnMiss(key);
}

GetResult CacheClient::Session::OnMiss(std::string_view key) {
  CacheClient& c = *client_;
  switch (c.options_.protection) {
    case Protection::kSingleFlight:
    case Protection::kSwr:
      return c.SingleFlight(io_, key);
    case Protection::kLock:
      return Locked(key);
    case Protection::kNone:
    case Protection::kXfetch:
    case Protection::kJitter:
      break;
  }
  return c.LoadAndStore(io_, key) ? GetResult::kLoaded : GetResult::kError;
}

CacheClient::Session::LockAttempt CacheClient::Session::AttemptLock(std::string_view key) {
  ++locks_taken_;  // a fresh token per attempt
  const std::string px = std::to_string(client_->options_.lock_ttl.count());
  const RedisReply r = io_.link.Command({"SET", LockKey(key), Token(), "NX", "PX", px});
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
  const RedisReply r = io_.link.Command({"EVAL", kUnlockScript, "1", LockKey(key), Token()});
  if (r.failed()) {
    ++client_->errors_;
  }
}

GetResult CacheClient::Session::Locked(std::string_view key) {
  CacheClient& c = *client_;
  switch (AttemptLock(key)) {
    case LockAttempt::kAcquired: {
      const bool ok = c.LoadAndStore(io_, key);
      Unlock(key);
      return ok ? GetResult::kLoaded : GetResult::kError;
    }
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
    const RedisReply got = io_.link.Command({"GET", key});
    if (got.type == RedisReply::Type::kString) {
      return GetResult::kWaitedOnLock;
    }
    if (got.failed()) {
      ++c.errors_;
      return GetResult::kError;
    }
  }
  ++c.lock_timeouts_;
  return c.LoadAndStore(io_, key) ? GetResult::kLoaded : GetResult::kError;
}

}  // namespace stampede::sim
