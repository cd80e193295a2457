// Redis-style glob patterns (the syntax of KEYS and PSUBSCRIBE): * ? [abc] [^a-z] and \ escapes.
#pragma once

#include <string>
#include <string_view>

namespace stampede::classify {

/// True when `text` matches `pattern` as a whole. `*` matches any run of bytes (also empty),
/// `?` one byte, `[...]` one byte of a set (`^` negates, `a-z` is a range, `\` escapes), and
/// `\x` the byte x. A `[` without its `]` matches itself. Linear in practice: one `*` is
/// backtracked at a time. Pure.
bool GlobMatch(std::string_view pattern, std::string_view text);

/// How a pattern can be matched without the general matcher.
struct GlobShape {
  enum class Kind { kExact, kPrefix, kGeneral };
  Kind kind = Kind::kGeneral;
  std::string literal;  // kExact: the key; kPrefix: the prefix (escapes resolved)
};

/// kExact for patterns without wildcards, kPrefix for `<literal>*`, else kGeneral. Pure.
GlobShape AnalyzeGlob(std::string_view pattern);

}  // namespace stampede::classify
