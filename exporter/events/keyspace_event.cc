#include "events/keyspace_event.h"

namespace stampede::events {

namespace {

constexpr std::string_view kPrefix = "__keyevent@";
constexpr std::string_view kNames[kEventKinds] = {"del", "expired", "evicted", "keymiss", "new"};
// The notify-keyspace-events class flag of each event, in EventKind order.
constexpr char kFlags[kEventKinds] = {'g', 'x', 'e', 'm', 'n'};

}  // namespace

std::string_view EventName(EventKind kind) { return kNames[static_cast<std::size_t>(kind)]; }

std::string ChannelName(int db, EventKind kind) {
  return std::string(kPrefix) + std::to_string(db) + "__:" + std::string(EventName(kind));
}

std::optional<Channel> ParseChannel(std::string_view channel) {
  if (!channel.starts_with(kPrefix)) {
    return std::nullopt;
  }
  std::size_t i = kPrefix.size();
  int db = 0;
  const std::size_t digits_start = i;
  while (i < channel.size() && channel[i] >= '0' && channel[i] <= '9' && i - digits_start < 6) {
    db = db * 10 + (channel[i] - '0');
    ++i;
  }
  if (i == digits_start || !channel.substr(i).starts_with("__:")) {
    return std::nullopt;
  }
  const std::string_view name = channel.substr(i + 3);
  for (const EventKind kind : kAllEventKinds) {
    if (name == EventName(kind)) {
      return Channel{db, kind};
    }
  }
  return std::nullopt;
}

std::array<bool, kEventKinds> EnabledEvents(std::string_view flags) {
  const bool keyevent = flags.find('E') != std::string_view::npos;
  const bool all = flags.find('A') != std::string_view::npos;
  std::array<bool, kEventKinds> out{};
  for (std::size_t i = 0; i < kEventKinds; ++i) {
    const bool in_all = kFlags[i] == 'g' || kFlags[i] == 'x' || kFlags[i] == 'e';
    out[i] = keyevent && (flags.find(kFlags[i]) != std::string_view::npos || (all && in_all));
  }
  return out;
}

std::string WithNeededFlags(std::string_view flags) {
  std::string out(flags);
  for (const char c : std::string_view("Egxemn")) {
    if (out.find(c) == std::string::npos) {
      out += c;
    }
  }
  return out;
}

}  // namespace stampede::events
