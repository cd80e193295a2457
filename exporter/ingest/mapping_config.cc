#include "ingest/mapping_config.h"

#include <string_view>

#include "common/text.h"
#include "config/config_file.h"

namespace stampede::ingest {

namespace {

Result<Signal> SignalByName(const YAML::Node& node) {
  const std::string name = node.Scalar();
  for (std::size_t i = 0; i < kSignals; ++i) {
    if (SignalStatsdName(static_cast<Signal>(i)) == name) {
      return static_cast<Signal>(i);
    }
  }
  return config::ErrorAt(node, "statsd.metrics: unknown name " + QuoteForMessage(name) +
                                   " (want cache.hit, cache.miss, cache.load, cache.load.time, "
                                   "cache.coalesced, cache.stale or cache.lock_wait)");
}

// A non-empty scalar string of at most `max` bytes.
Result<std::string> ShortString(const YAML::Node& node, std::string_view what, std::size_t max) {
  if (!node.IsScalar() || node.Scalar().empty()) {
    return config::ErrorAt(node, std::string(what) + ": want a non-empty string");
  }
  if (node.Scalar().size() > max) {
    return config::ErrorAt(node,
                           std::string(what) + ": longer than " + std::to_string(max) + " bytes");
  }
  return node.Scalar();
}

Status ParseRule(const YAML::Node& node, MetricRule& rule) {
  if (!node.IsMap()) {
    return config::ErrorAt(node, "statsd.metrics: each rule is a map {match, name[, class, tier]}");
  }
  bool has_match = false;
  bool has_name = false;
  for (const auto& kv : node) {
    const std::string key = kv.first.Scalar();
    if (key == "match") {
      Result<std::string> s = ShortString(kv.second, "statsd.metrics.match", 256);
      if (!s.ok()) {
        return s.status();
      }
      rule.match = *s;
      has_match = true;
    } else if (key == "name") {
      if (!kv.second.IsScalar()) {
        return config::ErrorAt(kv.second, "statsd.metrics.name: want a string");
      }
      Result<Signal> signal = SignalByName(kv.second);
      if (!signal.ok()) {
        return signal.status();
      }
      rule.signal = *signal;
      has_name = true;
    } else if (key == "class" || key == "tier") {
      Result<std::string> s = ShortString(kv.second, "statsd.metrics." + key, kMaxLabelValueBytes);
      if (!s.ok()) {
        return s.status();
      }
      (key == "class" ? rule.class_name : rule.tier) = *s;
    } else {
      return config::ErrorAt(kv.first, "statsd.metrics: unknown key " + QuoteForMessage(key) +
                                           " (want match, name, class or tier)");
    }
  }
  if (!has_match || !has_name) {
    return config::ErrorAt(
        node, std::string("statsd.metrics: rule without ") + (has_match ? "name" : "match"));
  }
  return Status::Ok();
}

Status ParseAliases(const YAML::Node& node, const std::string& what,
                    std::vector<std::string>& out) {
  if (node.IsScalar()) {
    Result<std::string> s = ShortString(node, what, 256);
    if (!s.ok()) {
      return s.status();
    }
    out.push_back(*s);
    return Status::Ok();
  }
  if (!node.IsSequence()) {
    return config::ErrorAt(node, what + ": want a tag name glob or a list of them");
  }
  if (node.size() > kMaxTagAliases) {
    return config::ErrorAt(node, what + ": at most " + std::to_string(kMaxTagAliases));
  }
  for (const auto& item : node) {
    Result<std::string> s = ShortString(item, what, 256);
    if (!s.ok()) {
      return s.status();
    }
    out.push_back(*s);
  }
  return Status::Ok();
}

}  // namespace

Status ParseStatsdSection(const YAML::Node& node, StatsdConfig& out) {
  if (!node.IsDefined() || node.IsNull()) {
    return Status::Ok();
  }
  if (!node.IsMap()) {
    return config::ErrorAt(node, "statsd: want a map with metrics and/or tags");
  }
  StatsdConfig parsed;
  for (const auto& kv : node) {
    const std::string key = kv.first.Scalar();
    if (key == "metrics") {
      if (!kv.second.IsSequence()) {
        return config::ErrorAt(kv.second, "statsd.metrics: want a list of rules");
      }
      if (kv.second.size() > kMaxMetricRules) {
        return config::ErrorAt(
            kv.second, "statsd.metrics: at most " + std::to_string(kMaxMetricRules) + " rules");
      }
      for (const auto& item : kv.second) {
        MetricRule rule;
        if (Status s = ParseRule(item, rule); !s.ok()) {
          return s;
        }
        parsed.metrics.push_back(std::move(rule));
      }
    } else if (key == "tags") {
      if (!kv.second.IsMap()) {
        return config::ErrorAt(kv.second, "statsd.tags: want a map {class, tier, key}");
      }
      for (const auto& tag : kv.second) {
        const std::string label = tag.first.Scalar();
        std::vector<std::string>* target = label == "class"  ? &parsed.class_tags
                                           : label == "tier" ? &parsed.tier_tags
                                           : label == "key"  ? &parsed.key_tags
                                                             : nullptr;
        if (target == nullptr) {
          return config::ErrorAt(tag.first, "statsd.tags: unknown key " + QuoteForMessage(label) +
                                                " (want class, tier or key)");
        }
        if (Status s = ParseAliases(tag.second, "statsd.tags." + label, *target); !s.ok()) {
          return s;
        }
      }
    } else {
      return config::ErrorAt(
          kv.first, "statsd: unknown key " + QuoteForMessage(key) + " (want metrics or tags)");
    }
  }
  out = std::move(parsed);
  return Status::Ok();
}

}  // namespace stampede::ingest
