#include "ingest/event_batch.h"

#include <cmath>

#include "common/text.h"
#include "ingest/statsd_mapper.h"

namespace stampede::ingest {

namespace {

using nlohmann::json;

struct CountField {
  const char* name;
  Signal signal;
};
constexpr CountField kCountFields[] = {
    {"hits", Signal::kHit},    {"misses", Signal::kMiss},
    {"loads", Signal::kLoad},  {"coalesced", Signal::kCoalesced},
    {"stale", Signal::kStale}, {"lock_waits", Signal::kLockWait},
};

bool Fail(BatchError& error, Reject reason, std::string field, std::string message) {
  error.reason = reason;
  error.field = std::move(field);
  error.message = std::move(message);
  return false;
}

bool ReadCount(const json& value, const std::string& field, std::uint64_t& out, BatchError& error) {
  if (value.is_number_unsigned()) {
    out = value.get<std::uint64_t>();
  } else if (value.is_number_integer()) {
    return Fail(error, Reject::kNegativeValue, field, field + ": must not be negative");
  } else {
    return Fail(error, Reject::kBadField, field, field + ": want a whole number");
  }
  if (out > kMaxEventCount) {
    return Fail(error, Reject::kBadField, field, field + ": larger than 10^12");
  }
  return true;
}

bool ReadLabel(const json& value, const std::string& field, std::string_view fallback,
               std::string_view& out, BatchError& error) {
  if (!value.is_string()) {
    return Fail(error, Reject::kBadField, field, field + ": want a string");
  }
  const std::string& s = value.get_ref<const std::string&>();
  if (s.size() > kMaxLabelValueBytes) {
    return Fail(error, Reject::kLabelTooLong, field,
                field + ": longer than " + std::to_string(kMaxLabelValueBytes) + " bytes");
  }
  out = s.empty() ? fallback : std::string_view(s);
  return true;
}

bool ReadKeys(const json& value, const std::string& field, Signal signal, std::uint64_t most,
              const AppEvent& base, const BatchLimits& limits, std::uint64_t seed, EventBatch& out,
              BatchError& error) {
  if (!value.is_array()) {
    return Fail(error, Reject::kBadField, field, field + ": want an array of strings");
  }
  if (value.size() > limits.max_keys) {
    return Fail(error, Reject::kBadField, field,
                field + ": more than " + std::to_string(limits.max_keys) + " keys");
  }
  if (value.size() > most) {
    return Fail(error, Reject::kBadField, field,
                field + ": more keys than the event's " +
                    (signal == Signal::kMiss ? std::string("misses") : std::string("loads")));
  }
  for (std::size_t i = 0; i < value.size(); ++i) {
    const std::string item = field + "[" + std::to_string(i) + "]";
    if (!value[i].is_string()) {
      return Fail(error, Reject::kBadField, item, item + ": want a string");
    }
    const std::string& key = value[i].get_ref<const std::string&>();
    if (key.empty() || key.size() > limits.max_key_bytes) {
      return Fail(error, Reject::kBadField, item,
                  item + ": want 1 to " + std::to_string(limits.max_key_bytes) + " bytes");
    }
    AppEvent e = base;
    e.signal = signal;
    e.weight = 1;
    e.key_only = true;
    e.key_hash = HashKey(key, seed);
    out.events.push_back(e);
  }
  out.totals.keys += value.size();
  return true;
}

bool ReadEvent(const json& event, const std::string& path, const BatchLimits& limits,
               std::uint64_t seed, EventBatch& out, BatchError& error) {
  if (!event.is_object()) {
    return Fail(error, Reject::kBadField, path, path + ": want an object");
  }
  AppEvent base;
  std::array<std::uint64_t, kSignals> counts{};
  for (auto it = event.begin(); it != event.end(); ++it) {
    const std::string& key = it.key();
    const std::string field = path + "." + key;
    bool known = false;
    if (key == "class") {
      known = true;
      if (!ReadLabel(*it, field, kDefaultClass, base.class_name, error)) {
        return false;
      }
    } else if (key == "tier") {
      known = true;
      if (!ReadLabel(*it, field, kDefaultTier, base.tier, error)) {
        return false;
      }
    } else if (key == "load_seconds" || key == "missed_keys" || key == "loaded_keys") {
      known = true;  // read below, once the counts are known
    }
    for (const CountField& c : kCountFields) {
      if (key == c.name) {
        known = true;
        if (!ReadCount(*it, field, counts[static_cast<std::size_t>(c.signal)], error)) {
          return false;
        }
      }
    }
    if (!known) {
      // The key is the client's: escaped and cut in the field path and the message.
      const std::string unknown = path + "." + EscapeForMessage(key);
      return Fail(error, Reject::kBadField, unknown,
                  unknown +
                      ": unknown field (want class, tier, hits, misses, loads, coalesced, "
                      "stale, lock_waits, load_seconds, missed_keys or loaded_keys)");
    }
  }
  for (const CountField& c : kCountFields) {
    const std::uint64_t n = counts[static_cast<std::size_t>(c.signal)];
    if (n > 0) {
      AppEvent e = base;
      e.signal = c.signal;
      e.weight = static_cast<double>(n);
      out.events.push_back(e);
      out.totals.counts[static_cast<std::size_t>(c.signal)] += n;
    }
  }
  if (auto it = event.find("load_seconds"); it != event.end()) {
    const std::string field = path + ".load_seconds";
    if (!it->is_array()) {
      return Fail(error, Reject::kBadField, field, field + ": want an array of numbers");
    }
    if (it->size() > limits.max_durations) {
      return Fail(error, Reject::kBadField, field,
                  field + ": more than " + std::to_string(limits.max_durations) + " durations");
    }
    for (std::size_t i = 0; i < it->size(); ++i) {
      const json& d = (*it)[i];
      const std::string item = field + "[" + std::to_string(i) + "]";
      if (!d.is_number()) {
        return Fail(error, Reject::kBadField, item, item + ": want a number of seconds");
      }
      const double seconds = d.get<double>();
      if (!std::isfinite(seconds) || seconds < 0 || seconds > kMaxLoadSeconds) {
        return Fail(error, seconds < 0 ? Reject::kNegativeValue : Reject::kBadField, item,
                    item + ": want 0 to 86400 seconds");
      }
      AppEvent e = base;
      e.signal = Signal::kLoadTime;
      e.seconds = seconds;
      out.events.push_back(e);
    }
    out.totals.counts[static_cast<std::size_t>(Signal::kLoadTime)] += it->size();
  }
  if (auto it = event.find("missed_keys"); it != event.end()) {
    if (!ReadKeys(*it, path + ".missed_keys", Signal::kMiss,
                  counts[static_cast<std::size_t>(Signal::kMiss)], base, limits, seed, out,
                  error)) {
      return false;
    }
  }
  if (auto it = event.find("loaded_keys"); it != event.end()) {
    if (!ReadKeys(*it, path + ".loaded_keys", Signal::kLoad,
                  counts[static_cast<std::size_t>(Signal::kLoad)], base, limits, seed, out,
                  error)) {
      return false;
    }
  }
  ++out.totals.events;
  return true;
}

}  // namespace

std::size_t JsonDepth(std::string_view text, std::size_t limit) {
  std::size_t depth = 0;
  std::size_t deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
      if (deepest > limit) {
        return deepest;
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

bool ParseEventBatch(std::string_view body, const BatchLimits& limits, std::uint64_t seed,
                     EventBatch& out, BatchError& error) {
  out = EventBatch{};
  if (JsonDepth(body, limits.max_depth) > limits.max_depth) {
    return Fail(error, Reject::kInvalidJson, "",
                "JSON nested deeper than " + std::to_string(limits.max_depth) + " levels");
  }
  out.doc = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (out.doc.is_discarded()) {
    return Fail(error, Reject::kInvalidJson, "", "body is not valid JSON");
  }
  if (!out.doc.is_object()) {
    return Fail(error, Reject::kBadField, "", "body: want a JSON object {version, events}");
  }
  bool has_version = false;
  for (auto it = out.doc.begin(); it != out.doc.end(); ++it) {
    if (it.key() == "version") {
      if (!it->is_number_unsigned() || it->get<std::uint64_t>() != 1) {
        return Fail(error, Reject::kBadField, "version", "version: want 1");
      }
      has_version = true;
    } else if (it.key() != "events") {
      const std::string unknown = EscapeForMessage(it.key());
      return Fail(error, Reject::kBadField, unknown,
                  unknown + ": unknown field (want version and events)");
    }
  }
  if (!has_version) {
    return Fail(error, Reject::kBadField, "version", "version: missing (want 1)");
  }
  const auto events = out.doc.find("events");
  if (events == out.doc.end() || !events->is_array()) {
    return Fail(error, Reject::kBadField, "events", "events: want an array of events");
  }
  if (events->size() > limits.max_events) {
    return Fail(error, Reject::kTooManyEvents, "events",
                "events: more than " + std::to_string(limits.max_events) + " in one batch");
  }
  for (std::size_t i = 0; i < events->size(); ++i) {
    if (!ReadEvent((*events)[i], "events[" + std::to_string(i) + "]", limits, seed, out, error)) {
      out.events.clear();
      return false;
    }
  }
  return true;
}

}  // namespace stampede::ingest
