#include "ingest/ingest_module.h"

namespace stampede::ingest {

IngestModule::IngestModule(const config::Config& /*config*/, const config::FileConfig& /*file*/,
                           std::shared_ptr<http::RequestCounter> /*requests*/, Logger& /*log*/) {}

IngestModule::~IngestModule() { Stop(); }

Status IngestModule::Start() { return Status::Ok(); }

void IngestModule::Stop() {}

std::vector<std::shared_ptr<const collectors::Collector>> IngestModule::collectors() const {
  return {};
}

}  // namespace stampede::ingest
