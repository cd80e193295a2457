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

/// The hash of `key` in database `db` under `seed`: the same key in two databases is two keys.
/// The Redis side (keyspace events) and the app side (reported keys, as db 0) use the same
/// seed, so a key's misses and its origin loads join. Stable for one seed within a build (not
/// across builds: never persist it). Pure, thread-safe.
inline std::uint64_t KeyHash(std::string_view key, int db, std::uint64_t seed = 0) {
  return Mix64(std::hash<std::string_view>{}(key) ^ Mix64(seed) ^
               (static_cast<std::uint64_t>(db) * 0x9e3779b97f4a7c15ULL));
}

}  // namespace stampede::sketch
