#include "runner.h"

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

#include "actions.h"
#include "origin.h"
#include "workload.h"

namespace stampede::sim {

namespace {

using Clock = std::chrono::steady_clock;

Millis Scaled(Millis d, double scale) {
  return Millis(std::llround(static_cast<double>(d.count()) * scale));
}

// A TTL in whole seconds for Redis: 0 stays 0 (no expiry), anything else at least 1 s.
std::chrono::seconds TtlSeconds(Millis d, double scale) {
  if (d.count() <= 0) {
    return std::chrono::seconds(0);
  }
  return std::chrono::seconds(std::max<long long>(1, std::llround(Scaled(d, scale).count() / 1e3)));
}

// One step of the timeline: an event's start, or the end of something an event started.
struct Step {
  Millis at{0};
  int line = 0;
  std::string label;
  std::function<ActionResult()> run;
};

class Play {
 public:
  Play(const Scenario& s, const RunOptions& o) : s_(s), o_(o), admin_(o.redis) {}
  ~Play() { Teardown(); }

  RunResult Go(const std::function<void(const SecondRow&)>& on_second);

 private:
  bool Setup(std::string& error);
  std::vector<Step> Timeline();
  Step StepFor(const Event& e);
  void Actions();
  void Enqueue(Step step);
  SecondRow Collect(int second);
  void Account(const SecondRow& row);
  void Judge(WallTime started);
  void Teardown();

  Workload::Options Reads(std::vector<std::string> keys, double rate, std::size_t workers,
                          std::uint64_t seed) const;

  const Scenario& s_;
  const RunOptions& o_;
  Protection protection_ = Protection::kNone;
  RedisLink admin_;  // the action thread's connection
  std::unique_ptr<StatsdReporter> reporter_;
  std::unique_ptr<Origin> origin_;
  std::unique_ptr<CacheClient> client_;
  std::unique_ptr<Workload> steady_;
  std::vector<std::unique_ptr<Workload>> spikes_;  // the action thread's
  std::optional<MemoryConfig> memory_before_;      // restored at the end
  std::optional<ExporterProbe> probe_;
  RunSummary summary_;
  CacheClient::Stats last_{};

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Step> queue_;          // guarded by mu_
  bool stop_ = false;               // guarded by mu_
  std::vector<std::string> notes_;  // guarded by mu_: what ran since the last row
  std::thread actions_;
};

Workload::Options Play::Reads(std::vector<std::string> keys, double rate, std::size_t workers,
                              std::uint64_t seed) const {
  Workload::Options w;
  w.keys = std::move(keys);
  w.distribution = s_.reads.zipf ? Distribution::kZipf : Distribution::kUniform;
  w.zipf_s = s_.reads.zipf_s;
  w.rate = rate;
  w.workers = workers;
  w.seed = seed;
  return w;
}

bool Play::Setup(std::string& error) {
  if (o_.strategy) {
    protection_ = *o_.strategy;
  } else if (const auto p = ParseProtection(s_.strategy)) {
    protection_ = *p;
  } else {
    error = "unknown strategy " + s_.strategy;
    return false;
  }
  if (const RedisReply pong = admin_.Command({"PING"}); pong.failed()) {
    error = "Redis at " + o_.redis.host + ":" + std::to_string(o_.redis.port) +
            " does not answer: " + pong.str;
    return false;
  }
  if (o_.statsd) {
    reporter_ = StatsdReporter::Open(*o_.statsd, &error);
    if (!reporter_) {
      return false;
    }
  }
  Origin::Options origin;
  origin.latency = s_.origin.latency;
  origin.jitter = s_.origin.jitter;
  origin.max_concurrency = s_.origin.concurrency;
  origin.queue_timeout = s_.origin.queue_timeout;
  origin.seed = o_.seed;
  origin_ = std::make_unique<Origin>(origin);
  CacheClient::Options client;
  client.redis = o_.redis;
  client.class_name = s_.class_name;
  client.report_keys = o_.report_keys;
  client.protection = protection_;
  client.ttl =
      s_.ttl.ttl.count() > 0 ? std::max(Millis(1), Scaled(s_.ttl.ttl, o_.time_scale)) : Millis(0);
  client.ttl_jitter = s_.ttl.jitter;
  client_ = std::make_unique<CacheClient>(client, *origin_, reporter_.get());

  std::vector<std::string> keys = KeyRange(s_.keys.prefix, 0, s_.keys.count);
  std::erase_if(keys, [this](const std::string& k) {
    return std::find(s_.reads.exclude.begin(), s_.reads.exclude.end(), k) != s_.reads.exclude.end();
  });
  Workload::Options steady = Reads(std::move(keys), s_.reads.rate, s_.reads.workers, o_.seed);
  steady.cold_fraction = s_.reads.cold_fraction;
  steady.cold_prefix = s_.keys.prefix + "cold:";
  steady_ = std::make_unique<Workload>(std::move(steady), *client_);

  if (o_.exporter) {
    probe_.emplace(*o_.exporter);
    std::string why;
    if (!probe_->WaitReady(o_.ready_timeout, why)) {
      error = "the exporter at " + o_.exporter->host + ":" + std::to_string(o_.exporter->port) +
              " is not ready: " + why;
      return false;
    }
  }
  actions_ = std::thread([this] { Actions(); });
  return true;
}

Step Play::StepFor(const Event& e) {
  const double scale = o_.time_scale;
  Step step{Scaled(e.at, scale), e.line, "", nullptr};
  switch (e.kind) {
    case EventKind::kWarm: {
      step.label = "warm " + std::to_string(s_.keys.count) + " keys";
      step.run = [this, &e, scale] {
        return SetKeys(admin_, KeyRange(s_.keys.prefix, 0, s_.keys.count), TtlSeconds(e.ttl, scale),
                       e.jitter, o_.seed);
      };
      break;
    }
    case EventKind::kDel:
      step.label = "DEL " + e.key;
      step.run = [this, &e] { return DelKey(admin_, e.key); };
      break;
    case EventKind::kDelAll:
      step.label = "DEL of all " + std::to_string(s_.keys.count) + " keys";
      step.run = [this] { return DelKeys(admin_, KeyRange(s_.keys.prefix, 0, s_.keys.count)); };
      break;
    case EventKind::kFlush:
      step.label = "FLUSHDB";
      step.run = [this] { return FlushDb(admin_); };
      break;
    case EventKind::kSpike:
      step.label = "spike on " + e.key + ": " + std::to_string(std::llround(e.rate)) + "/s from " +
                   std::to_string(e.workers) + " readers";
      step.run = [this, &e] {
        auto spike = std::make_unique<Workload>(
            Reads({e.key}, e.rate, e.workers, o_.seed + spikes_.size() + 1), *client_);
        spike->Start();
        spikes_.push_back(std::move(spike));
        return ActionResult{true, 1, ""};
      };
      break;
    case EventKind::kRate:
      step.label = "read rate " + std::to_string(std::llround(e.rate)) + "/s";
      step.run = [this, &e] {
        steady_->SetRate(e.rate);
        return ActionResult{true, 1, ""};
      };
      break;
    case EventKind::kMaxmemory:
      step.label =
          "maxmemory " + std::to_string(e.bytes) + (e.name.empty() ? "" : " policy " + e.name);
      step.run = [this, &e] {
        if (!memory_before_) {
          std::string error;
          memory_before_ = GetMemoryConfig(admin_, error);
          if (!memory_before_) {
            return ActionResult{false, 0, error};
          }
        }
        return SetMemoryConfig(admin_, std::to_string(e.bytes), e.name);
      };
      break;
    case EventKind::kFill:
      step.label = "fill " + std::to_string(e.count) + " keys of " + std::to_string(e.bytes) + " B";
      step.run = [this, &e, scale] {
        return FillKeys(admin_, "filler:", e.count, e.bytes, TtlSeconds(e.ttl, scale));
      };
      break;
    case EventKind::kRestart:
      step.label = "restart Redis";
      step.run = [this] {
        return RestartRedis(admin_, o_.restart_command, std::chrono::seconds(30));
      };
      break;
    case EventKind::kMarker:
      step.label = "marker " + e.name;
      step.run = [this, &e, scale] {
        if (!o_.ingest) {
          return ActionResult{false, 0, "marker skipped: no --ingest.url"};
        }
        const Millis remaining = s_.duration - e.at;
        const Millis lasts = Scaled(e.duration.count() > 0 ? e.duration : remaining, scale);
        std::string error;
        const bool ok =
            PostMarker(*o_.ingest, e.name, s_.class_name, lasts, o_.ingest_token, error);
        return ActionResult{ok, ok ? 1 : 0, error};
      };
      break;
  }
  return step;
}

std::vector<Step> Play::Timeline() {
  std::vector<Step> steps;
  const double scale = o_.time_scale;
  std::size_t spikes = 0;  // events are in time order: the n-th spike is the n-th started
  for (const Event& e : s_.events) {
    steps.push_back(StepFor(e));
    if (e.kind == EventKind::kSpike) {
      const std::size_t index = spikes++;
      steps.push_back(
          {Scaled(e.at + e.duration, scale), e.line, "spike on " + e.key + " ends", [this, index] {
             if (index < spikes_.size()) {
               spikes_[index]->Stop();
             }
             return ActionResult{true, 1, ""};
           }});
    } else if (e.kind == EventKind::kRate && e.duration.count() > 0) {
      steps.push_back({Scaled(e.at + e.duration, scale), e.line,
                       "read rate back to " + std::to_string(std::llround(s_.reads.rate)) + "/s",
                       [this] {
                         steady_->SetRate(s_.reads.rate);
                         return ActionResult{true, 1, ""};
                       }});
    }
  }
  std::stable_sort(steps.begin(), steps.end(),
                   [](const Step& a, const Step& b) { return a.at < b.at; });
  return steps;
}

void Play::Enqueue(Step step) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(std::move(step));
  }
  cv_.notify_all();
}

// The script's actions run here, in order, so that a slow one (a restart, a big fill) delays
// the ones after it but never the per-second rows.
void Play::Actions() {
  for (;;) {
    Step step;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) {
        return;
      }
      step = std::move(queue_.front());
      queue_.pop_front();
    }
    const ActionResult r = step.run();
    std::lock_guard<std::mutex> lock(mu_);
    if (r.ok) {
      notes_.push_back(step.label);
    } else {
      notes_.push_back(step.label + " FAILED: " + r.error);
      summary_.event_errors.push_back("line " + std::to_string(step.line) + ": " + step.label +
                                      ": " + r.error);
    }
    cv_.notify_all();
  }
}

SecondRow Play::Collect(int second) {
  SecondRow row;
  row.second = second;
  const CacheClient::Stats now = client_->stats();
  row.hits = now.hits - last_.hits;
  row.misses = now.misses - last_.misses;
  row.lookups = row.hits + row.misses;
  row.loads = now.loads - last_.loads;
  row.errors = now.errors - last_.errors;
  row.stale = now.stale_served - last_.stale_served;
  row.coalesced = now.coalesced - last_.coalesced;
  row.lock_waits = now.lock_waits - last_.lock_waits;
  last_ = now;
  if (row.lookups > 0) {
    row.hit_ratio = static_cast<double>(row.hits) / static_cast<double>(row.lookups);
  }
  const Origin::Window w = origin_->TakeWindow();
  row.load_p50_ms = static_cast<double>(w.p50.count()) / 1e3;
  row.load_p99_ms = static_cast<double>(w.p99.count()) / 1e3;
  row.loads_in_flight = w.in_flight;
  if (probe_) {
    std::string error;
    const auto verdicts = probe_->Verdicts(error);
    const auto it = verdicts.find(s_.class_name);
    row.verdict = it == verdicts.end() ? (error.empty() ? "none" : "?") : it->second;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    row.notes = std::exchange(notes_, {});
  }
  return row;
}

void Play::Account(const SecondRow& row) {
  RunSummary& s = summary_;
  if (row.hit_ratio && row.lookups >= RunSummary::kMinLookups &&
      (!s.lowest_hit_ratio || *row.hit_ratio < *s.lowest_hit_ratio)) {
    s.lowest_hit_ratio = row.hit_ratio;
    s.lowest_hit_ratio_second = row.second;
  }
  if (row.loads > s.peak_loads_per_second) {
    s.peak_loads_per_second = row.loads;
    s.peak_loads_second = row.second;
  }
  s.peak_load_p99_ms = std::max(s.peak_load_p99_ms, row.load_p99_ms);
}

void Play::Judge(WallTime started) {
  RunSummary& s = summary_;
  s.exporter_checked = true;
  s.incidents = probe_->IncidentsSince(started, s.exporter_error);
  const IncidentView* best = nullptr;
  for (const IncidentView& i : s.incidents) {
    if (i.class_name == s_.class_name && (!best || LevelRank(i.level) > LevelRank(best->level))) {
      best = &i;
    }
  }
  if (best == nullptr) {
    return;
  }
  s.verdict = best->level;
  s.incident_id = best->id;
  s.cause = best->cause;
  s.cause_key = best->cause_key.empty() ? best->cause_key_hash : best->cause_key;
  s.exporter_lowest_hit_ratio = best->lowest_hit_ratio;
  s.exporter_herd_size = best->herd_size;
  s.exporter_peak_origin_loads = best->origin_loads_per_second;
  const std::optional<WallTime> at = best->level == "stampede" ? best->stampede_at : best->detected;
  if (s_.onset && at) {
    const WallTime onset = started + Scaled(*s_.onset, o_.time_scale);
    s.detection_latency_seconds = std::chrono::duration<double>(*at - onset).count();
  }
}

void Play::Teardown() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    queue_.clear();
  }
  cv_.notify_all();
  if (actions_.joinable()) {
    actions_.join();
  }
  for (auto& spike : spikes_) {
    spike->Stop();
  }
  if (steady_) {
    steady_->Stop();
  }
  if (memory_before_) {
    SetMemoryConfig(admin_, memory_before_->maxmemory, memory_before_->policy);
    memory_before_.reset();
  }
  if (reporter_) {
    reporter_->Flush();
  }
}

RunResult Play::Go(const std::function<void(const SecondRow&)>& on_second) {
  RunResult result;
  if (!Setup(result.error)) {
    return result;
  }
  summary_.scenario = s_.name;
  summary_.strategy = std::string(ProtectionName(protection_));
  summary_.time_scale = o_.time_scale;
  std::vector<Step> steps = Timeline();
  const Millis length = Scaled(s_.duration, o_.time_scale);
  const WallTime started_wall = std::chrono::system_clock::now();
  const Clock::time_point started = Clock::now();
  steady_->Start();
  std::size_t next = 0;
  int second = 0;
  for (;;) {
    const Millis elapsed = std::chrono::duration_cast<Millis>(Clock::now() - started);
    const Millis row_due{(second + 1) * 1000LL};
    // Second N is [N-1 s, N s): its row is taken before the steps due at N s start, so that
    // an event `at 2s` is always in the row of second 3, whoever wins the race.
    if (elapsed >= row_due) {
      const SecondRow row = Collect(++second);
      Account(row);
      if (on_second) {
        on_second(row);
      }
      if (Millis(second * 1000LL) >= length) {
        break;
      }
      if (o_.cancel != nullptr && o_.cancel->load()) {
        summary_.cancelled = true;
        break;
      }
      continue;
    }
    while (next < steps.size() && steps[next].at <= elapsed) {
      Enqueue(std::move(steps[next++]));
    }
    Millis wake = row_due;
    if (next < steps.size()) {
      wake = std::min(wake, steps[next].at);
    }
    // The script's clock: sleep until the next step or row is due.
    std::this_thread::sleep_until(started + wake);
  }
  summary_.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  Teardown();
  const CacheClient::Stats c = client_->stats();
  RunSummary& s = summary_;
  s.hits = c.hits;
  s.misses = c.misses;
  s.lookups = c.hits + c.misses;
  s.loads = c.loads;
  s.errors = c.errors;
  s.stale = c.stale_served;
  s.coalesced = c.coalesced;
  s.lock_waits = c.lock_waits;
  s.refreshes = c.refreshes;
  if (s.lookups > 0) {
    s.hit_ratio = static_cast<double>(s.hits) / static_cast<double>(s.lookups);
  }
  s.max_loads_of_one_key = origin_->stats().max_loads_of_one_key;
  if (s_.onset) {
    const WallTime onset = started_wall + Scaled(*s_.onset, o_.time_scale);
    s.onset_unix_seconds = std::chrono::duration<double>(onset.time_since_epoch()).count();
  }
  if (probe_) {
    // The exporter judges once a second: give it the last seconds of the run.
    std::this_thread::sleep_for(o_.settle);
    Judge(started_wall);
  }
  result.ok = true;
  result.summary = std::move(summary_);
  return result;
}

}  // namespace

RunResult RunScenario(const Scenario& scenario, const RunOptions& options,
                      const std::function<void(const SecondRow&)>& on_second) {
  Play play(scenario, options);
  return play.Go(on_second);
}

}  // namespace stampede::sim
