// Feeds arbitrary bytes as a config file to the `classes:` parser (wrapped as the section and
// as a whole file) and, when it parses, to the classifier. Traps when:
//  - an error of the section parser is not one line or lacks a position (YAML syntax errors
//    are yaml-cpp's; their text is not checked here);
//  - a parsed class breaks a documented bound;
//  - the classifier disagrees with the first matching glob for a few probe keys.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "classify/classifier.h"
#include "classify/glob.h"
#include "common/status.h"
#include "config/config_file.h"

namespace {

using stampede::classify::ClassesConfig;
using stampede::classify::Classifier;

void Check(bool ok) {
  if (!ok) {
    __builtin_trap();
  }
}

std::string Expected(const ClassesConfig& config, std::string_view key) {
  for (std::size_t i = 0; i < config.classes.size(); ++i) {
    for (const std::string& p : config.classes[i].patterns) {
      if (stampede::classify::GlobMatch(p, key)) {
        return i < Classifier::kMaxClasses ? config.classes[i].name : "other";
      }
    }
  }
  return "default";
}

void Run(const std::string& text, std::string_view probe) {
  const auto got = stampede::config::ParseConfigText(text, "f.yml");
  if (!got.ok()) {
    Check(got.status().message().rfind("f.yml:", 0) == 0);
  }
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception&) {
    return;  // a syntax error: the loader's business
  }
  if (!root.IsMap() || !root["classes"]) {
    return;
  }
  ClassesConfig config;
  const stampede::Status status = stampede::classify::ParseClassesSection(root["classes"], config);
  if (!status.ok()) {
    const std::string& m = status.message();
    Check(m.find_first_of("\r\n") == std::string::npos);
    Check(!m.empty() && m[0] >= '1' && m[0] <= '9');  // "<line>:<column>: reason"
    return;
  }
  Check(config.classes.size() <= stampede::classify::kMaxClassEntries);
  for (const auto& c : config.classes) {
    Check(!c.patterns.empty() && c.patterns.size() <= stampede::classify::kMaxPatternsPerClass);
    Check(!c.name.empty() && c.name.size() <= stampede::classify::kMaxClassNameBytes);
    Check(!c.expected_hit_ratio || (*c.expected_hit_ratio >= 0 && *c.expected_hit_ratio <= 1));
  }
  const Classifier classifier(config);
  for (const std::string_view key : {probe, std::string_view("user:1"), std::string_view("")}) {
    Check(classifier.Name(classifier.Classify(key)) == Expected(config, key));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): bytes as chars
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  // The first line doubles as a probe key for the classifier.
  const std::string_view probe = input.substr(0, input.find('\n'));
  Run(std::string(input), probe);
  Run("classes:\n" + std::string(input), probe);
  return 0;
}
