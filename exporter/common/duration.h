// Durations as Prometheus writes them: "1s", "500ms", "1m30s", "2h".
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/status.h"

namespace stampede {

/// Parses a non-negative duration made of one or more <integer><unit> parts, units
/// ms, s, m, h (e.g. "250ms", "1m30s"). A bare "0" is zero. Pure.
Result<std::chrono::milliseconds> ParseDuration(std::string_view text);

/// Formats a duration the way ParseDuration reads it back ("1s", "1m30s", "250ms", "0s").
std::string FormatDuration(std::chrono::milliseconds d);

}  // namespace stampede
