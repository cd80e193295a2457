// Feeds arbitrary bytes to the HTTP ingest body parsers: event batches and marker requests.
// Besides "never crash", it traps when a refusal keeps events or has a multi-line message, or
// when an accepted batch breaks its bounds.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ingest/event_batch.h"
#include "ingest/marker_request.h"

namespace {

void Check(bool ok) {
  if (!ok) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): bytes as chars
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  stampede::ingest::BatchLimits limits;
  limits.max_events = 50;
  stampede::ingest::EventBatch batch;
  stampede::ingest::BatchError error;
  if (stampede::ingest::ParseEventBatch(body, limits, 3, batch, error)) {
    Check(batch.totals.events <= limits.max_events);
    for (const auto& e : batch.events) {
      Check(std::isfinite(e.weight) && e.weight >= 0);
      Check(e.seconds >= 0 && e.seconds <= stampede::ingest::kMaxLoadSeconds);
      Check(e.class_name.size() <= stampede::ingest::kMaxLabelValueBytes);
    }
  } else {
    Check(batch.events.empty());
    Check(!error.message.empty() && error.message.find('\n') == std::string::npos);
  }
  stampede::ingest::MarkerRequest marker;
  if (stampede::ingest::ParseMarkerRequest(body, marker, error)) {
    Check(marker.duration.count() > 0 && marker.duration <= stampede::ingest::kMaxMarkerDuration);
    Check(!marker.class_name.empty());
  } else {
    Check(!error.message.empty() && error.message.find('\n') == std::string::npos);
  }
  return 0;
}
