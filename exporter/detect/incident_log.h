// The last incidents, bounded: the store behind /api/v1/incidents.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "detect/incident.h"

namespace stampede::detect {

/// Keeps at most `capacity` incidents; the oldest closed one goes first (an open one only
/// when every kept incident is open). Thread-compatible: the engine locks around it.
class IncidentLog {
 public:
  explicit IncidentLog(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

  /// Stores `incident` with the next id; returns that id.
  std::uint64_t Open(Incident incident);
  /// The incident with `id`, if still kept.
  Incident* Find(std::uint64_t id);
  const Incident* Find(std::uint64_t id) const;
  /// Newest first, at most `limit`.
  std::vector<Incident> Newest(std::size_t limit) const;

  std::uint64_t opened() const { return next_id_ - 1; }
  std::uint64_t evicted() const { return evicted_; }

 private:
  std::size_t capacity_;
  std::deque<Incident> incidents_;  // oldest first
  std::uint64_t next_id_ = 1;
  std::uint64_t evicted_ = 0;
};

}  // namespace stampede::detect
