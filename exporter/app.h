// Wiring only: builds the collectors, the sampler and the HTTP server from a Config.
#pragma once

#include <memory>
#include <string>

#include "cluster/cluster_module.h"
#include "collectors/collector_set.h"
#include "collectors/info_collector.h"
#include "common/log.h"
#include "common/status.h"
#include "config/config_file.h"
#include "config/flags.h"
#include "detect/detect_module.h"
#include "events/events_module.h"
#include "http/server.h"
#include "ingest/ingest_module.h"
#include "redis/info_sampler.h"
#include "web/web_config.h"

namespace stampede {

/// The running exporter. Start() returns once the HTTP server listens; the sampler runs on
/// its own thread. Stop() (or the destructor) stops both. In cluster mode (--redis.cluster)
/// a ClusterModule runs a sampler per master instead. Not thread-safe itself.
class App {
 public:
  /// `password` comes from config::ResolvePassword and is never logged; `file` from
  /// config::LoadConfigFile; `web` from web::LoadWebConfigFile (TLS, basic auth).
  App(config::Config config, config::FileConfig file, std::string password, Logger& log,
      web::WebConfig web = {});
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  Status Start();
  void Stop();

  int port() const { return server_ ? server_->port() : 0; }
  bool ready() const;

 private:
  /// --redis.cluster resolved: auto asks the target (INFO cluster); unreachable → standalone.
  bool UseClusterMode() const;
  /// --redis.addr with the credentials and timeouts.
  redis::Connection::Options ConnectionOptions() const;
  bool redis_up() const;

  const config::Config config_;
  const config::FileConfig file_;
  const std::string password_;
  Logger& log_;
  const web::WebConfig web_;
  std::shared_ptr<collectors::InfoCollector> info_;
  std::unique_ptr<events::EventsModule> events_;
  std::unique_ptr<ingest::IngestModule> ingest_;
  std::unique_ptr<detect::DetectModule> detect_;  // null with --detect.enabled=false
  std::shared_ptr<collectors::CollectorSet> collectors_;
  std::unique_ptr<redis::InfoSampler> sampler_;          // standalone mode
  std::unique_ptr<cluster::ClusterModule> cluster_;      // cluster mode
  std::shared_ptr<http::RequestCounter> http_requests_;  // shared with the ingest listener
  std::unique_ptr<http::Server> server_;
};

}  // namespace stampede
