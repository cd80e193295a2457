#include "ingest/ingest_module.h"

#include <fstream>
#include <iterator>
#include <random>

#include "common/text.h"
#include "ingest/app_collector.h"

namespace stampede::ingest {

namespace {

constexpr std::size_t kMaxTokenBytes = 4096;

std::uint64_t RandomSeed() {
  std::random_device rd;
  return (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
}

}  // namespace

Result<std::string> ReadTokenFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::Error("cannot read --ingest.token-file " + QuoteForMessage(path));
  }
  std::string token;
  char buf[1024];
  while (in.read(buf, sizeof(buf)) || in.gcount() > 0) {
    token.append(buf, static_cast<std::size_t>(in.gcount()));
    if (token.size() > kMaxTokenBytes) {
      return Status::Error("--ingest.token-file " + QuoteForMessage(path) +
                           " is larger than 4 KiB; is it the right file?");
    }
  }
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) {
    token.pop_back();
  }
  if (token.empty()) {
    return Status::Error("--ingest.token-file " + QuoteForMessage(path) + " is empty");
  }
  return token;
}

IngestModule::IngestModule(const config::Config& config, const config::FileConfig& file,
                           std::shared_ptr<http::RequestCounter> requests, Logger& log,
                           const Clock& clock)
    : config_(config.ingest),
      requests_(std::move(requests)),
      log_(log),
      store_(std::make_shared<AppCounterStore>(AppCounterStore::Options{
          config.ingest.max_classes, config.ingest.max_tiers, config.ingest.max_key_hashes})),
      stats_(std::make_shared<IngestStats>()),
      markers_(std::make_shared<MarkerTable>(clock)),
      key_seed_(config.detect.key_hash_seed ? *config.detect.key_hash_seed : RandomSeed()) {
  mapper_ = std::make_unique<StatsdMapper>(file.statsd, key_seed_);
}

IngestModule::~IngestModule() { Stop(); }

Status IngestModule::Start() {
  auto context = std::make_shared<IngestApiContext>();
  if (!config_.token_file.empty()) {
    Result<std::string> token = ReadTokenFile(config_.token_file);
    if (!token.ok()) {
      return token.status();
    }
    context->token = std::move(token).value();
  }
  if (!config_.statsd_udp.empty()) {
    auto udp = DatagramListener::StartUdp(config_.statsd_udp, *mapper_, *store_, *stats_, log_);
    if (!udp.ok()) {
      return udp.status();
    }
    udp_ = std::move(udp).value();
    log_.Info("statsd listening",
              {{"udp", config_.statsd_udp}, {"port", std::to_string(udp_->port())}});
  }
  if (!config_.statsd_unixgram.empty()) {
    auto unixgram =
        DatagramListener::StartUnixgram(config_.statsd_unixgram, *mapper_, *store_, *stats_, log_);
    if (!unixgram.ok()) {
      return unixgram.status();
    }
    unixgram_ = std::move(unixgram).value();
    log_.Info("statsd listening", {{"unixgram", config_.statsd_unixgram}});
  }
  if (!config_.listen_address.empty()) {
    context->store = store_;
    context->stats = stats_;
    context->markers = markers_;
    context->limits.max_events = config_.max_batch_events;
    context->key_seed = key_seed_;
    http::Listener::Options options;
    options.listen_address = config_.listen_address;
    options.threads = 4;
    options.max_body_bytes = config_.max_body_bytes;
    const bool token_required = !context->token.empty();
    auto listener =
        http::Listener::Start(options, IngestRoutes(std::move(context)), requests_, log_);
    if (!listener.ok()) {
      return listener.status();
    }
    http_ = std::move(listener).value();
    log_.Info("ingest listening", {{"address", config_.listen_address},
                                   {"port", std::to_string(http_->port())},
                                   {"token_required", token_required ? "true" : "false"}});
  }
  return Status::Ok();
}

void IngestModule::Stop() {
  http_.reset();
  udp_.reset();
  unixgram_.reset();
}

std::vector<std::shared_ptr<const collectors::Collector>> IngestModule::collectors() const {
  return {std::make_shared<AppCollector>(store_, stats_),
          std::make_shared<MarkerCollector>(markers_)};
}

}  // namespace stampede::ingest
