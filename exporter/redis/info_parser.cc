#include "redis/info_parser.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "common/text.h"

namespace stampede::redis {

namespace {

constexpr std::string_view kSlavePrefix = "slave";
constexpr std::string_view kDbPrefix = "db";
constexpr std::string_view kCmdstatPrefix = "cmdstat_";
constexpr std::string_view kErrorstatPrefix = "errorstat_";
constexpr std::string_view kLatencyPrefix = "latency_percentiles_usec_";

// Keys quoted in issue reasons are cut to this many bytes, so a log line stays readable.
constexpr std::size_t kMaxKeyInReason = 64;

std::string ToLowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = AsciiLower(c);
  }
  return out;
}

bool IsAllDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), IsAsciiDigit);
}

std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

// A key as it may appear in an issue reason: cut short, non-printable bytes replaced by '?'.
std::string KeyForReason(std::string_view key) {
  std::string out(key.substr(0, kMaxKeyInReason));
  for (char& c : out) {
    if (c < ' ' || c > '~') {
      c = '?';
    }
  }
  if (key.size() > kMaxKeyInReason) {
    out += "...";
  }
  return out;
}

// Parses an index made of decimal digits only (no sign) into a non-negative int.
std::optional<int> ParseIndex(std::string_view digits) {
  if (!IsAllDigits(digits)) {
    return std::nullopt;
  }
  int value = 0;
  const char* end = digits.data() + digits.size();
  const auto [ptr, ec] = std::from_chars(digits.data(), end, value);
  if (ec != std::errc() || ptr != end) {
    return std::nullopt;
  }
  return value;
}

// The `a=1,b=2` value of a structured line, split into its sub-fields. A piece without '=' has
// an empty value; on duplicates the last one wins.
class SubFields {
 public:
  explicit SubFields(std::string_view value) {
    while (!value.empty()) {
      const std::size_t comma = value.find(',');
      const std::string_view piece = value.substr(0, comma);
      const std::size_t eq = piece.find('=');
      if (eq == std::string_view::npos) {
        items_.emplace_back(piece, std::string_view());
      } else {
        items_.emplace_back(piece.substr(0, eq), piece.substr(eq + 1));
      }
      if (comma == std::string_view::npos) {
        break;
      }
      value.remove_prefix(comma + 1);
    }
  }

  std::optional<std::string_view> Get(std::string_view key) const {
    for (auto it = items_.rbegin(); it != items_.rend(); ++it) {
      if (it->first == key) {
        return it->second;
      }
    }
    return std::nullopt;
  }

  const std::vector<std::pair<std::string_view, std::string_view>>& items() const { return items_; }

 private:
  std::vector<std::pair<std::string_view, std::string_view>> items_;
};

// Reads the numeric sub-field `name` into `*out` when present. Returns an issue reason when the
// sub-field is present but not a number, "" otherwise (absent leaves `*out` unchanged).
std::string ReadNumber(const SubFields& subs, std::string_view key, std::string_view name,
                       double* out) {
  const std::optional<std::string_view> raw = subs.Get(name);
  if (!raw) {
    return "";
  }
  const std::optional<double> number = ParseNumber(*raw);
  if (!number) {
    return KeyForReason(key) + ": " + std::string(name) + " is not a number";
  }
  *out = *number;
  return "";
}

struct NumberField {
  std::string_view name;
  double* out;
};

// ReadNumber for each of `fields`; returns the first issue reason, "" when all were fine.
std::string ReadNumbers(const SubFields& subs, std::string_view key,
                        std::initializer_list<NumberField> fields) {
  for (const NumberField& field : fields) {
    std::string reason = ReadNumber(subs, key, field.name, field.out);
    if (!reason.empty()) {
      return reason;
    }
  }
  return "";
}

// Turns the digits of a percentile (`50`, `99.9`, `100`) into a quantile label (`0.5`, `0.999`,
// `1`) by moving the decimal point two places left, in text, so no rounding can creep in.
// Returns nullopt when `percentile` is not plain decimal digits or is above 100.
std::optional<std::string> PercentileToQuantile(std::string_view percentile) {
  const std::size_t dot = percentile.find('.');
  const std::string_view int_part = percentile.substr(0, dot);
  const std::string_view frac_part =
      dot == std::string_view::npos ? std::string_view() : percentile.substr(dot + 1);
  if (!IsAllDigits(int_part) || (dot != std::string_view::npos && !IsAllDigits(frac_part))) {
    return std::nullopt;
  }
  std::string digits(int_part);
  digits += frac_part;
  // Position of the decimal point in `digits` after dividing by 100; pad so it is at least 1.
  std::ptrdiff_t point = static_cast<std::ptrdiff_t>(int_part.size()) - 2;
  if (point < 1) {
    digits.insert(0, static_cast<std::size_t>(1 - point), '0');
    point = 1;
  }
  std::string whole = digits.substr(0, static_cast<std::size_t>(point));
  std::string frac = digits.substr(static_cast<std::size_t>(point));
  const std::size_t first_non_zero = whole.find_first_not_of('0');
  whole = first_non_zero == std::string::npos ? "0" : whole.substr(first_non_zero);
  const std::size_t last_non_zero = frac.find_last_not_of('0');
  frac = last_non_zero == std::string::npos ? "" : frac.substr(0, last_non_zero + 1);
  if (whole != "0" && !(whole == "1" && frac.empty())) {
    return std::nullopt;  // above 100th percentile
  }
  return frac.empty() ? whole : whole + "." + frac;
}

// Structured lines are keyed (by db, command, prefix, replica index): when a key repeats, as in
// concatenated dumps, the later line replaces the earlier one in place, like plain fields do.
using Positions = std::map<std::string, std::size_t, std::less<>>;

template <typename T>
void Upsert(std::vector<T>* items, Positions* positions, std::string id, T item) {
  const auto [it, inserted] = positions->try_emplace(std::move(id), items->size());
  if (inserted) {
    items->push_back(std::move(item));
  } else {
    (*items)[it->second] = std::move(item);
  }
}

class Parser {
 public:
  explicit Parser(InfoSnapshot* out) : out_(out) {}

  void Line(std::size_t line_no, std::string_view line) {
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    if (line.empty()) {
      return;
    }
    if (line.size() > kMaxLineBytes) {
      Issue(line_no, "line too long");
      return;
    }
    if (line.front() == '#') {
      Section(line.substr(1));
      return;
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      Issue(line_no, "missing ':'");
      return;
    }
    const std::string_view key = line.substr(0, colon);
    const std::string_view value = line.substr(colon + 1);
    if (key.empty()) {
      Issue(line_no, "empty key");
      return;
    }
    std::string reason = KeyValue(key, value);
    if (!reason.empty()) {
      Issue(line_no, std::move(reason));
    }
  }

 private:
  void Issue(std::size_t line_no, std::string reason) {
    ++out_->issue_count;
    if (out_->issues.size() < InfoSnapshot::kMaxIssues) {
      out_->issues.push_back(ParseIssue{line_no, std::move(reason)});
    }
  }

  void Section(std::string_view rest) {
    const std::string_view name = TrimSpaces(rest);
    if (name.empty()) {
      return;
    }
    std::string lower = ToLowerAscii(name);
    if (section_positions_.try_emplace(lower, out_->sections.size()).second) {
      out_->sections.push_back(std::move(lower));
    }
  }

  // Dispatches one `key:value` line; returns an issue reason, "" when the line was taken.
  std::string KeyValue(std::string_view key, std::string_view value) {
    if (key.starts_with(kSlavePrefix) && IsAllDigits(key.substr(kSlavePrefix.size()))) {
      return Replica(key, value);
    }
    if (key.starts_with(kCmdstatPrefix)) {
      return Command(key, value);
    }
    if (key.starts_with(kErrorstatPrefix)) {
      return Error(key, value);
    }
    if (key.starts_with(kLatencyPrefix)) {
      return Latency(key, value);
    }
    if (key.starts_with(kDbPrefix)) {
      // `db<N>` is a keyspace line; so is anything else `db..` that carries `keys=` (and is then
      // malformed). Other `db..` keys, such as Redis 8's `db0_distrib_strings_sizes`, are plain.
      SubFields subs(value);
      if (IsAllDigits(key.substr(kDbPrefix.size())) || subs.Get("keys")) {
        return Keyspace(key, subs);
      }
    }
    out_->fields.insert_or_assign(std::string(key), std::string(value));
    return "";
  }

  std::string Keyspace(std::string_view key, const SubFields& subs) {
    KeyspaceDb db;
    const std::optional<int> index = ParseIndex(key.substr(kDbPrefix.size()));
    if (!index) {
      return KeyForReason(key) + ": bad database index";
    }
    db.db = *index;
    if (!subs.Get("keys")) {
      return KeyForReason(key) + ": keys missing";
    }
    double subexpiry = 0;  // Redis 7.4+; validated, not kept
    std::string reason = ReadNumbers(subs, key,
                                     {{"keys", &db.keys},
                                      {"expires", &db.expires},
                                      {"avg_ttl", &db.avg_ttl_ms},
                                      {"subexpiry", &subexpiry}});
    if (!reason.empty()) {
      return reason;
    }
    Upsert(&out_->keyspace, &keyspace_positions_, std::to_string(db.db), db);
    return "";
  }

  std::string Command(std::string_view key, std::string_view value) {
    CommandStat stat;
    stat.command = std::string(key.substr(kCmdstatPrefix.size()));
    if (stat.command.empty()) {
      return KeyForReason(key) + ": empty command name";
    }
    const SubFields subs(value);
    if (!subs.Get("calls")) {
      return KeyForReason(key) + ": calls missing";
    }
    double usec_per_call = 0;  // derivable from usec/calls; validated, not kept
    std::string reason = ReadNumbers(subs, key,
                                     {{"calls", &stat.calls},
                                      {"usec", &stat.usec},
                                      {"usec_per_call", &usec_per_call},
                                      {"rejected_calls", &stat.rejected_calls},
                                      {"failed_calls", &stat.failed_calls}});
    if (!reason.empty()) {
      return reason;
    }
    std::string id = stat.command;
    Upsert(&out_->commands, &command_positions_, std::move(id), std::move(stat));
    return "";
  }

  std::string Error(std::string_view key, std::string_view value) {
    ErrorStat stat;
    stat.prefix = std::string(key.substr(kErrorstatPrefix.size()));
    if (stat.prefix.empty()) {
      return KeyForReason(key) + ": empty error prefix";
    }
    const SubFields subs(value);
    if (!subs.Get("count")) {
      return KeyForReason(key) + ": count missing";
    }
    std::string reason = ReadNumber(subs, key, "count", &stat.count);
    if (!reason.empty()) {
      return reason;
    }
    std::string id = stat.prefix;
    Upsert(&out_->errors, &error_positions_, std::move(id), std::move(stat));
    return "";
  }

  std::string Latency(std::string_view key, std::string_view value) {
    LatencyStat stat;
    stat.command = std::string(key.substr(kLatencyPrefix.size()));
    if (stat.command.empty()) {
      return KeyForReason(key) + ": empty command name";
    }
    const SubFields subs(value);
    Positions quantile_positions;
    for (const auto& [name, raw] : subs.items()) {
      if (name.size() < 2 || name.front() != 'p') {
        continue;  // not a percentile: unknown sub-field, ignored
      }
      std::optional<std::string> quantile = PercentileToQuantile(name.substr(1));
      if (!quantile) {
        return KeyForReason(key) + ": bad percentile " + KeyForReason(name);
      }
      const std::optional<double> usec = ParseNumber(raw);
      if (!usec) {
        return KeyForReason(key) + ": " + KeyForReason(name) + " is not a number";
      }
      // A repeated quantile (p50 twice, or p50 and p50.0) keeps the last value, once.
      std::string id = *quantile;
      Upsert(&stat.percentiles, &quantile_positions, std::move(id),
             LatencyStat::Percentile{std::move(*quantile), *usec});
    }
    std::string id = stat.command;
    Upsert(&out_->latencies, &latency_positions_, std::move(id), std::move(stat));
    return "";
  }

  std::string Replica(std::string_view key, std::string_view value) {
    ReplicaLine replica;
    const std::optional<int> index = ParseIndex(key.substr(kSlavePrefix.size()));
    if (!index) {
      return KeyForReason(key) + ": bad replica index";
    }
    replica.index = *index;
    const SubFields subs(value);
    const std::optional<std::string_view> ip = subs.Get("ip");
    const std::optional<std::string_view> port = subs.Get("port");
    const std::optional<std::string_view> state = subs.Get("state");
    if (!ip || !port || !state) {
      return KeyForReason(key) + ": ip, port or state missing";
    }
    replica.ip = std::string(*ip);
    replica.state = std::string(*state);
    const std::optional<int> parsed_port = ParseIndex(*port);
    if (!parsed_port || *parsed_port > 65535) {
      return KeyForReason(key) + ": bad port";
    }
    replica.port = *parsed_port;
    std::string reason =
        ReadNumbers(subs, key, {{"offset", &replica.offset}, {"lag", &replica.lag}});
    if (!reason.empty()) {
      return reason;
    }
    Upsert(&out_->replicas, &replica_positions_, std::to_string(replica.index), std::move(replica));
    return "";
  }

  InfoSnapshot* out_;
  Positions keyspace_positions_;
  Positions command_positions_;
  Positions error_positions_;
  Positions latency_positions_;
  Positions replica_positions_;
  Positions section_positions_;  // only the keys matter: sections are never replaced
};

}  // namespace

std::optional<std::string_view> InfoSnapshot::Text(std::string_view key) const {
  const auto it = fields.find(key);
  if (it == fields.end()) {
    return std::nullopt;
  }
  return std::string_view(it->second);
}

std::optional<double> InfoSnapshot::Number(std::string_view key) const {
  const std::optional<std::string_view> text = Text(key);
  if (!text) {
    return std::nullopt;
  }
  return ParseNumber(*text);
}

bool InfoSnapshot::HasSection(std::string_view name) const {
  return std::any_of(sections.begin(), sections.end(),
                     [name](const std::string& s) { return EqualsIgnoreCase(s, name); });
}

InfoSnapshot ParseInfo(std::string_view text) {
  InfoSnapshot snapshot;
  Parser parser(&snapshot);
  std::size_t line_no = 0;
  while (!text.empty()) {
    ++line_no;
    const std::size_t newline = text.find('\n');
    parser.Line(line_no, text.substr(0, newline));
    if (newline == std::string_view::npos) {
      break;
    }
    text.remove_prefix(newline + 1);
  }
  return snapshot;
}

std::optional<double> ParseNumber(std::string_view text) {
  if (text.empty()) {
    return std::nullopt;
  }
  double value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value, std::chars_format::general);
  if (ec != std::errc() || ptr != end || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

}  // namespace stampede::redis
