#include "classify/glob.h"

#include <cstddef>

namespace stampede::classify {

namespace {

// Matches byte `c` against the set that starts after a '[' at pattern[i]. On success sets
// `matched`, moves `i` past the closing ']' and returns true; returns false when unclosed.
bool MatchSet(std::string_view pattern, std::size_t& i, unsigned char c, bool& matched) {
  std::size_t p = i;
  bool negate = false;
  if (p < pattern.size() && pattern[p] == '^') {
    negate = true;
    ++p;
  }
  bool found = false;
  while (p < pattern.size() && pattern[p] != ']') {
    unsigned char lo = static_cast<unsigned char>(pattern[p]);
    if (lo == '\\' && p + 1 < pattern.size()) {
      lo = static_cast<unsigned char>(pattern[++p]);
    }
    if (p + 2 < pattern.size() && pattern[p + 1] == '-' && pattern[p + 2] != ']') {
      unsigned char hi = static_cast<unsigned char>(pattern[p + 2]);
      p += 2;
      if (hi == '\\' && p + 1 < pattern.size()) {
        hi = static_cast<unsigned char>(pattern[++p]);
      }
      if (lo > hi) {
        const unsigned char t = lo;
        lo = hi;
        hi = t;
      }
      found = found || (c >= lo && c <= hi);
    } else {
      found = found || c == lo;
    }
    ++p;
  }
  if (p >= pattern.size()) {
    return false;  // no closing ']'
  }
  i = p + 1;
  matched = found != negate;
  return true;
}

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view text) {
  std::size_t p = 0;
  std::size_t t = 0;
  // The most recent '*': where to resume in the pattern and the text on a mismatch.
  std::size_t star_p = std::string_view::npos;
  std::size_t star_t = 0;
  while (t < text.size()) {
    if (p < pattern.size()) {
      const char pc = pattern[p];
      if (pc == '*') {
        star_p = ++p;
        star_t = t;
        continue;
      }
      if (pc == '?') {
        ++p;
        ++t;
        continue;
      }
      if (pc == '[') {
        std::size_t i = p + 1;
        bool matched = false;
        if (MatchSet(pattern, i, static_cast<unsigned char>(text[t]), matched)) {
          if (matched) {
            p = i;
            ++t;
            continue;
          }
        } else if (text[t] == '[') {  // an unclosed '[' is a literal
          ++p;
          ++t;
          continue;
        }
      } else {
        std::size_t q = p;
        if (pc == '\\' && q + 1 < pattern.size()) {
          ++q;
        }
        if (pattern[q] == text[t]) {
          p = q + 1;
          ++t;
          continue;
        }
      }
    }
    if (star_p == std::string_view::npos) {
      return false;
    }
    p = star_p;
    t = ++star_t;
  }
  while (p < pattern.size() && pattern[p] == '*') {
    ++p;
  }
  return p == pattern.size();
}

GlobShape AnalyzeGlob(std::string_view pattern) {
  GlobShape shape;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      shape.literal += pattern[++i];
      continue;
    }
    if (c == '*') {
      // `<literal>*` (and `<literal>**`): a prefix.
      std::size_t j = i;
      while (j < pattern.size() && pattern[j] == '*') {
        ++j;
      }
      if (j == pattern.size()) {
        shape.kind = GlobShape::Kind::kPrefix;
        return shape;
      }
      return GlobShape{GlobShape::Kind::kGeneral, ""};
    }
    if (c == '?' || c == '[') {
      return GlobShape{GlobShape::Kind::kGeneral, ""};
    }
    shape.literal += c;
  }
  shape.kind = GlobShape::Kind::kExact;
  return shape;
}

}  // namespace stampede::classify
