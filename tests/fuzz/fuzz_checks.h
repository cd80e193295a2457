// Property checks shared by the fuzz targets: a failed check traps, which libFuzzer reports as
// a crash with the input (and the replay test as a failure).
#pragma once

#include <cstddef>
#include <string_view>

namespace stampede::fuzz {

inline void Check(bool ok) {
  if (!ok) {
    __builtin_trap();
  }
}

/// True when `text` has a control byte (< 0x20 or 0x7f): a message that echoes untrusted
/// input without escaping it.
inline bool HasControl(std::string_view text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      return true;
    }
  }
  return false;
}

/// Well-formed UTF-8 (RFC 3629), written independently of the code under test.
inline bool IsUtf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto b = static_cast<unsigned char>(text[i]);
    std::size_t n = 0;
    unsigned cp = 0;
    if (b < 0x80) {
      ++i;
      continue;
    } else if ((b & 0xe0) == 0xc0) {
      n = 2;
      cp = b & 0x1fu;
    } else if ((b & 0xf0) == 0xe0) {
      n = 3;
      cp = b & 0x0fu;
    } else if ((b & 0xf8) == 0xf0) {
      n = 4;
      cp = b & 0x07u;
    } else {
      return false;
    }
    if (text.size() - i < n) {
      return false;
    }
    for (std::size_t k = 1; k < n; ++k) {
      const auto c = static_cast<unsigned char>(text[i + k]);
      if ((c & 0xc0) != 0x80) {
        return false;
      }
      cp = (cp << 6) | (c & 0x3fu);
    }
    const unsigned min = n == 2 ? 0x80 : n == 3 ? 0x800 : 0x10000;
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      return false;
    }
    i += n;
  }
  return true;
}

/// What every error message must be: non-empty, one line of valid UTF-8 without control bytes.
inline bool IsCleanMessage(std::string_view text) {
  return !text.empty() && !HasControl(text) && IsUtf8(text);
}

}  // namespace stampede::fuzz
