#include "events/events_module.h"

namespace stampede::events {

EventsModule::EventsModule(const config::Config& /*config*/, const config::FileConfig& /*file*/,
                           std::string /*password*/, Logger& /*log*/) {}

EventsModule::~EventsModule() { Stop(); }

Status EventsModule::Start() { return Status::Ok(); }

void EventsModule::Stop() {}

std::vector<std::shared_ptr<const collectors::Collector>> EventsModule::collectors() const {
  return {};
}

redis::InfoSink* EventsModule::info_sink() { return nullptr; }

}  // namespace stampede::events
