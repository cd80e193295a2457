#include "ingest/marker_request.h"

#include <nlohmann/json.hpp>

#include "common/duration.h"
#include "common/text.h"

namespace stampede::ingest {

namespace {

bool Fail(BatchError& error, Reject reason, std::string field, std::string message) {
  error = BatchError{reason, std::move(field), std::move(message)};
  return false;
}

}  // namespace

bool ParseMarkerRequest(std::string_view body, MarkerRequest& out, BatchError& error) {
  out = MarkerRequest{};
  if (JsonDepth(body, 2) > 2) {
    return Fail(error, Reject::kInvalidJson, "", "JSON nested deeper than the marker schema");
  }
  const nlohmann::json doc = nlohmann::json::parse(body.begin(), body.end(), nullptr, false);
  if (doc.is_discarded()) {
    return Fail(error, Reject::kInvalidJson, "", "body is not valid JSON");
  }
  if (!doc.is_object()) {
    return Fail(error, Reject::kBadField, "", "body: want a JSON object {kind, class, duration}");
  }
  bool has_kind = false;
  bool has_duration = false;
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    const std::string& key = it.key();
    if (key == "kind") {
      const auto kind =
          it->is_string() ? ParseMarkerKind(it->get_ref<const std::string&>()) : std::nullopt;
      if (!kind) {
        return Fail(error, Reject::kBadField, key,
                    "kind: want deploy, warmup, purge or maintenance");
      }
      out.kind = *kind;
      has_kind = true;
    } else if (key == "class") {
      if (!it->is_string() || it->get_ref<const std::string&>().empty()) {
        return Fail(error, Reject::kBadField, key, "class: want a class name or \"all\"");
      }
      if (it->get_ref<const std::string&>().size() > kMaxLabelValueBytes) {
        return Fail(error, Reject::kLabelTooLong, key,
                    "class: longer than " + std::to_string(kMaxLabelValueBytes) + " bytes");
      }
      out.class_name = it->get<std::string>();
    } else if (key == "duration") {
      if (!it->is_string()) {
        return Fail(error, Reject::kBadField, key, "duration: want a string such as \"10m\"");
      }
      const Result<std::chrono::milliseconds> d = ParseDuration(it->get_ref<const std::string&>());
      if (!d.ok() || d->count() <= 0 || *d > kMaxMarkerDuration) {
        return Fail(error, Reject::kBadField, key,
                    "duration: want more than 0 and at most 24h, e.g. \"10m\"");
      }
      out.duration = *d;
      has_duration = true;
    } else {
      // The key is the client's: escaped and cut in the field and the message.
      const std::string unknown = EscapeForMessage(key);
      return Fail(error, Reject::kBadField, unknown,
                  unknown + ": unknown field (want kind, class and duration)");
    }
  }
  if (!has_kind) {
    return Fail(error, Reject::kBadField, "kind", "kind: missing");
  }
  if (!has_duration) {
    return Fail(error, Reject::kBadField, "duration", "duration: missing");
  }
  return true;
}

}  // namespace stampede::ingest
