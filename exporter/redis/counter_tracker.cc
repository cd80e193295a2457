#include "redis/counter_tracker.h"

#include <cmath>

namespace stampede::redis {

CounterTracker::Reset CounterTracker::BeginSample(std::string_view run_id,
                                                  std::optional<double> uptime_seconds) {
  went_backwards_ = false;
  restarted_ = false;
  Reset reset = Reset::kNone;
  if (!started_) {
    started_ = true;
    reset = Reset::kFirstSample;
  } else {
    const bool run_changed = !run_id.empty() && !run_id_.empty() && run_id != run_id_;
    const bool uptime_back = uptime_seconds && uptime_ && *uptime_seconds < *uptime_;
    if (run_changed || uptime_back) {
      restarted_ = true;
      ++restarts_;
      reset = Reset::kRestart;
    }
  }
  if (!run_id.empty()) {
    run_id_ = std::string(run_id);
  }
  if (uptime_seconds) {
    uptime_ = uptime_seconds;
  }
  return reset;
}

double CounterTracker::Observe(const std::string& key, double raw) {
  auto it = counters_.find(key);
  if (!std::isfinite(raw) || raw < 0) {
    return it == counters_.end() ? 0 : it->second.total;
  }
  if (it == counters_.end()) {
    // First sight: since the first sample, or a counter Redis only now prints (a command run
    // for the first time). Either way all of its value is new to us.
    it = counters_.emplace(key, Counter{raw, raw}).first;
    return raw;
  }
  Counter& c = it->second;
  if (restarted_) {
    c.total += raw;
  } else if (raw < c.last_raw) {
    went_backwards_ = true;
    c.total += raw;
  } else {
    c.total += raw - c.last_raw;
  }
  c.last_raw = raw;
  return c.total;
}

bool CounterTracker::EndSample() {
  if (went_backwards_ && !restarted_) {
    ++stats_resets_;
    return true;
  }
  return false;
}

std::optional<double> CounterTracker::Total(std::string_view key) const {
  auto it = counters_.find(key);
  if (it == counters_.end()) {
    return std::nullopt;
  }
  return it->second.total;
}

}  // namespace stampede::redis
