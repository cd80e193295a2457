#include "events/flush_detector.h"

#include <vector>

namespace stampede::events {

namespace {

double Calls(const redis::InfoSnapshot& info, std::string_view command) {
  for (const redis::CommandStat& c : info.commands) {
    if (c.command == command) {
      return c.calls;
    }
  }
  return 0;
}

}  // namespace

const char* FlushDetector::CommandName(int command) {
  switch (command) {
    case kFlushDb:
      return "flushdb";
    case kFlushAll:
      return "flushall";
    default:
      return "unknown";
  }
}

FlushDetector::FlushDetector(KeyTracker* tracker, const Clock& clock, Logger& log)
    : tracker_(tracker), clock_(clock), log_(log) {}

std::uint64_t FlushDetector::flushes(int command) const {
  std::lock_guard<std::mutex> lock(mu_);
  return command >= 0 && command < kCommands ? counts_[command] : 0;
}

void FlushDetector::OnInfo(const redis::InfoSnapshot& info, std::chrono::duration<double>) {
  const auto now = clock_.Now();
  const std::string run_id(info.Text("run_id").value_or(""));
  const bool have_commands = info.HasSection("commandstats");
  const double flushdb = Calls(info, "flushdb");
  const double flushall = Calls(info, "flushall");
  std::map<int, double> keys;
  for (const redis::KeyspaceDb& db : info.keyspace) {
    keys[db.db] = db.keys;
  }

  std::vector<std::pair<int, int>> found;  // (db, command)
  {
    std::lock_guard<std::mutex> lock(mu_);
    const bool comparable = have_baseline_ && run_id == run_id_ && flushdb >= flushdb_calls_ &&
                            flushall >= flushall_calls_;
    if (comparable) {
      std::vector<int> dropped;  // databases whose keys fell or vanished
      for (const auto& [db, before] : keys_) {
        const auto it = keys.find(db);
        if (before > 0 && (it == keys.end() || it->second < before)) {
          dropped.push_back(db);
        }
      }
      if (flushall > flushall_calls_) {
        counts_[kFlushAll] += static_cast<std::uint64_t>(flushall - flushall_calls_);
        found.emplace_back(-1, kFlushAll);
      }
      if (flushdb > flushdb_calls_) {
        counts_[kFlushDb] += static_cast<std::uint64_t>(flushdb - flushdb_calls_);
        if (flushall <= flushall_calls_) {
          for (const int db : dropped) {
            found.emplace_back(db, kFlushDb);
          }
        }
      }
      if (!have_commands) {
        for (const int db : dropped) {
          if (keys.find(db) == keys.end()) {
            ++counts_[kUnknown];
            found.emplace_back(db, kUnknown);
          }
        }
      }
    }
    have_baseline_ = true;
    run_id_ = run_id;
    flushdb_calls_ = flushdb;
    flushall_calls_ = flushall;
    keys_ = std::move(keys);
  }
  for (const auto& [db, command] : found) {
    if (tracker_ != nullptr) {
      tracker_->OnFlush(db, now);
    }
    log_.Info("flush seen in INFO",
              {{"db", db < 0 ? "all" : std::to_string(db)}, {"command", CommandName(command)}});
  }
}

}  // namespace stampede::events
