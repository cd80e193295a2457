#include "detect/format.h"

#include <cmath>
#include <cstdio>

namespace stampede::detect {

std::string FormatCount(double value) {
  if (!std::isfinite(value)) {
    return "?";
  }
  char buf[64];
  if (std::fabs(value) < 100 && value != std::floor(value)) {
    std::snprintf(buf, sizeof buf, "%.1f", value);
    return buf;
  }
  std::snprintf(buf, sizeof buf, "%.0f", std::fabs(value));
  std::string digits = buf;
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) {
      out += ',';
    }
    out += digits[i];
  }
  return value < 0 ? "-" + out : out;
}

std::string FormatRatio(double value) {
  if (!std::isfinite(value)) {
    return "?";
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", value);
  return buf;
}

std::string HashHex(std::uint64_t hash) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(hash));
  return buf;
}

}  // namespace stampede::detect
