#include "detect/eviction_pressure.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>

#include "detect/format.h"

namespace stampede::detect {

namespace {

// A threshold of 0 or less (an operator switching a condition off) is always met.
double Ratio(double value, double threshold) { return threshold > 0 ? value / threshold : 1.0; }

std::string Format(const char* format, double value) {
  char buf[48];
  std::snprintf(buf, sizeof(buf), format, value);
  return buf;
}

// Whole seconds covering `seconds`, at least one; capped so a wild option cannot overflow.
std::size_t WholeSeconds(double seconds) {
  return seconds > 1 ? static_cast<std::size_t>(std::ceil(std::min(seconds, 1e6))) : 1;
}

// used/max memory of the newest INFO sample in the newest `n` seconds: memory is a gauge, and
// a second without a sample carries no reading. nullopt: no sample, or no limit (maxmemory 0),
// so nothing to press against.
std::optional<double> MemoryRatio(const window::SecondRing<ClassSecond>& seconds, std::size_t n) {
  for (std::size_t k = 0; k < n && k < seconds.size(); ++k) {
    const ClassSecond& s = seconds.Ago(k);
    if (s.info_ok) {
      return s.maxmemory_bytes > 0 ? std::optional(s.used_memory_bytes / s.maxmemory_bytes)
                                   : std::nullopt;
    }
  }
  return std::nullopt;
}

std::string MemoryWords(std::optional<double> ratio) {
  return ratio ? "memory at " + Format("%.0f%%", *ratio * 100) + " of maxmemory; "
               : std::string("no maxmemory limit known; ");
}

}  // namespace

EvictionPressure::EvictionPressure(const OptionValues& o)
    : memory_ratio_(o.Get("d7.memory_ratio")),
      min_evictions_(o.Get("d7.min_evictions")),
      min_share_(o.Get("d7.min_share")),
      min_evicted_misses_(o.Get("d7.min_evicted_misses")),
      window_(WholeSeconds(o.Get("d7.window_seconds"))) {}

void EvictionPressure::Evaluate(const Context& ctx, std::vector<Reading>& out) {
  const auto& seconds = ctx.seconds;
  // `all` counts evictions from INFO (every key, classed or not); a class from its events.
  const double evictions = seconds.Sum(
      window_, [&](const ClassSecond& s) { return ctx.all ? s.info_evicted : s.evicted; });
  const double misses = seconds.Sum(window_, [](const ClassSecond& s) { return s.keymiss; });
  const double evicted_misses =
      seconds.Sum(window_, [](const ClassSecond& s) { return s.misses_after_evicted; });
  const double share = misses > 0 ? evicted_misses / misses : 0;
  const double covered = static_cast<double>(std::clamp<std::size_t>(seconds.size(), 1, window_));

  Reading r;
  r.indicator = Indicator::kEvictionPressure;
  r.cause = Cause::kEvicted;
  // Evictions alone are a full cache doing its job; the herd risk is callers missing what was
  // evicted, so that condition is always required.
  r.progress = std::min(Ratio(share, min_share_), Ratio(evicted_misses, min_evicted_misses_));
  r.eligible = misses > 0;
  std::optional<double> memory;
  if (ctx.all) {
    memory = MemoryRatio(seconds, window_);
    r.eligible = memory.has_value();
    r.progress = std::min(
        {r.progress, Ratio(memory.value_or(0), memory_ratio_), Ratio(evictions, min_evictions_)});
  }
  r.detail = (ctx.all ? MemoryWords(memory) : std::string()) + FormatCount(evictions / covered) +
             " evictions/s; " + Format("%.0f%%", share * 100) + " of " + FormatCount(misses) +
             " misses in " + std::to_string(window_) + " s were on evicted keys";
  r.stats = {{"memory_ratio", memory.value_or(0)},
             {"evictions_per_second", evictions / covered},
             {"evicted_miss_share", share}};
  out.push_back(std::move(r));
}

}  // namespace stampede::detect
