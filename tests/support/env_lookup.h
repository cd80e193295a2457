// A fake environment for flag parsing tests.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "config/flags.h"

namespace stampede::testing {

using Env = std::map<std::string, std::string, std::less<>>;

/// An EnvLookup that answers from `vars` only.
inline config::EnvLookup LookupIn(const Env& vars) {
  return [vars](std::string_view name) -> std::optional<std::string> {
    const auto it = vars.find(name);
    if (it == vars.end()) {
      return std::nullopt;
    }
    return it->second;
  };
}

}  // namespace stampede::testing
