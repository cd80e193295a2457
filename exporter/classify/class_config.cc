#include "classify/class_config.h"

#include <set>
#include <utility>

#include "common/duration.h"
#include "common/text.h"
#include "config/config_file.h"
#include "redis/info_parser.h"

namespace stampede::classify {

namespace {

using config::ErrorAt;

struct StrategyName {
  RefreshStrategy strategy;
  std::string_view name;
};
constexpr StrategyName kStrategies[] = {
    {RefreshStrategy::kUnknown, "unknown"},
    {RefreshStrategy::kCacheAside, "cache_aside"},
    {RefreshStrategy::kLock, "lock"},
    {RefreshStrategy::kSingleFlight, "single_flight"},
    {RefreshStrategy::kStaleWhileRevalidate, "stale_while_revalidate"},
    {RefreshStrategy::kEarlyRefresh, "early_refresh"},
    {RefreshStrategy::kWriteThrough, "write_through"},
};

constexpr std::string_view kClassKeys[] = {"name",    "ttl",      "patterns", "expected_hit_ratio",
                                           "refresh", "overrides"};
constexpr std::string_view kClassKeysText =
    "name, patterns, expected_hit_ratio, ttl, refresh, overrides";

bool IsClassKey(std::string_view key) {
  for (const std::string_view k : kClassKeys) {
    if (k == key) {
      return true;
    }
  }
  return false;
}

bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// A label-safe identifier: [a-z_][a-z0-9_]*.
bool IsIdentifier(std::string_view s) {
  if (s.empty() || IsDigit(s.front())) {
    return false;
  }
  for (const char c : s) {
    if (!IsLower(c) && !IsDigit(c) && c != '_') {
      return false;
    }
  }
  return true;
}

// `<detector>.<option>`: detector d1..d7 or dq, option an identifier.
bool IsOverrideKey(std::string_view s) {
  const std::size_t dot = s.find('.');
  if (dot == std::string_view::npos) {
    return false;
  }
  const std::string_view detector = s.substr(0, dot);
  const bool known = detector == "dq" || (detector.size() == 2 && detector[0] == 'd' &&
                                          detector[1] >= '1' && detector[1] <= '7');
  return known && IsIdentifier(s.substr(dot + 1));
}

// `text` quoted, escaped (control bytes, invalid UTF-8, quotes) and cut for an error message.
std::string Quoted(std::string_view text) { return QuoteForMessage(text, 64); }

Result<std::string> Scalar(const YAML::Node& node, std::string_view what) {
  if (!node.IsScalar()) {
    return ErrorAt(node, std::string(what) + " must be a single value");
  }
  return node.Scalar();
}

Result<double> Number(const YAML::Node& node, std::string_view what) {
  Result<std::string> text = Scalar(node, what);
  if (!text.ok()) {
    return text.status();
  }
  const std::optional<double> value = redis::ParseNumber(*text);
  if (!value.has_value()) {
    return ErrorAt(node, std::string(what) + " must be a number, got " + Quoted(*text));
  }
  return *value;
}

Status ParseName(const YAML::Node& node, KeyClass& out) {
  Result<std::string> name = Scalar(node, "name");
  if (!name.ok()) {
    return name.status();
  }
  if (name->size() > kMaxClassNameBytes || !IsIdentifier(*name)) {
    return ErrorAt(node, "class name " + Quoted(*name) +
                             " must be lower case letters, digits and '_', not starting with a "
                             "digit, at most 64 bytes");
  }
  if (*name == kOtherClassName) {
    return ErrorAt(node, "class name \"other\" is reserved for keys of classes over the limit");
  }
  if (*name == kAllClassName) {
    return ErrorAt(node, "class name \"all\" is reserved for node-wide detections");
  }
  out.name = std::move(name).value();
  return Status::Ok();
}

Status AddPattern(const YAML::Node& node, KeyClass& out) {
  Result<std::string> pattern = Scalar(node, "a pattern");
  if (!pattern.ok()) {
    return pattern.status();
  }
  if (pattern->empty()) {
    return ErrorAt(node, "a pattern must not be empty (use \"*\" to match every key)");
  }
  if (pattern->size() > kMaxPatternBytes) {
    return ErrorAt(node, "a pattern must be at most 512 bytes");
  }
  if (out.patterns.size() >= kMaxPatternsPerClass) {
    return ErrorAt(node, "a class may have at most 256 patterns");
  }
  out.patterns.push_back(std::move(pattern).value());
  return Status::Ok();
}

Status ParsePatterns(const YAML::Node& node, KeyClass& out) {
  if (node.IsScalar()) {
    return AddPattern(node, out);
  }
  if (!node.IsSequence() || node.size() == 0) {
    return ErrorAt(node, "patterns must be a glob or a non-empty list of globs");
  }
  for (const YAML::Node& item : node) {
    if (Status s = AddPattern(item, out); !s.ok()) {
      return s;
    }
  }
  return Status::Ok();
}

Status ParseRefresh(const YAML::Node& node, KeyClass& out) {
  Result<std::string> text = Scalar(node, "refresh");
  if (!text.ok()) {
    return text.status();
  }
  for (const StrategyName& s : kStrategies) {
    if (s.name == *text) {
      out.refresh = s.strategy;
      return Status::Ok();
    }
  }
  return ErrorAt(node, "unknown refresh strategy " + Quoted(*text) +
                           " (want cache_aside, lock, single_flight, stale_while_revalidate, "
                           "early_refresh, write_through or unknown)");
}

}  // namespace

Status ParseOverrides(const YAML::Node& node, Overrides& out) {
  if (node.IsNull()) {
    return Status::Ok();
  }
  if (!node.IsMap()) {
    return ErrorAt(node, "overrides must be a mapping of <detector>.<option>: number");
  }
  for (const auto& entry : node) {
    Result<std::string> key = Scalar(entry.first, "an override key");
    if (!key.ok()) {
      return key.status();
    }
    if (!IsOverrideKey(*key)) {
      return ErrorAt(entry.first, "override key " + Quoted(*key) +
                                      " must be <detector>.<option> with detector d1..d7 or dq, "
                                      "e.g. d1.min_misses_per_second");
    }
    if (out.count(*key) != 0) {
      return ErrorAt(entry.first, "override " + Quoted(*key) + " given twice");
    }
    if (out.size() >= kMaxOverrides) {
      return ErrorAt(entry.first, "a class may have at most 64 overrides");
    }
    Result<double> value = Number(entry.second, "override " + Quoted(*key));
    if (!value.ok()) {
      return value.status();
    }
    out.emplace(std::move(key).value(), *value);
  }
  return Status::Ok();
}

namespace {

Status ParseField(const std::string& key, const YAML::Node& value, KeyClass& out) {
  if (key == "name") {
    return ParseName(value, out);
  }
  if (key == "patterns") {
    return ParsePatterns(value, out);
  }
  if (key == "expected_hit_ratio") {
    Result<double> ratio = Number(value, "expected_hit_ratio");
    if (!ratio.ok()) {
      return ratio.status();
    }
    if (*ratio < 0 || *ratio > 1) {
      return ErrorAt(value, "expected_hit_ratio must be between 0 and 1");
    }
    out.expected_hit_ratio = *ratio;
    return Status::Ok();
  }
  if (key == "ttl") {
    Result<std::string> text = Scalar(value, "ttl");
    if (!text.ok()) {
      return text.status();
    }
    Result<std::chrono::milliseconds> ttl = ParseDuration(*text);
    if (!ttl.ok() || ttl->count() <= 0) {
      return ErrorAt(value,
                     "ttl must be a positive duration such as 30s or 5m, got " + Quoted(*text));
    }
    out.ttl = *ttl;
    return Status::Ok();
  }
  if (key == "refresh") {
    return ParseRefresh(value, out);
  }
  if (key == "overrides") {
    return ParseOverrides(value, out.overrides);
  }
  return Status::Error("");  // unreachable: keys are checked by the caller
}

Status ParseClass(const YAML::Node& node, KeyClass& out) {
  if (!node.IsMap()) {
    return ErrorAt(node,
                   "each class must be a mapping with the keys " + std::string(kClassKeysText));
  }
  std::set<std::string> seen;
  for (const auto& entry : node) {
    Result<std::string> key = Scalar(entry.first, "a class key");
    if (!key.ok()) {
      return key.status();
    }
    if (!IsClassKey(*key)) {
      return ErrorAt(entry.first, "unknown key " + Quoted(*key) + " in a class (want " +
                                      std::string(kClassKeysText) + ")");
    }
    if (!seen.insert(*key).second) {
      return ErrorAt(entry.first, Quoted(*key) + " given twice in one class");
    }
    if (Status s = ParseField(*key, entry.second, out); !s.ok()) {
      return s;
    }
  }
  if (out.name.empty()) {
    return ErrorAt(node, "a class needs a name");
  }
  if (out.name == kDefaultClassName) {
    if (!out.patterns.empty()) {
      return ErrorAt(node,
                     "the default class takes the keys no pattern matches; it has no patterns");
    }
  } else if (out.patterns.empty()) {
    return ErrorAt(node, "class " + Quoted(out.name) + " needs patterns");
  }
  return Status::Ok();
}

}  // namespace

std::string_view RefreshStrategyName(RefreshStrategy s) {
  for (const StrategyName& entry : kStrategies) {
    if (entry.strategy == s) {
      return entry.name;
    }
  }
  return "unknown";
}

Status ParseClassesSection(const YAML::Node& node, ClassesConfig& out) {
  out = ClassesConfig{};
  if (node.IsNull()) {
    return Status::Ok();
  }
  if (!node.IsSequence()) {
    return ErrorAt(node, "classes must be a list of classes, each with a name and patterns");
  }
  if (node.size() > kMaxClassEntries) {
    return ErrorAt(node, "at most 1024 classes may be listed");
  }
  std::set<std::string> names;
  for (const YAML::Node& item : node) {
    KeyClass c;
    if (Status s = ParseClass(item, c); !s.ok()) {
      return s;
    }
    if (!names.insert(c.name).second) {
      return ErrorAt(item, "class " + Quoted(c.name) + " is listed twice");
    }
    if (c.name == kDefaultClassName) {
      out.default_class = std::move(c);
    } else {
      out.classes.push_back(std::move(c));
    }
  }
  return Status::Ok();
}

}  // namespace stampede::classify
