#include "events/events_module.h"

#include <utility>

namespace stampede::events {

EventsModule::EventsModule(const config::Config& config, const config::FileConfig& file,
                           std::string password, Logger& log, const Clock& clock)
    : log_(log), classifier_(std::make_unique<classify::Classifier>(file.classes)) {
  TrackerOptions tracking;
  tracking.invalidation_capacity = config.events.tracked_keys;
  tracking.invalidation_ttl = config.events.invalidation_ttl;
  tracking.top_k = config.events.top_k;
  tracker_ = std::make_unique<KeyTracker>(tracking, classifier_->size());
  tally_ = std::make_unique<EventTally>(*classifier_, tracker_.get());
  flushes_ = std::make_unique<FlushDetector>(tracker_.get(), clock, log);

  Subscriber::Options sub;
  sub.connection.address = config.redis_addr;
  sub.connection.user = config.redis_user;
  sub.connection.password = std::move(password);
  sub.connection.connect_timeout = config.redis_connect_timeout;
  sub.connection.command_timeout = config.redis_connect_timeout;
  sub.dbs = config.events.dbs;
  sub.configure_notifications = config.events.configure_notifications;
  sub.node = config.redis_addr.Redacted();
  subscriber_ = std::make_unique<Subscriber>(std::move(sub), *tally_, clock, log);
  collector_ = std::make_shared<EventsCollector>(
      *tally_, std::vector<const Subscriber*>{subscriber_.get()}, *flushes_, *tracker_);
}

EventsModule::~EventsModule() { Stop(); }

Status EventsModule::Start() {
  if (classifier_->overflowed_classes() > 0) {
    log_.Warn("more key classes than the limit; their keys count as class other",
              {{"limit", std::to_string(classify::Classifier::kMaxClasses)},
               {"over", std::to_string(classifier_->overflowed_classes())}});
  }
  subscriber_->Start();
  return Status::Ok();
}

void EventsModule::Stop() {
  if (subscriber_) {
    subscriber_->Stop();
  }
}

std::vector<std::shared_ptr<const collectors::Collector>> EventsModule::collectors() const {
  return {collector_};
}

redis::InfoSink* EventsModule::info_sink() { return flushes_.get(); }

}  // namespace stampede::events
