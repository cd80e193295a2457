// The flag table's rows and the per-area functions that add them. flags.cc owns the core
// flags and the order; each area adds its own rows in its own file.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "config/flags.h"

namespace stampede::config {

/// One flag: what --help shows, whether it takes a value, and how it sets Config. The setter's
/// error message names no flag: ParseFlags prefixes the flag or env variable it came from.
struct FlagDef {
  FlagInfo info;
  /// false: a switch given without a value. A switch with an env twin is a boolean setting:
  /// `--name` sets "true", `--name=false` and the twin pass their text to `set`, and a
  /// non-empty default_value is applied first. One without (--help) takes no value at all.
  bool takes_value;
  Status (*set)(Config&, std::string_view);
};

void AddCoreFlags(std::vector<FlagDef>& table);    // flags.cc
void AddEventsFlags(std::vector<FlagDef>& table);  // events_flags.cc
void AddIngestFlags(std::vector<FlagDef>& table);  // ingest_flags.cc
void AddDetectFlags(std::vector<FlagDef>& table);  // detect_flags.cc

/// Shared value checks for setters.
/// A duration in [min, max] (or (min, max] when !min_inclusive).
Result<std::chrono::milliseconds> FlagDuration(std::string_view value,
                                               std::chrono::milliseconds min, bool min_inclusive,
                                               std::chrono::milliseconds max);
/// "true"/"1" or "false"/"0".
Result<bool> FlagBool(std::string_view value);
/// A whole decimal number in [min, max].
Result<std::size_t> FlagCount(std::string_view value, std::size_t min, std::size_t max);
/// `[host]:port`, IPv4 or a name, port 0..65535.
Status FlagListenAddress(std::string_view value);
/// `value` quoted for an error message, on one line, cut when long.
std::string FlagQuote(std::string_view value);

}  // namespace stampede::config
