// Feeds arbitrary bytes to the config file parser as a whole file and as the body of a
// `statsd:` section. Besides "never crash", it traps when an error is not one line of valid
// UTF-8 without control bytes or does not start with the file name, or when a parsed section
// breaks its bounds.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "config/config_file.h"
#include "fuzz_checks.h"

namespace {

void Check(bool ok) {
  if (!ok) {
    __builtin_trap();
  }
}

void ParseOne(const std::string& text) {
  const stampede::Result<stampede::config::FileConfig> file =
      stampede::config::ParseConfigText(text, "fuzz.yml");
  if (!file.ok()) {
    const std::string& message = file.status().message();
    Check(stampede::fuzz::IsCleanMessage(message));
    Check(message.rfind("fuzz.yml", 0) == 0);
    return;
  }
  const stampede::ingest::StatsdConfig& c = file->statsd;
  Check(c.metrics.size() <= stampede::ingest::kMaxMetricRules);
  for (const auto& rule : c.metrics) {
    Check(!rule.match.empty());
    Check(rule.class_name.size() <= stampede::ingest::kMaxLabelValueBytes);
  }
  Check(c.class_tags.size() <= stampede::ingest::kMaxTagAliases);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): bytes as chars
  const std::string input(reinterpret_cast<const char*>(data), size);
  ParseOne(input);
  ParseOne("statsd:\n" + input);
  return 0;
}
