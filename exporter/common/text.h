// Small ASCII text helpers shared by the parsers' error messages.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace stampede {

/// `text` in double quotes on one line, for an error message: quotes and backslashes are
/// escaped, control bytes become \xNN, and text longer than `max` bytes is cut with "...".
std::string QuoteForMessage(std::string_view text, std::size_t max = 64);

/// `text` with control bytes escaped as \xNN, so it stays on one line. Not quoted.
std::string EscapeControl(std::string_view text);

/// ASCII-only case-insensitive equality (locale-independent).
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

/// ASCII lower case of one byte; other bytes unchanged.
inline char AsciiLower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
inline bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsAsciiControl(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte < 0x20 || byte == 0x7f;
}

}  // namespace stampede
