#include "events/subscriber.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <utility>

namespace stampede::events {

namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;

constexpr milliseconds kMaxPoll{100};

std::string MissingEvents(const std::array<bool, kEventKinds>& on) {
  std::string out;
  for (const EventKind kind : kAllEventKinds) {
    if (!on[static_cast<std::size_t>(kind)]) {
      out += (out.empty() ? "" : ",") + std::string(EventName(kind));
    }
  }
  return out;
}

}  // namespace

Subscriber::Subscriber(Options options, EventTally& tally, const Clock& clock, Logger& log)
    : options_(std::move(options)),
      tally_(tally),
      clock_(clock),
      log_(log),
      shedding_(options_.shed_high_bytes == 0) {
  for (auto& e : enabled_) {
    e.store(static_cast<std::int8_t>(NotifyState::kUnknown), std::memory_order_relaxed);
  }
}

Subscriber::~Subscriber() { Stop(); }

std::int64_t Subscriber::NowNs() const {
  const std::int64_t ns =
      std::chrono::duration_cast<nanoseconds>(clock_.Now().time_since_epoch()).count();
  return std::max<std::int64_t>(ns, 1);  // 0 means "none" in the atomics
}

void Subscriber::Start() {
  stop_.store(false);
  {
    std::lock_guard<std::mutex> lock(gap_mu_);
    gap_start_ = NowNs();
  }
  connected_.store(false, std::memory_order_release);
  if (::pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0) {
    wake_[0] = wake_[1] = -1;  // Stop() then waits for the next poll timeout (<= 100 ms)
  }
  thread_ = std::thread([this] { Run(); });
}

void Subscriber::Stop() {
  stop_.store(true);
  if (wake_[1] >= 0) {
    const char byte = 1;
    [[maybe_unused]] const ssize_t n = ::write(wake_[1], &byte, 1);
  }
  if (thread_.joinable()) {
    thread_.join();
  }
  for (int& fd : wake_) {
    if (fd >= 0) {
      ::close(fd);
      fd = -1;
    }
  }
}

double Subscriber::gap_seconds() const {
  std::lock_guard<std::mutex> lock(gap_mu_);
  std::int64_t ns = gap_total_;
  if (gap_start_ != 0) {
    ns += std::max<std::int64_t>(NowNs() - gap_start_, 0);
  }
  return static_cast<double>(ns) / 1e9;
}

double Subscriber::lag_seconds() const {
  std::int64_t ns = lag_ns_.load(std::memory_order_relaxed);
  const std::int64_t sent = ping_sent_.load(std::memory_order_relaxed);
  if (sent != 0) {
    const std::int64_t now = NowNs();
    std::int64_t since = sent;
    const std::int64_t last_read = last_read_ns_.load(std::memory_order_relaxed);
    if (now - sent > std::chrono::duration_cast<nanoseconds>(options_.silent_after).count() &&
        last_read != 0 && last_read < sent) {
      since = last_read;  // nothing at all since before the PING: silent since then
    }
    ns = std::max(ns, now - since);
  }
  return static_cast<double>(ns) / 1e9;
}

bool Subscriber::Sleep(milliseconds d) {
  // Real time, not the injected clock: this waits, it does not stamp anything.
  const auto until = std::chrono::steady_clock::now() + d;
  while (!stop_.load()) {
    const auto left =
        std::chrono::duration_cast<milliseconds>(until - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      return true;
    }
    std::this_thread::sleep_for(std::min(left, milliseconds(20)));
  }
  return false;
}

void Subscriber::LinkUp() {
  warned_error_ = false;
  {
    std::lock_guard<std::mutex> lock(gap_mu_);
    if (gap_start_ != 0) {
      const std::int64_t now = NowNs();
      gap_total_ += std::max<std::int64_t>(now - gap_start_, 0);
      gap_start_ = 0;
      gap_closed_ = now;
    }
  }
  connected_.store(true, std::memory_order_release);
  if (ever_connected_) {
    reconnects_.fetch_add(1, std::memory_order_relaxed);
  }
  ever_connected_ = true;
  logged_down_ = false;
  log_.Info("notifications subscribed",
            {{"node", options_.node}, {"channels", std::to_string(subscribed_)}});
}

void Subscriber::LinkDown(const std::string& reason, std::int64_t since_ns) {
  {
    std::lock_guard<std::mutex> lock(gap_mu_);
    if (gap_start_ == 0) {
      const std::int64_t now = NowNs();
      // Never before the gap total was last closed, never after now: the counter only grows.
      gap_start_ = since_ns > 0 ? std::clamp(since_ns, gap_closed_, now) : now;
    }
  }
  connected_.store(false, std::memory_order_release);
  ping_sent_.store(0, std::memory_order_relaxed);
  if (!logged_down_) {
    logged_down_ = true;
    log_.Warn("notifications down", {{"node", options_.node}, {"err", reason}});
  }
}

void Subscriber::Run() {
  milliseconds backoff = options_.min_backoff;
  while (!stop_.load()) {
    Result<std::unique_ptr<PubSubClient>> client = Connect();
    if (!client.ok()) {
      LinkDown(client.status().message());
      if (!Sleep(backoff)) {
        break;
      }
      backoff = std::min(backoff * 2, options_.max_backoff);
      continue;
    }
    backoff = options_.min_backoff;
    last_read_ns_.store(0, std::memory_order_relaxed);
    const std::string reason = ReadLoop(**client);
    if (!reason.empty()) {
      // A link that went silent (no PONG) may have lost events since its last read: the gap
      // counts from there. A link that broke (EOF, error) delivered everything up to now.
      LinkDown(reason, silent_ ? last_read_ns_.load(std::memory_order_relaxed) : 0);
    }
  }
}

Result<std::unique_ptr<PubSubClient>> Subscriber::Connect() {
  Result<std::unique_ptr<PubSubClient>> client = PubSubClient::Open(options_.connection);
  if (!client.ok()) {
    return client;
  }
  CheckNotifications();
  std::vector<std::string> channels;
  for (const int db : options_.dbs) {
    for (const EventKind kind : kAllEventKinds) {
      channels.push_back(ChannelName(db, kind));
    }
  }
  subscribed_ = 0;
  if (Status s = (*client)->Subscribe(channels); !s.ok()) {
    return s;
  }
  return client;
}

void Subscriber::CheckNotifications() {
  // A short-lived ordinary connection: the subscribed one takes no CONFIG.
  Result<std::unique_ptr<redis::Connection>> conn = redis::Connection::Open(options_.connection);
  if (!conn.ok()) {
    return;  // the subscription reports the link's state; keep what is known
  }
  Result<redis::Reply> got = (*conn)->Command({"CONFIG", "GET", "notify-keyspace-events"});
  if (!got.ok()) {
    // No answer (timeout, broken link) says nothing about whether CONFIG is allowed: keep what
    // is known; the subscription reports the link's state.
    return;
  }
  const bool readable = got->type == redis::Reply::Type::kArray && got->elements.size() == 2 &&
                        got->elements[1].type == redis::Reply::Type::kString;
  config_readable_.store(readable, std::memory_order_relaxed);
  if (!readable) {
    // Managed Redis often renames or forbids CONFIG: not an error, say it once.
    if (!logged_unreadable_) {
      logged_unreadable_ = true;
      log_.Info("cannot read notify-keyspace-events; learning which events are on from traffic",
                {{"node", options_.node}, {"reply", got->str}});
    }
    return;
  }
  std::string flags = got->elements[1].str;
  std::array<bool, kEventKinds> on = EnabledEvents(flags);
  if (options_.configure_notifications && !MissingEvents(on).empty()) {
    const std::string wanted = WithNeededFlags(flags);
    Result<redis::Reply> set =
        (*conn)->Command({"CONFIG", "SET", "notify-keyspace-events", wanted});
    if (set.ok() && set->type != redis::Reply::Type::kError) {
      log_.Info("set notify-keyspace-events",
                {{"node", options_.node}, {"from", flags}, {"to", wanted}});
      flags = wanted;
      on = EnabledEvents(flags);
    } else {
      log_.Warn("cannot set notify-keyspace-events",
                {{"node", options_.node}, {"reply", set.ok() ? set->str : set.status().message()}});
    }
  }
  for (std::size_t i = 0; i < kEventKinds; ++i) {
    enabled_[i].store(static_cast<std::int8_t>(on[i] ? NotifyState::kOn : NotifyState::kOff),
                      std::memory_order_relaxed);
  }
  const std::string missing = MissingEvents(on);
  if (!missing.empty() && !warned_off_) {
    warned_off_ = true;
    log_.Warn("keyspace notifications are off; running degraded (INFO-based metrics only)",
              {{"node", options_.node},
               {"notify_keyspace_events", flags},
               {"missing", missing},
               {"fix", "CONFIG SET notify-keyspace-events " + WithNeededFlags(flags) +
                           " or --redis.configure-notifications"}});
  } else if (missing.empty()) {
    warned_off_ = false;
  }
}

void Subscriber::OnMessage(std::string_view kind, std::string_view a, std::string_view b,
                           Clock::time_point now) {
  if (kind == "message") {
    const std::optional<Channel> channel = ParseChannel(a);
    if (!channel) {
      unexpected_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    auto& state = enabled_[static_cast<std::size_t>(channel->kind)];
    if (state.load(std::memory_order_relaxed) != static_cast<std::int8_t>(NotifyState::kOn)) {
      state.store(static_cast<std::int8_t>(NotifyState::kOn), std::memory_order_relaxed);
    }
    tally_.OnEvent(channel->db, channel->kind, b, now, shedding_);
    return;
  }
  if (kind == "pong") {
    const std::int64_t sent = ping_sent_.exchange(0, std::memory_order_relaxed);
    if (sent != 0) {
      lag_ns_.store(std::max<std::int64_t>(NowNs() - sent, 0), std::memory_order_relaxed);
    }
    return;
  }
  if (kind == "subscribe") {
    if (++subscribed_ == options_.dbs.size() * kEventKinds) {
      LinkUp();
    }
    return;
  }
  unexpected_.fetch_add(1, std::memory_order_relaxed);
  if (kind == "error") {
    // A refused SUBSCRIBE (NOPERM) comes back at every retry (ReadLoop gives up on an
    // unconfirmed subscription after dead_after): warn once until the link is up again.
    log_.Log(warned_error_ ? LogLevel::kDebug : LogLevel::kWarn,
             "notification subscriber got an error reply",
             {{"node", options_.node}, {"reply", std::string(a)}});
    warned_error_ = true;
  }
}

std::string Subscriber::ReadLoop(PubSubClient& client) {
  silent_ = false;
  const auto subscribing_since = clock_.Now();
  auto next_ping = clock_.Now();
  // Receipt time is the event time (Pub/Sub carries no timestamp), stamped once per read:
  // everything one read returns arrived together.
  bool stamped = false;
  Clock::time_point received;
  const auto handler = [&](std::string_view kind, std::string_view a, std::string_view b) {
    if (!stamped) {
      received = clock_.Now();
      stamped = true;
    }
    OnMessage(kind, a, b, received);
  };
  std::size_t pending = 0;  // bytes the kernel holds for us after the last read
  while (!stop_.load()) {
    stamped = false;
    const auto now = clock_.Now();
    if (connected() && now >= next_ping) {
      const std::int64_t outstanding = ping_sent_.load(std::memory_order_relaxed);
      if (outstanding != 0 &&
          NowNs() - outstanding >
              std::chrono::duration_cast<nanoseconds>(options_.dead_after).count()) {
        silent_ = true;
        return "no PONG within " + std::to_string(options_.dead_after.count()) + "ms";
      }
      if (outstanding == 0) {
        if (Status s = client.Ping(); !s.ok()) {
          return s.message();
        }
        ping_sent_.store(NowNs(), std::memory_order_relaxed);
      }
      next_ping = now + options_.ping_interval;
    } else if (!connected() && now - subscribing_since > options_.dead_after) {
      // Connected at the TCP level but never confirmed (a stalled proxy, a black hole): retry.
      silent_ = true;
      return "no SUBSCRIBE confirmation within " + std::to_string(options_.dead_after.count()) +
             "ms";
    }
    const auto wait = std::clamp(std::chrono::duration_cast<milliseconds>(next_ping - now),
                                 milliseconds(0), kMaxPoll);
    Result<std::size_t> read = client.Read(wait, wake_[0], pending > 0, handler);
    if (!read.ok()) {
      return read.status().message();
    }
    if (*read > 0) {
      last_read_ns_.store(NowNs(), std::memory_order_relaxed);
    }
    pending = client.PendingBytes();
    if (pending >= options_.shed_high_bytes) {
      if (!shedding_) {
        shedding_ = true;
        // Warn on the first episode only: a flapping backlog must not flood the log.
        log_.Log(shed_episodes_++ == 0 ? LogLevel::kWarn : LogLevel::kDebug,
                 "notification backlog: counting only, per-key tracking shed",
                 {{"node", options_.node}, {"pending_bytes", std::to_string(pending)}});
      }
    } else if (shedding_ && pending <= options_.shed_low_bytes) {
      shedding_ = false;
      log_.Debug("notification backlog cleared", {{"node", options_.node}});
    }
  }
  return "";
}

}  // namespace stampede::events
