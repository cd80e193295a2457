// The key classifier, from its configuration to its answers. The input is a config file, then
// optionally a line "%%" and keys to classify, one a line:
//     classes:
//       - {name: user, patterns: ["user:*", "u[0-9]?"]}
//     %%
//     user:1
//     u7x
// (without "%%", the first line doubles as the one key). The config part goes to the loader as
// a whole file and as the body of a `classes:` section; a parsed table builds a Classifier,
// and every key is classified. Traps when:
//  - an error of the section parser is not one line or lacks a position (YAML syntax errors
//    are yaml-cpp's; their text is not checked here);
//  - a parsed class breaks a documented bound;
//  - the classifier (trie, exact map, general globs) disagrees with the first matching glob;
//  - GlobMatch disagrees with a plain recursive matcher of the same syntax, or AnalyzeGlob's
//    exact/prefix shape disagrees with GlobMatch.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "classify/classifier.h"
#include "classify/glob.h"
#include "common/status.h"
#include "config/config_file.h"

namespace {

using stampede::classify::ClassesConfig;
using stampede::classify::Classifier;
using stampede::classify::GlobMatch;
using stampede::classify::GlobShape;

constexpr std::size_t kMaxKeys = 32;
// The reference matcher is O(pattern × key) with a table: bound both for speed.
constexpr std::size_t kMaxReferenceBytes = 256;

void Check(bool ok) {
  if (!ok) {
    __builtin_trap();
  }
}

// A `[...]` set starting after the '[' at pattern[i], as glob.h documents it: `^` negates,
// `a-z` is a range (either order), `\` escapes. Sets `next` past the ']'; false when unclosed.
bool ReferenceSet(std::string_view pattern, std::size_t i, unsigned char c, bool& matched,
                  std::size_t& next) {
  bool negate = false;
  if (i < pattern.size() && pattern[i] == '^') {
    negate = true;
    ++i;
  }
  bool found = false;
  while (i < pattern.size() && pattern[i] != ']') {
    auto lo = static_cast<unsigned char>(pattern[i]);
    if (lo == '\\' && i + 1 < pattern.size()) {
      lo = static_cast<unsigned char>(pattern[++i]);
    }
    if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
      i += 2;
      auto hi = static_cast<unsigned char>(pattern[i]);
      if (hi == '\\' && i + 1 < pattern.size()) {
        hi = static_cast<unsigned char>(pattern[++i]);
      }
      found = found || (c >= std::min(lo, hi) && c <= std::max(lo, hi));
    } else {
      found = found || c == lo;
    }
    ++i;
  }
  if (i >= pattern.size()) {
    return false;
  }
  next = i + 1;
  matched = found != negate;
  return true;
}

// Plain recursion over (pattern position, text position) with a memo table.
class ReferenceGlob {
 public:
  ReferenceGlob(std::string_view pattern, std::string_view text)
      : p_(pattern), t_(text), memo_((p_.size() + 1) * (t_.size() + 1), -1) {}
  bool Match() { return At(0, 0); }

 private:
  bool At(std::size_t pi, std::size_t ti) {
    signed char& m = memo_[pi * (t_.size() + 1) + ti];
    if (m < 0) {
      m = Compute(pi, ti) ? 1 : 0;
    }
    return m == 1;
  }
  bool Compute(std::size_t pi, std::size_t ti) {
    if (pi == p_.size()) {
      return ti == t_.size();
    }
    const char pc = p_[pi];
    if (pc == '*') {
      return At(pi + 1, ti) || (ti < t_.size() && At(pi, ti + 1));
    }
    if (ti == t_.size()) {
      return false;
    }
    const char tc = t_[ti];
    if (pc == '?') {
      return At(pi + 1, ti + 1);
    }
    if (pc == '[') {
      bool matched = false;
      std::size_t next = 0;
      if (ReferenceSet(p_, pi + 1, static_cast<unsigned char>(tc), matched, next)) {
        return matched && At(next, ti + 1);
      }
      return tc == '[' && At(pi + 1, ti + 1);  // an unclosed '[' is a literal
    }
    if (pc == '\\' && pi + 1 < p_.size()) {
      return p_[pi + 1] == tc && At(pi + 2, ti + 1);
    }
    return pc == tc && At(pi + 1, ti + 1);
  }

  std::string_view p_;
  std::string_view t_;
  std::vector<signed char> memo_;
};

void CheckGlob(const std::string& pattern, std::string_view key) {
  const bool got = GlobMatch(pattern, key);
  if (pattern.size() <= kMaxReferenceBytes && key.size() <= kMaxReferenceBytes) {
    Check(got == ReferenceGlob(pattern, key).Match());
  }
  const GlobShape shape = stampede::classify::AnalyzeGlob(pattern);
  switch (shape.kind) {
    case GlobShape::Kind::kExact:
      Check(GlobMatch(pattern, shape.literal));
      Check(got == (key == shape.literal));
      break;
    case GlobShape::Kind::kPrefix:
      Check(got == key.starts_with(shape.literal));
      break;
    case GlobShape::Kind::kGeneral:
      break;
  }
}

std::string Expected(const ClassesConfig& config, std::string_view key) {
  for (std::size_t i = 0; i < config.classes.size(); ++i) {
    for (const std::string& p : config.classes[i].patterns) {
      if (GlobMatch(p, key)) {
        return i < Classifier::kMaxClasses ? config.classes[i].name : "other";
      }
    }
  }
  return "default";
}

void Run(const std::string& text, const std::vector<std::string_view>& keys) {
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
  for (const std::string_view key : keys) {
    const stampede::classify::ClassId id = classifier.Classify(key);
    Check(id < classifier.size());
    Check(classifier.Name(id) == Expected(config, key));
    for (const auto& c : config.classes) {
      for (const std::string& p : c.patterns) {
        CheckGlob(p, key);
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): bytes as chars
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string_view config = input;
  std::vector<std::string_view> keys;
  if (const std::size_t split = input.find("\n%%\n"); split != std::string_view::npos) {
    config = input.substr(0, split + 1);
    std::string_view rest = input.substr(split + 4);
    while (!rest.empty() && keys.size() < kMaxKeys) {
      const std::size_t eol = rest.find('\n');
      keys.push_back(rest.substr(0, eol));
      rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 1);
    }
  } else {
    keys.push_back(input.substr(0, input.find('\n')));
  }
  keys.emplace_back("user:1");
  keys.emplace_back("");
  Run(std::string(config), keys);
  Run("classes:\n" + std::string(config), keys);
  return 0;
}
