#include "faults/fault_rig.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "redis/connection.h"
#include "support/exporter_harness.h"
#include "support/exposition.h"
#include "support/http_client.h"

namespace stampede::testing {

namespace {

using std::chrono::milliseconds;

constexpr std::size_t kMaxProblems = 40;
constexpr milliseconds kScrapeTimeout{1000};
constexpr milliseconds kPollPeriod{100};

double Seconds(FaultClock::duration d) { return std::chrono::duration<double>(d).count(); }

/// `name{labels}` → name.
std::string FamilyOf(const std::string& series) { return series.substr(0, series.find('{')); }

/// A UDP socket that sends StatsD lines to 127.0.0.1:port, as an application would.
class StatsdSender {
 public:
  explicit StatsdSender(int port) : fd_(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) {
    to_.sin_family = AF_INET;
    to_.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    to_.sin_port = htons(static_cast<std::uint16_t>(port));
  }
  ~StatsdSender() { ::close(fd_); }
  StatsdSender(const StatsdSender&) = delete;
  StatsdSender& operator=(const StatsdSender&) = delete;
  void Send(const std::string& line) const {
    [[maybe_unused]] const ssize_t n = ::sendto(
        fd_, line.data(), line.size(), 0, reinterpret_cast<const sockaddr*>(&to_), sizeof(to_));
  }

 private:
  int fd_;
  sockaddr_in to_{};
};

}  // namespace

std::optional<double> SumSeries(const std::string& exposition, const std::string& name,
                                const std::vector<std::string>& labels) {
  std::optional<double> sum;
  for (const auto& [series, value] : ParseExposition(exposition)) {
    if (FamilyOf(series) != name) {
      continue;
    }
    bool all = true;
    for (const std::string& l : labels) {
      all = all && series.find(l) != std::string::npos;
    }
    if (all) {
      sum = sum.value_or(0) + value;
    }
  }
  return sum;
}

FaultRig::FaultRig(Options options)
    : options_(options),
      dir_(MakeTempDir("stampede-faults-")),
      // Every event the exporter needs (E g x e m n), and AOF/RDB off (RedisServer's default):
      // a restarted Redis is empty, like a cache after a crash.
      redis_(std::make_unique<RedisServer>(
          std::vector<std::string>{"--notify-keyspace-events", "Egxemn"})) {}

FaultRig::~FaultRig() {
  stop_.store(true);
  if (traffic_.joinable()) {
    traffic_.join();
  }
  if (poller_.joinable()) {
    poller_.join();
  }
  exporter_.Kill();
  proxy_.reset();
  redis_.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

int FaultRig::exporter_redis_port() const { return proxy_ ? proxy_->port() : redis_->port(); }

bool FaultRig::Start() {
  if (!redis_->Start()) {
    return false;
  }
  if (options_.through_proxy) {
    proxy_ = std::make_unique<TcpProxy>(redis_->port());
  }
  const std::string config = dir_ + "/stampede.yml";
  std::ofstream(config) << "classes:\n  - name: user_profile\n    patterns: [\"user:*\"]\n"
                           "    expected_hit_ratio: 0.9\n";
  web_port_ = FreePort();
  statsd_port_ = FreePort();  // a TCP port free a moment ago: its UDP twin is free too here
  const std::vector<std::string> argv = {
      std::string(STAMPEDE_BINARY_DIR) + "/bin/stampede_exporter",
      "--redis.addr=redis://127.0.0.1:" + std::to_string(exporter_redis_port()),
      "--web.listen-address=127.0.0.1:" + std::to_string(web_port_),
      "--statsd.listen-udp=127.0.0.1:" + std::to_string(statsd_port_),
      "--ingest.listen-address=",
      "--config.file=" + config,
      "--log.level=debug",
  };
  exporter_ = ChildProcess(argv, dir_ + "/exporter.log");
  std::string last;
  const auto up = ScrapeUntil(
      [](const std::string& b) {
        return SampleValue(b, "stampede_redis_up") == 1 &&
               SampleValue(b, "stampede_notifications_connected") == 1;
      },
      milliseconds(10000), &last);
  if (!up) {
    ADD_FAILURE() << "exporter not up and subscribed within 10 s; last scrape:\n"
                  << last << "\nlog:\n"
                  << exporter_log();
    return false;
  }
  traffic_ = std::thread([this] { Traffic(); });
  poller_ = std::thread([this] { Poll(); });
  return true;
}

std::string FaultRig::Get(const std::string& path) const {
  const HttpResponse r = HttpGet(web_port_, path, kScrapeTimeout);
  return r.status == 200 ? r.body : "";
}

std::optional<milliseconds> FaultRig::ScrapeUntil(
    const std::function<bool(const std::string&)>& pred, milliseconds deadline,
    std::string* last) const {
  const auto start = FaultClock::now();
  while (true) {
    const std::string body = Scrape();
    if (last != nullptr) {
      *last = body;
    }
    if (!body.empty() && pred(body)) {
      return std::chrono::duration_cast<milliseconds>(FaultClock::now() - start);
    }
    if (FaultClock::now() - start >= deadline) {
      return std::nullopt;
    }
    std::this_thread::sleep_for(milliseconds(20));
  }
}

std::optional<FaultClock::time_point> FaultRig::WaitForPing(int port, milliseconds deadline) {
  const auto until = FaultClock::now() + deadline;
  redis::Connection::Options o;
  o.address.host = "127.0.0.1";
  o.address.port = port;
  o.connect_timeout = milliseconds(100);
  o.command_timeout = milliseconds(100);
  while (FaultClock::now() < until) {
    auto conn = redis::Connection::Open(o);
    if (conn.ok()) {
      auto pong = (*conn)->Command({"PING"});
      if (pong.ok() && pong->str == "PONG") {
        return FaultClock::now();
      }
    }
    std::this_thread::sleep_for(milliseconds(5));
  }
  return std::nullopt;
}

int FaultRig::StopAll() {
  stop_.store(true);
  if (traffic_.joinable()) {
    traffic_.join();
  }
  if (poller_.joinable()) {
    poller_.join();
  }
  if (!exporter_.running()) {
    return -2;
  }
  exporter_.Signal(SIGTERM);
  return exporter_.Wait(milliseconds(5000));
}

PollReport FaultRig::report() const {
  std::lock_guard<std::mutex> lock(mu_);
  return report_;
}

std::string FaultRig::exporter_log() const {
  std::ifstream in(dir_ + "/exporter.log");
  std::stringstream s;
  s << in.rdbuf();
  std::string text = s.str();
  constexpr std::size_t kTail = 6000;
  return text.size() > kTail ? "...\n" + text.substr(text.size() - kTail) : text;
}

void FaultRig::Problem(const std::string& p) {
  std::lock_guard<std::mutex> lock(mu_);
  if (report_.problems.size() < kMaxProblems) {
    report_.problems.push_back(p);
  }
}

// Cache-aside traffic on user:* keys (1000 of them, short TTLs): GET, on a miss an origin load
// (reported over StatsD) and SET with a 1-4 s TTL; some DELs and misses on other keys. It
// produces new, expired, del and keymiss events all the time, and misses and loads in proportion
// to traffic: what a healthy application looks like, and exactly what a restarted (empty) Redis
// amplifies.
void FaultRig::Traffic() {
  std::mt19937 rng(12345);
  std::uniform_int_distribution<int> key(0, 999);
  std::uniform_int_distribution<int> ttl(1000, 4000);
  const StatsdSender statsd(statsd_port_);
  redis::Connection::Options o;
  o.address = redis_->address();  // always Redis itself: the app's path is not the exporter's
  o.connect_timeout = milliseconds(200);
  o.command_timeout = milliseconds(200);
  std::unique_ptr<redis::Connection> conn;
  std::uint64_t n = 0;
  while (!stop_.load()) {
    if (!conn) {
      auto opened = redis::Connection::Open(o);
      if (!opened.ok()) {
        op_errors_.fetch_add(1);
        std::this_thread::sleep_for(milliseconds(20));
        continue;
      }
      conn = std::move(opened).value();
    }
    ++n;
    const std::string k = "user:" + std::to_string(key(rng));
    Result<redis::Reply> r = Status::Error("");
    if (n % 50 == 0) {
      r = conn->Command({"DEL", k});
    } else if (n % 20 == 0) {
      r = conn->Command({"GET", "page:" + std::to_string(key(rng))});
    } else {
      r = conn->Command({"GET", k});
      if (r.ok() && r->type == redis::Reply::Type::kNil) {
        statsd.Send("cache.miss:1|c|#class:user_profile");
        statsd.Send("cache.load:1|c|#class:user_profile");
        r = conn->Command({"SET", k, "v", "PX", std::to_string(ttl(rng))});
      } else if (r.ok()) {
        statsd.Send("cache.hit:1|c|#class:user_profile");
      }
    }
    if (r.ok()) {
      ops_.fetch_add(1);
    } else {
      op_errors_.fetch_add(1);
      conn.reset();
    }
    std::this_thread::sleep_for(milliseconds(2));
  }
}

void FaultRig::Poll() {
  std::map<std::string, double> last;
  auto next = FaultClock::now();
  const auto t0 = FaultClock::now();
  while (!stop_.load()) {
    std::this_thread::sleep_until(next);
    next += kPollPeriod;
    const auto started = FaultClock::now();
    const HttpResponse r = HttpGet(web_port_, "/metrics", kScrapeTimeout);
    const double took = Seconds(FaultClock::now() - started);
    const std::string at = "t=" + std::to_string(Seconds(started - t0)) + "s: ";
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++report_.scrapes;
      report_.max_latency_seconds = std::max(report_.max_latency_seconds, took);
    }
    if (r.status != 200) {
      Problem(at + "scrape failed: status " + std::to_string(r.status) + " " + r.error);
      continue;
    }
    if (took > 1.0) {
      Problem(at + "scrape took " + std::to_string(took) + " s");
    }
    const std::map<std::string, double> now = CounterSamples(r.body);
    for (const auto& [series, value] : last) {
      const auto it = now.find(series);
      if (it == now.end()) {
        Problem(at + "counter vanished: " + series + " (was " + std::to_string(value) + ")");
      } else if (it->second < value) {
        Problem(at + "counter decreased: " + series + " " + std::to_string(value) + " -> " +
                std::to_string(it->second));
      }
    }
    last = now;
    const auto stampede = SumSeries(r.body, "stampede_verdict", {"level=\"stampede\""});
    if (stampede.value_or(0) != 0) {
      std::string raised;
      for (const auto& [series, value] : ParseExposition(r.body)) {
        const std::string family = FamilyOf(series);
        if (value != 0 &&
            (family == "stampede_indicator" || family == "stampede_verdict" ||
             family == "stampede_redis_up" || family == "stampede_notifications_connected" ||
             family == "stampede_notifications_lag_seconds")) {
          raised += " " + series + "=" + std::to_string(value);
        }
      }
      Problem(at + "stampede verdict raised; nonzero:" + raised);
    }
    std::lock_guard<std::mutex> lock(mu_);
    report_.min_config_readable =
        std::min(report_.min_config_readable,
                 SampleValue(r.body, "stampede_notifications_config_readable").value_or(0));
    report_.saw_blind =
        report_.saw_blind ||
        SampleValue(r.body, "stampede_indicator{indicator=\"blind\",class=\"all\"}") == 1;
    report_.saw_redis_down =
        report_.saw_redis_down || SampleValue(r.body, "stampede_redis_up") == 0;
    report_.saw_notifications_down = report_.saw_notifications_down ||
                                     SampleValue(r.body, "stampede_notifications_connected") == 0;
  }
}

}  // namespace stampede::testing
