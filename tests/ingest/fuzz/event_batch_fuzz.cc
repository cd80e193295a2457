// Feeds arbitrary bytes to the HTTP ingest body parser of event batches (POST /api/v1/events;
// marker requests have their own target, marker_request_fuzz.cc). Besides "never crash", it
// traps when a refusal keeps events or has a message or field that is not one line of valid
// UTF-8 without control bytes (the body is untrusted: what a message echoes of it must be
// escaped), or when an accepted batch breaks its bounds.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_checks.h"
#include "ingest/event_batch.h"

namespace {

using stampede::fuzz::Check;
using stampede::fuzz::IsCleanMessage;

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
    Check(IsCleanMessage(error.message) && IsCleanMessage(error.field + "."));
  }
  return 0;
}
