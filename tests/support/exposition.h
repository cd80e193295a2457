// Reading Prometheus text exposition back in tests.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace stampede::testing {

/// Sample lines of a text exposition: `name{labels}` (exactly as written) → value.
/// Comment lines are skipped.
std::map<std::string, double> ParseExposition(const std::string& text);

/// The value of `series` (e.g. `stampede_redis_up` or `stampede_redis_db_keys{db="0"}`).
std::optional<double> SampleValue(const std::string& text, const std::string& series);

/// Runs `promtool check metrics` on `text`; returns what it printed (empty when clean) and
/// sets `exit_code`.
std::string PromtoolCheckMetrics(const std::string& text, int& exit_code);

}  // namespace stampede::testing
