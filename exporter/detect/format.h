// Numbers and keys as the incident timeline and logs print them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace stampede::detect {

/// 9800 → "9,800"; 0.5 → "0.5"; rounded to a whole number from 100 up.
std::string FormatCount(double value);
/// 0.953 → "0.95".
std::string FormatRatio(double value);
/// The 16 hex digits of a key hash: the `key_hash` label value.
std::string HashHex(std::uint64_t hash);

}  // namespace stampede::detect
