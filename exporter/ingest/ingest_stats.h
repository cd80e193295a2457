// The ingest side's own counters: packets, lines, events and batches, accepted or refused by
// reason, and kernel drops.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>

#include "ingest/reject_reason.h"

namespace stampede::ingest {

enum class Transport : std::size_t { kUdp, kUnixgram, kCount };
/// The `transport` label value.
constexpr std::string_view TransportName(Transport t) {
  return t == Transport::kUdp ? "udp" : "unixgram";
}

/// Lock-free counters. Thread-safe.
class IngestStats {
 public:
  static constexpr std::size_t kTransports = static_cast<std::size_t>(Transport::kCount);

  void Packet(Transport t) { Inc(packets_[Index(t)]); }
  void PacketTruncated(Transport t) { Inc(truncated_[Index(t)]); }
  void PacketsDropped(Transport t, std::uint64_t n) { Inc(drops_[Index(t)], n); }
  void LineAccepted(std::uint64_t n = 1) { Inc(lines_accepted_, n); }
  void LineIgnored() { Inc(lines_ignored_); }
  void LineRejected(Reject r) { Inc(lines_rejected_[static_cast<std::size_t>(r)]); }
  void EventsAccepted(std::uint64_t n) { Inc(events_accepted_, n); }
  void BatchRejected(Reject r) { Inc(batches_rejected_[static_cast<std::size_t>(r)]); }

  std::uint64_t packets(Transport t) const { return Load(packets_[Index(t)]); }
  std::uint64_t drops(Transport t) const { return Load(drops_[Index(t)]); }
  std::uint64_t truncated(Transport t) const { return Load(truncated_[Index(t)]); }
  std::uint64_t lines_accepted() const { return Load(lines_accepted_); }
  std::uint64_t lines_ignored() const { return Load(lines_ignored_); }
  std::uint64_t lines_rejected(Reject r) const {
    return Load(lines_rejected_[static_cast<std::size_t>(r)]);
  }
  std::uint64_t events_accepted() const { return Load(events_accepted_); }
  std::uint64_t batches_rejected(Reject r) const {
    return Load(batches_rejected_[static_cast<std::size_t>(r)]);
  }

 private:
  using Counter = std::atomic<std::uint64_t>;
  static std::size_t Index(Transport t) { return static_cast<std::size_t>(t); }
  static void Inc(Counter& c, std::uint64_t n = 1) { c.fetch_add(n, std::memory_order_relaxed); }
  static std::uint64_t Load(const Counter& c) { return c.load(std::memory_order_relaxed); }

  std::array<Counter, kTransports> packets_{};
  std::array<Counter, kTransports> drops_{};
  std::array<Counter, kTransports> truncated_{};
  Counter lines_accepted_{0};
  Counter lines_ignored_{0};
  std::array<Counter, kRejectReasons> lines_rejected_{};
  Counter events_accepted_{0};
  std::array<Counter, kRejectReasons> batches_rejected_{};
};

}  // namespace stampede::ingest
