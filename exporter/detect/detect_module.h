// The detection side ([detect]): the tick thread, its engine and source, the TTL sampler.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "collectors/collector.h"
#include "common/clock.h"
#include "common/log.h"
#include "common/status.h"
#include "common/wall_clock.h"
#include "config/config_file.h"
#include "config/flags.h"
#include "detect/engine.h"
#include "detect/info_feed.h"
#include "detect/live_source.h"
#include "events/events_module.h"
#include "http/listener.h"
#include "ingest/ingest_module.h"
#include "redis/ttl_sampler.h"

namespace stampede::detect {

/// Checks the file's `detectors:` and per-class overrides against the detectors' options: the
/// error names the class and the unknown option. Pure.
Status CheckOverrides(const config::FileConfig& file);

/// Owns the engine and ticks it once a second on its own thread. Construct with Create()
/// (which checks the detector options), then Start(); Stop() or the destructor ends the
/// thread. collectors(), routes() and info_sink() are valid from construction on and safe
/// from any thread.
class DetectModule {
 public:
  /// `events` and `ingest` must outlive the module; either may be null (that side is off).
  /// `connection` is the --redis.addr connection for the TTL sampler (standalone mode only).
  static Result<std::unique_ptr<DetectModule>> Create(
      const config::Config& config, const config::FileConfig& file,
      const events::EventsModule* events, const ingest::IngestModule* ingest,
      const redis::Connection::Options* connection, Logger& log,
      const Clock& clock = SteadyClock::Instance(),
      const WallClock& wall = SystemWallClock::Instance());
  ~DetectModule();
  DetectModule(const DetectModule&) = delete;
  DetectModule& operator=(const DetectModule&) = delete;

  void Start();
  void Stop();

  std::vector<std::shared_ptr<const collectors::Collector>> collectors() const;
  /// GET /api/v1/incidents, /api/v1/incidents/<id>, /api/v1/status.
  std::vector<http::Route> routes() const;
  /// Receives INFO samples (standalone mode).
  redis::InfoSink* info_sink() { return &info_; }
  const Engine& engine() const { return *engine_; }

 private:
  DetectModule(std::unique_ptr<Engine> engine, const Clock& clock);
  void Run();

  const Clock& clock_;
  std::unique_ptr<Engine> engine_;
  InfoFeed info_;
  std::unique_ptr<redis::TtlSampler> ttl_;
  std::unique_ptr<LiveSource> source_;

  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // guarded by mu_
};

}  // namespace stampede::detect
