// Small ASCII text helpers shared by the parsers' error messages.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace stampede {

/// `text` in double quotes on one line, for an error message: quotes and backslashes are
/// escaped, control bytes and bytes that are not well-formed UTF-8 become \xNN, and text
/// longer than `max` bytes is cut with "..." (never within a UTF-8 sequence).
/// The length of the well-formed UTF-8 sequence (RFC 3629: no overlong forms, no surrogates,
/// nothing past U+10FFFF) starting at text[i], or 0 when none starts there. Pure.
std::size_t Utf8SequenceLength(std::string_view text, std::size_t i);

std::string QuoteForMessage(std::string_view text, std::size_t max = 64);

/// `text` with control bytes and bytes that are not well-formed UTF-8 escaped as \xNN, so it
/// stays one line of valid UTF-8. Not quoted.
std::string EscapeControl(std::string_view text);

/// EscapeControl of at most `max` bytes of `text` (never cut within a UTF-8 sequence), with
/// "..." when cut: untrusted names echoed unquoted in an error message or a field path (e.g.
/// an unknown JSON key).
std::string EscapeForMessage(std::string_view text, std::size_t max = 64);

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
