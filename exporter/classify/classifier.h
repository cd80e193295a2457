// Key → class: the class table compiled into a prefix trie, an exact-key map and a short list
// of general globs, with first-match-wins order over all of them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "classify/class_config.h"

namespace stampede::classify {

/// A class index: 0 is the default class, 1..n the configured classes in file order, and
/// n+1 is `other` when the table had more than kMaxClasses classes.
using ClassId = std::uint16_t;

/// Immutable after construction: thread-safe for concurrent Classify calls.
/// Cost per key: O(key length) for the trie and the exact map, plus the general globs listed
/// before the best match so far (patterns such as `a*b` or `?x`; `prefix*` and exact keys are
/// free). Memory: one trie node per distinct prefix byte.
class Classifier {
 public:
  /// Classes beyond this many get no label of their own: their keys count as `other`.
  static constexpr std::size_t kMaxClasses = 64;
  static constexpr ClassId kDefault = 0;

  explicit Classifier(const ClassesConfig& config);
  Classifier(const Classifier&) = delete;  // configs_ points into config_
  Classifier& operator=(const Classifier&) = delete;

  ClassId Classify(std::string_view key) const;

  /// Number of class ids (default, configured up to kMaxClasses, and `other` if needed).
  std::size_t size() const { return names_.size(); }
  /// The label value of `id`.
  const std::string& Name(ClassId id) const { return names_[id]; }
  /// The id of `other`, or size() when no class overflowed.
  ClassId other() const { return other_; }
  /// Classes of the file folded into `other`.
  std::size_t overflowed_classes() const { return overflowed_; }
  /// The class's configuration; `other` returns the default class's.
  const KeyClass& Config(ClassId id) const { return *configs_[id]; }

 private:
  static constexpr std::uint32_t kNoRule = UINT32_MAX;
  struct Node {
    std::vector<std::pair<char, std::uint32_t>> children;  // byte → node index
    std::uint32_t rule = kNoRule;  // the earliest rule whose prefix ends here
  };
  struct General {
    std::uint32_t rule;
    std::string pattern;
  };
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  void AddPrefix(const std::string& prefix, std::uint32_t rule);
  /// The child of trie node `node` for byte `c`, or kNoRule.
  std::uint32_t Child(std::uint32_t node, char c) const;

  std::vector<std::string> names_;
  std::vector<const KeyClass*> configs_;
  ClassesConfig config_;  // owns what configs_ points into
  ClassId other_;
  std::size_t overflowed_ = 0;
  std::vector<ClassId> rule_class_;  // rule index → class id
  std::vector<Node> trie_;
  std::unordered_map<std::string, std::uint32_t, Hash, std::equal_to<>> exact_;
  std::vector<General> general_;  // in rule order
};

}  // namespace stampede::classify
