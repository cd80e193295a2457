// The names the detectors speak in: indicators, causes and verdict levels. Stable label values.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace stampede::detect {

/// One per detector output; the `indicator` label.
enum class Indicator : std::size_t {
  kHitRatioCliff,         // D1
  kSlowDecline,           // D2
  kInvalidationBurst,     // D3
  kHotKeyHerd,            // D4
  kOriginAmplification,   // D5
  kSynchronizedExpiry,    // D6 reactive: the expiry burst is happening
  kExpiryCliffPredicted,  // D6 predictive: TTL sampling sees many keys expiring together
  kEvictionPressure,      // D7
  kBlind,                 // Dq: the sidecar cannot see well enough to judge
  kCount,
};
inline constexpr std::size_t kIndicators = static_cast<std::size_t>(Indicator::kCount);

/// "hit_ratio_cliff", "slow_decline", ...
std::string_view IndicatorName(Indicator i);
std::optional<Indicator> ParseIndicator(std::string_view name);
/// The config prefix of the detector behind an indicator: "d1" .. "d7", "dq".
std::string_view DetectorId(Indicator i);

/// What set an indicator off; the `cause` label.
enum class Cause : std::size_t {
  kUnknown,
  kDel,             // DEL / UNLINK (keyspace event del)
  kExpired,         // TTL expiry
  kEvicted,         // maxmemory eviction
  kFlush,           // FLUSHDB / FLUSHALL (seen in INFO)
  kExpiryCliff,     // many keys share one expiry time (TTL sampling)
  kSubscriberDown,  // no keyspace events arrive
  kEventsShed,      // events arrived faster than tracked: per-key detail dropped
  kLag,             // the subscriber reads late
  kCounterReset,    // Redis restarted or CONFIG RESETSTAT
  kInfoDown,        // INFO sampling fails
  kCount,
};
inline constexpr std::size_t kCauses = static_cast<std::size_t>(Cause::kCount);
std::string_view CauseName(Cause c);

/// Whether a cause names something that happened to keys (an invalidation the verdict can
/// blame), as opposed to the sidecar's own blindness.
bool IsKeyCause(Cause c);

/// The verdict of a class; the `level` label.
enum class Level : std::size_t { kNone, kHerdRisk, kStampede };
std::string_view LevelName(Level l);  // "none", "herd_risk", "stampede"

}  // namespace stampede::detect
