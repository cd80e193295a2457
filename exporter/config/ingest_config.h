// Settings of the application-counter side ([ingest]), set by flags (ingest_flags.cc).
#pragma once

#include <cstddef>
#include <string>

namespace stampede::config {

/// A plain value: thread-compatible. The listeners are off in a default-constructed value (an
/// in-process App in a test binds nothing fixed); the flag table's defaults, which ParseFlags
/// applies, turn them on at 127.0.0.1:8125 and 127.0.0.1:9913.
struct IngestConfig {
  std::string statsd_udp;                // --statsd.listen-udp ("" = off)
  std::string statsd_unixgram;           // --statsd.listen-unixgram ("" = off)
  std::string listen_address;            // --ingest.listen-address ("" = off)
  std::string token_file;                // --ingest.token-file
  std::size_t max_body_bytes = 1 << 20;  // --ingest.max-body-bytes
  std::size_t max_batch_events = 1000;   // --ingest.max-batch-events
  std::size_t max_classes = 64;          // --ingest.max-classes
  std::size_t max_tiers = 8;             // --ingest.max-tiers
  std::size_t max_key_hashes = 65536;    // --ingest.max-key-hashes
};

}  // namespace stampede::config
