#include "detect/blind.h"

#include <cmath>
#include <cstdio>
#include <string>

namespace stampede::detect {

namespace {

std::string Format(const char* format, double value) {
  char buf[48];
  std::snprintf(buf, sizeof(buf), format, value);
  return buf;
}

// Health values come from the wire and the clock; a stat must never be NaN or infinite.
double Finite(double value) { return std::isfinite(value) ? value : 0; }

std::string Describe(Cause cause, const Health& health, double max_lag) {
  switch (cause) {
    case Cause::kInfoDown:
      return "INFO sampling fails";
    case Cause::kSubscriberDown:
      return "keyspace subscriber disconnected";
    case Cause::kCounterReset:
      return "Redis counters reset (restart or CONFIG RESETSTAT)";
    case Cause::kEventsShed:
      return Format("%.0f keyspace events shed: per-key detail dropped", health.events_shed);
    case Cause::kLag:
      return Format("keyspace subscriber lags %.1f s", health.lag_seconds) +
             Format(" (limit %.1f s)", max_lag);
    default:
      return "";
  }
}

}  // namespace

Blind::Blind(const OptionValues& o) : max_lag_(o.Get("dq.max_lag_seconds")) {}

std::optional<Cause> Blind::BlindCause(const Health& health) const {
  // Most fundamental first: without INFO nothing else can be judged.
  if (!health.info_up) {
    return Cause::kInfoDown;
  }
  // A sidecar run INFO-only never has a subscriber; that is a mode, not blindness.
  if (health.subscriber_expected && !health.subscriber_up) {
    return Cause::kSubscriberDown;
  }
  if (health.counter_reset) {
    return Cause::kCounterReset;
  }
  if (health.events_shed > 0) {
    return Cause::kEventsShed;
  }
  if (health.lag_seconds > max_lag_) {
    return Cause::kLag;
  }
  return std::nullopt;
}

void Blind::Evaluate(const Context& ctx, std::vector<Reading>& out) {
  Reading r;
  r.indicator = Indicator::kBlind;
  if (!ctx.all) {  // blindness is node-wide; one indicator on `all` is enough
    out.push_back(std::move(r));
    return;
  }
  r.eligible = true;
  if (const std::optional<Cause> cause = BlindCause(ctx.health)) {
    r.progress = 1;
    r.immediate = true;
    r.cause = *cause;
    r.detail = Describe(*cause, ctx.health, max_lag_);
  }
  r.stats = {{"lag_seconds", Finite(ctx.health.lag_seconds)},
             {"events_shed", Finite(ctx.health.events_shed)}};
  out.push_back(std::move(r));
}

}  // namespace stampede::detect
