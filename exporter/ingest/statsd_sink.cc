#include "ingest/statsd_sink.h"

namespace stampede::ingest {

void StatsdSink::HandlePacket(std::string_view packet, Transport transport) {
  stats_.Packet(transport);
  events_.clear();
  ForEachStatsdLine(packet, [this](std::string_view text) {
    Reject reason = Reject::kBadField;
    if (!ParseStatsdLine(text, line_, reason)) {
      stats_.LineRejected(reason);
      return;
    }
    AppEvent event;
    switch (mapper_.Map(line_, event, reason)) {
      case StatsdMapper::Outcome::kAccepted:
        events_.push_back(event);
        break;
      case StatsdMapper::Outcome::kIgnored:
        stats_.LineIgnored();
        break;
      case StatsdMapper::Outcome::kRejected:
        stats_.LineRejected(reason);
        break;
    }
  });
  if (!events_.empty()) {
    store_.Apply(events_);
    stats_.LineAccepted(events_.size());
  }
}

}  // namespace stampede::ingest
