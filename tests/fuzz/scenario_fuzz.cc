// Feeds arbitrary bytes to the scenario file parser (sim/scenario/scenario_parser.h). Besides
// "never crash", it checks and traps when a property fails:
//  - an error names a line within the input (or 0) and prints as one non-empty line;
//  - a parsed scenario keeps the invariants the runner relies on: a name, a duration in
//    (0, 24h], a key space, events in time order within the duration and at most
//    kMaxScenarioEvents of them, an onset within the duration.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "scenario/scenario_parser.h"

namespace {

void Check(bool ok) {
  if (!ok) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): bytes as chars
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const stampede::sim::ScenarioResult result = stampede::sim::ParseScenario(input, "fuzz.scn");
  if (!result.ok()) {
    const stampede::sim::ScenarioError& error = result.error();
    const std::string text = error.ToString();
    Check(!error.reason.empty() && !text.empty());
    Check(text.find_first_of("\r\n") == std::string::npos);
    const auto lines = static_cast<std::size_t>(std::count(input.begin(), input.end(), '\n'));
    Check(error.line >= 0 && static_cast<std::size_t>(error.line) <= lines + 1);
    return 0;
  }
  const stampede::sim::Scenario& s = *result;
  Check(!s.name.empty());
  Check(s.duration > std::chrono::milliseconds(0) && s.duration <= std::chrono::hours(24));
  Check(!s.keys.prefix.empty() && s.keys.count >= 1);
  Check(s.reads.workers >= 1);
  Check(!s.onset || *s.onset <= s.duration);
  Check(s.events.size() <= stampede::sim::kMaxScenarioEvents);
  for (std::size_t i = 0; i < s.events.size(); ++i) {
    const stampede::sim::Event& e = s.events[i];
    Check(e.at >= std::chrono::milliseconds(0) && e.at <= s.duration);
    Check(e.line >= 1);
    if (i > 0) {
      const stampede::sim::Event& prev = s.events[i - 1];
      Check(prev.at < e.at || (prev.at == e.at && prev.line < e.line));  // stable
    }
  }
  return 0;
}
