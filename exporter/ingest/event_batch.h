// POST /api/v1/events bodies: versioned JSON batches of the cache signals. Pure parsing.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/app_event.h"
#include "ingest/reject_reason.h"

namespace stampede::ingest {

/// Bounds of one batch besides the body size (the HTTP listener enforces that).
struct BatchLimits {
  std::size_t max_events = 1000;
  std::size_t max_durations = 10000;  // load_seconds entries per event
  std::size_t max_keys = 1000;        // missed_keys / loaded_keys entries per event
  std::size_t max_key_bytes = 1024;
  std::size_t max_depth = 8;  // JSON nesting; the schema needs 4
};

/// Largest count one event may carry (a sanity bound: larger is surely a bug).
inline constexpr std::uint64_t kMaxEventCount = 1'000'000'000'000ULL;
/// Largest load duration, seconds.
inline constexpr double kMaxLoadSeconds = 86400;

/// Totals of an accepted batch, for the 202 answer.
struct BatchTotals {
  std::size_t events = 0;
  std::array<std::uint64_t, kSignals> counts{};  // kLoadTime: durations
  std::size_t keys = 0;
};

/// A parsed batch. `events` point into `doc`: keep them together. Move-only in practice.
struct EventBatch {
  nlohmann::json doc;
  std::vector<AppEvent> events;
  BatchTotals totals;
};

/// Why a batch was refused: the reason label, the JSON path of the bad field ("" for the
/// whole body) and a one-line message.
struct BatchError {
  Reject reason = Reject::kInvalidJson;
  std::string field;
  std::string message;
};

/// Parses and validates a whole batch (all or nothing). Keys are hashed with `seed` and never
/// kept. Never throws. Pure.
bool ParseEventBatch(std::string_view body, const BatchLimits& limits, std::uint64_t seed,
                     EventBatch& out, BatchError& error);

/// The deepest nesting of arrays and objects in `text` (strings skipped), stopping early past
/// `limit`. Pure.
std::size_t JsonDepth(std::string_view text, std::size_t limit);

}  // namespace stampede::ingest
