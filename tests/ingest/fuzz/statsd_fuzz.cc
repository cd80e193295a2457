// Feeds arbitrary bytes to the StatsD path as one datagram: parser, mapper (with mapping rules
// and tag aliases), sink and store. Besides "never crash", it traps when:
//  - a line is neither accepted, ignored nor rejected (every non-empty line is counted once);
//  - a parsed line has an empty name, a rate outside (0, 1] or a non-finite value;
//  - a stored count is negative or not finite.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingest/statsd_sink.h"

namespace {

using stampede::ingest::AppCounterStore;
using stampede::ingest::IngestStats;
using stampede::ingest::kRejectReasons;
using stampede::ingest::Reject;

void Check(bool ok) {
  if (!ok) {
    __builtin_trap();
  }
}

stampede::ingest::StatsdConfig Mappings() {
  stampede::ingest::StatsdConfig c;
  c.metrics.push_back({"app.*.hits", stampede::ingest::Signal::kHit, "", "l1"});
  c.metrics.push_back({"app.[a-c]?.load", stampede::ingest::Signal::kLoadTime, "c", ""});
  c.class_tags = {"cache*"};
  c.key_tags = {"k"};
  return c;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): bytes as chars
  const std::string_view packet(reinterpret_cast<const char*>(data), size);
  static const stampede::ingest::StatsdMapper mapper(Mappings(), 1);
  AppCounterStore store({4, 2, 8});
  IngestStats stats;
  stampede::ingest::StatsdSink sink(mapper, store, stats);
  sink.HandlePacket(packet, stampede::ingest::Transport::kUdp);

  std::uint64_t lines = 0;
  stampede::ingest::StatsdLine line;
  stampede::ingest::ForEachStatsdLine(packet, [&](std::string_view text) {
    ++lines;
    Reject reason = Reject::kCount;
    if (stampede::ingest::ParseStatsdLine(text, line, reason)) {
      Check(!line.name.empty());
      Check(line.rate > 0 && line.rate <= 1);
      Check(std::isfinite(line.value));
      Check(line.tags.size() <= stampede::ingest::kMaxTags);
    } else {
      Check(reason != Reject::kCount);
    }
  });
  std::uint64_t counted = stats.lines_accepted() + stats.lines_ignored();
  for (std::size_t r = 0; r < kRejectReasons; ++r) {
    counted += stats.lines_rejected(static_cast<Reject>(r));
  }
  Check(counted == lines);
  for (const auto& [key, s] : store.Read().series) {
    for (const double c : s.counts) {
      Check(std::isfinite(c) && c >= 0);
    }
    Check(key.first.size() <= stampede::ingest::kMaxLabelValueBytes);
  }
  return 0;
}
