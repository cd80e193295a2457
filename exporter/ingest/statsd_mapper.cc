#include "ingest/statsd_mapper.h"

#include <functional>
#include <string>
#include <vector>

#include "classify/glob.h"
#include "sketch/key_hash.h"

namespace stampede::ingest {

namespace {

bool MatchesAny(const std::vector<std::string>& globs, std::string_view name) {
  for (const std::string& glob : globs) {
    if (classify::GlobMatch(glob, name)) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::uint64_t HashKey(std::string_view key, std::uint64_t seed) {
  return sketch::KeyHash(key, 0, seed);
}

StatsdMapper::StatsdMapper(StatsdConfig config, std::uint64_t seed)
    : config_(std::move(config)), seed_(seed) {}

bool StatsdMapper::FindSignal(std::string_view name, Signal& signal,
                              const MetricRule*& rule) const {
  rule = nullptr;
  for (std::size_t i = 0; i < kSignals; ++i) {
    if (SignalStatsdName(static_cast<Signal>(i)) == name) {
      signal = static_cast<Signal>(i);
      return true;
    }
  }
  for (const MetricRule& r : config_.metrics) {
    if (classify::GlobMatch(r.match, name)) {
      signal = r.signal;
      rule = &r;
      return true;
    }
  }
  return false;
}

StatsdMapper::Outcome StatsdMapper::Map(const StatsdLine& line, AppEvent& out,
                                        Reject& reason) const {
  const MetricRule* rule = nullptr;
  Signal signal = Signal::kHit;
  if (!FindSignal(line.name, signal, rule)) {
    return Outcome::kIgnored;
  }
  const bool timing = line.type == StatsdType::kTimer || line.type == StatsdType::kHistogram ||
                      line.type == StatsdType::kDistribution;
  if (signal == Signal::kLoadTime ? !timing : line.type != StatsdType::kCounter) {
    reason = Reject::kWrongType;
    return Outcome::kRejected;
  }
  if (line.value < 0) {
    reason = Reject::kNegativeValue;
    return Outcome::kRejected;
  }
  out = AppEvent{};
  out.signal = signal;
  if (signal == Signal::kLoadTime) {
    out.seconds = line.value / 1000;
    out.weight = 1 / line.rate;
  } else {
    out.weight = line.value / line.rate;
  }
  for (const auto& [name, value] : line.tags) {
    if (name == "class" || MatchesAny(config_.class_tags, name)) {
      out.class_name = value;
    } else if (name == "tier" || MatchesAny(config_.tier_tags, name)) {
      out.tier = value;
    } else if (name == "key" || MatchesAny(config_.key_tags, name)) {
      out.key_hash = HashKey(value, seed_);
    }
  }
  if (rule != nullptr && !rule->class_name.empty()) {
    out.class_name = rule->class_name;
  }
  if (rule != nullptr && !rule->tier.empty()) {
    out.tier = rule->tier;
  }
  if (out.class_name.empty()) {
    out.class_name = kDefaultClass;
  }
  if (out.tier.empty()) {
    out.tier = kDefaultTier;
  }
  if (out.class_name.size() > kMaxLabelValueBytes || out.tier.size() > kMaxLabelValueBytes) {
    reason = Reject::kLabelTooLong;
    return Outcome::kRejected;
  }
  return Outcome::kAccepted;
}

}  // namespace stampede::ingest
