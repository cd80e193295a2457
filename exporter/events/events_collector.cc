#include "events/events_collector.h"

#include <utility>

#include "collectors/metric_builder.h"

namespace stampede::events {

namespace {

using collectors::FamilyBuilder;
using collectors::Label;
using prometheus::MetricType;

// `labels` plus the node's `node` label in cluster mode.
std::vector<Label> WithNode(const NodeEvents& n, std::vector<Label> labels) {
  if (!n.node.empty()) {
    labels.emplace_back("node", n.node);
  }
  return labels;
}

}  // namespace

EventsCollector::EventsCollector(std::function<NodeEventsList()> nodes,
                                 const classify::Classifier& classes, const KeyTracker& tracker)
    : nodes_(std::move(nodes)), classes_(classes), tracker_(tracker) {}

Status EventsCollector::Collect(collectors::Families& out) const {
  const NodeEventsList nodes = nodes_();
  FamilyBuilder events("stampede_keyspace_events_total",
                       "Keyspace events received (SUBSCRIBE __keyevent@<db>__:<event>), by key "
                       "class and event (and node in cluster mode).",
                       MetricType::Counter);
  FamilyBuilder overflow(
      "stampede_key_class_overflow_total",
      "Keyspace events of keys whose class is beyond the class limit (counted as class other).",
      MetricType::Counter);
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
                    "an unanswered one, counted from the link's last read once it is silent): "
                    "how far event receipt lags Redis.",
                    MetricType::Gauge);
  FamilyBuilder unexpected("stampede_notifications_unexpected_messages_total",
                           "Messages on the subscribed connection that were not keyevent "
                           "messages (error replies included).",
                           MetricType::Counter);
  FamilyBuilder shed("stampede_notifications_events_shed_total",
                     "Events counted but not tracked per key because the subscriber was behind.",
                     MetricType::Counter);
  FamilyBuilder flushes("stampede_keyspace_flushes_total",
                        "FLUSHDB/FLUSHALL seen in INFO (commandstats deltas; unknown: a database "
                        "vanished from INFO keyspace without commandstats).",
                        MetricType::Counter);
  for (const auto& n : nodes) {
    const EventTally& tally = n->tally;
    for (std::size_t id = 0; id < classes_.size(); ++id) {
      for (const EventKind kind : kAllEventKinds) {
        events.Add(WithNode(*n, {{"class", classes_.Name(static_cast<classify::ClassId>(id))},
                                 {"event", std::string(EventName(kind))}}),
                   static_cast<double>(tally.count(static_cast<classify::ClassId>(id), kind)));
      }
    }
    overflow.Add(WithNode(*n, {}), static_cast<double>(tally.class_overflow()));
    const Subscriber& s = n->subscriber;
    for (const EventKind kind : kAllEventKinds) {
      const NotifyState state = s.notify_state(kind);
      if (state != NotifyState::kUnknown) {
        enabled.Add(WithNode(*n, {{"event", std::string(EventName(kind))}}),
                    state == NotifyState::kOn ? 1 : 0);
      }
    }
    readable.Add(WithNode(*n, {}), s.config_readable() ? 1 : 0);
    connected.Add(WithNode(*n, {}), s.connected() ? 1 : 0);
    reconnects.Add(WithNode(*n, {}), static_cast<double>(s.reconnects()));
    gap.Add(WithNode(*n, {}), s.gap_seconds());
    lag.Add(WithNode(*n, {}), s.lag_seconds());
    unexpected.Add(WithNode(*n, {}), static_cast<double>(s.unexpected()));
    shed.Add(WithNode(*n, {}), static_cast<double>(tally.shed()));
    for (int c = 0; c < FlushDetector::kCommands; ++c) {
      flushes.Add(WithNode(*n, {{"command", FlushDetector::CommandName(c)}}),
                  static_cast<double>(n->flushes.flushes(c)));
    }
  }
  // In exposition order; a family without samples (no node known yet) is left out.
  for (FamilyBuilder* f : {&events, &overflow, &enabled, &readable, &connected, &reconnects, &gap,
                           &lag, &unexpected, &shed, &flushes}) {
    if (!f->empty()) {
      out.push_back(f->Build());
    }
  }

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
