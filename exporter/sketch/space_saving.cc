#include "sketch/space_saving.h"

#include <algorithm>
#include <utility>

namespace stampede::sketch {

namespace {

std::size_t IndexSize(std::size_t capacity) {
  std::size_t n = 4;
  while (n < 4 * capacity) {
    n <<= 1;
  }
  return n;
}

}  // namespace

SpaceSaving::SpaceSaving(std::size_t capacity)
    : capacity_(std::max<std::size_t>(capacity, 1)),
      index_(IndexSize(capacity_)),
      index_mask_(index_.size() - 1) {
  nodes_.reserve(capacity_);
  buckets_.reserve(capacity_);
  free_buckets_.reserve(capacity_);
}

void SpaceSaving::Clear() {
  nodes_.clear();
  buckets_.clear();
  free_buckets_.clear();
  min_bucket_ = kNil;
  std::fill(index_.begin(), index_.end(), IndexSlot{});
  total_ = 0;
}

std::size_t SpaceSaving::IndexFind(std::uint64_t hash) const {
  std::size_t i = hash & index_mask_;
  while (index_[i].node != kNil && index_[i].hash != hash) {
    i = (i + 1) & index_mask_;
  }
  return i;
}

void SpaceSaving::IndexErase(std::uint64_t hash) {
  std::size_t hole = IndexFind(hash);
  if (index_[hole].node == kNil) {
    return;
  }
  // Backward-shift deletion: move later members of the probe run into the hole when their
  // home position allows it, so lookups never stop early at a gap.
  std::size_t i = hole;
  while (true) {
    i = (i + 1) & index_mask_;
    if (index_[i].node == kNil) {
      break;
    }
    const std::size_t home = index_[i].hash & index_mask_;
    // It must stay when its home is cyclically within (hole, i].
    const bool stays = hole <= i ? (hole < home && home <= i) : (hole < home || home <= i);
    if (!stays) {
      index_[hole] = index_[i];
      hole = i;
    }
  }
  index_[hole] = IndexSlot{};
}

std::uint32_t SpaceSaving::NewBucket(std::uint64_t count) {
  std::uint32_t b = 0;
  if (!free_buckets_.empty()) {
    b = free_buckets_.back();
    free_buckets_.pop_back();
    buckets_[b] = Bucket{};
  } else {
    b = static_cast<std::uint32_t>(buckets_.size());
    buckets_.emplace_back();
  }
  buckets_[b].count = count;
  return b;
}

std::uint32_t SpaceSaving::Detach(std::uint32_t node) {
  Node& n = nodes_[node];
  const std::uint32_t b = n.bucket;
  if (n.prev != kNil) {
    nodes_[n.prev].next = n.next;
  } else {
    buckets_[b].head = n.next;
  }
  if (n.next != kNil) {
    nodes_[n.next].prev = n.prev;
  }
  n.bucket = n.prev = n.next = kNil;
  if (buckets_[b].head != kNil) {
    return b;
  }
  // The bucket is empty: unlink and free it.
  const Bucket& bucket = buckets_[b];
  if (bucket.prev != kNil) {
    buckets_[bucket.prev].next = bucket.next;
  } else {
    min_bucket_ = bucket.next;
  }
  if (bucket.next != kNil) {
    buckets_[bucket.next].prev = bucket.prev;
  }
  free_buckets_.push_back(b);
  return bucket.prev;
}

void SpaceSaving::Attach(std::uint32_t node, std::uint32_t after) {
  const std::uint64_t count = nodes_[node].entry.count;
  std::uint32_t next = after == kNil ? min_bucket_ : buckets_[after].next;
  while (next != kNil && buckets_[next].count < count) {
    after = next;
    next = buckets_[next].next;
  }
  std::uint32_t b = next;
  if (b == kNil || buckets_[b].count != count) {
    b = NewBucket(count);
    buckets_[b].prev = after;
    buckets_[b].next = next;
    if (after != kNil) {
      buckets_[after].next = b;
    } else {
      min_bucket_ = b;
    }
    if (next != kNil) {
      buckets_[next].prev = b;
    }
  }
  Node& n = nodes_[node];
  n.bucket = b;
  n.prev = kNil;
  n.next = buckets_[b].head;
  if (n.next != kNil) {
    nodes_[n.next].prev = node;
  }
  buckets_[b].head = node;
}

void SpaceSaving::Offer(std::uint64_t hash, std::string_view key, std::uint64_t weight) {
  total_ += weight;
  const std::size_t at = IndexFind(hash);
  if (const std::uint32_t found = index_[at].node; found != kNil) {
    const std::uint32_t resume = Detach(found);
    nodes_[found].entry.count += weight;
    Attach(found, resume);
    return;
  }
  std::uint32_t node = 0;
  std::uint32_t resume = kNil;
  std::uint64_t base = 0;
  if (nodes_.size() < capacity_) {
    node = static_cast<std::uint32_t>(nodes_.size());
    nodes_.emplace_back();
  } else {
    node = buckets_[min_bucket_].head;  // a minimum: its count becomes the newcomer's error
    base = nodes_[node].entry.count;
    IndexErase(nodes_[node].entry.hash);
    resume = Detach(node);
  }
  Entry& e = nodes_[node].entry;
  e.truncated = key.size() > kMaxKeyBytes;
  e.key.assign(key.substr(0, kMaxKeyBytes));
  e.hash = hash;
  e.count = base + weight;
  e.error = base;
  index_[IndexFind(hash)] = IndexSlot{hash, node};
  Attach(node, resume);
}

const SpaceSaving::Entry* SpaceSaving::Find(std::uint64_t hash) const {
  const std::uint32_t found = index_[IndexFind(hash)].node;
  return found == kNil ? nullptr : &nodes_[found].entry;
}

std::vector<SpaceSaving::Entry> SpaceSaving::Top(std::size_t n) const {
  std::vector<Entry> out;
  out.reserve(nodes_.size());
  for (const Node& node : nodes_) {
    out.push_back(node.entry);
  }
  const auto by_count = [](const Entry& a, const Entry& b) {
    return a.count != b.count ? a.count > b.count : a.error < b.error;
  };
  const std::size_t k = std::min(n, out.size());
  std::partial_sort(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(k), out.end(), by_count);
  out.resize(k);
  return out;
}

}  // namespace stampede::sketch
