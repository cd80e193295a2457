// One dedicated connection per Redis node: exact SUBSCRIBE to the keyevent channels, a read
// loop that stamps receipt time, measures lag with PING and sheds detail under overload.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/log.h"
#include "events/event_tally.h"
#include "events/keyspace_event.h"
#include "events/pubsub_client.h"
#include "redis/connection.h"

namespace stampede::events {

/// What the subscriber knows of `notify-keyspace-events` for one event.
enum class NotifyState : std::int8_t { kUnknown = -1, kOff = 0, kOn = 1 };

/// Starts a thread that keeps one subscribed connection to one node. Never PSUBSCRIBE. Health
/// getters are safe from any thread; Start/Stop from the owner only.
class Subscriber {
 public:
  struct Options {
    redis::Connection::Options connection;
    std::vector<int> dbs = {0};
    /// Set the missing notification flags with CONFIG SET (opt-in).
    bool configure_notifications = false;
    std::chrono::milliseconds ping_interval{1000};
    /// No PONG for this long: the link is dead, reconnect.
    std::chrono::milliseconds dead_after{10000};
    /// A PING unanswered this long: the link is silent, lag counts from the last read.
    std::chrono::milliseconds silent_after{250};
    /// Reconnect backoff doubles from min to max; max bounds the delay after Redis returns.
    std::chrono::milliseconds min_backoff{50};
    std::chrono::milliseconds max_backoff{500};
    /// Shed per-key tracking while more than shed_high_bytes wait unread in the socket, until
    /// at most shed_low_bytes do (the kernel buffer absorbs bursts; Redis's own output buffer
    /// is what must never fill). 0 sheds always (tests, count-only deployments).
    std::size_t shed_high_bytes = 1 << 20;
    std::size_t shed_low_bytes = 64 << 10;
    std::string node;  // for logs
  };

  Subscriber(Options options, EventTally& tally, const Clock& clock, Logger& log);
  ~Subscriber();
  Subscriber(const Subscriber&) = delete;
  Subscriber& operator=(const Subscriber&) = delete;

  void Start();
  void Stop();

  bool connected() const { return connected_.load(std::memory_order_acquire); }
  std::uint64_t reconnects() const { return reconnects_.load(std::memory_order_relaxed); }
  /// Seconds without a subscribed connection since Start(), the current gap included. A link
  /// found dead by an unanswered PING counts from its last successful read, when events were
  /// last known to arrive. Never decreases.
  double gap_seconds() const;
  /// The last PING round trip, or the age of an unanswered PING when larger. A PING unanswered
  /// for longer than silent_after means the link has gone silent: the lag then counts from the
  /// link's last read, which may be up to a ping_interval older than the PING (so the detectors
  /// see the sidecar blind as soon as the link is, not a PING interval later).
  double lag_seconds() const;
  NotifyState notify_state(EventKind kind) const {
    return static_cast<NotifyState>(
        enabled_[static_cast<std::size_t>(kind)].load(std::memory_order_relaxed));
  }
  /// False while CONFIG GET is refused (renamed or forbidden): notify_state is then learnt
  /// from the events that arrive. A CONFIG GET that gets no answer (timeout, broken link)
  /// changes nothing.
  bool config_readable() const { return config_readable_.load(std::memory_order_relaxed); }
  /// Messages that were not keyevent messages of a subscribed channel.
  std::uint64_t unexpected() const { return unexpected_.load(std::memory_order_relaxed); }

 private:
  void Run();
  /// Connects, checks (and maybe sets) the notification flags on a second, short-lived
  /// connection, subscribes.
  Result<std::unique_ptr<PubSubClient>> Connect();
  void CheckNotifications();
  /// Reads until the link breaks or Stop(); returns the reason it broke ("" on Stop) and sets
  /// silent_ when the link stopped answering (no PONG, no SUBSCRIBE confirmation) rather than
  /// broke.
  std::string ReadLoop(PubSubClient& client);
  void OnMessage(std::string_view kind, std::string_view a, std::string_view b,
                 Clock::time_point now);
  bool Sleep(std::chrono::milliseconds d);  // false when stopping
  std::int64_t NowNs() const;
  void LinkUp();
  /// The link is lost; the gap starts at `since_ns` (0: now).
  void LinkDown(const std::string& reason, std::int64_t since_ns = 0);

  const Options options_;
  EventTally& tally_;
  const Clock& clock_;
  Logger& log_;
  std::thread thread_;
  int wake_[2] = {-1, -1};  // a pipe: Stop() writes, the loop polls
  std::atomic<bool> stop_{false};

  // The gap's start and total change together under gap_mu_, so that a scrape never sees a
  // gap ended but not yet added (a counter going backwards).
  mutable std::mutex gap_mu_;
  std::int64_t gap_start_ = 1;   // ns since the clock's epoch; 0 = connected. Guarded by gap_mu_
  std::int64_t gap_total_ = 0;   // ns. Guarded by gap_mu_
  std::int64_t gap_closed_ = 0;  // ns; when the last gap ended. Guarded by gap_mu_
  std::atomic<bool> connected_{false};
  std::atomic<std::uint64_t> reconnects_{0};
  std::atomic<std::int64_t> lag_ns_{0};
  std::atomic<std::int64_t> ping_sent_{0};     // ns; 0 = none outstanding
  std::atomic<std::int64_t> last_read_ns_{0};  // ns; when the link last delivered a message
  std::array<std::atomic<std::int8_t>, kEventKinds> enabled_{};
  std::atomic<bool> config_readable_{true};
  std::atomic<std::uint64_t> unexpected_{0};

  // Subscriber thread only.
  bool shedding_;  // starts true when shed_high_bytes is 0: always shed
  std::uint64_t shed_episodes_ = 0;
  std::size_t subscribed_ = 0;
  bool ever_connected_ = false;
  bool silent_ = false;  // ReadLoop gave up on a link that stopped answering
  bool logged_down_ = false;
  bool warned_off_ = false;
  bool warned_error_ = false;  // an error reply was logged at warn since the last LinkUp
  bool logged_unreadable_ = false;
};

}  // namespace stampede::events
