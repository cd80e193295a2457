// Why the ingest side refused a packet, a line, an event or a batch: one enum, one label value
// each, so every refusal is counted by reason.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace stampede::ingest {

enum class Reject : std::size_t {
  // A StatsD line (statsd_parser.h).
  kLineTooLong,
  kNulByte,
  kNotUtf8,
  kEmptyName,
  kMissingValue,
  kBadValue,
  kMissingType,
  kBadType,
  kBadRate,
  kBadTags,
  kTooManyTags,
  kBadField,
  // A line or event that parsed but cannot be one of the cache signals (statsd_mapper.h).
  kWrongType,
  kNegativeValue,
  kLabelTooLong,
  // An HTTP batch (event_batch.h); bad_field, negative_value and label_too_long apply too.
  kInvalidJson,
  kTooManyEvents,
  kUnauthorized,
  kCount,  // not a reason: the number of reasons
};

inline constexpr std::size_t kRejectReasons = static_cast<std::size_t>(Reject::kCount);

/// The `reason` label value.
constexpr std::string_view RejectName(Reject r) {
  constexpr std::array<std::string_view, kRejectReasons> kNames = {
      "line_too_long", "nul_byte",        "not_utf8",     "empty_name",     "missing_value",
      "bad_value",     "missing_type",    "bad_type",     "bad_rate",       "bad_tags",
      "too_many_tags", "bad_field",       "wrong_type",   "negative_value", "label_too_long",
      "invalid_json",  "too_many_events", "unauthorized",
  };
  return kNames[static_cast<std::size_t>(r)];
}

}  // namespace stampede::ingest
