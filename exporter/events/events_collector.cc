#include "events/events_collector.h"

#include <utility>

#include "collectors/metric_builder.h"

namespace stampede::events {

namespace {

using collectors::FamilyBuilder;
using prometheus::MetricType;

}  // namespace

EventsCollector::EventsCollector(const EventTally& tally,
                                 std::vector<const Subscriber*> subscribers,
                                 const FlushDetector& flushes, const KeyTracker& tracker)
    : tally_(tally), subscribers_(std::move(subscribers)), flushes_(flushes), tracker_(tracker) {}

Status EventsCollector::Collect(collectors::Families& out) const {
  const classify::Classifier& classes = tally_.classifier();
  FamilyBuilder events("stampede_keyspace_events_total",
                       "Keyspace events received (SUBSCRIBE __keyevent@<db>__:<event>), by key "
                       "class and event.",
                       MetricType::Counter);
  for (std::size_t id = 0; id < classes.size(); ++id) {
    for (const EventKind kind : kAllEventKinds) {
      events.Add({{"class", classes.Name(static_cast<classify::ClassId>(id))},
                  {"event", std::string(EventName(kind))}},
                 static_cast<double>(tally_.count(static_cast<classify::ClassId>(id), kind)));
    }
  }
  out.push_back(events.Build());
  out.push_back(collectors::CounterFamily(
      "stampede_key_class_overflow_total",
      "Keyspace events of keys whose class is beyond the class limit (counted as class other).",
      static_cast<double>(tally_.class_overflow())));

  FamilyBuilder enabled("stampede_notifications_enabled",
                        "1 if notify-keyspace-events delivers the event on keyevent channels "
                        "(CONFIG GET, or learnt from traffic when CONFIG is refused); absent "
                        "while unknown.",
                        MetricType::Gauge);
  FamilyBuilder readable("stampede_notifications_config_readable",
                         "1 if CONFIG GET notify-keyspace-events is allowed.", MetricType::Gauge);
  FamilyBuilder connected("stampede_notifications_connected",
                          "1 while the notification subscriber is subscribed.", MetricType::Gauge);
  FamilyBuilder reconnects("stampede_notifications_reconnects_total",
                           "Times the notification subscriber subscribed again after a loss.",
                           MetricType::Counter);
  FamilyBuilder gap("stampede_notifications_gap_seconds_total",
                    "Seconds without a subscribed connection: events in them are lost.",
                    MetricType::Counter);
  FamilyBuilder lag("stampede_notifications_lag_seconds",
                    "Round trip of the last PING on the subscribed connection (or the age of "
                    "an unanswered one): how far event receipt lags Redis.",
                    MetricType::Gauge);
  FamilyBuilder unexpected("stampede_notifications_unexpected_messages_total",
                           "Messages on the subscribed connection that were not keyevent "
                           "messages (error replies included).",
                           MetricType::Counter);
  for (const Subscriber* s : subscribers_) {
    for (const EventKind kind : kAllEventKinds) {
      const NotifyState state = s->notify_state(kind);
      if (state != NotifyState::kUnknown) {
        enabled.Add({{"event", std::string(EventName(kind))}}, state == NotifyState::kOn ? 1 : 0);
      }
    }
    readable.Add(s->config_readable() ? 1 : 0);
    connected.Add(s->connected() ? 1 : 0);
    reconnects.Add(static_cast<double>(s->reconnects()));
    gap.Add(s->gap_seconds());
    lag.Add(s->lag_seconds());
    unexpected.Add(static_cast<double>(s->unexpected()));
  }
  for (FamilyBuilder* f : {&enabled, &readable, &connected, &reconnects, &gap, &lag, &unexpected}) {
    if (!f->empty()) {
      out.push_back(f->Build());
    }
  }
  out.push_back(collectors::CounterFamily(
      "stampede_notifications_events_shed_total",
      "Events counted but not tracked per key because the subscriber was behind.",
      static_cast<double>(tally_.shed())));

  FamilyBuilder flushes("stampede_keyspace_flushes_total",
                        "FLUSHDB/FLUSHALL seen in INFO (commandstats deltas; unknown: a database "
                        "vanished from INFO keyspace without commandstats).",
                        MetricType::Counter);
  for (int c = 0; c < FlushDetector::kCommands; ++c) {
    flushes.Add({{"command", FlushDetector::CommandName(c)}},
                static_cast<double>(flushes_.flushes(c)));
  }
  out.push_back(flushes.Build());

  const KeyTracker::Stats stats = tracker_.stats();
  out.push_back(collectors::CounterFamily(
      "stampede_key_tracking_invalidation_overflow_total",
      "Recently invalidated keys forgotten early because the table was full "
      "(--events.tracked-keys).",
      static_cast<double>(stats.invalidation_overflow)));
  out.push_back(
      collectors::GaugeFamily("stampede_key_tracking_bytes",
                              "Estimated memory held by the per-key tracking tables and sketches.",
                              static_cast<double>(stats.bytes)));
  return Status::Ok();
}

}  // namespace stampede::events
