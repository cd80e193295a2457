// Settings of the keyspace-notification side ([events]), set by flags (events_flags.cc).
#pragma once

namespace stampede::config {

/// A plain value: thread-compatible.
struct EventsConfig {};

}  // namespace stampede::config
