// Feeds arbitrary bytes as a whole config file (--config.file) to the loader, end to end: YAML,
// the `classes:`, `statsd:` and `detectors:` sections, then what the exporter builds from a
// parsed file (the key classifier and the StatsD mapper). Besides "never crash", it traps when:
//  - an error does not start with the file name or is not one line of valid UTF-8 without
//    control bytes (the file is untrusted text: what an error echoes of it must be escaped);
//  - a parsed section breaks a documented bound;
//  - the classifier or the mapper built from a parsed file misbehaves on a few probes.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "classify/classifier.h"
#include "config/config_file.h"
#include "fuzz_checks.h"
#include "ingest/statsd_mapper.h"
#include "ingest/statsd_parser.h"

namespace {

using stampede::fuzz::Check;
using stampede::fuzz::IsCleanMessage;

void CheckClasses(const stampede::classify::ClassesConfig& c) {
  namespace classify = stampede::classify;
  Check(c.classes.size() <= classify::kMaxClassEntries);
  for (const classify::KeyClass& k : c.classes) {
    Check(!k.name.empty() && k.name.size() <= classify::kMaxClassNameBytes);
    Check(k.name != classify::kDefaultClassName && k.name != classify::kOtherClassName);
    Check(!k.patterns.empty() && k.patterns.size() <= classify::kMaxPatternsPerClass);
    for (const std::string& p : k.patterns) {
      Check(p.size() <= classify::kMaxPatternBytes);
    }
    Check(!k.expected_hit_ratio || (*k.expected_hit_ratio >= 0 && *k.expected_hit_ratio <= 1));
    Check(!k.ttl || k.ttl->count() >= 0);
    Check(k.overrides.size() <= classify::kMaxOverrides);
    for (const auto& [key, value] : k.overrides) {
      Check(!key.empty() && std::isfinite(value));
    }
  }
  const classify::Classifier classifier(c);
  for (const std::string_view key : {"user:1", "", "session:abc", "*", "[x]"}) {
    const classify::ClassId id = classifier.Classify(key);
    Check(id < classifier.size());
  }
}

void CheckStatsd(const stampede::ingest::StatsdConfig& c) {
  namespace ingest = stampede::ingest;
  Check(c.metrics.size() <= ingest::kMaxMetricRules);
  for (const ingest::MetricRule& rule : c.metrics) {
    Check(!rule.match.empty());
    Check(rule.class_name.size() <= ingest::kMaxLabelValueBytes);
    Check(rule.tier.size() <= ingest::kMaxLabelValueBytes);
  }
  Check(c.class_tags.size() <= ingest::kMaxTagAliases);
  Check(c.tier_tags.size() <= ingest::kMaxTagAliases);
  Check(c.key_tags.size() <= ingest::kMaxTagAliases);
  const ingest::StatsdMapper mapper(c, 7);
  for (const std::string_view text :
       {"cache.hit:1|c|#class:user", "myapp.cache.users.hits:2|c", "x.y:3|ms|#cache_key:k"}) {
    ingest::StatsdLine line;
    ingest::Reject reason = ingest::Reject::kCount;
    if (!ingest::ParseStatsdLine(text, line, reason)) {
      continue;
    }
    ingest::AppEvent event;
    (void)mapper.Map(line, event, reason);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): bytes as chars
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const stampede::Result<stampede::config::FileConfig> file =
      stampede::config::ParseConfigText(text, "fuzz.yml");
  if (!file.ok()) {
    const std::string& message = file.status().message();
    Check(message.rfind("fuzz.yml:", 0) == 0);
    Check(message.size() > 9 && IsCleanMessage(message));
    return 0;
  }
  CheckClasses(file->classes);
  CheckStatsd(file->statsd);
  for (const auto& [key, value] : file->detectors) {
    Check(!key.empty() && std::isfinite(value));
  }
  return 0;
}
