// Feeds arbitrary bytes to the marker request parser (POST /api/v1/markers bodies). Besides
// "never crash", it traps when:
//  - an accepted marker has no class, a duration outside (0, 24h] or a class name longer than a
//    label value may be;
//  - a refusal's message or field is empty or not one line of valid UTF-8 without control bytes
//    (the body is untrusted: whatever of it a message echoes must be escaped);
//  - the parse is not deterministic (the same body parsed twice gives the same answer).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_checks.h"
#include "ingest/marker_request.h"

namespace {

using stampede::fuzz::Check;
using stampede::fuzz::IsCleanMessage;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): bytes as chars
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  stampede::ingest::MarkerRequest marker;
  stampede::ingest::BatchError error;
  const bool ok = stampede::ingest::ParseMarkerRequest(body, marker, error);
  if (ok) {
    Check(marker.duration.count() > 0 && marker.duration <= stampede::ingest::kMaxMarkerDuration);
    Check(!marker.class_name.empty());
    Check(marker.class_name.size() <= stampede::ingest::kMaxLabelValueBytes);
  } else {
    Check(IsCleanMessage(error.message) && IsCleanMessage(error.field + "."));
  }
  stampede::ingest::MarkerRequest again;
  stampede::ingest::BatchError again_error;
  Check(stampede::ingest::ParseMarkerRequest(body, again, again_error) == ok);
  if (ok) {
    Check(again.kind == marker.kind && again.class_name == marker.class_name &&
          again.duration == marker.duration);
  } else {
    Check(again_error.reason == error.reason && again_error.message == error.message);
  }
  return 0;
}
