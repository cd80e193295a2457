#include "sketch/invalidation_table.h"

#include <algorithm>

namespace stampede::sketch {

namespace {

std::size_t RoundUpPow2(std::size_t n) {
  std::size_t p = InvalidationTable::kProbe;
  while (p < n) {
    p <<= 1;
  }
  return p;
}

// 0 marks an empty slot.
std::uint64_t Stored(std::uint64_t hash) { return hash == 0 ? 1 : hash; }

}  // namespace

std::string_view CauseName(Cause cause) {
  switch (cause) {
    case Cause::kDel:
      return "del";
    case Cause::kExpired:
      return "expired";
    case Cause::kEvicted:
      return "evicted";
    case Cause::kFlush:
      return "flush";
  }
  return "unknown";
}

std::size_t InvalidationTable::BytesFor(std::size_t capacity) {
  return RoundUpPow2(capacity) * (sizeof(Slot) + sizeof(std::uint8_t));
}

InvalidationTable::InvalidationTable(std::size_t capacity, Clock::duration ttl)
    : slots_(RoundUpPow2(capacity)), tags_(slots_.size(), 0), mask_(slots_.size() - 1), ttl_(ttl) {}

bool InvalidationTable::Live(const Slot& s, Clock::time_point now) const {
  return s.hash != 0 && now.time_since_epoch().count() - s.at <= ttl_.count();
}

Invalidation InvalidationTable::ToValue(const Slot& s) {
  Invalidation v;
  v.at = Clock::time_point(Clock::duration(s.at));
  v.cause = s.cause;
  v.class_id = s.class_id;
  v.misses_since = s.misses_since;
  v.refilled = s.refilled;
  return v;
}

InvalidationTable::Slot* InvalidationTable::Locate(std::uint64_t hash, Clock::time_point now) {
  const std::uint64_t stored = Stored(hash);
  const std::uint8_t tag = Tag(stored);
  for (std::size_t i = 0; i < kProbe; ++i) {
    const std::size_t at = (stored + i) & mask_;
    if (tags_[at] != tag) {
      continue;  // not this key: its slot is not read
    }
    Slot& s = slots_[at];
    if (s.hash == stored) {
      return Live(s, now) ? &s : nullptr;
    }
  }
  return nullptr;
}

void InvalidationTable::Record(std::uint64_t hash, Cause cause, std::uint16_t class_id,
                               Clock::time_point now) {
  const std::uint64_t stored = Stored(hash);
  Slot* target = nullptr;
  Slot* free_slot = nullptr;
  Slot* oldest = nullptr;
  for (std::size_t i = 0; i < kProbe; ++i) {
    Slot& s = slots_[(stored + i) & mask_];
    if (s.hash == stored) {
      target = &s;
      break;
    }
    if (!Live(s, now)) {
      free_slot = free_slot != nullptr ? free_slot : &s;
    } else if (oldest == nullptr || s.at < oldest->at) {
      oldest = &s;
    }
  }
  if (target == nullptr) {
    target = free_slot;
  }
  if (target == nullptr) {
    target = oldest;
    ++overflow_;
  }
  *target = Slot{stored, now.time_since_epoch().count(), 0, class_id, cause, false};
  tags_[static_cast<std::size_t>(target - slots_.data())] = Tag(stored);
}

std::optional<Invalidation> InvalidationTable::Find(std::uint64_t hash,
                                                    Clock::time_point now) const {
  // Locate is logically const; it only hands out a pointer.
  const Slot* s = const_cast<InvalidationTable*>(this)->Locate(hash, now);
  if (s == nullptr) {
    return std::nullopt;
  }
  return ToValue(*s);
}

std::optional<Invalidation> InvalidationTable::OnMiss(std::uint64_t hash, Clock::time_point now) {
  Slot* s = Locate(hash, now);
  if (s == nullptr) {
    return std::nullopt;
  }
  if (s->misses_since < UINT32_MAX) {
    ++s->misses_since;
  }
  return ToValue(*s);
}

void InvalidationTable::OnRefill(std::uint64_t hash, Clock::time_point now) {
  if (Slot* s = Locate(hash, now)) {
    s->refilled = true;
  }
}

std::size_t InvalidationTable::Live(Clock::time_point now) const {
  return static_cast<std::size_t>(
      std::count_if(slots_.begin(), slots_.end(), [&](const Slot& s) { return Live(s, now); }));
}

}  // namespace stampede::sketch
