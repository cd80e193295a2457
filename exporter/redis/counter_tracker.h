// Turns Redis counters, which reset on restart, failover and CONFIG RESETSTAT, into the
// exporter's own monotonic totals. Pure: no I/O, no clock.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace stampede::redis {

/// Keeps, per counter key, the last raw value Redis reported and the exported total.
///
/// Each sample begins with BeginSample(run_id, uptime). A changed run_id or a smaller uptime
/// means Redis restarted (or a failover put another node behind the address): every counter
/// then counts from zero again, so its whole raw value is new. Within one run, a counter whose
/// raw value went down was reset by CONFIG RESETSTAT: its new raw value is the delta.
/// The exported total is the first raw value seen plus every delta since, so it never
/// decreases, and equals Redis's own value until the first reset.
///
/// Keys are bounded by the caller (Redis has a bounded set of commands and error prefixes, and
/// the collectors cap them again). Not thread-safe: owned by the sampler thread.
class CounterTracker {
 public:
  enum class Reset { kNone, kFirstSample, kRestart, kStatsReset };

  /// Starts a sample. Returns kFirstSample for the very first one and kRestart when run_id
  /// changed or uptime went backwards. kStatsReset is reported by EndSample().
  Reset BeginSample(std::string_view run_id, std::optional<double> uptime_seconds);

  /// Feeds one counter's raw value of this sample and returns its exported total.
  /// Negative and non-finite raw values are ignored (the previous total is returned).
  double Observe(const std::string& key, double raw);

  /// Ends the sample; true when some counter went backwards without a restart (RESETSTAT).
  bool EndSample();

  /// The exported total of a key, or nullopt if never seen.
  std::optional<double> Total(std::string_view key) const;

  std::uint64_t restarts() const { return restarts_; }
  std::uint64_t stats_resets() const { return stats_resets_; }
  std::size_t size() const { return counters_.size(); }

 private:
  struct Counter {
    double last_raw = 0;
    double total = 0;
  };
  std::map<std::string, Counter, std::less<>> counters_;
  std::string run_id_;
  std::optional<double> uptime_;
  bool started_ = false;
  bool restarted_ = false;       // this sample follows a restart
  bool went_backwards_ = false;  // some counter decreased in this sample
  std::uint64_t restarts_ = 0;
  std::uint64_t stats_resets_ = 0;
};

}  // namespace stampede::redis
