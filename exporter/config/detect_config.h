// Settings of the detectors and the incident log ([detect]), set by flags (detect_flags.cc).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>

namespace stampede::config {

/// A plain value: thread-compatible.
struct DetectConfig {
  bool enabled = true;                                   // --detect.enabled
  bool show_keys = false;                                // --incidents.show-keys
  std::size_t max_incidents = 100;                       // --incidents.max
  std::optional<std::uint64_t> key_hash_seed;            // --detect.key-hash-seed
  std::chrono::milliseconds ttl_sample_interval{30000};  // --detect.ttl-sample-interval
  std::size_t ttl_sample_keys = 200;                     // --detect.ttl-sample-keys
};

}  // namespace stampede::config
