// FLUSHDB and FLUSHALL send no keyspace event: find them in INFO (commandstats deltas and
// databases whose keys vanished) and record them as invalidations of cause flush.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "common/clock.h"
#include "common/log.h"
#include "events/key_tracker.h"
#include "redis/info_sampler.h"

namespace stampede::events {

/// An InfoSink (sampler thread) whose counters scrapes read. Thread-safe.
///  - cmdstat_flushall calls rose: every database was flushed (db -1).
///  - cmdstat_flushdb calls rose: the databases whose key count fell were flushed.
///  - without a commandstats section: a database that had keys and vanished from the keyspace
///    section was flushed (command "unknown").
/// A Redis restart (run_id change) or CONFIG RESETSTAT (calls fell) only resets the baseline.
class FlushDetector : public redis::InfoSink {
 public:
  enum Command { kFlushDb, kFlushAll, kUnknown, kCommands };
  static const char* CommandName(int command);

  FlushDetector(KeyTracker* tracker, const Clock& clock, Logger& log);

  void OnInfo(const redis::InfoSnapshot& info, std::chrono::duration<double> took) override;
  void OnInfoError(redis::SampleError, std::chrono::duration<double>) override {}

  /// Flush commands seen, by Command.
  std::uint64_t flushes(int command) const;

 private:
  KeyTracker* tracker_;
  const Clock& clock_;
  Logger& log_;
  mutable std::mutex mu_;  // guards everything below
  bool have_baseline_ = false;
  std::string run_id_;
  double flushdb_calls_ = 0;
  double flushall_calls_ = 0;
  std::map<int, double> keys_;  // db → keys at the last sample
  std::uint64_t counts_[kCommands] = {};
};

}  // namespace stampede::events
