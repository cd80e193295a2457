#include "common/text.h"

#include <algorithm>
#include <cstdio>

namespace stampede {

namespace {

void AppendHexByte(std::string& out, char c) {
  char buf[8];
  std::snprintf(buf, sizeof(buf), "\\x%02x", static_cast<unsigned>(static_cast<unsigned char>(c)));
  out += buf;
}

// Appends at most `max` bytes of `text` (never half a UTF-8 sequence) to `out`: control bytes
// and bytes of no well-formed UTF-8 sequence as \xNN, and with `quote` '"' and '\' escaped.
// Returns whether `text` was cut.
bool AppendEscaped(std::string& out, std::string_view text, std::size_t max, bool quote) {
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t n = Utf8SequenceLength(text, i);
    if (i + std::max<std::size_t>(n, 1) > max) {
      return true;
    }
    const char c = text[i];
    if (n == 0 || IsAsciiControl(c)) {
      AppendHexByte(out, c);
      ++i;
      continue;
    }
    if (quote && (c == '"' || c == '\\')) {
      out += '\\';
    }
    out.append(text.substr(i, n));
    i += n;
  }
  return false;
}

}  // namespace

std::size_t Utf8SequenceLength(std::string_view text, std::size_t i) {
  const auto b0 = static_cast<unsigned char>(text[i]);
  if (b0 < 0x80) {
    return 1;
  }
  std::size_t n = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xbf;
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    n = 2;
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    n = 3;
    lo = b0 == 0xe0 ? 0xa0 : 0x80;
    hi = b0 == 0xed ? 0x9f : 0xbf;
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    n = 4;
    lo = b0 == 0xf0 ? 0x90 : 0x80;
    hi = b0 == 0xf4 ? 0x8f : 0xbf;
  } else {
    return 0;
  }
  if (text.size() - i < n) {
    return 0;
  }
  const auto b1 = static_cast<unsigned char>(text[i + 1]);
  if (b1 < lo || b1 > hi) {
    return 0;
  }
  for (std::size_t k = 2; k < n; ++k) {
    if ((static_cast<unsigned char>(text[i + k]) & 0xc0) != 0x80) {
      return 0;
    }
  }
  return n;
}

std::string QuoteForMessage(std::string_view text, std::size_t max) {
  std::string out = "\"";
  if (AppendEscaped(out, text, max, true)) {
    out += "...";
  }
  out += '"';
  return out;
}

std::string EscapeControl(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  AppendEscaped(out, text, text.size(), false);
  return out;
}

std::string EscapeForMessage(std::string_view text, std::size_t max) {
  std::string out;
  if (AppendEscaped(out, text, max, false)) {
    out += "...";
  }
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) {
      return false;
    }
  }
  return true;
}

}  // namespace stampede
