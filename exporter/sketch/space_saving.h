// Space-Saving top-K (Metwally, Agrawal, El Abbadi 2005): which keys take the most misses.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace stampede::sketch {

/// Keeps `capacity` counters. Guarantees (N = total weight offered): a key's true count f
/// satisfies count - error <= f <= count; every key with f > N / capacity is present. Keys are
/// stored truncated to kMaxKeyBytes (the only raw key bytes the exporter keeps). Offer is
/// O(1) (Stream-Summary buckets) and allocates nothing once the keys fit. Memory: about capacity ×
/// 200 bytes. Thread-compatible.
class SpaceSaving {
 public:
  static constexpr std::size_t kMaxKeyBytes = 96;

  struct Entry {
    std::string key;  // at most kMaxKeyBytes bytes
    bool truncated = false;
    std::uint64_t hash = 0;
    std::uint64_t count = 0;  // an upper bound of the true count
    std::uint64_t error = 0;  // count - error is a lower bound
  };

  /// `capacity` is at least 1.
  explicit SpaceSaving(std::size_t capacity);

  /// Counts `weight` for the key with this hash; `key` is copied only when the key enters.
  void Offer(std::uint64_t hash, std::string_view key, std::uint64_t weight = 1);
  /// The `n` largest counts, largest first (ties: smaller error first).
  std::vector<Entry> Top(std::size_t n) const;
  /// The entry for `hash`, if tracked.
  const Entry* Find(std::uint64_t hash) const;

  std::uint64_t total() const { return total_; }
  std::size_t size() const { return nodes_.size(); }
  std::size_t capacity() const { return capacity_; }
  void Clear();

 private:
  static constexpr std::uint32_t kNil = UINT32_MAX;
  // Stream-Summary: buckets of equal count in ascending order, each a list of its entries.
  struct Node {
    Entry entry;
    std::uint32_t bucket = kNil;
    std::uint32_t prev = kNil;
    std::uint32_t next = kNil;
  };
  struct Bucket {
    std::uint64_t count = 0;
    std::uint32_t head = kNil;
    std::uint32_t prev = kNil;
    std::uint32_t next = kNil;
  };

  // Moves `node` (detached, entry.count already final) into the bucket of its count, looking
  // forward from the bucket after `after` (kNil: from the smallest).
  void Attach(std::uint32_t node, std::uint32_t after);
  // Takes `node` out of its bucket; returns the bucket before it when the bucket was freed,
  // else the bucket itself (where to resume the search in Attach).
  std::uint32_t Detach(std::uint32_t node);
  std::uint32_t NewBucket(std::uint64_t count);

  // The hash index: open addressing with linear probing, at most a quarter full.
  std::size_t IndexFind(std::uint64_t hash) const;  // the position of hash, or an empty one
  void IndexErase(std::uint64_t hash);

  std::size_t capacity_;
  std::vector<Node> nodes_;
  std::vector<Bucket> buckets_;
  std::vector<std::uint32_t> free_buckets_;
  std::uint32_t min_bucket_ = kNil;
  struct IndexSlot {
    std::uint64_t hash = 0;
    std::uint32_t node = kNil;  // kNil: empty
  };
  std::vector<IndexSlot> index_;  // by hash; probes never touch the nodes
  std::size_t index_mask_;
  std::uint64_t total_ = 0;
};

}  // namespace stampede::sketch
