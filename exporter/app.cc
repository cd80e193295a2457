#include "app.h"

#include <random>
#include <utility>

#include "collectors/self_collector.h"
#include "common/duration.h"
#include "version.h"

namespace stampede {

namespace {

// One key-hash seed for the Redis side and the app side, so their hashes of a key agree.
config::Config WithKeySeed(config::Config config) {
  if (!config.detect.key_hash_seed) {
    std::random_device rd;
    config.detect.key_hash_seed = (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
  }
  return config;
}

}  // namespace

App::App(config::Config config, config::FileConfig file, std::string password, Logger& log,
         web::WebConfig web)
    : config_(WithKeySeed(std::move(config))),
      file_(std::move(file)),
      password_(std::move(password)),
      log_(log),
      web_(std::move(web)) {}

App::~App() { Stop(); }

redis::Connection::Options App::ConnectionOptions() const {
  redis::Connection::Options options;
  options.address = config_.redis_addr;
  options.user = config_.redis_user;
  options.password = password_;
  options.connect_timeout = config_.redis_connect_timeout;
  options.command_timeout = config_.redis_connect_timeout;
  return options;
}

bool App::UseClusterMode() const {
  switch (config_.events.cluster) {
    case config::ClusterMode::kOn:
      return true;
    case config::ClusterMode::kOff:
      return false;
    case config::ClusterMode::kAuto:
      break;
  }
  const Result<bool> enabled = cluster::ClusterEnabled(ConnectionOptions());
  if (!enabled.ok()) {
    log_.Debug("cannot ask whether the target runs Redis Cluster; assuming it does not",
               {{"err", enabled.status().message()}});
    return false;
  }
  return *enabled;
}

bool App::ready() const { return sampler_ ? sampler_->ready() : cluster_ && cluster_->ready(); }

bool App::redis_up() const {
  return sampler_ ? sampler_->connected() : cluster_ && cluster_->connected();
}

Status App::Start() {
  info_ = std::make_shared<collectors::InfoCollector>();
  // The exporter's own instrumentation (prometheus-cpp families registered once).
  auto self_metrics = std::make_shared<prometheus::Registry>();
  http_requests_ = std::make_shared<http::RequestCounter>(*self_metrics);
  const bool cluster = UseClusterMode();
  events_ = std::make_unique<events::EventsModule>(
      config_, file_, password_, log_,
      cluster ? events::EventsModule::Mode::kCluster : events::EventsModule::Mode::kStandalone);
  ingest_ = std::make_unique<ingest::IngestModule>(config_, file_, http_requests_, log_);
  const redis::Connection::Options connection = ConnectionOptions();
  if (config_.detect.enabled) {
    auto detect = detect::DetectModule::Create(config_, file_, events_.get(), ingest_.get(),
                                               cluster ? nullptr : &connection, log_);
    if (!detect.ok()) {
      return detect.status();
    }
    detect_ = std::move(detect).value();
  }
  // The explicit list of collectors, in exposition order.
  std::vector<std::shared_ptr<const collectors::Collector>> list = {
      std::make_shared<collectors::SelfCollector>()};
  if (cluster) {
    cluster::ClusterModule::Options options;
    options.seed = connection;
    options.info_interval = config_.info_interval;
    options.refresh_interval = config_.events.cluster_refresh;
    cluster_ = std::make_unique<cluster::ClusterModule>(options, *events_, log_);
    for (auto& c : cluster_->collectors()) {
      list.push_back(std::move(c));
    }
  } else {
    list.push_back(info_);
  }
  for (auto& c : events_->collectors()) {
    list.push_back(std::move(c));
  }
  for (auto& c : ingest_->collectors()) {
    list.push_back(std::move(c));
  }
  if (detect_) {
    for (auto& c : detect_->collectors()) {
      list.push_back(std::move(c));
    }
  }
  collectors_ = std::make_shared<collectors::CollectorSet>(std::move(list));
  std::vector<redis::InfoSink*> info_sinks = {info_.get()};
  if (redis::InfoSink* sink = events_->info_sink()) {
    info_sinks.push_back(sink);
  }
  if (detect_) {
    info_sinks.push_back(detect_->info_sink());
  }

  if (!cluster) {
    redis::InfoSampler::Options sampler_options;
    sampler_options.connection = connection;
    sampler_options.interval = config_.info_interval;
    sampler_ = std::make_unique<redis::InfoSampler>(sampler_options, std::move(info_sinks), log_);
  }

  http::Server::Options web;
  web.listen_address = config_.web_listen_address;
  web.telemetry_path = config_.web_telemetry_path;
  web.max_header_bytes = config_.web_max_header_bytes;
  web.read_timeout_ms = static_cast<int>(config_.web_read_timeout.count());
  web.web = web_;
  if (!web_.basic_auth_users.empty()) {
    web.auth_failures = std::make_shared<http::AuthFailureCounter>(*self_metrics);
  }
  http::Server::Hooks hooks;
  hooks.ready = [this] { return ready(); };
  hooks.landing = [this] {
    http::LandingInfo page;
    page.version = kVersion;
    page.revision = kRevision;
    page.target = config_.redis_addr.Redacted();
    page.redis_up = redis_up();
    page.ready = ready();
    page.links = {{config_.web_telemetry_path, "Prometheus metrics"},
                  {"/-/healthy", "liveness"},
                  {"/-/ready", "readiness: 200 once the first INFO sample succeeded"}};
    if (detect_) {
      page.links.push_back({"/api/v1/status", "each class's verdict and indicators (JSON)"});
      page.links.push_back({"/api/v1/incidents", "the last incidents, newest first (JSON)"});
    }
    return page;
  };
  if (detect_) {
    hooks.routes = detect_->routes();
  }
  auto server =
      http::Server::Start(web, {self_metrics, collectors_}, http_requests_, std::move(hooks), log_);
  if (!server.ok()) {
    return server.status();
  }
  server_ = std::move(server).value();
  if (Status s = ingest_->Start(); !s.ok()) {
    return s;
  }
  if (Status s = events_->Start(); !s.ok()) {
    return s;
  }
  if (sampler_) {
    sampler_->Start();
  } else {
    cluster_->Start();
  }
  if (detect_) {
    detect_->Start();
  }
  log_.Info("listening", {{"address", config_.web_listen_address},
                          {"port", std::to_string(server_->port())},
                          {"telemetry_path", config_.web_telemetry_path},
                          {"tls", web_.tls ? "true" : "false"},
                          {"basic_auth", web_.basic_auth_users.empty() ? "false" : "true"},
                          {"redis", config_.redis_addr.Redacted()},
                          {"mode", cluster ? "cluster" : "standalone"},
                          {"info_interval", FormatDuration(config_.info_interval)}});
  return Status::Ok();
}

void App::Stop() {
  if (detect_) {
    detect_->Stop();  // first: it reads the other modules
  }
  if (sampler_) {
    sampler_->Stop();
  }
  if (cluster_) {
    cluster_->Stop();  // before events_: it adds and removes the events side's nodes
  }
  if (events_) {
    events_->Stop();
  }
  if (ingest_) {
    ingest_->Stop();
  }
  server_.reset();
  detect_.reset();
  sampler_.reset();
  cluster_.reset();
}

}  // namespace stampede
