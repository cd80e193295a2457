#include "scenarios.h"

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <thread>

#include "cache_client.h"
#include "common/log.h"
#include "origin.h"
#include "scenario_harness.h"
#include "sketch/key_hash.h"
#include "statsd_reporter.h"
#include "support/exposition.h"
#include "workload.h"

namespace stampede::scenarios {

namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

constexpr milliseconds kPollPeriod{250};

std::optional<WallTime> ParseTime(const json& v) {
  return v.is_string() ? sim::ParseRfc3339Millis(v.get_ref<const std::string&>()) : std::nullopt;
}

double Between(WallTime from, WallTime to) { return Seconds(to - from).count(); }

// A pause in a scenario's script (warm-up, spike duration, observation), never a way to wait
// for something to have happened: that is WaitFor's job.
void Pause(Seconds d) {
  if (d.count() > 0) {
    std::this_thread::sleep_for(d);
  }
}

// Polls `done` every 100 ms until it holds (true) or `deadline` passes (false).
bool WaitFor(const std::function<bool()>& done, Seconds deadline) {
  const auto until =
      SteadyClock::now() + std::chrono::duration_cast<SteadyClock::duration>(deadline);
  while (!done()) {
    if (SteadyClock::now() >= until) {
      return false;
    }
    std::this_thread::sleep_for(milliseconds(100));
  }
  return true;
}

// The labels of `name{a="x",b="y"}` (our label values hold no quotes or commas).
std::map<std::string, std::string> Labels(const std::string& series) {
  std::map<std::string, std::string> out;
  const std::size_t open = series.find('{');
  if (open == std::string::npos) {
    return out;
  }
  std::size_t at = open + 1;
  while (at < series.size() && series[at] != '}') {
    const std::size_t eq = series.find("=\"", at);
    if (eq == std::string::npos) {
      break;
    }
    const std::size_t end = series.find('"', eq + 2);
    if (end == std::string::npos) {
      break;
    }
    out[series.substr(at, eq - at)] = series.substr(eq + 2, end - eq - 2);
    at = end + 1;
    if (at < series.size() && series[at] == ',') {
      ++at;
    }
  }
  return out;
}

bool HasIncident(const ScenarioHarness& h, std::string_view class_name, std::string_view level) {
  const json list = h.IncidentsJson();
  if (!list.is_array()) {
    return false;
  }
  for (const json& i : list) {
    if (i.value("class", "") == class_name && i.value("level", "") == level) {
      return true;
    }
  }
  return false;
}

// Polls /api/v1/status and /metrics in the background and remembers what they showed.
class Monitor {
 public:
  explicit Monitor(const ScenarioHarness& h) : h_(h) {
    thread_ = std::thread([this] { Run(); });
  }
  ~Monitor() { Stop(); }

  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) {
      thread_.join();
    }
  }

  // When `key` was first seen cleared after its first raise at or after `since`.
  std::optional<WallTime> ClearedAfter(const std::string& key, WallTime since) const {
    std::lock_guard<std::mutex> lock(mu_);
    const auto raised = raise_times_.find(key);
    const auto cleared = clear_times_.find(key);
    if (raised == raise_times_.end() || cleared == clear_times_.end()) {
      return std::nullopt;
    }
    std::optional<WallTime> first_raise;
    for (const WallTime r : raised->second) {
      if (r >= since && (!first_raise || r < *first_raise)) {
        first_raise = r;
      }
    }
    if (!first_raise) {
      return std::nullopt;
    }
    for (const WallTime c : cleared->second) {
      if (c > *first_raise) {
        return c;
      }
    }
    return std::nullopt;
  }

  // The first raise of `key` at or after `since`.
  std::optional<WallTime> RaisedSince(const std::string& key, WallTime since) const {
    std::lock_guard<std::mutex> lock(mu_);
    const auto it = raise_times_.find(key);
    if (it == raise_times_.end()) {
      return std::nullopt;
    }
    std::optional<WallTime> best;
    for (const WallTime t : it->second) {
      if (t >= since && (!best || t < *best)) {
        best = t;
      }
    }
    return best;
  }

  bool Raised(const std::string& key) const {
    std::lock_guard<std::mutex> lock(mu_);
    return raised_now_.count(key) > 0;
  }

  int polls() const {
    std::lock_guard<std::mutex> lock(mu_);
    return seen_.polls;
  }

  // Copies what the polls saw into `out`.
  void Fill(Outcome& out) const {
    std::lock_guard<std::mutex> lock(mu_);
    out.verdicts_seen = seen_.verdicts_seen;
    out.raised_seen = seen_.raised_seen;
    out.cleared_after_raise = seen_.cleared_after_raise;
    out.indicator_series_raised = seen_.indicator_series_raised;
    out.polls = seen_.polls;
    out.status_json = seen_.status_json;
    for (const auto& [key, times] : raise_times_) {
      if (!times.empty()) {
        out.first_detection[key] = *std::min_element(times.begin(), times.end());
      }
    }
  }

 private:
  void Run() {
    for (;;) {
      Poll();
      std::unique_lock<std::mutex> lock(mu_);
      if (cv_.wait_for(lock, kPollPeriod, [this] { return stop_; })) {
        return;
      }
    }
  }

  void Poll() {
    const json status = h_.StatusJson();
    const std::string metrics = h_.Scrape();
    const WallTime now = std::chrono::system_clock::now();
    std::lock_guard<std::mutex> lock(mu_);
    ++seen_.polls;
    if (status.is_object() && status.contains("classes")) {
      seen_.status_json = status.dump();
      for (const json& c : status["classes"]) {
        const std::string name = c.value("class", "");
        const std::string verdict = c.value("verdict", "none");
        if (verdict != "none") {
          seen_.verdicts_seen.insert(name + "/" + verdict);
        }
        if (!c.contains("indicators")) {
          continue;
        }
        for (const auto& [indicator, e] : c["indicators"].items()) {
          const std::string key = name + "/" + indicator;
          if (e.value("raised", false)) {
            seen_.raised_seen.insert(key);
            raised_now_.insert(key);
          } else if (raised_now_.erase(key) > 0) {
            seen_.cleared_after_raise.insert(key);
            clear_times_[key].push_back(now);
          }
          if (const auto t = ParseTime(e.value("last_detection", json()))) {
            std::vector<WallTime>& times = raise_times_[key];
            if (std::find(times.begin(), times.end(), *t) == times.end()) {
              times.push_back(*t);
            }
          }
        }
      }
    }
    for (const auto& [series, value] : testing::ParseExposition(metrics)) {
      if (series.rfind("stampede_indicator{", 0) == 0 && value != 0) {
        seen_.indicator_series_raised.insert(series);
      }
    }
  }

  const ScenarioHarness& h_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;                                         // guarded by mu_
  Outcome seen_;                                              // guarded by mu_
  std::set<std::string> raised_now_;                          // guarded by mu_
  std::map<std::string, std::vector<WallTime>> raise_times_;  // guarded by mu_
  std::map<std::string, std::vector<WallTime>> clear_times_;  // guarded by mu_
  std::thread thread_;
};

// One simulated application: its StatsD client, its origin, its cache client.
struct SimApp {
  std::unique_ptr<sim::StatsdReporter> reporter;
  std::unique_ptr<sim::Origin> origin;
  std::unique_ptr<sim::CacheClient> client;

  std::string Summary() const {
    const sim::CacheClient::Stats c = client->stats();
    const sim::Origin::Stats o = origin->stats();
    const sim::StatsdReporter::Stats r = reporter->stats();
    std::ostringstream s;
    s << "client[" << sim::ProtectionName(client->options().protection) << "]: hits=" << c.hits
      << " misses=" << c.misses << " loads=" << c.loads << " coalesced=" << c.coalesced
      << " lock_waits=" << c.lock_waits << " lock_timeouts=" << c.lock_timeouts
      << " errors=" << c.errors << "; origin: loads=" << o.loads
      << " distinct_keys=" << o.distinct_keys << " max_loads_of_one_key=" << o.max_loads_of_one_key
      << " peak_in_flight=" << o.peak_in_flight << "; statsd: lines=" << r.lines
      << " datagrams=" << r.datagrams << " send_errors=" << r.send_errors;
    return s.str();
  }
};

std::unique_ptr<SimApp> MakeApp(const ScenarioHarness& h, sim::Protection protection,
                                milliseconds origin_latency, std::chrono::seconds ttl,
                                std::uint64_t seed, std::string& error, double ttl_jitter = 0) {
  auto app = std::make_unique<SimApp>();
  sim::StatsdReporter::Options statsd;
  statsd.port = h.statsd_port();
  app->reporter = sim::StatsdReporter::Open(statsd, &error);
  if (!app->reporter) {
    return nullptr;
  }
  sim::Origin::Options origin;
  origin.latency = origin_latency;
  origin.seed = seed;
  app->origin = std::make_unique<sim::Origin>(origin);
  sim::CacheClient::Options client;
  client.redis = h.endpoint();
  client.class_name = "user_profile";
  client.protection = protection;
  client.ttl = ttl;
  client.ttl_jitter = ttl_jitter;
  app->client = std::make_unique<sim::CacheClient>(client, *app->origin, app->reporter.get());
  return app;
}

sim::Workload::Options Reads(std::vector<std::string> keys, sim::Distribution distribution,
                             double rate, std::size_t workers, std::uint64_t seed) {
  sim::Workload::Options o;
  o.keys = std::move(keys);
  o.distribution = distribution;
  o.rate = rate;
  o.workers = workers;
  o.seed = seed;
  return o;
}

// The sidecar is ready for a scenario: subscribed to keyspace events, ticking, and not blind.
bool Ready(ScenarioHarness& h, Outcome& out) {
  if (!h.error().empty()) {
    out.error = h.error();
    return false;
  }
  if (!h.WaitSubscribed(std::chrono::seconds(10))) {
    out.error = "the exporter did not subscribe to keyspace events within 10 s";
    return false;
  }
  const bool seeing = WaitFor(
      [&] {
        const json status = h.StatusJson();
        if (!status.is_object() || !status.contains("classes")) {
          return false;
        }
        for (const json& c : status["classes"]) {
          if (c.value("class", "") == "all") {
            const json blind = c.value("indicators", json::object()).value("blind", json::object());
            return blind.value("eligible", false) && !blind.value("raised", true);
          }
        }
        return false;
      },
      Seconds(20));
  if (!seeing) {
    out.error = "the detection engine did not tick, or stayed blind, for 20 s";
  }
  return seeing;
}

// The exporter's log lines a reader of a failed scenario needs.
std::string SidecarLog(const std::string& log) {
  std::istringstream in(log);
  std::string line;
  std::string out;
  while (std::getline(in, line)) {
    const bool keep = line.find("msg=\"indicator") != std::string::npos ||
                      line.find("msg=verdict") != std::string::npos ||
                      line.find("msg=\"incident") != std::string::npos ||
                      line.find("level=warn") != std::string::npos ||
                      line.find("level=error") != std::string::npos ||
                      line.find("msg=\"redis ") != std::string::npos;
    if (keep) {
      out += line + "\n";
    }
  }
  return out;
}

// Stops the monitor and reads the end state: incidents, detections, status, logs.
void Finish(Outcome& out, const ScenarioHarness& h, Monitor& monitor, const SimApp* app) {
  monitor.Stop();
  monitor.Fill(out);
  const json list = h.IncidentsJson();
  if (list.is_array()) {
    for (const json& brief : list) {
      const json full = h.IncidentJson(brief.value("id", ""));
      out.incidents.push_back(sim::ParseIncident((full.is_object() ? full : brief).dump()));
    }
  }
  for (const auto& [series, value] : testing::ParseExposition(h.Scrape())) {
    if (series.rfind("stampede_detections_total{", 0) == 0) {
      out.detections.push_back({Labels(series), value});
    }
  }
  if (const json status = h.StatusJson(); status.is_object()) {
    out.status_json = status.dump();
  }
  out.sidecar_log = SidecarLog(h.log());
  if (app != nullptr) {
    out.driver += app->Summary();
    const sim::Origin::Stats o = app->origin->stats();
    out.driver_counts["loads"] = static_cast<double>(o.loads);
    out.driver_counts["max_loads_of_one_key"] = static_cast<double>(o.max_loads_of_one_key);
    out.driver_counts["errors"] = static_cast<double>(app->client->stats().errors);
  }
}

std::mt19937_64 Rng(std::uint64_t seed) {
  return std::mt19937_64(seed * 0x9e3779b97f4a7c15ULL + 7);
}

double Uniform(std::mt19937_64& rng, double lo, double hi) {
  return std::uniform_real_distribution<double>(lo, hi)(rng);
}

}  // namespace

std::string ExpectedKeyHash(std::string_view key) {
  // Formatted here, not with the exporter's own HashHex: the test checks the label's format too.
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx",
                static_cast<unsigned long long>(sketch::KeyHash(key, 0, kKeyHashSeed)));
  return hex;
}

bool Outcome::StampedeSeen() const {
  for (const std::string& v : verdicts_seen) {
    if (v.ends_with("/stampede")) {
      return true;
    }
  }
  for (const IncidentSummary& i : incidents) {
    if (i.level == "stampede") {
      return true;
    }
  }
  return false;
}

double Outcome::Detections(std::string_view indicator, std::string_view class_name,
                           std::string_view cause, std::string_view expected) const {
  double sum = 0;
  for (const Detection& d : detections) {
    const auto is = [&](const char* label, std::string_view want) {
      if (want.empty()) {
        return true;
      }
      const auto it = d.labels.find(label);
      return it != d.labels.end() && it->second == want;
    };
    if (is("indicator", indicator) && is("class", class_name) && is("cause", cause) &&
        is("expected", expected)) {
      sum += d.value;
    }
  }
  return sum;
}

const IncidentSummary* Outcome::FindIncident(std::string_view class_name,
                                             std::string_view level) const {
  for (const IncidentSummary& i : incidents) {
    if (i.class_name == class_name && i.level == level) {
      return &i;
    }
  }
  return nullptr;
}

std::string Outcome::Describe() const {
  std::ostringstream s;
  s << "scenario " << scenario << (error.empty() ? "" : " ERROR: " + error) << "\n";
  s << "injected at " << FormatRfc3339(injected) << "\n";
  if (latency_seconds) {
    s << "latency " << *latency_seconds << " s\n";
  }
  if (lead_seconds) {
    s << "lead " << *lead_seconds << " s\n";
  }
  if (cleared_seconds) {
    s << "cleared " << *cleared_seconds << " s\n";
  }
  s << "polls " << polls << "; verdicts seen:";
  for (const std::string& v : verdicts_seen) {
    s << " " << v;
  }
  s << "\nindicators raised:";
  for (const std::string& v : raised_seen) {
    s << " " << v;
  }
  s << "\ncleared after raise:";
  for (const std::string& v : cleared_after_raise) {
    s << " " << v;
  }
  s << "\nfirst detections:";
  for (const auto& [k, t] : first_detection) {
    s << " " << k << "@" << FormatRfc3339(t) << " (" << Between(injected, t) << " s)";
  }
  s << "\ndetections_total:";
  for (const Detection& d : detections) {
    s << "\n  ";
    for (const auto& [k, v] : d.labels) {
      s << k << "=" << v << " ";
    }
    s << "→ " << d.value;
  }
  s << "\nincidents:";
  for (const IncidentSummary& i : incidents) {
    s << "\n  #" << i.id << " " << i.class_name << " " << i.level << " " << i.state
      << " cause=" << i.cause << " key=" << i.cause_key << " key_hash=" << i.cause_key_hash
      << " expected=" << i.expected;
    for (const std::string& t : i.timeline) {
      s << "\n    " << t;
    }
  }
  s << "\ndriver: " << driver << "\nstatus: " << status_json << "\nsidecar log:\n" << sidecar_log;
  return s.str();
}

CelebrityParams CelebrityParams::Random(std::uint64_t seed) {
  auto rng = Rng(seed);
  CelebrityParams p;
  p.background_rate = Uniform(rng, 200, 500);
  p.warm = Seconds(Uniform(rng, 2, 4));
  p.spike_delay = Seconds(Uniform(rng, 0.3, 3));
  p.spike_readers = static_cast<std::size_t>(Uniform(rng, 60, 150));
  p.spike_rate = Uniform(rng, 1000, 3000);
  p.origin_latency = milliseconds(static_cast<int>(Uniform(rng, 200, 500)));
  p.seed = seed;
  return p;
}

Outcome RunCelebrity(const CelebrityParams& p) {
  Outcome out;
  out.scenario = "celebrity";
  out.positive = true;
  ScenarioHarness h;
  if (!Ready(h, out)) {
    return out;
  }
  sim::RedisLink admin(h.endpoint());
  const std::vector<std::string> keys = sim::KeyRange("user:", 0, 200);
  if (const sim::ActionResult r = sim::SetKeys(admin, keys, std::chrono::seconds(0)); !r.ok) {
    out.error = r.error;
    return out;
  }
  auto app = MakeApp(h, sim::Protection::kNone, p.origin_latency, std::chrono::seconds(300), p.seed,
                     out.error);
  if (!app) {
    return out;
  }
  // The celebrity's key is cold until the spike: background readers never touch it (a read
  // between the DEL and the spike would refill it).
  std::vector<std::string> background_keys;
  std::copy_if(keys.begin(), keys.end(), std::back_inserter(background_keys),
               [](const std::string& k) { return k != "user:42"; });
  sim::Workload background(
      Reads(background_keys, sim::Distribution::kZipf, p.background_rate, 8, p.seed), *app->client);
  sim::Workload spike(
      Reads({"user:42"}, sim::Distribution::kUniform, p.spike_rate, p.spike_readers, p.seed + 1),
      *app->client);
  Monitor monitor(h);
  background.Start();
  Pause(p.warm);
  if (const sim::ActionResult r = sim::DelKey(admin, "user:42"); !r.ok || r.count != 1) {
    out.error = "DEL user:42: " + (r.ok ? "deleted " + std::to_string(r.count) : r.error);
    return out;
  }
  Pause(p.spike_delay);
  out.injected = std::chrono::system_clock::now();
  const auto spike_started = SteadyClock::now();
  spike.Start();
  WaitFor([&] { return HasIncident(h, "user_profile", "stampede"); }, p.give_up);
  Pause(p.spike_duration - (SteadyClock::now() - spike_started));
  spike.Stop();
  background.Stop();
  Finish(out, h, monitor, app.get());
  if (const IncidentSummary* i = out.FindIncident("user_profile", "stampede");
      i && i->stampede_at) {
    out.latency_seconds = Between(out.injected, *i->stampede_at);
  }
  return out;
}

PurgeParams PurgeParams::Random(std::uint64_t seed) {
  auto rng = Rng(seed);
  PurgeParams p;
  p.rate = Uniform(rng, 400, 900);
  p.warm = Seconds(Uniform(rng, 7, 10));
  p.origin_latency = milliseconds(static_cast<int>(Uniform(rng, 20, 100)));
  p.seed = seed;
  return p;
}

Outcome RunPurge(const PurgeParams& p) {
  Outcome out;
  out.scenario = "purge";
  ScenarioHarness h;
  if (!Ready(h, out)) {
    return out;
  }
  sim::RedisLink admin(h.endpoint());
  const std::vector<std::string> keys = sim::KeyRange("user:", 0, p.keys);
  if (const sim::ActionResult r = sim::SetKeys(admin, keys, std::chrono::seconds(0)); !r.ok) {
    out.error = r.error;
    return out;
  }
  auto app = MakeApp(h, sim::Protection::kSingleFlight, p.origin_latency, std::chrono::seconds(300),
                     p.seed, out.error);
  if (!app) {
    return out;
  }
  sim::Workload readers(Reads(keys, sim::Distribution::kUniform, p.rate, p.workers, p.seed),
                        *app->client);
  Monitor monitor(h);
  readers.Start();
  Pause(p.warm);
  std::string answer;
  if (const int code = h.PostMarker("purge", "user_profile", "5m", &answer); code != 201) {
    out.error = "POST /api/v1/markers: " + std::to_string(code) + " " + answer;
    return out;
  }
  out.injected = std::chrono::system_clock::now();
  if (const sim::ActionResult r = sim::DelKeys(admin, keys);
      !r.ok || r.count != static_cast<long long>(keys.size())) {
    out.error = "DEL of the purge: " + (r.ok ? "deleted " + std::to_string(r.count) : r.error);
    return out;
  }
  Pause(p.observe);
  readers.Stop();
  Finish(out, h, monitor, app.get());
  if (const auto it = out.first_detection.find("user_profile/invalidation_burst");
      it != out.first_detection.end()) {
    out.latency_seconds = Between(out.injected, it->second);
  }
  return out;
}

LockPollingParams LockPollingParams::Random(std::uint64_t seed) {
  auto rng = Rng(seed);
  LockPollingParams p;
  p.background_rate = Uniform(rng, 200, 500);
  p.poll_rate = Uniform(rng, 1500, 3000);
  p.lock_rate = Uniform(rng, 20, 80);
  p.duration = Seconds(Uniform(rng, 12, 18));
  p.seed = seed;
  return p;
}

Outcome RunLockPolling(const LockPollingParams& p) {
  Outcome out;
  out.scenario = "lock_polling";
  ScenarioHarness h;
  if (!Ready(h, out)) {
    return out;
  }
  sim::RedisLink admin(h.endpoint());
  const std::vector<std::string> keys = sim::KeyRange("user:", 0, 200);
  if (const sim::ActionResult r = sim::SetKeys(admin, keys, std::chrono::seconds(0)); !r.ok) {
    out.error = r.error;
    return out;
  }
  auto app = MakeApp(h, sim::Protection::kLock, milliseconds(50), std::chrono::seconds(300), p.seed,
                     out.error);
  if (!app) {
    return out;
  }
  const std::vector<std::string> locked = sim::KeyRange("user:", 0, p.lock_keys);
  sim::Workload background(Reads(keys, sim::Distribution::kZipf, p.background_rate, 8, p.seed),
                           *app->client);
  sim::Workload::Options lockers =
      Reads(locked, sim::Distribution::kUniform, p.lock_rate, 2, p.seed + 1);
  lockers.operation = sim::Operation::kLockCycle;
  sim::Workload::Options pollers =
      Reads(locked, sim::Distribution::kUniform, p.poll_rate, 8, p.seed + 2);
  pollers.operation = sim::Operation::kPollLock;
  sim::Workload locking(lockers, *app->client);
  sim::Workload polling(pollers, *app->client);
  Monitor monitor(h);
  background.Start();
  out.injected = std::chrono::system_clock::now();
  locking.Start();
  polling.Start();
  Pause(p.duration);
  polling.Stop();
  locking.Stop();
  background.Stop();
  Pause(Seconds(2));  // two more ticks judge the last seconds of polling
  Finish(out, h, monitor, app.get());
  out.driver += "; EXISTS polls=" + std::to_string(polling.operations()) +
                " lock cycles=" + std::to_string(locking.operations());
  out.driver_counts["polls"] = static_cast<double>(polling.operations());
  out.driver_counts["lock_cycles"] = static_cast<double>(locking.operations());
  return out;
}

SurgeParams SurgeParams::Random(std::uint64_t seed) {
  auto rng = Rng(seed);
  SurgeParams p;
  p.base_rate = Uniform(rng, 200, 350);
  p.cold_fraction = Uniform(rng, 0.03, 0.07);
  p.origin_latency = milliseconds(static_cast<int>(Uniform(rng, 10, 50)));
  p.before = Seconds(Uniform(rng, 6, 10));
  p.surge = Seconds(Uniform(rng, 6, 10));
  p.seed = seed;
  return p;
}

Outcome RunSurge(const SurgeParams& p) {
  Outcome out;
  out.scenario = "surge";
  ScenarioHarness h;
  if (!Ready(h, out)) {
    return out;
  }
  sim::RedisLink admin(h.endpoint());
  const std::vector<std::string> keys = sim::KeyRange("user:", 0, 200);
  if (const sim::ActionResult r = sim::SetKeys(admin, keys, std::chrono::seconds(0)); !r.ok) {
    out.error = r.error;
    return out;
  }
  // The cache has been running: what the app loaded during the last TTL is still there, its
  // remaining TTLs spread evenly over the TTL (the steady state of a fixed-TTL writer). A
  // cache filled in the last seconds would be a real expiry cliff ahead, not a surge.
  if (p.cold_ttl.count() > 0) {
    const auto resident = static_cast<std::size_t>(p.cold_fraction * p.base_rate *
                                                   static_cast<double>(p.cold_ttl.count()));
    const std::vector<std::string> loaded = sim::KeyRange("user:cold:resident:", 0, resident);
    if (const sim::ActionResult r = sim::SetKeys(admin, loaded, p.cold_ttl / 2, 1.0, p.seed);
        !r.ok) {
      out.error = r.error;
      return out;
    }
  }
  auto app = MakeApp(h, sim::Protection::kNone, p.origin_latency, p.cold_ttl, p.seed, out.error,
                     p.cold_ttl_jitter);
  if (!app) {
    return out;
  }
  sim::Workload::Options o = Reads(keys, sim::Distribution::kZipf, p.base_rate, p.workers, p.seed);
  o.cold_fraction = p.cold_fraction;
  o.cold_prefix = "user:cold:" + std::to_string(p.seed) + ":";
  sim::Workload traffic(o, *app->client);
  Monitor monitor(h);
  traffic.Start();
  Pause(p.before);
  out.injected = std::chrono::system_clock::now();
  traffic.SetRate(p.base_rate * p.factor);
  Pause(p.surge);
  const std::uint64_t during = traffic.operations();
  traffic.SetRate(p.base_rate);
  Pause(p.after);
  traffic.Stop();
  Finish(out, h, monitor, app.get());
  out.driver += "; operations by the end of the surge=" + std::to_string(during) +
                " total=" + std::to_string(traffic.operations());
  return out;
}

RestartParams RestartParams::Random(std::uint64_t seed) {
  auto rng = Rng(seed);
  RestartParams p;
  p.rate = Uniform(rng, 200, 500);
  p.warm = Seconds(Uniform(rng, 4, 7));
  p.downtime = Seconds(Uniform(rng, 0, 1.5));
  p.seed = seed;
  return p;
}

Outcome RunRestart(const RestartParams& p) {
  Outcome out;
  out.scenario = "restart";
  // AOF, fsync on every write: the keys survive the kill, as on a production cache that
  // persists; what the sidecar must not mistake for a stampede is the restart itself.
  ScenarioHarness h({{"--appendonly", "yes", "--appendfsync", "always"}});
  if (!Ready(h, out)) {
    return out;
  }
  sim::RedisLink admin(h.endpoint());
  const std::vector<std::string> keys = sim::KeyRange("user:", 0, 200);
  if (const sim::ActionResult r = sim::SetKeys(admin, keys, std::chrono::seconds(0)); !r.ok) {
    out.error = r.error;
    return out;
  }
  auto app = MakeApp(h, sim::Protection::kNone, milliseconds(20), std::chrono::seconds(300), p.seed,
                     out.error);
  if (!app) {
    return out;
  }
  sim::Workload::Options o = Reads(keys, sim::Distribution::kZipf, p.rate, 8, p.seed);
  o.cold_fraction = 0.05;
  o.cold_prefix = "user:cold:";
  sim::Workload traffic(o, *app->client);
  Monitor monitor(h);
  traffic.Start();
  Pause(p.warm);
  out.injected = std::chrono::system_clock::now();
  h.redis().Kill();
  Pause(p.downtime);
  if (!h.redis().Start()) {
    out.error = "redis-server did not come back after the kill";
    return out;
  }
  WaitFor([&] { return monitor.ClearedAfter("all/blind", out.injected).has_value(); }, p.give_up);
  traffic.Stop();
  const std::optional<WallTime> blind = monitor.RaisedSince("all/blind", out.injected);
  const std::optional<WallTime> cleared = monitor.ClearedAfter("all/blind", out.injected);
  Finish(out, h, monitor, app.get());
  if (blind) {
    out.latency_seconds = Between(out.injected, *blind);
  }
  if (cleared) {
    out.cleared_seconds = Between(out.injected, *cleared);
  }
  out.driver_counts["failures"] = static_cast<double>(traffic.failures());
  out.driver +=
      "; workload failures (requests during the restart)=" + std::to_string(traffic.failures());
  return out;
}

ExpiryParams ExpiryParams::Random(std::uint64_t seed) {
  auto rng = Rng(seed);
  ExpiryParams p;
  p.ttl = std::chrono::seconds(static_cast<int>(Uniform(rng, 14, 19)));
  p.read_rate = Uniform(rng, 300, 600);
  p.origin_latency = milliseconds(static_cast<int>(Uniform(rng, 10, 50)));
  p.pre_delay = Seconds(Uniform(rng, 0, 1));
  p.seed = seed;
  return p;
}

Outcome RunExpiry(const ExpiryParams& p) {
  Outcome out;
  out.scenario = "expiry";
  out.positive = true;
  ScenarioHarness h;
  if (!Ready(h, out)) {
    return out;
  }
  auto app = MakeApp(h, sim::Protection::kNone, p.origin_latency, std::chrono::seconds(300), p.seed,
                     out.error);
  if (!app) {
    return out;
  }
  sim::RedisLink admin(h.endpoint());
  const std::vector<std::string> keys = sim::KeyRange("user:", 0, p.keys);
  sim::Workload readers(Reads(keys, sim::Distribution::kUniform, p.read_rate, 8, p.seed),
                        *app->client);
  Monitor monitor(h);
  Pause(p.pre_delay);
  const WallTime written = std::chrono::system_clock::now();
  if (const sim::ActionResult r = sim::SetKeys(admin, keys, p.ttl); !r.ok) {
    out.error = r.error;
    return out;
  }
  // The earliest moment any key can expire: every SET came after `written`.
  out.injected = written + p.ttl;
  readers.Start();
  const auto cliff_in = out.injected - std::chrono::system_clock::now();
  Pause(std::chrono::duration_cast<Seconds>(cliff_in) + p.after);
  readers.Stop();
  const std::optional<WallTime> predicted =
      monitor.RaisedSince("user_profile/expiry_cliff_predicted", written);
  const std::optional<WallTime> reactive =
      monitor.RaisedSince("user_profile/synchronized_expiry", written);
  Finish(out, h, monitor, app.get());
  if (predicted) {
    out.lead_seconds = Between(*predicted, out.injected);
  }
  if (reactive) {
    out.latency_seconds = Between(out.injected, *reactive);
  }
  return out;
}

}  // namespace stampede::scenarios
