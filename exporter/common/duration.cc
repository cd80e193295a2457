#include "common/duration.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>

#include "common/text.h"

namespace stampede {

namespace {

constexpr std::int64_t kMsPerSecond = 1000;
constexpr std::int64_t kMsPerMinute = 60 * kMsPerSecond;
constexpr std::int64_t kMsPerHour = 60 * kMsPerMinute;
// About ten years. No interval or timeout of this exporter comes near it, and the bound keeps
// every intermediate sum far away from int64 overflow.
constexpr std::int64_t kMaxHours = 87600;
constexpr std::int64_t kMaxMs = kMaxHours * kMsPerHour;

struct Unit {
  std::string_view suffix;
  std::int64_t ms;
};

// Longest suffix first, so that "ms" is never read as "m" followed by garbage.
constexpr Unit kUnits[] = {
    {"ms", 1},
    {"h", kMsPerHour},
    {"m", kMsPerMinute},
    {"s", kMsPerSecond},
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// `invalid duration "<text>" (<reason; >want e.g. ...)`.
Status Invalid(std::string_view text, std::string_view reason = {}) {
  std::string message = "invalid duration " + QuoteForMessage(text) + " (";
  if (!reason.empty()) {
    message += reason;
    message += "; ";
  }
  message += "want e.g. 1s, 500ms, 1m30s)";
  return Status::Error(std::move(message));
}

const Unit* MatchUnit(std::string_view rest) {
  for (const Unit& unit : kUnits) {
    if (rest.starts_with(unit.suffix)) {
      return &unit;
    }
  }
  return nullptr;
}

}  // namespace

Result<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  if (text == "0") {
    return std::chrono::milliseconds(0);
  }
  if (text.empty()) {
    return Invalid(text, "empty");
  }
  if (text.front() == '-') {
    return Invalid(text, "must not be negative");
  }
  std::int64_t total = 0;
  std::int64_t previous_unit_ms = INT64_MAX;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t start = i;
    std::int64_t value = 0;
    bool too_large = false;
    for (; i < text.size() && IsDigit(text[i]); ++i) {
      // Once past the maximum, stop accumulating (the product below cannot overflow either).
      if (value > kMaxMs) {
        too_large = true;
      } else {
        value = value * 10 + (text[i] - '0');
      }
    }
    if (i == start) {
      return Invalid(text);
    }
    if (i == text.size()) {
      return Invalid(text, "missing unit (ms, s, m or h)");
    }
    if (text[i] == '.' || text[i] == ',') {
      return Invalid(text, "fractions are not supported");
    }
    const Unit* unit = MatchUnit(text.substr(i));
    if (unit == nullptr) {
      return Invalid(text);
    }
    if (unit->ms >= previous_unit_ms) {
      return Invalid(text, "units must go from largest to smallest, each at most once");
    }
    i += unit->suffix.size();
    if (too_large || value > (kMaxMs - total) / unit->ms) {
      return Invalid(text, "larger than the maximum of " + std::to_string(kMaxHours) + "h");
    }
    total += value * unit->ms;
    previous_unit_ms = unit->ms;
  }
  return std::chrono::milliseconds(total);
}

std::string FormatDuration(std::chrono::milliseconds d) {
  const std::int64_t count = d.count();
  if (count == 0) {
    return "0s";
  }
  std::string out;
  // Unsigned, so that negating the most negative value is defined.
  std::uint64_t rest = static_cast<std::uint64_t>(count);
  if (count < 0) {
    out = "-";
    rest = 0 - rest;
  }
  const auto append = [&](std::uint64_t unit_ms, std::string_view suffix) {
    const std::uint64_t n = rest / unit_ms;
    rest %= unit_ms;
    if (n != 0) {
      out += std::to_string(n);
      out += suffix;
    }
  };
  append(static_cast<std::uint64_t>(kMsPerHour), "h");
  append(static_cast<std::uint64_t>(kMsPerMinute), "m");
  append(static_cast<std::uint64_t>(kMsPerSecond), "s");
  append(1, "ms");
  return out;
}

}  // namespace stampede
