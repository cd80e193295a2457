// Pure parser: the text of a Redis INFO reply in, a structured snapshot out. No I/O.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stampede::redis {

/// One `dbN:keys=..,expires=..,avg_ttl=..[,subexpiry=..]` line of the keyspace section.
struct KeyspaceDb {
  int db = 0;
  double keys = 0;
  double expires = 0;
  double avg_ttl_ms = 0;
};

/// One `cmdstat_<cmd>:calls=..,usec=..,usec_per_call=..[,rejected_calls=..,failed_calls=..]`
/// line. rejected/failed appear in Redis 6.2+; absent fields stay 0.
struct CommandStat {
  std::string command;  // lower case as Redis prints it; subcommands keep their `|` (config|get)
  double calls = 0;
  double usec = 0;
  double rejected_calls = 0;
  double failed_calls = 0;
};

/// One `errorstat_<PREFIX>:count=N` line (Redis 6.2+).
struct ErrorStat {
  std::string prefix;  // e.g. ERR, WRONGTYPE, OOM
  double count = 0;
};

/// One `latency_percentiles_usec_<cmd>:p50=..,p99=..,p99.9=..` line (Redis 7.0+).
struct LatencyStat {
  struct Percentile {
    std::string quantile;  // as a Prometheus quantile label value: "0.5", "0.99", "0.999"
    double usec = 0;
  };
  std::string command;
  std::vector<Percentile> percentiles;
};

/// One `slaveN:ip=..,port=..,state=..,offset=..,lag=..` line of a master's replication section.
struct ReplicaLine {
  int index = 0;
  std::string ip;
  int port = 0;
  std::string state;
  double offset = 0;
  double lag = 0;
};

/// A malformed line, kept for logging. `line` is 1-based.
struct ParseIssue {
  std::size_t line = 0;
  std::string reason;
};

/// Everything one INFO reply said. A plain value: thread-compatible.
struct InfoSnapshot {
  /// Plain `key:value` lines from every section except the structured ones below.
  std::map<std::string, std::string, std::less<>> fields;
  /// Section names seen (`# Stats` → "stats"), lower case, in order.
  std::vector<std::string> sections;
  std::vector<KeyspaceDb> keyspace;
  std::vector<CommandStat> commands;
  std::vector<ErrorStat> errors;
  std::vector<LatencyStat> latencies;
  std::vector<ReplicaLine> replicas;
  /// The first kMaxIssues malformed lines; issue_count counts all of them.
  std::vector<ParseIssue> issues;
  std::size_t issue_count = 0;

  static constexpr std::size_t kMaxIssues = 16;

  /// The raw text of a plain field, if present.
  std::optional<std::string_view> Text(std::string_view key) const;
  /// A plain field as a finite number, if present and numeric.
  std::optional<double> Number(std::string_view key) const;
  bool HasSection(std::string_view name) const;
};

/// Parses an INFO reply. Accepts CRLF or LF line ends. Never throws on bad input (only on
/// allocation failure): malformed lines are skipped and recorded in `issues`/`issue_count`.
/// Lines longer than kMaxLineBytes, keys that are empty, values of structured lines that are not
/// numbers, and lines without ':' outside a header are malformed.
InfoSnapshot ParseInfo(std::string_view text);

/// Lines longer than this are malformed (INFO lines are well under 1 KiB).
inline constexpr std::size_t kMaxLineBytes = 64 * 1024;

/// Parses a whole string as a finite double (no spaces, no trailing text). Pure.
std::optional<double> ParseNumber(std::string_view text);

}  // namespace stampede::redis
