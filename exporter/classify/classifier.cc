#include "classify/classifier.h"

#include <algorithm>

#include "classify/glob.h"

namespace stampede::classify {

Classifier::Classifier(const ClassesConfig& config) : config_(config), trie_(1) {
  names_.push_back(config_.default_class.name);
  configs_.push_back(&config_.default_class);
  const std::size_t own = std::min(config_.classes.size(), kMaxClasses);
  for (std::size_t i = 0; i < own; ++i) {
    names_.push_back(config_.classes[i].name);
    configs_.push_back(&config_.classes[i]);
  }
  overflowed_ = config_.classes.size() - own;
  other_ = static_cast<ClassId>(names_.size());
  if (overflowed_ > 0) {
    names_.emplace_back(kOtherClassName);
    configs_.push_back(&config_.default_class);
  }
  for (std::size_t i = 0; i < config_.classes.size(); ++i) {
    const ClassId id = i < own ? static_cast<ClassId>(i + 1) : other_;
    for (const std::string& pattern : config_.classes[i].patterns) {
      const auto rule = static_cast<std::uint32_t>(rule_class_.size());
      rule_class_.push_back(id);
      GlobShape shape = AnalyzeGlob(pattern);
      switch (shape.kind) {
        case GlobShape::Kind::kExact:
          exact_.emplace(std::move(shape.literal), rule);  // keeps the earlier rule
          break;
        case GlobShape::Kind::kPrefix:
          AddPrefix(shape.literal, rule);
          break;
        case GlobShape::Kind::kGeneral:
          general_.push_back({rule, pattern});
          break;
      }
    }
  }
}

std::uint32_t Classifier::Child(std::uint32_t node, char c) const {
  for (const auto& [byte, child] : trie_[node].children) {
    if (byte == c) {
      return child;
    }
  }
  return kNoRule;
}

void Classifier::AddPrefix(const std::string& prefix, std::uint32_t rule) {
  std::uint32_t node = 0;
  for (const char c : prefix) {
    std::uint32_t next = Child(node, c);
    if (next == kNoRule) {
      next = static_cast<std::uint32_t>(trie_.size());
      trie_[node].children.emplace_back(c, next);
      trie_.emplace_back();
    }
    node = next;
  }
  trie_[node].rule = std::min(trie_[node].rule, rule);
}

ClassId Classifier::Classify(std::string_view key) const {
  std::uint32_t best = trie_[0].rule;
  std::uint32_t node = 0;
  for (const char c : key) {
    const std::uint32_t next = Child(node, c);
    if (next == kNoRule) {
      break;
    }
    node = next;
    best = std::min(best, trie_[node].rule);
  }
  if (!exact_.empty()) {
    if (const auto it = exact_.find(key); it != exact_.end()) {
      best = std::min(best, it->second);
    }
  }
  for (const General& g : general_) {
    if (g.rule >= best) {
      break;
    }
    if (GlobMatch(g.pattern, key)) {
      best = g.rule;
      break;
    }
  }
  return best == kNoRule ? kDefault : rule_class_[best];
}

}  // namespace stampede::classify
