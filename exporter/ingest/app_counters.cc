#include "ingest/app_counters.h"

#include <algorithm>

namespace stampede::ingest {

AppCounterStore::AppCounterStore(Options options) : options_(options) {}

std::size_t AppCounterStore::Intern(std::vector<std::string>& values, std::string_view value,
                                    std::size_t max, std::uint64_t& overflows) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values[i] == value) {
      return i;
    }
  }
  // One slot stays free for `other`.
  if (values.size() + 1 < max || value == kOverflowValue) {
    values.emplace_back(value);
    return values.size() - 1;
  }
  ++overflows;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values[i] == kOverflowValue) {
      return i;
    }
  }
  values.emplace_back(kOverflowValue);
  return values.size() - 1;
}

void AppCounterStore::Apply(std::span<const AppEvent> events) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const AppEvent& e : events) {
    if (e.key_only) {
      std::uint64_t counted_with_its_counts = 0;  // the event's counts carry the overflow
      CountKey(e, Intern(classes_, e.class_name, options_.max_classes, counted_with_its_counts));
      continue;
    }
    const std::size_t c = Intern(classes_, e.class_name, options_.max_classes, class_overflows_);
    const std::size_t t = Intern(tiers_, e.tier, options_.max_tiers, tier_overflows_);
    SeriesCounts& s = series_[{c, t}];
    s.counts[static_cast<std::size_t>(e.signal)] += e.weight;
    if (e.signal == Signal::kLoadTime) {
      const auto bucket =
          std::lower_bound(kLoadSecondsBuckets.begin(), kLoadSecondsBuckets.end(), e.seconds) -
          kLoadSecondsBuckets.begin();
      if (static_cast<std::size_t>(bucket) < s.load_buckets.size()) {
        s.load_buckets[static_cast<std::size_t>(bucket)] += e.weight;
      }
      s.load_seconds_sum += e.seconds * e.weight;
    }
    CountKey(e, c);
  }
}

void AppCounterStore::CountKey(const AppEvent& e, std::size_t class_index) {
  if (!e.key_hash || (e.signal != Signal::kMiss && e.signal != Signal::kLoad)) {
    return;
  }
  auto it = keys_.find(*e.key_hash);
  if (it == keys_.end()) {
    if (keys_.size() >= options_.max_key_hashes) {
      ++key_overflows_;
      return;
    }
    it = keys_
             .emplace(*e.key_hash,
                      KeyCounts{*e.key_hash, static_cast<std::uint16_t>(class_index), 0, 0})
             .first;
  }
  (e.signal == Signal::kMiss ? it->second.misses : it->second.loads) += e.weight;
}

AppCounterStore::Snapshot AppCounterStore::Read() const {
  std::lock_guard<std::mutex> lock(mu_);
  Snapshot out;
  for (const auto& [index, counts] : series_) {
    out.series[{classes_[index.first], tiers_[index.second]}] = counts;
  }
  out.class_overflows = class_overflows_;
  out.tier_overflows = tier_overflows_;
  out.key_overflows = key_overflows_;
  out.key_hashes = keys_.size();
  return out;
}

std::vector<KeyCounts> AppCounterStore::KeyTable() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<KeyCounts> out;
  out.reserve(keys_.size());
  for (const auto& [hash, counts] : keys_) {
    out.push_back(counts);
  }
  return out;
}

std::vector<std::string> AppCounterStore::ClassNames() const {
  std::lock_guard<std::mutex> lock(mu_);
  return classes_;
}

std::vector<KeyCounts> AppCounterStore::DrainKeyTable() {
  std::unordered_map<std::uint64_t, KeyCounts> taken;
  {
    std::lock_guard<std::mutex> lock(mu_);
    taken.swap(keys_);
  }
  std::vector<KeyCounts> out;
  out.reserve(taken.size());
  for (const auto& [hash, counts] : taken) {
    out.push_back(counts);
  }
  return out;
}

}  // namespace stampede::ingest
