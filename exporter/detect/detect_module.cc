#include "detect/detect_module.h"

#include <utility>

#include "detect/detect_collector.h"
#include "detect/incidents_api.h"

namespace stampede::detect {

namespace {

Engine::Options EngineOptions(const config::Config& config, const config::FileConfig& file) {
  Engine::Options options;
  options.global = file.detectors;
  options.show_keys = config.detect.show_keys;
  options.max_incidents = config.detect.max_incidents;
  const auto add = [&](const classify::KeyClass& c) {
    options.classes[c.name] = ClassSettings{c.overrides, c.expected_hit_ratio};
  };
  add(file.classes.default_class);
  for (const classify::KeyClass& c : file.classes.classes) {
    add(c);
  }
  return options;
}

}  // namespace

Status CheckOverrides(const config::FileConfig& file) {
  return Engine::Check(EngineOptions(config::Config{}, file));
}

Result<std::unique_ptr<DetectModule>> DetectModule::Create(
    const config::Config& config, const config::FileConfig& file,
    const events::EventsModule* events, const ingest::IngestModule* ingest,
    const redis::Connection::Options* connection, Logger& log, const Clock& clock,
    const WallClock& wall) {
  Engine::Options options = EngineOptions(config, file);
  if (Status s = Engine::Check(options); !s.ok()) {
    return Status::Error("config file: " + s.message());
  }
  Engine::ExpectedFn expected;
  if (ingest != nullptr) {
    expected = [markers = ingest->markers()](std::string_view c) { return markers->Covers(c); };
  }
  std::unique_ptr<DetectModule> module(new DetectModule(
      std::make_unique<Engine>(std::move(options), std::move(expected), wall, log), clock));
  if (connection != nullptr && events != nullptr && config.detect.ttl_sample_interval.count() > 0) {
    redis::TtlSampler::Options ttl;
    ttl.connection = *connection;
    ttl.interval = config.detect.ttl_sample_interval;
    ttl.keys = config.detect.ttl_sample_keys;
    module->ttl_ = std::make_unique<redis::TtlSampler>(ttl, events->classifier(), clock, log);
  }
  LiveSource::Sources sources;
  sources.events = events;
  sources.app = ingest != nullptr ? ingest->store() : nullptr;
  sources.info = connection != nullptr ? &module->info_ : nullptr;
  sources.ttl = module->ttl_.get();
  sources.db = config.events.dbs.empty() ? 0 : config.events.dbs.front();
  module->source_ = std::make_unique<LiveSource>(std::move(sources));
  return module;
}

DetectModule::DetectModule(std::unique_ptr<Engine> engine, const Clock& clock)
    : clock_(clock), engine_(std::move(engine)) {}

DetectModule::~DetectModule() { Stop(); }

void DetectModule::Start() {
  if (thread_.joinable()) {
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = false;
  }
  if (ttl_) {
    ttl_->Start();
  }
  thread_ = std::thread([this] { Run(); });
}

void DetectModule::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
  if (ttl_) {
    ttl_->Stop();
  }
}

void DetectModule::Run() {
  // Real time paces the ticks; the injected clock stamps them.
  auto next = std::chrono::steady_clock::now();
  for (;;) {
    next += std::chrono::seconds(1);
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (cv_.wait_until(lock, next, [this] { return stop_; })) {
        return;
      }
    }
    engine_->Tick(source_->Gather(clock_.Now()));
    const auto late = std::chrono::steady_clock::now() - next;
    if (late > std::chrono::seconds(2)) {
      next = std::chrono::steady_clock::now();  // after a stall, do not tick in a burst
    }
  }
}

std::vector<std::shared_ptr<const collectors::Collector>> DetectModule::collectors() const {
  return {std::make_shared<DetectCollector>(*engine_, source_.get(), ttl_.get())};
}

std::vector<http::Route> DetectModule::routes() const { return IncidentRoutes(*engine_); }

}  // namespace stampede::detect
