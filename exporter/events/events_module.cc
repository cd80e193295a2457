#include "events/events_module.h"

#include <algorithm>
#include <utility>

namespace stampede::events {

EventsModule::EventsModule(const config::Config& config, const config::FileConfig& file,
                           std::string password, Logger& log, Mode mode, const Clock& clock)
    : log_(log),
      clock_(clock),
      key_seed_(config.detect.key_hash_seed.value_or(0)),
      classifier_(std::make_unique<classify::Classifier>(file.classes)) {
  TrackerOptions tracking;
  tracking.invalidation_capacity = config.events.tracked_keys;
  tracking.invalidation_ttl = config.events.invalidation_ttl;
  tracking.top_k = config.events.top_k;
  tracker_ = std::make_unique<KeyTracker>(tracking, classifier_->size());

  base_.connection.address = config.redis_addr;
  base_.connection.user = config.redis_user;
  base_.connection.password = std::move(password);
  base_.connection.connect_timeout = config.redis_connect_timeout;
  base_.connection.command_timeout = config.redis_connect_timeout;
  base_.dbs = config.events.dbs;
  base_.configure_notifications = config.events.configure_notifications;
  if (mode == Mode::kStandalone) {
    standalone_ = MakeNode(config.redis_addr, "");
    nodes_.push_back(standalone_);
  }
  collector_ =
      std::make_shared<EventsCollector>([this] { return nodes(); }, *classifier_, *tracker_);
}

EventsModule::~EventsModule() { Stop(); }

std::shared_ptr<NodeEvents> EventsModule::MakeNode(const redis::Address& address,
                                                   std::string label) {
  Subscriber::Options options = base_;
  options.connection.address.kind = address.kind;
  options.connection.address.host = address.host;
  options.connection.address.port = address.port;
  options.connection.address.path = address.path;
  options.node = label.empty() ? address.Redacted() : label;
  return std::make_shared<NodeEvents>(std::move(label), std::move(options), *classifier_,
                                      tracker_.get(), key_seed_, clock_, log_);
}

Status EventsModule::Start() {
  if (classifier_->overflowed_classes() > 0) {
    log_.Warn("more key classes than the limit; their keys count as class other",
              {{"limit", std::to_string(classify::Classifier::kMaxClasses)},
               {"over", std::to_string(classifier_->overflowed_classes())}});
  }
  std::lock_guard<std::mutex> lock(mu_);
  started_ = true;
  for (const auto& n : nodes_) {
    n->subscriber.Start();
  }
  return Status::Ok();
}

void EventsModule::Stop() {
  std::vector<std::shared_ptr<NodeEvents>> nodes;
  {
    std::lock_guard<std::mutex> lock(mu_);
    started_ = false;
    nodes = nodes_;
  }
  for (const auto& n : nodes) {
    n->subscriber.Stop();
  }
}

std::shared_ptr<NodeEvents> EventsModule::AddNode(const redis::Address& address,
                                                  const std::string& label) {
  std::shared_ptr<NodeEvents> node = MakeNode(address, label);
  std::lock_guard<std::mutex> lock(mu_);
  nodes_.push_back(node);
  if (started_) {
    node->subscriber.Start();
  }
  return node;
}

void EventsModule::RemoveNode(const std::string& label) {
  std::shared_ptr<NodeEvents> gone;
  {
    std::lock_guard<std::mutex> lock(mu_);
    const auto it =
        std::find_if(nodes_.begin(), nodes_.end(), [&](const auto& n) { return n->node == label; });
    if (it == nodes_.end()) {
      return;
    }
    gone = *it;
    nodes_.erase(it);
  }
  gone->subscriber.Stop();  // outside the lock: scrapes keep going while it joins
}

NodeEventsList EventsModule::nodes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return {nodes_.begin(), nodes_.end()};
}

std::vector<std::shared_ptr<const collectors::Collector>> EventsModule::collectors() const {
  return {collector_};
}

redis::InfoSink* EventsModule::info_sink() { return standalone_ ? &standalone_->flushes : nullptr; }

}  // namespace stampede::events
