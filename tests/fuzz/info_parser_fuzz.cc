// Fuzz target: ParseInfo must neither crash nor break its own invariants, whatever the bytes;
// its issue reasons (logged) must be one line of valid UTF-8 without control bytes.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_checks.h"
#include "redis/info_parser.h"

namespace {

void Check(bool ok) {
  if (!ok) {
    std::abort();
  }
}

bool Finite(double value) { return std::isfinite(value); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace redis = stampede::redis;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const redis::InfoSnapshot s = redis::ParseInfo(text);

  Check(s.issues.size() <= redis::InfoSnapshot::kMaxIssues);
  Check(s.issues.size() == std::min(s.issue_count, redis::InfoSnapshot::kMaxIssues));
  for (const redis::ParseIssue& issue : s.issues) {
    // Reasons are logged (info_sampler): what they echo of the reply must be escaped.
    Check(issue.line >= 1 && stampede::fuzz::IsCleanMessage(issue.reason));
  }
  for (const std::string& section : s.sections) {
    Check(!section.empty() && s.HasSection(section));
    Check(
        std::none_of(section.begin(), section.end(), [](char c) { return c >= 'A' && c <= 'Z'; }));
  }
  for (const auto& [key, value] : s.fields) {
    Check(!key.empty() && s.Text(key) == std::string_view(value));
    const std::optional<double> number = s.Number(key);
    Check(!number || Finite(*number));
  }
  for (const redis::KeyspaceDb& db : s.keyspace) {
    Check(db.db >= 0 && Finite(db.keys) && Finite(db.expires) && Finite(db.avg_ttl_ms));
  }
  for (const redis::CommandStat& c : s.commands) {
    Check(!c.command.empty() && Finite(c.calls) && Finite(c.usec) && Finite(c.rejected_calls) &&
          Finite(c.failed_calls));
  }
  for (const redis::ErrorStat& e : s.errors) {
    Check(!e.prefix.empty() && Finite(e.count));
  }
  for (const redis::LatencyStat& l : s.latencies) {
    Check(!l.command.empty());
    for (const redis::LatencyStat::Percentile& p : l.percentiles) {
      const std::optional<double> quantile = redis::ParseNumber(p.quantile);
      Check(quantile && *quantile >= 0 && *quantile <= 1 && Finite(p.usec));
    }
  }
  for (const redis::ReplicaLine& r : s.replicas) {
    Check(r.index >= 0 && r.port >= 0 && r.port <= 65535 && Finite(r.offset) && Finite(r.lag));
  }

  // The accessors a collector calls, on keys that may or may not be there.
  for (std::string_view key :
       {"redis_version", "role", "used_memory", "connected_clients", "master_link_status", ""}) {
    (void)s.Text(key);
    (void)s.Number(key);
  }
  for (std::string_view name : {"server", "Keyspace", "LATENCYSTATS", ""}) {
    (void)s.HasSection(name);
  }
  const std::optional<double> whole = redis::ParseNumber(text);
  Check(!whole || Finite(*whole));
  return 0;
}
