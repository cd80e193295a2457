// The 64-bit key hash every sketch and table shares: raw keys stay out of long-lived state.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

namespace stampede::sketch {

/// SplitMix64's finalizer: spreads any 64-bit value over all bits (HyperLogLog needs that).
constexpr std::uint64_t Mix64(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

/// The hash of `key` in database `db`: the same key in two databases is two keys. Stable
/// within a process (not across builds: never persist it). Pure, thread-safe.
inline std::uint64_t KeyHash(std::string_view key, int db) {
  return Mix64(std::hash<std::string_view>{}(key) ^
               (static_cast<std::uint64_t>(db) * 0x9e3779b97f4a7c15ULL));
}

}  // namespace stampede::sketch
