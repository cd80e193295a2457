#include "ingest/statsd_parser.h"

#include <charconv>
#include <cmath>
#include <cstdint>

namespace stampede::ingest {

namespace {

// A decimal number as StatsD clients write it: optional sign, digits, fraction, exponent.
// Finite only.
bool ParseNumber(std::string_view text, double& out) {
  if (text.empty()) {
    return false;
  }
  std::string_view digits = text;
  if (digits.front() == '+') {  // from_chars does not take '+'
    digits.remove_prefix(1);
    if (digits.empty() || digits.front() == '-' || digits.front() == '+') {
      return false;
    }
  }
  const char* end = digits.data() + digits.size();
  const auto [ptr, ec] = std::from_chars(digits.data(), end, out, std::chars_format::general);
  return ec == std::errc() && ptr == end && std::isfinite(out);
}

bool ParseType(std::string_view text, StatsdType& out) {
  if (text == "c") {
    out = StatsdType::kCounter;
  } else if (text == "ms") {
    out = StatsdType::kTimer;
  } else if (text == "g") {
    out = StatsdType::kGauge;
  } else if (text == "h") {
    out = StatsdType::kHistogram;
  } else if (text == "d") {
    out = StatsdType::kDistribution;
  } else if (text == "s") {
    out = StatsdType::kSet;
  } else {
    return false;
  }
  return true;
}

// `a:b,c,d:e` into out.tags. Every tag is non-empty and has a non-empty name.
bool ParseTags(std::string_view text, StatsdLine& out, Reject& reason) {
  if (text.empty()) {
    reason = Reject::kBadTags;
    return false;
  }
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) {
      comma = text.size();
    }
    const std::string_view tag = text.substr(start, comma - start);
    const std::size_t colon = tag.find(':');
    const std::string_view name = tag.substr(0, colon);
    if (name.empty()) {
      reason = Reject::kBadTags;
      return false;
    }
    if (out.tags.size() == kMaxTags) {
      reason = Reject::kTooManyTags;
      return false;
    }
    out.tags.emplace_back(
        name, colon == std::string_view::npos ? std::string_view() : tag.substr(colon + 1));
    start = comma + 1;
  }
  return true;
}

}  // namespace

bool IsValidUtf8(std::string_view text) {
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if ((b & 0xe0) == 0xc0) {
      len = 2;
      cp = b & 0x1f;
    } else if ((b & 0xf0) == 0xe0) {
      len = 3;
      cp = b & 0x0f;
    } else if ((b & 0xf8) == 0xf0) {
      len = 4;
      cp = b & 0x07;
    } else {
      return false;
    }
    if (i + len > n) {
      return false;
    }
    for (std::size_t k = 1; k < len; ++k) {
      const auto c = static_cast<unsigned char>(text[i + k]);
      if ((c & 0xc0) != 0x80) {
        return false;
      }
      cp = (cp << 6) | (c & 0x3f);
    }
    constexpr std::uint32_t kMinForLength[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLength[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      return false;
    }
    i += len;
  }
  return true;
}

bool ParseStatsdLine(std::string_view line, StatsdLine& out, Reject& reason) {
  if (!line.empty() && line.back() == '\r') {
    line.remove_suffix(1);
  }
  if (line.size() > kMaxLineBytes) {
    reason = Reject::kLineTooLong;
    return false;
  }
  if (line.find('\0') != std::string_view::npos) {
    reason = Reject::kNulByte;
    return false;
  }
  if (!IsValidUtf8(line)) {
    reason = Reject::kNotUtf8;
    return false;
  }
  out.tags.clear();
  out.rate = 1;
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) {
    reason = Reject::kMissingValue;
    return false;
  }
  out.name = line.substr(0, colon);
  if (out.name.empty()) {
    reason = Reject::kEmptyName;
    return false;
  }
  std::string_view rest = line.substr(colon + 1);
  const std::size_t bar = rest.find('|');
  if (bar == std::string_view::npos) {
    reason = rest.empty() ? Reject::kMissingValue : Reject::kMissingType;
    return false;
  }
  const std::string_view value = rest.substr(0, bar);
  if (value.empty()) {
    reason = Reject::kMissingValue;
    return false;
  }
  rest = rest.substr(bar + 1);
  std::size_t next = rest.find('|');
  const std::string_view type = rest.substr(0, next);
  if (type.empty()) {
    reason = Reject::kMissingType;
    return false;
  }
  if (!ParseType(type, out.type)) {
    reason = Reject::kBadType;
    return false;
  }
  // A set's value is a member (any text); every other type carries a number.
  out.value = 0;
  if (out.type != StatsdType::kSet && !ParseNumber(value, out.value)) {
    reason = Reject::kBadValue;
    return false;
  }
  out.signed_value = value.front() == '+' || value.front() == '-';
  bool seen_rate = false;
  bool seen_tags = false;
  while (next != std::string_view::npos) {
    rest = rest.substr(next + 1);
    next = rest.find('|');
    const std::string_view field = rest.substr(0, next);
    if (!field.empty() && field.front() == '@' && !seen_rate) {
      seen_rate = true;
      if (!ParseNumber(field.substr(1), out.rate) || field[1] == '+' || field[1] == '-' ||
          !(out.rate > 0 && out.rate <= 1)) {
        reason = Reject::kBadRate;
        return false;
      }
    } else if (!field.empty() && field.front() == '#' && !seen_tags) {
      seen_tags = true;
      if (!ParseTags(field.substr(1), out, reason)) {
        return false;
      }
    } else if (field.size() > 2 && field.substr(0, 2) == "c:") {
      // DogStatsD container id: not ours to count.
    } else if (field.size() > 1 && field.front() == 'T') {
      // DogStatsD timestamp: receipt time is the event time.
    } else {
      reason = Reject::kBadField;
      return false;
    }
  }
  return true;
}

}  // namespace stampede::ingest
