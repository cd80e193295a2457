// Settings of the application-counter side ([ingest]), set by flags (ingest_flags.cc).
#pragma once

namespace stampede::config {

/// A plain value: thread-compatible.
struct IngestConfig {};

}  // namespace stampede::config
