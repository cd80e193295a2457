#include "scenario_harness.h"

#include <thread>

#include "config/config_file.h"
#include "config/flags.h"
#include "ingest/ingest_harness.h"
#include "support/exposition.h"
#include "support/http_client.h"

namespace stampede::scenarios {

const char kScenarioConfig[] = R"(# The scenario tests' classes.
classes:
  - name: user_profile
    patterns: ["user:*"]
    # Seeds the hit-ratio cliff's baseline at once, so the short scenarios need no 30 s warm-up
    # of D1; the scenarios' steady traffic is built to run at about this ratio.
    expected_hit_ratio: 0.95
    refresh: cache_aside
  - name: lock
    patterns: ["lock:*"]
    refresh: unknown
detectors:
  # The purge scenario warms up for about ten seconds, not the default 30: the invalidation
  # burst's baselines must be learnt before the purge for it to be judged at all.
  d3.warmup_seconds: 5
  # The expiry scenario's cliff is 2000 keys, which may straddle two ticks (1000 + 1000 at
  # worst): half the default volume floor keeps the short form honest.
  d6.min_per_second: 500
)";

ScenarioHarness::ScenarioHarness(Options options) {
  log_ = std::make_unique<Logger>(&log_stream_, LogLevel::kInfo, LogFormat::kLogfmt);
  std::vector<std::string> args = {"--notify-keyspace-events", "Egxemn"};
  args.insert(args.end(), options.redis_args.begin(), options.redis_args.end());
  redis_ = std::make_unique<testing::RedisServer>(args);
  if (!redis_->Start()) {
    error_ = "redis-server did not start";
    return;
  }
  Result<config::FileConfig> file = config::ParseConfigText(kScenarioConfig, "scenarios.yml");
  if (!file.ok()) {
    error_ = "config: " + file.status().message();
    return;
  }
  config::Config cfg;
  cfg.redis_addr = redis_->address();
  cfg.redis_connect_timeout = std::chrono::milliseconds(500);
  cfg.info_interval = std::chrono::seconds(1);
  cfg.web_listen_address = "127.0.0.1:0";
  cfg.events.cluster = config::ClusterMode::kOff;
  cfg.ingest.statsd_udp = "127.0.0.1:0";
  cfg.ingest.listen_address = "127.0.0.1:0";
  cfg.detect.key_hash_seed = kKeyHashSeed;
  cfg.detect.show_keys = true;
  cfg.detect.ttl_sample_interval = options.ttl_sample_interval;
  app_ = std::make_unique<App>(cfg, std::move(file).value(), "", *log_);
  if (Status s = app_->Start(); !s.ok()) {
    error_ = "exporter: " + s.message();
    return;
  }
  statsd_port_ = testing::LoggedPort(log(), "\"statsd listening\" udp=");
  ingest_port_ = testing::LoggedPort(log(), "\"ingest listening\"");
  if (statsd_port_ == 0 || ingest_port_ == 0 || app_->port() == 0) {
    error_ = "exporter ports not found in its log:\n" + log();
  }
}

ScenarioHarness::~ScenarioHarness() {
  if (app_) {
    app_->Stop();
  }
  app_.reset();
  redis_.reset();  // kills redis-server and removes its directory
}

sim::RedisEndpoint ScenarioHarness::endpoint() const {
  sim::RedisEndpoint e;
  e.host = "127.0.0.1";
  e.port = redis_->port();
  e.timeout = std::chrono::milliseconds(1000);
  return e;
}

std::optional<std::string> ScenarioHarness::Get(int port, const std::string& path) const {
  std::lock_guard<std::mutex> lock(http_mu_);
  testing::HttpResponse r = testing::HttpGet(port, path);
  if (r.status != 200) {
    return std::nullopt;
  }
  return std::move(r.body);
}

std::string ScenarioHarness::Scrape() const { return Get(web_port(), "/metrics").value_or(""); }

nlohmann::json ScenarioHarness::StatusJson() const {
  const std::optional<std::string> body = Get(web_port(), "/api/v1/status");
  return body ? nlohmann::json::parse(*body, nullptr, false) : nlohmann::json(nullptr);
}

nlohmann::json ScenarioHarness::IncidentsJson() const {
  const std::optional<std::string> body = Get(web_port(), "/api/v1/incidents?limit=100");
  nlohmann::json doc = body ? nlohmann::json::parse(*body, nullptr, false) : nullptr;
  if (!doc.is_object() || !doc.contains("incidents")) {
    return nullptr;
  }
  return doc["incidents"];
}

nlohmann::json ScenarioHarness::IncidentJson(const std::string& id) const {
  const std::optional<std::string> body = Get(web_port(), "/api/v1/incidents/" + id);
  return body ? nlohmann::json::parse(*body, nullptr, false) : nlohmann::json(nullptr);
}

int ScenarioHarness::PostMarker(const std::string& kind, const std::string& class_name,
                                const std::string& duration, std::string* body) const {
  const nlohmann::json request = {{"kind", kind}, {"class", class_name}, {"duration", duration}};
  std::lock_guard<std::mutex> lock(http_mu_);
  const testing::HttpResponse r =
      testing::HttpRequest(ingest_port_, "POST", "/api/v1/markers", request.dump());
  if (body != nullptr) {
    *body = r.body;
  }
  return r.status;
}

bool ScenarioHarness::WaitSubscribed(std::chrono::milliseconds deadline) const {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < until) {
    if (testing::SampleValue(Scrape(), "stampede_notifications_connected") == 1.0) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

}  // namespace stampede::scenarios
