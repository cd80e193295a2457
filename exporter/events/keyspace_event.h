// The keyspace events the exporter subscribes to, and their channels.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stampede::events {

/// The five `__keyevent@<db>__:<event>` channels, in label order.
enum class EventKind : std::uint8_t { kDel, kExpired, kEvicted, kKeymiss, kNew };
inline constexpr std::size_t kEventKinds = 5;
inline constexpr std::array<EventKind, kEventKinds> kAllEventKinds = {
    EventKind::kDel, EventKind::kExpired, EventKind::kEvicted, EventKind::kKeymiss,
    EventKind::kNew};

/// The event's name in Redis and in the `event` label.
std::string_view EventName(EventKind kind);

/// `__keyevent@<db>__:<event>`.
std::string ChannelName(int db, EventKind kind);

/// What a channel name says; nullopt for any other channel. Pure, O(length).
struct Channel {
  int db = 0;
  EventKind kind = EventKind::kDel;
};
std::optional<Channel> ParseChannel(std::string_view channel);

/// Which of the five events a `notify-keyspace-events` value delivers on keyevent channels
/// (each needs `E` plus its class flag: g, x, e, m, n; `A` covers g, x and e but not m or n).
std::array<bool, kEventKinds> EnabledEvents(std::string_view flags);

/// The flags to CONFIG SET so that all five events are delivered: `flags` plus E, g, x, e, m
/// and n, as a set (Redis reorders flags, so compare sets, never strings). Pure.
std::string WithNeededFlags(std::string_view flags);

}  // namespace stampede::events
