// The subscriber against a real redis-server: exact per-class counts for every event, restart,
// degraded mode, CONFIG renamed away, opt-in configuration, shedding, lag, FLUSHDB via INFO.
#include "events/subscriber.h"

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <set>
#include <thread>

#include "config/config_file.h"
#include "events/flush_detector.h"
#include "redis/info_sampler.h"
#include "sketch/key_hash.h"
#include "support/redis_server.h"
#include "support/sync_stream.h"
#include "support/wait_for.h"

namespace stampede::events {
namespace {

using stampede::testing::WaitFor;

using std::chrono::milliseconds;
using SteadyTime = std::chrono::steady_clock;

constexpr const char* kAllFlags[] = {"--notify-keyspace-events", "Egxemn"};

std::size_t Count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

std::set<char> FlagSet(const std::string& flags) { return {flags.begin(), flags.end()}; }

/// A subscriber with the classes user:* and sess:* on a test Redis.
class SubscriberTest : public ::testing::Test {
 protected:
  void StartRedis(std::vector<std::string> args) {
    redis_ = std::make_unique<testing::RedisServer>(std::move(args));
    ASSERT_TRUE(redis_->Start());
  }
  void StartSubscriber(Subscriber::Options options = {}) {
    const auto file = config::ParseConfigText(
        "classes:\n  - {name: user, patterns: \"user:*\"}\n  - {name: sess, patterns: "
        "\"sess:*\"}\n  - {name: big, patterns: \"big:*\"}\n",
        "c");
    ASSERT_TRUE(file.ok()) << file.status().message();
    classifier_ = std::make_unique<classify::Classifier>(file->classes);
    tracker_ = std::make_unique<KeyTracker>(TrackerOptions{}, classifier_->size());
    tally_ = std::make_unique<EventTally>(*classifier_, tracker_.get());
    options.connection.address = redis_->address();
    options.connection.connect_timeout = milliseconds(500);
    options.connection.command_timeout = milliseconds(500);
    options.node = redis_->url();
    subscriber_ = std::make_unique<Subscriber>(options, *tally_, SteadyClock::Instance(), *log_);
    subscriber_->Start();
    ASSERT_TRUE(WaitFor([&] { return subscriber_->connected(); })) << log_stream_.str();
  }
  void TearDown() override {
    if (subscriber_) {
      subscriber_->Stop();
    }
  }
  std::uint64_t N(const char* cls, EventKind kind) const {
    for (std::size_t id = 0; id < classifier_->size(); ++id) {
      if (classifier_->Name(static_cast<classify::ClassId>(id)) == cls) {
        return tally_->count(static_cast<classify::ClassId>(id), kind);
      }
    }
    ADD_FAILURE() << "no class " << cls;
    return 0;
  }
  redis::Reply Cmd(const std::vector<std::string>& argv) {
    redis::Reply r = redis_->Command(argv);
    EXPECT_NE(r.type, redis::Reply::Type::kError) << argv[0] << ": " << r.str;
    return r;
  }
  /// Waits until the tally's total equals `total`, then a little longer to catch extras.
  void SettleAt(std::uint64_t total) {
    const auto sum = [&] {
      std::uint64_t n = 0;
      for (std::size_t id = 0; id < classifier_->size(); ++id) {
        for (const EventKind kind : kAllEventKinds) {
          n += tally_->count(static_cast<classify::ClassId>(id), kind);
        }
      }
      return n;
    };
    EXPECT_TRUE(WaitFor([&] { return sum() >= total; })) << sum() << " of " << total;
    // A PING round trip on the same connection proves everything sent before it has arrived.
    Cmd({"PING"});
    std::this_thread::sleep_for(milliseconds(50));
    EXPECT_EQ(sum(), total);
  }

  testing::SyncStringStream log_stream_;
  std::unique_ptr<Logger> log_ =
      std::make_unique<Logger>(&log_stream_, LogLevel::kDebug, LogFormat::kLogfmt);
  std::unique_ptr<testing::RedisServer> redis_;
  std::unique_ptr<classify::Classifier> classifier_;
  std::unique_ptr<KeyTracker> tracker_;
  std::unique_ptr<EventTally> tally_;
  std::unique_ptr<Subscriber> subscriber_;
};

TEST_F(SubscriberTest, ExactCountsPerClassForEveryEvent) {
  StartRedis({kAllFlags[0], kAllFlags[1]});
  StartSubscriber();
  for (int i = 1; i <= 10; ++i) {
    Cmd({"SET", "user:" + std::to_string(i), "v"});  // new ×10 (user)
  }
  Cmd({"SET", "user:5", "again"});  // an overwrite: no new
  for (int i = 1; i <= 5; ++i) {
    Cmd({"SET", "sess:" + std::to_string(i), "v"});  // new ×5 (sess)
  }
  Cmd({"SET", "plain", "v"});                   // new ×1 (default)
  Cmd({"DEL", "user:1", "user:2", "nothere"});  // del ×2: a missing key sends nothing
  Cmd({"UNLINK", "user:3"});                    // del ×1
  Cmd({"GETDEL", "user:4"});                    // del ×1
  for (int i = 0; i < 3; ++i) {
    Cmd({"GET", "user:missing"});  // keymiss ×3 (user)
  }
  Cmd({"GET", "nothing"});  // keymiss ×1 (default)
  for (int i = 1; i <= 3; ++i) {
    Cmd({"SET", "sess:ttl" + std::to_string(i), "v", "PX", "20"});  // new ×3, expired ×3
  }
  ASSERT_TRUE(WaitFor([&] { return N("sess", EventKind::kExpired) == 3; }))
      << N("sess", EventKind::kExpired);
  SettleAt(10 + 5 + 1 + 4 + 3 + 1 + 3 + 3);
  EXPECT_EQ(N("user", EventKind::kNew), 10u);
  EXPECT_EQ(N("user", EventKind::kDel), 4u);
  EXPECT_EQ(N("user", EventKind::kKeymiss), 3u);
  EXPECT_EQ(N("user", EventKind::kExpired), 0u);
  EXPECT_EQ(N("sess", EventKind::kNew), 8u);
  EXPECT_EQ(N("sess", EventKind::kExpired), 3u);
  EXPECT_EQ(N("default", EventKind::kNew), 1u);
  EXPECT_EQ(N("default", EventKind::kKeymiss), 1u);
  EXPECT_EQ(N("default", EventKind::kDel), 0u);
  // The tracker saw the same stream.
  const auto now = SteadyClock::Instance().Now();
  const auto inv = tracker_->RecentInvalidation(sketch::KeyHash("user:4", 0), 0, now);
  ASSERT_TRUE(inv.has_value());
  EXPECT_EQ(inv->cause, sketch::Cause::kDel);
  EXPECT_EQ(tracker_->RecentInvalidation(sketch::KeyHash("sess:ttl1", 0), 0, now)->cause,
            sketch::Cause::kExpired);
  // The most missed user key: the three misses fall in one 10 s window, or straddle two when a
  // window ends during the test (10 s windows, a test of ~0.25 s: about 1 run in 40).
  std::uint64_t missing = 0;
  for (const bool previous : {false, true}) {
    for (const auto& entry : tracker_->TopMissed(1, 1, previous, now)) {
      EXPECT_EQ(entry.key, "user:missing");
      missing += entry.count;
    }
  }
  EXPECT_EQ(missing, 3u);
  for (const EventKind kind : kAllEventKinds) {
    EXPECT_EQ(subscriber_->notify_state(kind), NotifyState::kOn) << EventName(kind);
  }
  EXPECT_TRUE(subscriber_->config_readable());
  EXPECT_EQ(subscriber_->unexpected(), 0u);
  EXPECT_EQ(tally_->shed(), 0u);
}

TEST_F(SubscriberTest, EvictionsMatchInfoExactly) {
  StartRedis(
      {kAllFlags[0], kAllFlags[1], "--maxmemory", "2mb", "--maxmemory-policy", "allkeys-lru"});
  StartSubscriber();
  const std::string value(10000, 'x');
  int sets = 0;
  auto evicted = [&] {
    const redis::Reply info = redis_->Command({"INFO", "stats"});
    const auto at = info.str.find("evicted_keys:");
    return at == std::string::npos ? 0 : std::stoi(info.str.substr(at + 13));
  };
  while (sets < 2000 && (sets % 50 != 0 || evicted() < 20)) {
    Cmd({"SET", "big:" + std::to_string(sets++), value});
  }
  const int want = evicted();
  ASSERT_GE(want, 20);
  ASSERT_TRUE(WaitFor([&] { return N("big", EventKind::kEvicted) >= std::uint64_t(want); }));
  SettleAt(static_cast<std::uint64_t>(sets + want));
  EXPECT_EQ(N("big", EventKind::kEvicted), std::uint64_t(want));
  EXPECT_EQ(N("big", EventKind::kNew), std::uint64_t(sets));
}

TEST_F(SubscriberTest, RestartReconnectsWithinASecondAndCountsTheGap) {
  StartRedis({kAllFlags[0], kAllFlags[1]});
  StartSubscriber();
  Cmd({"GET", "user:a"});
  ASSERT_TRUE(WaitFor([&] { return N("user", EventKind::kKeymiss) == 1; }));
  const double gap_before = subscriber_->gap_seconds();
  redis_->Kill();
  ASSERT_TRUE(WaitFor([&] { return !subscriber_->connected(); }));
  std::this_thread::sleep_for(milliseconds(300));  // a real gap, while the subscriber retries
  ASSERT_TRUE(redis_->Start());
  const auto back = SteadyTime::now();
  ASSERT_TRUE(WaitFor([&] { return subscriber_->connected(); }, milliseconds(3000)));
  EXPECT_LE(SteadyTime::now() - back, milliseconds(1000));
  EXPECT_EQ(subscriber_->reconnects(), 1u);
  EXPECT_GE(subscriber_->gap_seconds() - gap_before, 0.3);
  Cmd({"GET", "user:b"});
  ASSERT_TRUE(WaitFor([&] { return N("user", EventKind::kKeymiss) == 2; }));
  EXPECT_EQ(Count(log_stream_.str(), "msg=\"notifications down\""), 1u) << log_stream_.str();
}

TEST_F(SubscriberTest, AuthenticatesAndNeverLogsThePassword) {
  StartRedis({kAllFlags[0], kAllFlags[1]});
  Cmd({"CONFIG", "SET", "requirepass", "s3cret-pw"});  // this connection stays authenticated
  Subscriber::Options options;
  options.connection.password = "s3cret-pw";
  StartSubscriber(options);
  EXPECT_TRUE(subscriber_->config_readable());
  Cmd({"GET", "user:x"});
  ASSERT_TRUE(WaitFor([&] { return N("user", EventKind::kKeymiss) == 1; }));
  EXPECT_EQ(log_stream_.str().find("s3cret-pw"), std::string::npos) << log_stream_.str();
}

TEST_F(SubscriberTest, WrongPasswordIsLoggedOnceAndRetried) {
  StartRedis({kAllFlags[0], kAllFlags[1]});
  Cmd({"CONFIG", "SET", "requirepass", "right"});
  const auto file = config::ParseConfigText("", "c");
  classifier_ = std::make_unique<classify::Classifier>(file->classes);
  tally_ = std::make_unique<EventTally>(*classifier_, nullptr);
  Subscriber::Options options;
  options.connection.address = redis_->address();
  options.connection.password = "pw-x9z";
  subscriber_ = std::make_unique<Subscriber>(options, *tally_, SteadyClock::Instance(), *log_);
  subscriber_->Start();
  ASSERT_TRUE(WaitFor([&] { return Count(log_stream_.str(), "notifications down") == 1; }));
  std::this_thread::sleep_for(milliseconds(300));  // several retries
  EXPECT_FALSE(subscriber_->connected());
  EXPECT_EQ(Count(log_stream_.str(), "notifications down"), 1u) << log_stream_.str();
  EXPECT_NE(log_stream_.str().find("auth: "), std::string::npos) << log_stream_.str();
  EXPECT_EQ(log_stream_.str().find("pw-x9z"), std::string::npos) << log_stream_.str();
}

TEST_F(SubscriberTest, NotificationsOffIsDegradedWithOneWarning) {
  StartRedis({});
  StartSubscriber();
  for (const EventKind kind : kAllEventKinds) {
    EXPECT_EQ(subscriber_->notify_state(kind), NotifyState::kOff) << EventName(kind);
  }
  EXPECT_TRUE(subscriber_->config_readable());
  Cmd({"GET", "user:x"});
  // Reconnecting must not warn again.
  redis_->Kill();
  ASSERT_TRUE(WaitFor([&] { return !subscriber_->connected(); }));
  ASSERT_TRUE(redis_->Start());
  ASSERT_TRUE(WaitFor([&] { return subscriber_->connected(); }));
  EXPECT_EQ(Count(log_stream_.str(), "keyspace notifications are off"), 1u) << log_stream_.str();
  EXPECT_NE(log_stream_.str().find("missing=del,expired,evicted,keymiss,new"), std::string::npos);
  EXPECT_EQ(N("user", EventKind::kKeymiss), 0u);
  EXPECT_EQ(redis_->Command({"CONFIG", "GET", "notify-keyspace-events"}).elements.at(1).str, "");
}

TEST_F(SubscriberTest, ConfigRenamedAwayIsQuietAndLearntFromTraffic) {
  StartRedis({kAllFlags[0], kAllFlags[1], "--rename-command", "CONFIG", ""});
  StartSubscriber();
  EXPECT_FALSE(subscriber_->config_readable());
  EXPECT_EQ(subscriber_->notify_state(EventKind::kKeymiss), NotifyState::kUnknown);
  Cmd({"GET", "user:x"});
  ASSERT_TRUE(WaitFor([&] { return N("user", EventKind::kKeymiss) == 1; }));
  EXPECT_EQ(subscriber_->notify_state(EventKind::kKeymiss), NotifyState::kOn);
  EXPECT_EQ(subscriber_->notify_state(EventKind::kDel), NotifyState::kUnknown);
  const std::string log = log_stream_.str();
  EXPECT_EQ(log.find("level=warn"), std::string::npos) << log;
  EXPECT_EQ(log.find("level=error"), std::string::npos) << log;
  EXPECT_EQ(Count(log, "cannot read notify-keyspace-events"), 1u) << log;
}

TEST_F(SubscriberTest, OptInSetsTheMissingFlagsAndKeepsTheOthers) {
  StartRedis({"--notify-keyspace-events", "Kl"});
  Subscriber::Options options;
  options.configure_notifications = true;
  StartSubscriber(options);
  const redis::Reply got = Cmd({"CONFIG", "GET", "notify-keyspace-events"});
  ASSERT_EQ(got.elements.size(), 2u);
  const std::set<char> flags = FlagSet(got.elements[1].str);
  for (const char c : std::string("KlEgxemn")) {
    EXPECT_EQ(flags.count(c), 1u) << c << " in " << got.elements[1].str;
  }
  for (const EventKind kind : kAllEventKinds) {
    EXPECT_EQ(subscriber_->notify_state(kind), NotifyState::kOn) << EventName(kind);
  }
  Cmd({"GET", "user:x"});
  ASSERT_TRUE(WaitFor([&] { return N("user", EventKind::kKeymiss) == 1; }));
  EXPECT_EQ(log_stream_.str().find("keyspace notifications are off"), std::string::npos);
}

TEST_F(SubscriberTest, WithoutOptInRedisIsNeverChanged) {
  StartRedis({"--notify-keyspace-events", "Kl"});
  StartSubscriber();
  const redis::Reply got = Cmd({"CONFIG", "GET", "notify-keyspace-events"});
  EXPECT_EQ(FlagSet(got.elements.at(1).str), FlagSet("Kl"));
}

TEST_F(SubscriberTest, SheddingKeepsExactCountsAndCountsWhatItShed) {
  StartRedis({kAllFlags[0], kAllFlags[1]});
  Subscriber::Options options;
  options.shed_high_bytes = 0;  // always behind: count only
  StartSubscriber(options);
  for (int i = 0; i < 50; ++i) {
    Cmd({"GET", "user:" + std::to_string(i)});
  }
  SettleAt(50);
  EXPECT_EQ(N("user", EventKind::kKeymiss), 50u);
  EXPECT_EQ(tally_->shed(), 50u);
  EXPECT_TRUE(tracker_->TopMissed(1, 5, false, SteadyClock::Instance().Now()).empty());
}

TEST_F(SubscriberTest, LagIsMeasuredWithPing) {
  StartRedis({kAllFlags[0], kAllFlags[1]});
  Subscriber::Options options;
  options.ping_interval = milliseconds(20);
  StartSubscriber(options);
  ASSERT_TRUE(WaitFor([&] {
    const double lag = subscriber_->lag_seconds();
    return lag > 0 && lag < 0.5;
  }));
  // A paused Redis answers no PING: the lag grows with the unanswered one.
  redis_->Pause();
  ASSERT_TRUE(WaitFor([&] { return subscriber_->lag_seconds() > 0.2; }));
  redis_->Resume();
  ASSERT_TRUE(WaitFor([&] { return subscriber_->lag_seconds() < 0.2; }));
}

// Regressions (faults work): a link that goes silent is found dead by its unanswered PING; the
// gap then counts from the last successful read, not from the PING timeout; and the CONFIG GET
// of the reconnect attempt, timing out on the frozen server, is not taken for CONFIG refused.
TEST_F(SubscriberTest, SilentLinkCountsTheGapFromTheLastReadAndKeepsConfigReadable) {
  StartRedis({kAllFlags[0], kAllFlags[1]});
  Subscriber::Options options;
  options.ping_interval = milliseconds(20);
  options.dead_after = milliseconds(300);
  StartSubscriber(options);
  // PONGs arrive every 20 ms: the last read is always recent.
  ASSERT_TRUE(WaitFor([&] {
    const double lag = subscriber_->lag_seconds();
    return lag > 0 && lag < 0.1;
  }));
  const double gap_before = subscriber_->gap_seconds();
  redis_->Pause();
  const auto paused = SteadyTime::now();
  ASSERT_TRUE(WaitFor([&] { return !subscriber_->connected(); }, milliseconds(3000)));
  const double silent_for = std::chrono::duration<double>(SteadyTime::now() - paused).count();
  const double gap_at_death = subscriber_->gap_seconds() - gap_before;
  // Found dead dead_after (0.3 s) after the unanswered PING; the gap already covers that time.
  EXPECT_GE(silent_for, 0.3);
  EXPECT_GE(gap_at_death, silent_for - 0.1) << "silent for " << silent_for << " s";
  // The reconnect attempts connect (the kernel accepts for the frozen server) and their CONFIG
  // GET times out (500 ms). Nothing to poll for: what must not happen is a flag flipping, so
  // give it two attempts' time.
  std::this_thread::sleep_for(milliseconds(1600));
  EXPECT_TRUE(subscriber_->config_readable()) << log_stream_.str();
  EXPECT_FALSE(subscriber_->connected());
  redis_->Resume();
  const auto resumed = SteadyTime::now();
  ASSERT_TRUE(WaitFor([&] { return subscriber_->connected(); }, milliseconds(3000)))
      << log_stream_.str();
  EXPECT_LE(SteadyTime::now() - resumed, milliseconds(1000));
  EXPECT_EQ(subscriber_->reconnects(), 1u);
  EXPECT_TRUE(subscriber_->config_readable());
  EXPECT_GE(subscriber_->gap_seconds() - gap_before,
            std::chrono::duration<double>(resumed - paused).count() - 0.1);
  EXPECT_EQ(log_stream_.str().find("cannot read notify-keyspace-events"), std::string::npos)
      << log_stream_.str();
  Cmd({"GET", "user:after"});
  ASSERT_TRUE(WaitFor([&] { return N("user", EventKind::kKeymiss) == 1; }));
}

// Regression (faults work): a link that goes silent shows as lag from its last read, not from
// the PING sent up to a PING interval later, so the detectors see the sidecar blind at once.
TEST_F(SubscriberTest, SilentLinkLagCountsFromTheLastRead) {
  StartRedis({kAllFlags[0], kAllFlags[1]});
  Subscriber::Options options;
  options.ping_interval = milliseconds(1000);
  StartSubscriber(options);
  ASSERT_TRUE(WaitFor([&] {
    const double lag = subscriber_->lag_seconds();
    return lag > 0 && lag < 0.1;
  }));
  Cmd({"GET", "user:last"});  // the last read before the freeze: this keymiss event
  ASSERT_TRUE(WaitFor([&] { return N("user", EventKind::kKeymiss) == 1; }));
  const auto last_read = SteadyTime::now();
  redis_->Pause();
  // The next PING goes out up to 1 s later and gets no answer; from then on (after
  // silent_after), the lag is the time since the keymiss was read.
  ASSERT_TRUE(WaitFor([&] { return subscriber_->lag_seconds() > 1.2; }, milliseconds(3000)));
  const double since_read = std::chrono::duration<double>(SteadyTime::now() - last_read).count();
  EXPECT_GE(subscriber_->lag_seconds(), since_read - 0.1);
  EXPECT_LE(since_read, 1.5) << "lag must not wait for the PING to age";
  redis_->Resume();
  ASSERT_TRUE(WaitFor([&] { return subscriber_->lag_seconds() < 0.2; }));
}

// The gap counter is read by scrapes while the subscriber thread closes gaps: it never goes
// backwards, whatever the interleaving.
TEST_F(SubscriberTest, GapNeverDecreasesAcrossReconnects) {
  StartRedis({kAllFlags[0], kAllFlags[1]});
  StartSubscriber();
  std::atomic<bool> stop{false};
  std::atomic<int> decreases{0};
  std::thread reader([&] {
    double last = 0;
    while (!stop.load()) {
      const double g = subscriber_->gap_seconds();
      if (g < last) {
        decreases.fetch_add(1);
      }
      last = g;
    }
  });
  for (int i = 1; i <= 3; ++i) {
    redis_->Kill();
    ASSERT_TRUE(WaitFor([&] { return !subscriber_->connected(); }));
    ASSERT_TRUE(redis_->Start());
    ASSERT_TRUE(WaitFor([&] { return subscriber_->reconnects() == std::uint64_t(i); }));
  }
  stop.store(true);
  reader.join();
  EXPECT_EQ(decreases.load(), 0);
}

TEST_F(SubscriberTest, FlushDbIsRecordedAsAnInvalidationOfCauseFlush) {
  StartRedis({kAllFlags[0], kAllFlags[1]});
  StartSubscriber();
  FlushDetector detector(tracker_.get(), SteadyClock::Instance(), *log_);
  redis::InfoSampler::Options o;
  o.connection.address = redis_->address();
  o.interval = milliseconds(100);
  redis::InfoSampler sampler(o, {&detector}, *log_);
  Cmd({"SELECT", "0"});
  Cmd({"SET", "user:1", "v"});
  sampler.Start();
  ASSERT_TRUE(WaitFor([&] { return sampler.ready(); }));
  std::this_thread::sleep_for(milliseconds(150));  // a baseline sample with the key in it
  Cmd({"FLUSHDB"});
  ASSERT_TRUE(WaitFor([&] { return detector.flushes(FlushDetector::kFlushDb) == 1; }));
  sampler.Stop();
  const auto now = SteadyClock::Instance().Now();
  const auto inv = tracker_->RecentInvalidation(sketch::KeyHash("user:1", 0), 0, now);
  ASSERT_TRUE(inv.has_value());
  EXPECT_EQ(inv->cause, sketch::Cause::kFlush);
  const auto flushes = tracker_->RecentFlushes(now);
  ASSERT_EQ(flushes.size(), 1u);
  EXPECT_EQ(flushes[0].db, 0);
  EXPECT_EQ(N("user", EventKind::kDel), 0u);  // FLUSHDB sends no keyspace event
}

}  // namespace
}  // namespace stampede::events
