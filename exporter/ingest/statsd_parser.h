// StatsD / DogStatsD lines: `name:value|type[|@rate][|#tag:value,...]`. Pure parsing, no I/O.
#pragma once

#include <cstddef>
#include <string_view>
#include <utility>
#include <vector>

#include "ingest/reject_reason.h"

namespace stampede::ingest {

/// A line longer than this is refused (line_too_long).
inline constexpr std::size_t kMaxLineBytes = 4096;
/// A line with more DogStatsD tags than this is refused (too_many_tags).
inline constexpr std::size_t kMaxTags = 64;

enum class StatsdType { kCounter, kTimer, kGauge, kHistogram, kDistribution, kSet };

/// One parsed line. The views point into the line given to ParseStatsdLine. A tag without a
/// value (`#canary`) has an empty value. Thread-compatible.
struct StatsdLine {
  std::string_view name;
  double value = 0;           // 0 for a set (whose value is a member, not a number)
  bool signed_value = false;  // the value started with '+' or '-' (a relative gauge)
  StatsdType type = StatsdType::kCounter;
  double rate = 1;  // the sample rate, in (0, 1]
  std::vector<std::pair<std::string_view, std::string_view>> tags;
};

/// Parses one line (without its '\n'; a trailing '\r' is dropped). On failure returns the
/// reason and leaves `out` in an unspecified state. `out` is reused so that its tag vector
/// keeps its capacity across lines. Unknown DogStatsD sections `|c:<container>` and
/// `|T<timestamp>` are accepted and ignored. Pure.
/// Returns true on success; on failure sets `reason`.
bool ParseStatsdLine(std::string_view line, StatsdLine& out, Reject& reason);

/// Calls `fn(line)` for each non-empty line of a datagram (lines end with '\n'; the last may
/// not). Pure.
template <typename Fn>
void ForEachStatsdLine(std::string_view packet, Fn&& fn) {
  std::size_t start = 0;
  while (start < packet.size()) {
    std::size_t end = packet.find('\n', start);
    if (end == std::string_view::npos) {
      end = packet.size();
    }
    std::string_view line = packet.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    if (!line.empty()) {
      fn(line);
    }
    start = end + 1;
  }
}

/// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, at most U+10FFFF). Pure.
bool IsValidUtf8(std::string_view text);

}  // namespace stampede::ingest
