#include "detect/options.h"

namespace stampede::detect {

OptionValues::OptionValues(std::span<const OptionSpec> specs, const Overrides& global,
                           const Overrides& per_class) {
  for (const OptionSpec& s : specs) {
    values_[std::string(s.key)] = s.fallback;
  }
  for (const Overrides* layer : {&global, &per_class}) {
    for (const auto& [key, value] : *layer) {
      if (auto it = values_.find(key); it != values_.end()) {
        it->second = value;
      }
    }
  }
}

double OptionValues::Get(std::string_view key) const {
  const auto it = values_.find(key);
  return it == values_.end() ? 0 : it->second;
}

Status CheckOverrides(std::span<const OptionSpec> specs, const Overrides& overrides,
                      std::string_view where) {
  for (const auto& [key, value] : overrides) {
    bool known = false;
    for (const OptionSpec& s : specs) {
      known = known || s.key == key;
    }
    if (known) {
      continue;
    }
    const std::string_view detector = std::string_view(key).substr(0, key.find('.'));
    std::string list;
    for (const OptionSpec& s : specs) {
      if (s.key.substr(0, s.key.find('.')) == detector) {
        list += list.empty() ? "" : ", ";
        list += s.key;
      }
    }
    return Status::Error(std::string(where) + ": unknown detector option \"" + key + "\"" +
                         (list.empty() ? std::string(" (no such detector)")
                                       : " (" + std::string(detector) + " has: " + list + ")"));
  }
  return Status::Ok();
}

}  // namespace stampede::detect
