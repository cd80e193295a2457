// The Redis INFO collector: keeps what the sampler reports and exports it at scrape time.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "collectors/collector.h"
#include "redis/counter_tracker.h"
#include "redis/info_sampler.h"

namespace stampede::collectors {

/// Fed by the InfoSampler (OnInfo / OnInfoError, sampler thread) and read by scrapes
/// (Collect, any thread). Counters are the exporter's own monotonic totals (CounterTracker):
/// they never go backwards across Redis restarts or CONFIG RESETSTAT. Gauges are exported only
/// while Redis answers. Per-command and per-error series are capped (kMaxCommands,
/// kMaxErrorPrefixes); the excess is summed under the label value "_other" and counted in
/// stampede_redis_info_overflow_total. Thread-safe.
class InfoCollector : public Collector, public redis::InfoSink {
 public:
  static constexpr std::size_t kMaxCommands = 512;
  static constexpr std::size_t kMaxErrorPrefixes = 128;
  static constexpr std::size_t kMaxReplicas = 64;
  static constexpr std::size_t kMaxDatabases = 1024;

  InfoCollector() = default;

  std::string_view Name() const override { return "info"; }
  Status Collect(Families& out) const override;
  /// Collect's families as text, rendered once per INFO sample (or failed one) and kept.
  std::optional<Status> AppendText(std::string& out) const override;

  void OnInfo(const redis::InfoSnapshot& info, std::chrono::duration<double> took) override;
  void OnInfoError(redis::SampleError error, std::chrono::duration<double> took) override;

 private:
  struct CommandTotals {
    double calls = 0;
    double seconds = 0;
    double rejected = 0;
    double failed = 0;
  };
  /// Folds a label value into "_other" once `cap` distinct values are known.
  static std::string Bounded(const std::string& value, std::map<std::string, int>& seen,
                             std::size_t cap, std::uint64_t& overflow);
  /// The families of the state below, built afresh (mu_ held).
  Status Build(Families& out) const;

  mutable std::mutex mu_;  // guards everything below
  bool up_ = false;
  std::shared_ptr<const redis::InfoSnapshot> info_;  // last successful sample
  redis::CounterTracker tracker_;
  std::vector<double> scalar_totals_;  // per counter row of the field table; NaN = never seen
  std::map<std::string, CommandTotals> commands_;
  std::map<std::string, double> errors_;
  std::map<std::string, int> seen_commands_;
  std::map<std::string, int> seen_errors_;
  std::uint64_t overflow_ = 0;
  std::uint64_t samples_ = 0;
  std::array<std::uint64_t, 3> sample_errors_{};  // by SampleError
  std::uint64_t parse_errors_ = 0;
  double last_duration_seconds_ = 0;
  // Build's families, rendered: the state changes once per INFO sample (1/s), scrapes may come
  // far more often, and building and rendering them was a fifth of a scrape's CPU. Dropped by
  // OnInfo and OnInfoError.
  mutable std::optional<std::string> text_;
  mutable Status text_status_;
};

}  // namespace stampede::collectors
